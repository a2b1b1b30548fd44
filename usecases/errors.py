"""What a use case answers when it cannot do what was asked, whichever door the person came through.

The JSON API turns each into its HTTP status and a stable `code` (api/errors.py), the pages into a page
(web/errors.py); the words are a catalogue `Text`, rendered in the reader's language at the door. A use case never
raises an HTTP exception of its own, so a new channel (SMS, a hotline operator's screen) needs no HTTP.
"""

from dataclasses import dataclass
from typing import Any, ClassVar

from texts import Lang, Text


class UseCaseError(Exception):
    """The message is safe to show the caller: it never quotes personal data."""

    kind: ClassVar[str] = "error"  # the code when the error names none of its own

    def __init__(self, message: Text, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.kind

    def render(self, lang: Lang) -> str:
        return self.message.render(lang)


class NotFound(UseCaseError):
    """Missing, or outside the caller's scope: the two answer alike, so nobody learns what exists elsewhere."""

    kind = "not_found"


class Unauthenticated(UseCaseError):
    """Wrong password or one-time code."""

    kind = "unauthenticated"


class Forbidden(UseCaseError):
    """Signed in, but this is not for this role: said plainly, since the route itself is no secret."""

    kind = "forbidden"


class TooLarge(UseCaseError):
    """An upload over its limit."""

    kind = "too_large"


@dataclass(frozen=True)
class FieldProblem:
    field: str
    type: str  # a stable code: unknown_ward, invalid_photo, courier_not_available...
    message: Text
    input: Any = None
    location: str = "body"  # or "header": where the field was sent

    def render(self, lang: Lang) -> str:
        return self.message.render(lang)


class InvalidInput(UseCaseError):
    """Input that passed its model's checks but not the data: an unknown ward, a photo that is not an image."""

    kind = "invalid_input"

    def __init__(self, *problems: FieldProblem) -> None:
        super().__init__(problems[0].message)
        self.problems = problems

    def render(self, lang: Lang) -> str:
        return "; ".join(p.render(lang) for p in self.problems)

    @classmethod
    def field(
        cls, field: str, type: str, message: Text | None = None, input: Any = None, **values: object
    ) -> "InvalidInput":
        """The message defaults to the catalogue's text for the code ("err.<type>") with these values."""
        return cls(FieldProblem(field, type, Text(f"err.{type}", **values) if message is None else message, input))


class Unreadable(UseCaseError):
    """A file that is not what it should be (a registry that is not a list)."""

    kind = "unreadable"
