"""Cash support from the community: what a household asks, where the money goes, and the life of a pledge.

Money never passes through An Sinh. A verified household's need is published (with its consent) without
anything that identifies it; helpers pledge parts of it and pay by bank transfer straight to the household,
which confirms each transfer arrived. The ledger (migration 0013) guarantees that live and confirmed pledges
never add up to more than the need.
"""

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from texts import CATALOGUE, LANGS, Lang


class SituationCategory(StrEnum):
    """Why the household needs money now (what helpers see instead of a story)."""

    LOST_INCOME = "lost_income"
    ILLNESS = "illness"
    ELDERLY_ALONE = "elderly_alone"
    DISABILITY = "disability"
    CHILDREN = "children"  # a single parent, or children without income in the household
    QUARANTINE = "quarantine"
    OTHER = "other"


class PayoutMethod(StrEnum):
    BANK_ACCOUNT = "bank_account"
    EWALLET = "ewallet"  # a wallet with a NAPAS BIN, paid by the same VietQR transfer


class NeedState(StrEnum):
    """Whether helpers can pledge to the need: only a published one takes pledges."""

    PENDING = "pending"  # registered, not yet verified by the ward (or no consent to publish)
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"  # consent withdrawn or hidden by the ward: live pledges run on, no new ones
    CLOSED = "closed"  # fully confirmed, expired, cancelled or refused


class PledgeState(StrEnum):
    PLEDGED = "pledged"  # the helper has the VietQR code and has not said they paid
    TRANSFERRED = "transferred"  # the helper says they paid; the household has not confirmed
    DISPUTED = "disputed"  # the household says it has not arrived: the ward decides
    CONFIRMED = "confirmed"
    EXPIRED = "expired"  # not reported paid in time: its amount is offered again
    RELEASED = "released"  # withdrawn by the helper, or the ward found it never arrived

    @property
    def counts(self) -> bool:
        """Whether the amount is held against the need (a live or confirmed pledge)."""
        return self in COUNTED_PLEDGE_STATES

    @property
    def is_final(self) -> bool:
        return self in FINAL_PLEDGE_STATES


COUNTED_PLEDGE_STATES = frozenset(
    {PledgeState.PLEDGED, PledgeState.TRANSFERRED, PledgeState.DISPUTED, PledgeState.CONFIRMED}
)
FINAL_PLEDGE_STATES = frozenset({PledgeState.CONFIRMED, PledgeState.EXPIRED, PledgeState.RELEASED})
# The only moves a pledge makes; the database refuses any other (a second confirmation writes nothing).
PLEDGE_MOVES: dict[PledgeState, frozenset[PledgeState]] = {
    PledgeState.PLEDGED: frozenset({PledgeState.TRANSFERRED, PledgeState.EXPIRED, PledgeState.RELEASED}),
    PledgeState.TRANSFERRED: frozenset({PledgeState.CONFIRMED, PledgeState.DISPUTED, PledgeState.RELEASED}),
    PledgeState.DISPUTED: frozenset({PledgeState.CONFIRMED, PledgeState.RELEASED}),
}


class HelperKind(StrEnum):
    PERSON = "person"
    GROUP = "group"  # a registered help group


class CashPolicy(BaseModel):
    """Cash support's rules as data (the city changes them without a release)."""

    model_config = ConfigDict(frozen=True)

    max_amount_vnd: int = Field(1_500_000, ge=1000, description="the most one household may ask per window")
    entitlement_window: timedelta = Field(timedelta(days=14), description="one supported cash need per window")
    need_published_for: timedelta = Field(
        timedelta(days=21), description="a published need takes pledges this long; then it closes with what it has"
    )
    min_pledge_vnd: int = Field(10_000, ge=1000)
    pledge_transfer_within: timedelta = Field(
        timedelta(hours=24),
        description="a pledge not reported paid within this expires and its amount is offered again",
    )
    confirm_reminder_after: timedelta = Field(timedelta(hours=24), description="after the helper says they paid")
    confirm_ward_after: timedelta = Field(
        timedelta(hours=72), description="a household that has not confirmed by then: the ward is asked"
    )
    # A helper whose pledges keep expiring is slowed, then flagged to the city.
    helper_expiries_to_slow: int = Field(2, ge=1)
    helper_expiries_to_flag: int = Field(3, ge=1)
    helper_slowed_for: timedelta = timedelta(hours=24)
    # An account number that receives for this many unrelated households is shown to their wards.
    shared_account_households: int = Field(3, ge=2)
    # A withdrawn need waits for its live pledges to end, told by their workflows; it also looks again this often,
    # so a lost word cannot keep it open.
    support_recheck_every: timedelta = Field(timedelta(hours=6), gt=timedelta(0))

    @model_validator(mode="after")
    def _timers_in_order(self) -> "CashPolicy":
        if not self.confirm_reminder_after < self.confirm_ward_after:
            raise ValueError("the confirmation reminder comes before the ward is asked")
        if self.helper_expiries_to_slow > self.helper_expiries_to_flag:
            raise ValueError("a helper is slowed before being flagged")
        if self.min_pledge_vnd > self.max_amount_vnd:
            raise ValueError("the smallest pledge cannot be larger than the largest need")
        return self


CASH_POLICY = CashPolicy()


def grouped(amount: int, lang: Lang = "vi") -> str:
    """An amount's digits grouped as the reader writes them: 1.500.000 in Vietnamese, 1,500,000 in English."""
    return f"{amount:,}".replace(",", ".") if lang == "vi" else f"{amount:,}"


def vnd(amount: int, lang: Lang = "vi") -> str:
    """An amount with its currency as the reader writes it ("money.vnd": 1.500.000 đ, VND 1,500,000). Pure: the
    catalogue's words without the city's facts, so workflow code may call it."""
    return CATALOGUE["money.vnd"][LANGS.index(lang)].format(amount=grouped(amount, lang))


class CashNeedRequest(BaseModel):
    """What a household asks and where the money goes, as the workflow carries it (encrypted in its payloads by
    the payload codec, like the applicant's phone) to the admission step that writes the need."""

    model_config = ConfigDict(frozen=True)

    amount_vnd: int = Field(gt=0)
    situation: SituationCategory
    payout_method: PayoutMethod
    bank_bin: str
    account_number: str
    holder_name: str
    consent_to_publish: bool
    policy: CashPolicy = Field(default_factory=CashPolicy)
