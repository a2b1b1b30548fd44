"""The citizen's registration form and the answer they get in the same call."""

from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from domain.banks import account_number_valid, bank_by_bin
from domain.cash import PayoutMethod, SituationCategory
from domain.identity import MobilePhone, NationalId, plain_text
from domain.stages import RefusalReason, RequestKind, Stage
from texts.lang import Lang
from texts.validation import TextError
from usecases.schemas.money import whole_vnd
from usecases.schemas.text import Printable

_Text = Annotated[str, StringConstraints(strip_whitespace=True), Printable]
REGISTRABLE_KINDS = frozenset({RequestKind.FOOD_BAG, RequestKind.CASH_SUPPORT})
# A cash need's fields: required for cash_support, refused with any other kind.
CASH_FIELDS = (
    "amount_vnd",
    "situation",
    "payout_method",
    "bank_bin",
    "account_number",
    "holder_name",
    "consent_to_publish",
)


def _above_zero(value: int | None) -> int | None:
    if value is not None and value <= 0:
        raise TextError("amount_not_positive")
    return value


_CashText = Annotated[_Text | None, StringConstraints(min_length=1, max_length=200)]


class RegistrationForm(BaseModel):
    # Only these fields are accepted: nothing else can ride along into the request.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: RequestKind = Field(RequestKind.FOOD_BAG, description="food_bag or cash_support")
    full_name: Annotated[_Text, StringConstraints(min_length=1, max_length=200)]
    national_id: NationalId = Field(description="CMND (9 digits) or CCCD (12 digits)")
    phone: MobilePhone = Field(description="a Vietnamese mobile number (the SMS goes there; a landline is refused)")
    address: Annotated[_Text, StringConstraints(min_length=5, max_length=300)]
    ward_code: Annotated[str, BeforeValidator(plain_text), StringConstraints(pattern=r"^[0-9]{1,16}$")]
    household_size: int = Field(ge=1, le=30)
    language: Lang | None = Field(
        None, description="vi or en: the household's messages are written in it (the Accept-Language's when absent)"
    )
    # A cash need (kind=cash_support): the amount (capped by the cash policy, checked by the use case), why, and
    # where the money goes. The household must consent to its need being published: that is how it is funded.
    amount_vnd: Annotated[int | None, BeforeValidator(whole_vnd), AfterValidator(_above_zero)] = Field(
        None, validate_default=True, description="whole VND, above zero, at most the cash policy's cap"
    )
    situation: SituationCategory | None = Field(None, validate_default=True)
    payout_method: PayoutMethod | None = Field(None, validate_default=True)
    bank_bin: Annotated[str | None, StringConstraints(pattern=r"^[0-9]{6}$")] = Field(
        None, validate_default=True, description="the bank's or e-wallet's NAPAS BIN"
    )
    account_number: Annotated[str | None, StringConstraints(pattern=r"^[0-9A-Za-z]{1,32}$")] = Field(
        None, validate_default=True
    )
    holder_name: _CashText = Field(None, validate_default=True)
    consent_to_publish: bool | None = Field(None, validate_default=True)

    @field_validator("kind")
    @classmethod
    def _registrable(cls, kind: RequestKind) -> RequestKind:
        if kind == RequestKind.EMERGENCY:
            raise TextError("kind_emergency_elsewhere")
        if kind not in REGISTRABLE_KINDS:
            raise TextError("kind_not_registrable", kind=kind.value)
        return kind

    @field_validator(*CASH_FIELDS)
    @classmethod
    def _only_with_cash(cls, value: object, info: ValidationInfo) -> object:
        cash = info.data.get("kind") == RequestKind.CASH_SUPPORT
        if cash and value is None:
            raise TextError("cash_field_required")
        if not cash and value is not None:
            raise TextError("cash_field_not_allowed")
        return value

    @field_validator("consent_to_publish")
    @classmethod
    def _consented(cls, consent: bool | None) -> bool | None:
        if consent is False:
            raise TextError("cash_consent_required")
        return consent

    @field_validator("bank_bin")
    @classmethod
    def _known_bank(cls, bank_bin: str | None, info: ValidationInfo) -> str | None:
        if bank_bin is None:
            return None
        bank = bank_by_bin(bank_bin)
        if bank is None:
            raise TextError("bank_unknown", bin=bank_bin)
        method = info.data.get("payout_method")
        if method is not None and (bank.kind == "ewallet") != (method == PayoutMethod.EWALLET):
            raise TextError(
                "bin_not_a_wallet" if method == PayoutMethod.EWALLET else "bin_not_a_bank", bank=bank.short_name
            )
        return bank_bin

    @field_validator("account_number")
    @classmethod
    def _account_of_bank_shape(cls, number: str | None, info: ValidationInfo) -> str | None:
        bank = bank_by_bin(info.data.get("bank_bin") or "")
        if number is not None and bank is not None and not account_number_valid(bank, number):
            raise TextError("account_number_shape", bank=bank.short_name)
        return number


class RegistrationAnswer(BaseModel):
    code: str
    stage: Stage
    refusal: RefusalReason | None = None
    last_delivered_on: date | None = None
    eligible_again_on: date | None = None
    message: str = Field(description="what the citizen is told, in the language their messages are written in")
    citizen_token: str | None = Field(None, description="opens the citizen's session for this request")
