"""A destination's need as the allocation round computes it, with the parts it was computed from, so the page
can show how each figure came about (issue 23: "need, computed, not guessed").

A district warehouse's need is counted in food bags first (one per household): requests of its wards approved
and waiting in `awaiting_stock`, registry households not reached within the entitlement window and with no
request open, and requests open ahead of the bag (registered, being verified). Bags become items through the
kit's lines. An institution's need is its latest proposal. From either, what is on hand at the place (and, for a
district, at its wards' points) and what is in transit to it are taken away. Pure: the database work is
services/allocation_need.py.
"""

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.supply import PlaceKind


class NeedPartKind(StrEnum):
    AWAITING_STOCK = "awaiting_stock"  # bags: approved requests waiting for a bag at their ward's point
    UNREACHED = "unreached"  # bags: registry households with no delivery within the window and no open request
    AHEAD = "ahead"  # bags: requests open but not yet holding a bag (registered, being verified)
    PROPOSAL = "proposal"  # units: what an institution's latest report proposes
    ON_HAND = "on_hand"  # units: loose stock, and free bags' contents, already at the place
    IN_TRANSIT = "in_transit"  # units: dispatched to the place by a shipment and not yet received


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NeedPart(_Frozen):
    kind: NeedPartKind
    quantity: Decimal  # bags for the bag parts, the item's units for the others
    note: str = ""  # e.g. the ward, or the proposal's day and reason
    days: int | None = None  # a proposal's: the days its quantity is for (the page says them in the reader's words)


class ItemNeed(_Frozen):
    item_code: str
    gross: Decimal  # bags × the kit's line, or the proposal
    on_hand: Decimal
    in_transit: Decimal
    daily_use: float = Field(gt=0)
    parts: tuple[NeedPart, ...] = ()  # the item-level parts (proposal, on hand, in transit)

    @property
    def net(self) -> Decimal:
        return max(Decimal(0), self.gross - self.on_hand - self.in_transit)


class DestinationNeed(_Frozen):
    place_code: str
    kind: PlaceKind
    district_code: str
    households: int = Field(ge=1)  # bags counted (a district) or 1 (an institution's need is in its units)
    waited_days: int = Field(ge=0)  # the longest a household of it has waited in awaiting_stock
    bag_parts: tuple[NeedPart, ...] = ()  # how many bags, and why
    items: tuple[ItemNeed, ...] = ()

    @property
    def bags(self) -> Decimal:
        return sum((p.quantity for p in self.bag_parts), Decimal(0))


def bag_item_needs(
    bags: Decimal,
    kit: dict[str, Decimal],
    on_hand: dict[str, Decimal],
    in_transit: dict[str, Decimal],
    horizon_days: int,
) -> tuple[ItemNeed, ...]:
    """A district's bags as items: each kit line times the bags, less what is there or on the way (both already
    counted in the item's units, free bags' contents included). Used evenly over the horizon."""
    needs = []
    for item_code, per_bag in sorted(kit.items()):
        gross = bags * per_bag
        if gross <= 0:
            continue
        here, coming = on_hand.get(item_code, Decimal(0)), in_transit.get(item_code, Decimal(0))
        needs.append(
            ItemNeed(
                item_code=item_code,
                gross=gross,
                on_hand=here,
                in_transit=coming,
                daily_use=float(gross) / horizon_days,
                parts=_stock_parts(here, coming),
            )
        )
    return tuple(needs)


def proposal_item_need(
    item_code: str, proposals: list[NeedPart], days: int, on_hand: Decimal, in_transit: Decimal
) -> ItemNeed:
    """An institution's item: its proposal lines, less what is there or on the way; used over the proposal's days."""
    gross = sum((p.quantity for p in proposals), Decimal(0))
    return ItemNeed(
        item_code=item_code,
        gross=gross,
        on_hand=on_hand,
        in_transit=in_transit,
        daily_use=max(float(gross) / days, 1e-6),
        parts=(*proposals, *_stock_parts(on_hand, in_transit)),
    )


def _stock_parts(on_hand: Decimal, in_transit: Decimal) -> tuple[NeedPart, ...]:
    parts = []
    if on_hand > 0:
        parts.append(NeedPart(kind=NeedPartKind.ON_HAND, quantity=on_hand))
    if in_transit > 0:
        parts.append(NeedPart(kind=NeedPartKind.IN_TRANSIT, quantity=in_transit))
    return tuple(parts)
