"""Refusals of donations, stock, place reports, allocation rounds and shipments, by error code ("err.<code>")."""

TEXTS: dict[str, tuple[str, str]] = {}
