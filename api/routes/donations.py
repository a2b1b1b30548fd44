"""Donations: donors announce and follow them without an account (the follow token), warehouse staff see what is
due at their place and record what arrived, officials read them. Thin adapters over usecases/supply/donations.py."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, status

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
from api.errors import request_lang
from api.params import RequestCode
from domain.donations import DonationAnswer
from usecases.schemas.donations import (
    DonationAnnounced,
    DonationForm,
    DonationSummary,
    DonationView,
    DonorCancellationForm,
    DonorFollow,
    ReceiptForm,
)
from usecases.supply import donations

router = APIRouter(tags=["donations"])

DonationCode = RequestCode
# In a header, not the URL: a token in a query string ends up in access logs.
FollowToken = Annotated[
    str | None, Header(alias="Donation-Token", max_length=100, description="the token the announcement answered")
]


@router.post("/donations", status_code=status.HTTP_201_CREATED, response_model=DonationAnnounced)
async def announce(request: Request, form: DonationForm, ctx: UseCases) -> DonationAnnounced:
    """A donor announces goods for a warehouse and a day; the answer's token opens the donation's page. The donor's
    messages are written in the Accept-Language's language (Vietnamese when it names neither)."""
    return await donations.announce(ctx, form, request_lang(request))


@router.get("/donations/due", response_model=list[DonationSummary])
async def due(principal: CurrentPrincipal, ctx: UseCases) -> list[DonationSummary]:
    """Announced donations expected at the caller's warehouse, the earliest day first."""
    return await donations.due(ctx, principal)


@router.get("/donations/{donation_code}", response_model=DonationView)
async def read(donation_code: DonationCode, principal: CurrentPrincipal, ctx: UseCases) -> DonationView:
    return await donations.read(ctx, principal, donation_code)


@router.post("/donations/{donation_code}/receipt", response_model=DonationAnswer)
async def receive(
    donation_code: DonationCode,
    form: ReceiptForm,
    principal: CurrentPrincipal,
    ctx: UseCases,
    key: IdempotencyKey = None,
) -> DonationAnswer:
    """Each line's count and inspection; the accepted lines become lots at the warehouse."""
    return await donations.receive(ctx, principal, donation_code, form, key)


@router.get("/donor/donations/{donation_code}", response_model=DonorFollow)
async def follow(donation_code: DonationCode, ctx: UseCases, token: FollowToken = None) -> DonorFollow:
    """The donor's view: the donation and where its goods went, by district and institution."""
    return await donations.follow(ctx, donation_code, token)


@router.post("/donor/donations/{donation_code}/cancellation", response_model=DonationAnswer)
async def cancel(donation_code: DonationCode, form: DonorCancellationForm, ctx: UseCases) -> DonationAnswer:
    return await donations.cancel(ctx, donation_code, form)
