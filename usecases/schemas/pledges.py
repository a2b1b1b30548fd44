"""Community helpers' sign-in, pledges, the household's answer and the ward's decision: the API's bodies and
answers (the pages fill the same models from their forms)."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from domain.cash import HelperKind, PledgeState
from domain.identity import MobilePhone, plain_text
from usecases.schemas.money import whole_vnd


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HelperCodeRequest(_Body):
    phone: MobilePhone = Field(description="the helper's phone: a one-time code is sent to it")


class HelperSignIn(_Body):
    phone: MobilePhone
    code: Annotated[str, BeforeValidator(plain_text), StringConstraints(pattern=r"^[0-9]{6}$")] = Field(
        description="the six digits received by SMS"
    )
    display_name: Annotated[str, BeforeValidator(plain_text), StringConstraints(min_length=1, max_length=80)] = Field(
        description="the name households see on the helper's pledges (a person's or a help group's)"
    )
    kind: HelperKind = HelperKind.PERSON


WholeVnd = Annotated[int, BeforeValidator(whole_vnd)]


class PledgeBody(_Body):
    amount_vnd: WholeVnd = Field(description="whole VND, at least the policy's smallest pledge")


class PledgeNote(_Body):
    note: Annotated[str, BeforeValidator(plain_text), StringConstraints(max_length=500)] | None = None


class WardDecisionBody(PledgeNote):
    arrived: bool = Field(description="true: the money reached the household; false: it never did")


class PledgeView(BaseModel):
    """A pledge as its helper, its household or its ward sees it: no account, no phone, no name."""

    code: str
    state: PledgeState
    amount_vnd: int
    reference: str = Field(description="the transfer's content: ANSINH <code>")
    need_ref: str
    ward_code: str
    district_code: str
    pledged_at: datetime
    pay_by: datetime | None = None
    transferred_at: datetime | None = None
    closed_at: datetime | None = None


class PaymentDetails(BaseModel):
    """What the pledging helper types or scans to pay, only while the pledge is `pledged` (each reading audited)."""

    bank_bin: str
    bank_name: str
    holder_name: str
    account_number: str
    amount_vnd: int
    reference: str
    qr_payload: str | None = Field(None, description="the VietQR (NAPAS 247) payload for the exact amount")


class HelperPledge(PledgeView):
    payment: PaymentDetails | None = None


class WardPledge(PledgeView):
    request_code: str
    household_id: UUID | None
    note: str | None = None
    decidable: bool = Field(description="disputed, or paid and unconfirmed long enough for the ward to be asked")
