"""Refusals of cash support, pledges, help groups and emergencies, by error code ("err.<code>")."""

TEXTS: dict[str, tuple[str, str]] = {}
