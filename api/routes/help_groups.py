"""Help groups: a signed-in helper registers their group and reads its state; district officials (and the city)
verify, refuse or suspend the groups in their districts; anyone searches the directory of verified groups. Thin
adapters over usecases/community/help_groups.py."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api.deps import CurrentPrincipal, UseCases
from domain.help_groups import GroupKind, HelpKind
from usecases.community import help_groups
from usecases.relief.work_lists import Page
from usecases.schemas.help_groups import (
    DecisionAnswer,
    HelpGroupCard,
    HelpGroupDirectory,
    HelpGroupForReview,
    HelpGroupRegistration,
    OwnHelpGroup,
    SuspensionBody,
    VerificationBody,
)

router = APIRouter(tags=["help groups"])

GroupCode = Annotated[str, Path(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")]
Code = Annotated[str | None, Query(max_length=16, pattern=r"^[0-9]*$")]


@router.post("/help-groups", response_model=OwnHelpGroup, status_code=status.HTTP_201_CREATED)
async def register(body: HelpGroupRegistration, principal: CurrentPrincipal, ctx: UseCases) -> OwnHelpGroup:
    """The signed-in helper's phone becomes the group's account; the group waits for a district official."""
    return await help_groups.register(ctx, principal, body)


@router.get("/helper/help-group", response_model=OwnHelpGroup)
async def own_group(principal: CurrentPrincipal, ctx: UseCases) -> OwnHelpGroup:
    """The group this helper acts for: pending, verified, refused (with the reason) or suspended."""
    return await help_groups.own_group(ctx, principal)


@router.get("/help-groups", response_model=HelpGroupDirectory)
async def directory(
    ctx: UseCases,
    district: Code = None,
    ward: Code = None,
    kind: GroupKind | None = None,
    help_kind: HelpKind | None = None,
    open_now: bool = False,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> HelpGroupDirectory:
    """Verified groups, by name: in a district or covering a ward, of a kind, offering a kind of help, open now in
    the city's time, or whose name holds the words of `q` (diacritics optional)."""
    return await help_groups.search(
        ctx, Page(limit=limit, offset=offset), district=district, ward=ward, kind=kind, help_kind=help_kind,
        open_now=open_now, text=q,
    )  # fmt: skip


@router.get("/help-groups/{group_code}", response_model=HelpGroupCard)
async def group_page(group_code: GroupCode, ctx: UseCases) -> HelpGroupCard:
    """A verified group's public page (a pending, refused or suspended one is not found)."""
    return await help_groups.public_page(ctx, group_code)


@router.get("/official/help-groups", response_model=list[HelpGroupForReview])
async def review_queue(principal: CurrentPrincipal, ctx: UseCases) -> list[HelpGroupForReview]:
    """Pending groups with coverage in the official's district, then the verified ones (with the contact phone,
    each reading audited)."""
    return await help_groups.review_queue(ctx, principal)


@router.post("/help-groups/{group_code}/verification", response_model=DecisionAnswer)
async def verify(
    group_code: GroupCode, body: VerificationBody, principal: CurrentPrincipal, ctx: UseCases
) -> DecisionAnswer:
    """`approve` true: verified, in the directory; false: refused with a `reason`. Once."""
    return await help_groups.verify(ctx, principal, group_code, body)


@router.post("/help-groups/{group_code}/suspension", response_model=DecisionAnswer)
async def suspend(
    group_code: GroupCode, body: SuspensionBody, principal: CurrentPrincipal, ctx: UseCases
) -> DecisionAnswer:
    """A verified group leaves the directory at once, with the reason it reads."""
    return await help_groups.suspend(ctx, principal, group_code, body)
