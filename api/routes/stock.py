"""Stock: warehouse staff's actions at their own place, the stock by place for officials, and the public's totals.

Every action takes an Idempotency-Key header: the same key again moves nothing and answers with the first one's
movements."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
from usecases.schemas.stock import (
    AssemblyBody,
    CountBody,
    IssueBody,
    PlaceDetail,
    PublicStockTotals,
    StockActionResult,
    StockOverview,
    TransferBody,
    WriteOffBody,
)
from usecases.schemas.text import CODE_PATTERN
from usecases.supply import stock, stock_views

router = APIRouter(prefix="/stock", tags=["stock"])

PlaceCode = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]


@router.get("", response_model=StockOverview)
async def overview(
    principal: CurrentPrincipal,
    ctx: UseCases,
    district_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    near_expiry_days: Annotated[int, Query(ge=0, le=90)] = stock_views.NEAR_EXPIRY_DAYS,
) -> StockOverview:
    """Each place in scope by item (on hand, reserved, free) with its days of cover, and the lots near expiry."""
    return await stock_views.overview(ctx, principal, district_code, near_expiry_days)


@router.get("/public", response_model=PublicStockTotals)
async def public_totals(ctx: UseCases) -> PublicStockTotals:
    """Received, distributed, on hand and spoiled, by item and by district; no sign-in, no personal data."""
    return await stock_views.public_totals(ctx)


@router.get("/places/{place_code}", response_model=PlaceDetail)
async def place(place_code: PlaceCode, principal: CurrentPrincipal, ctx: UseCases) -> PlaceDetail:
    return await stock_views.place(ctx, principal, place_code)


@router.post("/places/{place_code}/assemblies", response_model=StockActionResult)
async def assemble(
    place_code: PlaceCode, body: AssemblyBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> StockActionResult:
    """Food bags from this place's stock, first expiry first: all of them or none."""
    return await stock.assemble(ctx, principal, place_code, body, key)


@router.post("/places/{place_code}/counts", response_model=StockActionResult)
async def count(
    place_code: PlaceCode, body: CountBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> StockActionResult:
    return await stock.count(ctx, principal, place_code, body, key)


@router.post("/places/{place_code}/write-offs", response_model=StockActionResult)
async def write_off(
    place_code: PlaceCode, body: WriteOffBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> StockActionResult:
    return await stock.write_off(ctx, principal, place_code, body, key)


@router.post("/places/{place_code}/transfers", response_model=StockActionResult)
async def transfer(
    place_code: PlaceCode, body: TransferBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> StockActionResult:
    return await stock.transfer(ctx, principal, place_code, body, key)


@router.post("/places/{place_code}/issues", response_model=StockActionResult)
async def issue(
    place_code: PlaceCode, body: IssueBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> StockActionResult:
    return await stock.issue(ctx, principal, place_code, body, key)
