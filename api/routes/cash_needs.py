"""Published cash needs: public, no sign-in, nothing that identifies a household."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import UseCases
from usecases.cash import published_needs
from usecases.relief.work_lists import Page
from usecases.schemas.cash_needs import PublishedNeedCard, PublishedNeedsPage
from usecases.schemas.text import CODE_PATTERN

router = APIRouter(prefix="/cash-needs", tags=["cash support"])

PublicRef = Annotated[str, Path(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")]


@router.get("", response_model=PublishedNeedsPage)
async def published(
    ctx: UseCases,
    district: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    order: Annotated[Literal["oldest"], Query(description="oldest first: nobody is left out")] = "oldest",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> PublishedNeedsPage:
    """Needs verified by their ward and published with the household's consent, oldest first."""
    return await published_needs.oldest_first(ctx, district, Page(limit=limit, offset=offset))


@router.get("/{public_ref}", response_model=PublishedNeedCard)
async def need(public_ref: PublicRef, ctx: UseCases) -> PublishedNeedCard:
    return await published_needs.one(ctx, public_ref)
