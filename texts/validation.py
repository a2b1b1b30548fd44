"""A validation error's code and words in the reader's language, for the API and the pages alike.

Our validators raise `TextError` (a ValueError that carries its catalogue text, so pydantic keeps it); pydantic's
own errors are found by their type ("err.missing", or a field's own wording "err.missing.full_name")."""

from typing import Any

from texts import CATALOGUE, Lang, Text, text


class TextError(ValueError):
    """A validator's refusal: its code is stable ("national_id_digits"), its words are "err.<code>"."""

    def __init__(self, code: str, /, **values: object) -> None:
        self.code = code
        self.text = Text(f"err.{code}", **values)
        super().__init__(str(self.text))


def field_message(lang: Lang, kind: str, field: str, **context: object) -> str:
    """What to do about this kind of error in this field: its own text if the catalogue has one."""
    for key in (f"err.{kind}.{field}", f"err.{kind}"):
        if key in CATALOGUE:
            return text(lang, key, **context)
    return text(lang, "err.invalid")


def validation_problem(lang: Lang, item: dict[str, Any], field: str) -> tuple[str, str]:
    """(code, message) of one of pydantic's error items."""
    context = item.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, TextError):
        return cause.code, cause.text.render(lang)
    kind = str(item["type"])
    if kind == "value_error":  # a check of configuration or of a program, not of people's input: its own words
        return kind, str(item["msg"]).removeprefix("Value error, ")
    values = {k: v for k, v in context.items() if isinstance(v, int | float | str)}
    return kind, field_message(lang, kind, field, **values)
