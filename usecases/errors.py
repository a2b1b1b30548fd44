"""What a use case answers when it cannot do what was asked, whichever door the person came through.

The JSON API turns each into its HTTP status (api/errors.py) and the pages into a page (web/errors.py); a use case
never raises an HTTP exception of its own, so a new channel (SMS, a hotline operator's screen) needs no HTTP.
"""

from dataclasses import dataclass
from typing import Any


class UseCaseError(Exception):
    """The message is safe to show the caller: it never quotes personal data."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UseCaseError):
    """Missing, or outside the caller's scope: the two answer alike, so nobody learns what exists elsewhere."""


class Unauthenticated(UseCaseError):
    """Wrong password or one-time code."""


class TooLarge(UseCaseError):
    """An upload over its limit."""


@dataclass(frozen=True)
class FieldProblem:
    field: str
    type: str  # a stable code: unknown_ward, invalid_photo, courier_not_available...
    message: str
    input: Any = None
    location: str = "body"  # or "header": where the field was sent


class InvalidInput(UseCaseError):
    """Input that passed its model's checks but not the data: an unknown ward, a photo that is not an image."""

    def __init__(self, *problems: FieldProblem) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

    @classmethod
    def field(cls, field: str, type: str, message: str, input: Any = None) -> "InvalidInput":
        return cls(FieldProblem(field, type, message, input))


class Unreadable(UseCaseError):
    """A file that is not what it should be (a registry that is not a list)."""
