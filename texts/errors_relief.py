"""Refusals of registration, verification, delivery, sign-in, registries and coverage, by error code ("err.<code>")."""

TEXTS: dict[str, tuple[str, str]] = {}
