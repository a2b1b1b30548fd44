"""Turning the API's pydantic validation errors into one clear message per form field, in the reader's
language: the domain's own messages ("tiếng Việt (English)") are split, the generic ones translated, and a
field's own wording ("err.missing.full_name": "Nhập họ và tên") preferred to the generic one.

A page passes the result as `errors`; `error_summary` in _macros.html lists them at the top, each linked to its
field's input (#f-<field>), and base.html puts "Lỗi: " before the title."""

from pydantic import ValidationError

from web.i18n import MESSAGES, Lang, pick, translate


def field_message(lang: Lang, kind: str, field: str, **context: object) -> str:
    """What to do about this kind of error in this field: its own text if the catalogue has one."""
    for key in (f"err.{kind}.{field}", f"err.{kind}"):
        if key in MESSAGES:
            return translate(lang, key, **context)
    return translate(lang, "err.invalid")


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
        else:
            context = {k: v for k, v in (item.get("ctx") or {}).items() if isinstance(v, int | float | str)}
            found[field] = field_message(lang, kind, field, **context)
    # The domain's messages start in lower case (they are also parts of sentences); a field's stands alone.
    return {name: message[:1].upper() + message[1:] for name, message in found.items()}
