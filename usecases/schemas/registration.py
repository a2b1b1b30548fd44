"""The citizen's registration form and the answer they get in the same call."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from domain.identity import MobilePhone, NationalId, plain_text
from domain.stages import RefusalReason, RequestKind, Stage
from usecases.schemas.text import Printable

_Text = Annotated[str, StringConstraints(strip_whitespace=True), Printable]


class RegistrationForm(BaseModel):
    # Only these fields are accepted: nothing else can ride along into the request.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: RequestKind = Field(RequestKind.FOOD_BAG, description="only food_bag is open for registration now")
    full_name: Annotated[_Text, StringConstraints(min_length=1, max_length=200)]
    national_id: NationalId = Field(description="CMND (9 digits) or CCCD (12 digits)")
    phone: MobilePhone = Field(description="a Vietnamese mobile number (the SMS goes there; a landline is refused)")
    address: Annotated[_Text, StringConstraints(min_length=5, max_length=300)]
    ward_code: Annotated[str, BeforeValidator(plain_text), StringConstraints(pattern=r"^[0-9]{1,16}$")]
    household_size: int = Field(ge=1, le=30)

    @field_validator("kind")
    @classmethod
    def _only_food_bags_for_now(cls, kind: RequestKind) -> RequestKind:
        if kind != RequestKind.FOOD_BAG:
            raise ValueError(
                f"loại hỗ trợ '{kind.value}' chưa mở đăng ký; hiện chỉ nhận túi an sinh "
                "(only food_bag can be registered now; other kinds come later)"
            )
        return kind


class RegistrationAnswer(BaseModel):
    code: str
    stage: Stage
    refusal: RefusalReason | None = None
    last_delivered_on: date | None = None
    eligible_again_on: date | None = None
    message: str = Field(description="what the citizen is told, in Vietnamese")
    citizen_token: str | None = Field(None, description="opens the citizen's session for this request")
