"""Published cash needs, for anyone without signing in: by district, oldest first, paginated."""

from datetime import UTC, datetime

from services import published_needs
from services.published_needs import PublishedNeed
from texts import Text
from usecases.context import Context
from usecases.errors import NotFound
from usecases.relief.work_lists import Page
from usecases.schemas.cash_needs import PublishedNeedCard, PublishedNeedsPage

NEED_PAGE = "/ho-tro-tien-mat/{ref}"
PLEDGE_PAGE = "/ho-tro-tien-mat/{ref}/cam-ket"  # the helper's pledge (the pledge pages')


async def oldest_first(ctx: Context, district_code: str | None, page: Page) -> PublishedNeedsPage:
    # One row more than the page tells whether another page follows.
    rows = await published_needs.oldest_first(ctx.session, district_code, page.limit + 1, page.offset)
    now = datetime.now(UTC)
    return PublishedNeedsPage(
        items=[card(row, now) for row in rows[: page.limit]],
        district_code=district_code,
        limit=page.limit,
        offset=page.offset,
        has_more=len(rows) > page.limit,
    )


async def one(ctx: Context, public_ref: str) -> PublishedNeedCard:
    """A published need by its reference; one no longer published is not found."""
    need = await published_needs.by_ref(ctx.session, public_ref.upper())
    if need is None:
        raise NotFound(Text("err.need_not_found"))
    return card(need, datetime.now(UTC))


def card(need: PublishedNeed, now: datetime) -> PublishedNeedCard:
    return PublishedNeedCard(
        public_ref=need.public_ref,
        ward_name=need.ward_name,
        district_name=need.district_name,
        household_size=need.household_size,
        situation=need.situation,
        amount_asked_vnd=need.amount_asked,
        amount_still_needed_vnd=need.amount_still_needed,
        days_waiting=need.days_waiting(now),
        pledge_url=PLEDGE_PAGE.format(ref=need.public_ref),
    )
