"""The community's pages for cash needs, without signing in: the published needs by district, oldest first, and
one need with the button to pledge to it (the pledge pages are the helpers': /ho-tro-tien-mat/{ref}/cam-ket)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status

from api.deps import MaybePrincipal, UseCases
from texts import label
from usecases.cash import published_needs
from usecases.errors import NotFound
from usecases.identity import places
from usecases.relief.work_lists import Page
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

PER_PAGE = 20


@router.get("/ho-tro-tien-mat")
async def needs_page(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    quan: Annotated[str | None, Query(max_length=16, pattern=r"^[0-9]*$")] = None,
    trang: Annotated[int, Query(ge=1, le=5000)] = 1,
) -> Response:
    district = quan or None
    needs = await published_needs.oldest_first(ctx, district, Page(limit=PER_PAGE, offset=(trang - 1) * PER_PAGE))
    lang = current_lang(request)
    return render(
        request,
        "cash_needs.html",
        principal=principal,
        needs=needs,
        districts=await places.districts(ctx),
        district=district or "",
        page_number=trang,
        situation=lambda value: label(lang, "situation", value),
    )


@router.get("/ho-tro-tien-mat/{public_ref}")
async def need_page(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    public_ref: Annotated[str, Path(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")],
) -> Response:
    try:
        need = await published_needs.one(ctx, public_ref)
    except NotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND) from None
    lang = current_lang(request)
    return render(
        request,
        "cash_need.html",
        principal=principal,
        need=need,
        situation=lambda value: label(lang, "situation", value),
    )
