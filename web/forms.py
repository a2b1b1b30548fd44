"""Turning the API's pydantic validation errors into one clear message per form field, in the reader's
language: the domain's own messages ("tiếng Việt (English)") are split, the generic ones translated."""

from pydantic import ValidationError

from web.i18n import MESSAGES, Lang, pick, translate


def field_errors(lang: Lang, error: ValidationError, nested: bool = False) -> dict[str, str]:
    """{field: message}, the first error of each field; a bare value's errors are under ''. Nested, a field of a
    sub-form is named by its whole path ("lines.0.quantity")."""
    found: dict[str, str] = {}
    for item in error.errors(include_url=False):
        loc = item["loc"] if nested else item["loc"][:1]
        field = ".".join(str(part) for part in loc)
        if field in found:
            continue
        kind = item["type"]
        if kind == "value_error":
            found[field] = pick(lang, str(item["msg"]).removeprefix("Value error, "))
        elif f"err.{kind}" in MESSAGES:
            context = {k: v for k, v in (item.get("ctx") or {}).items() if isinstance(v, int | float | str)}
            found[field] = translate(lang, f"err.{kind}", **context)
        else:
            found[field] = translate(lang, "err.invalid")
    # The domain's messages start in lower case (they are also parts of sentences); a field's stands alone.
    return {name: message[:1].upper() + message[1:] for name, message in found.items()}
