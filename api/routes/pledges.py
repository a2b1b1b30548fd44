"""Cash pledges: helpers sign in by phone, pledge to a published need, read their pledge (with the account and
VietQR payload while unpaid), say they paid or release it; the household says whether the money arrived; the ward
decides disputes. Thin adapters over usecases/cash/."""

from fastapi import APIRouter, Request, status

from api.deps import CurrentPrincipal, UseCases
from api.errors import request_lang
from api.params import NeedRef, RequestCode
from domain.pledges import PledgeAnswer
from usecases.cash import helper_sign_in, pledges
from usecases.schemas.citizen import OtpSent
from usecases.schemas.lists import TokenAnswer
from usecases.schemas.pledges import (
    HelperCodeRequest,
    HelperPledge,
    HelperSignIn,
    PledgeBody,
    PledgeView,
    WardDecisionBody,
    WardPledge,
)

router = APIRouter(tags=["pledges"])

PledgeCode = RequestCode


@router.post("/helper/otp", response_model=OtpSent, status_code=status.HTTP_202_ACCEPTED)
async def send_helper_code(body: HelperCodeRequest, ctx: UseCases, request: Request) -> OtpSent:
    """A one-time code to the phone of someone who wants to help (no registration needed first)."""
    return await helper_sign_in.send_code(ctx, body, request_lang(request))


@router.post("/helper/otp/verification", response_model=TokenAnswer)
async def helper_sign_in_with_code(body: HelperSignIn, ctx: UseCases) -> TokenAnswer:
    """The code, and the name households see (a person's or a help group's, `kind`): a helper's token."""
    return await helper_sign_in.verify_code(ctx, body)


@router.post("/cash-needs/{need_ref}/pledges", response_model=HelperPledge, status_code=status.HTTP_201_CREATED)
async def pledge(
    request: Request, need_ref: NeedRef, body: PledgeBody, principal: CurrentPrincipal, ctx: UseCases
) -> HelperPledge:
    """Pledges whole VND to a published need: at least the policy's smallest pledge, at most what remains. The
    helper's messages about it are written in the Accept-Language's language (Vietnamese when it names neither)."""
    return await pledges.pledge(ctx, principal, need_ref, body, request_lang(request))


@router.get("/helper/pledges", response_model=list[PledgeView])
async def my_pledges(principal: CurrentPrincipal, ctx: UseCases) -> list[PledgeView]:
    return await pledges.my_pledges(ctx, principal)


@router.get("/helper/pledges/{pledge_code}", response_model=HelperPledge)
async def my_pledge(pledge_code: PledgeCode, principal: CurrentPrincipal, ctx: UseCases) -> HelperPledge:
    """The pledge; while unpaid, the account to pay and the VietQR payload (each reading is audited)."""
    return await pledges.my_pledge(ctx, principal, pledge_code)


@router.post("/helper/pledges/{pledge_code}/transfer", response_model=PledgeAnswer)
async def report_transferred(pledge_code: PledgeCode, principal: CurrentPrincipal, ctx: UseCases) -> PledgeAnswer:
    """The helper says they paid: the household is asked to confirm."""
    return await pledges.report_transferred(ctx, principal, pledge_code)


@router.post("/helper/pledges/{pledge_code}/release", response_model=PledgeAnswer)
async def release(pledge_code: PledgeCode, principal: CurrentPrincipal, ctx: UseCases) -> PledgeAnswer:
    """The helper withdraws an unpaid pledge: its amount is offered again."""
    return await pledges.release(ctx, principal, pledge_code)


@router.post("/citizen/pledges/{pledge_code}/confirmation", response_model=PledgeAnswer)
async def household_answer(
    pledge_code: PledgeCode, body: WardDecisionBody, principal: CurrentPrincipal, ctx: UseCases
) -> PledgeAnswer:
    """The household: `arrived` true (the money is there) or false (not arrived: the ward looks into it)."""
    return await pledges.household_answer(ctx, principal, pledge_code, body.arrived, body.note)


@router.get("/cash/pledges/awaiting-ward", response_model=list[WardPledge])
async def awaiting_ward(principal: CurrentPrincipal, ctx: UseCases) -> list[WardPledge]:
    """Disputed pledges, and pledges paid but not confirmed, in the official's place."""
    return await pledges.awaiting_ward(ctx, principal)


@router.post("/cash/pledges/{pledge_code}/resolution", response_model=PledgeAnswer)
async def resolve(
    pledge_code: PledgeCode, body: WardDecisionBody, principal: CurrentPrincipal, ctx: UseCases
) -> PledgeAnswer:
    """The ward's decision: the money arrived (confirmed), or never did (released, the amount offered again)."""
    return await pledges.resolve(ctx, principal, pledge_code, body)
