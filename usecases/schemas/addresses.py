"""A typed address, and the ward found in it."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from usecases.schemas.text import Printable


class AddressText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300), Printable]


class ParsedWard(BaseModel):
    ward_code: str
    ward_name: str
    district_code: str
    district_name: str
    street: str | None
    message: str
