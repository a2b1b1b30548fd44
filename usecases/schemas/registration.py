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
        raise ValueError("số tiền phải lớn hơn 0 (the amount must be above zero)")
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
            raise ValueError(
                "yêu cầu khẩn cấp gửi tại trang Cần giúp khẩn cấp, /khan-cap/moi, hoặc POST /api/v1/emergencies "
                "(post emergencies at /khan-cap/moi or POST /api/v1/emergencies)"
            )
        if kind not in REGISTRABLE_KINDS:
            raise ValueError(
                f"loại hỗ trợ '{kind.value}' không đăng ký tại đây; chỉ nhận túi an sinh hoặc hỗ trợ tiền mặt "
                "(only food_bag or cash_support can be registered here)"
            )
        return kind

    @field_validator(*CASH_FIELDS)
    @classmethod
    def _only_with_cash(cls, value: object, info: ValidationInfo) -> object:
        cash = info.data.get("kind") == RequestKind.CASH_SUPPORT
        if cash and value is None:
            raise ValueError("bắt buộc khi đăng ký hỗ trợ tiền mặt (required for a cash_support request)")
        if not cash and value is not None:
            raise ValueError("chỉ dùng khi đăng ký hỗ trợ tiền mặt (only for a cash_support request)")
        return value

    @field_validator("consent_to_publish")
    @classmethod
    def _consented(cls, consent: bool | None) -> bool | None:
        if consent is False:
            raise ValueError(
                "hỗ trợ tiền mặt cần hộ đồng ý công bố nhu cầu, không kèm tên, địa chỉ hay số tài khoản: cộng đồng "
                "hỗ trợ từ đó (a cash need must be published, without name, address or account: that is how the "
                "community funds it)"
            )
        return consent

    @field_validator("bank_bin")
    @classmethod
    def _known_bank(cls, bank_bin: str | None, info: ValidationInfo) -> str | None:
        if bank_bin is None:
            return None
        bank = bank_by_bin(bank_bin)
        if bank is None:
            raise ValueError(
                f"ngân hàng mã {bank_bin} không có trong danh sách NAPAS (bank BIN {bank_bin} is not on the NAPAS list)"
            )
        method = info.data.get("payout_method")
        if method is not None and (bank.kind == "ewallet") != (method == PayoutMethod.EWALLET):
            raise ValueError(
                f"{bank.short_name} không phải là {'ví điện tử' if method == PayoutMethod.EWALLET else 'ngân hàng'}"
                f" (this BIN is not a {'wallet' if method == PayoutMethod.EWALLET else 'bank'}: pick the payout"
                " method that matches)"
            )
        return bank_bin

    @field_validator("account_number")
    @classmethod
    def _account_of_bank_shape(cls, number: str | None, info: ValidationInfo) -> str | None:
        bank = bank_by_bin(info.data.get("bank_bin") or "")
        if number is not None and bank is not None and not account_number_valid(bank, number):
            raise ValueError(
                f"số tài khoản không đúng dạng của {bank.short_name} "
                f"(the account number does not have the shape of a {bank.short_name} account)"
            )
        return number


class RegistrationAnswer(BaseModel):
    code: str
    stage: Stage
    refusal: RefusalReason | None = None
    last_delivered_on: date | None = None
    eligible_again_on: date | None = None
    message: str = Field(description="what the citizen is told, in the language their messages are written in")
    citizen_token: str | None = Field(None, description="opens the citizen's session for this request")
