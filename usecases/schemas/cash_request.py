"""A cash request's need as its household and its ward read it."""

from pydantic import BaseModel, Field

from domain.cash import NeedState, PayoutMethod, SituationCategory


class CashNeedView(BaseModel):
    amount_asked_vnd: int
    amount_pledged_vnd: int = Field(description="live and confirmed pledges: money coming or arrived")
    amount_confirmed_vnd: int = Field(description="what the household confirmed it received")
    situation: SituationCategory
    payout_method: PayoutMethod
    bank_name: str
    account_masked: str = Field(description="the account number's last four digits only")
    holder_name: str
    holder_matches_applicant: bool
    state: NeedState
    public_ref: str | None = Field(None, description="the published need's public reference")
    # For officials: the account receives for this many households (flagged at the policy's threshold).
    households_on_account: int | None = None
    shared_account_flagged: bool = False


class RevealedAccount(BaseModel):
    account_number: str
    holder_name: str
