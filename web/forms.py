"""Turning pydantic validation errors into one clear message per form field, in the reader's language
(texts/validation.py: our validators' own texts, pydantic's translated, a field's own wording preferred).

A page passes the result as `errors`; `error_summary` in _macros.html lists them at the top, each linked to its
field's input (#f-<field>), and base.html puts "Lỗi: " before the title."""

from pydantic import ValidationError

from texts import Lang
from texts.validation import validation_problem


def field_errors(lang: Lang, error: ValidationError, nested: bool = False) -> dict[str, str]:
    """{field: message}, the first error of each field; a bare value's errors are under ''. Nested, a field of a
    sub-form is named by its whole path ("lines.0.quantity")."""
    found: dict[str, str] = {}
    for item in error.errors(include_url=False):
        loc = item["loc"] if nested else item["loc"][:1]
        field = ".".join(str(part) for part in loc)
        if field in found:
            continue
        found[field] = validation_problem(lang, dict(item), field)[1]
    # The domain's messages start in lower case (they are also parts of sentences); a field's stands alone.
    return {name: message[:1].upper() + message[1:] for name, message in found.items()}
