"""The delivery's blocks of a request's page: for the courier out delivering, the address, the call button and
the map; for officials and supervisors, the review mark of a delivery to someone outside the household."""

from typing import Any

from domain.roles import Role
from domain.stages import Stage
from texts import text
from usecases.context import Context
from usecases.principal import Principal
from usecases.relief import delivery_reads
from usecases.schemas.status import RequestStatus

# What a courier may say the recipient is to the household (stored as said, in Vietnamese); "other" asks for a reason.
RELATIONSHIPS = ("spouse", "child", "parent", "sibling", "neighbour", "group_head", "other")


def stated_recipient(relationship: str, reason: str) -> str:
    """One line for the ledger from the form's choice and note: "hàng xóm; chị Lan" or just the reason."""
    chosen = text("vi", f"relationship.{relationship}") if relationship in RELATIONSHIPS[:-1] else ""
    return "; ".join(part for part in (chosen, reason.strip()) if part)


async def delivery_blocks(ctx: Context, principal: Principal, view: RequestStatus) -> dict[str, Any]:
    contact = None
    if principal.role == Role.COURIER and view.stage == Stage.OUT_FOR_DELIVERY:
        contact = await delivery_reads.recipient_contact(ctx, principal, view.code)
    review = await delivery_reads.delivery_review(ctx, principal, view.code)
    return {"contact": contact, "review": review, "relationships": RELATIONSHIPS}
