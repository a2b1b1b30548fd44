"""After the proof of delivery: the household may say "Tôi chưa nhận được túi" within a window, which marks the
delivery for the ward's review; the ward records what it found on any delivery marked for review (this, or a
recipient outside the household), and the household reads the answer on its request."""

from datetime import UTC, datetime, timedelta

from domain.refusals import RefusalKind
from domain.roles import Role
from domain.stages import RequestKind, Stage
from services import delivery_findings
from texts import Text
from usecases.access import visible_request
from usecases.context import Context
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.delivery import HouseholdDeliveryWord


def _refused(code: str) -> ActionRefused:
    return ActionRefused(RefusalKind.WRONG_STAGE, Text(f"err.{code}"))


async def household_word(ctx: Context, principal: Principal, code: str) -> HouseholdDeliveryWord | None:
    """For the household of a delivered bag: whether it may still say it never came, and what it said and the
    ward found (None for anyone else, and for requests without a delivered bag)."""
    if principal.role != Role.CITIZEN:
        return None
    record = await visible_request(ctx.session, principal, code)
    request = record.request
    if request.stage != Stage.DELIVERED.value or request.kind != RequestKind.FOOD_BAG.value:
        return None
    found = await delivery_findings.household_view(ctx.session, request.id)
    if found is None:
        return None
    say_by = found.delivered_at + timedelta(hours=ctx.settings.not_received_within_hours)
    return HouseholdDeliveryWord(
        may_say_not_received=found.not_received_at is None and datetime.now(UTC) < say_by,
        say_by=say_by,
        not_received_at=found.not_received_at,
        review_finding=found.review_finding,
        reviewed_at=found.reviewed_at,
    )


async def say_not_received(ctx: Context, principal: Principal, code: str, note: str | None) -> HouseholdDeliveryWord:
    """The household says its bag never came: the delivery waits for the ward's review. Refused (409) after the
    window, for anyone but the household, and a second time."""
    word = await household_word(ctx, principal, code) if principal.role == Role.CITIZEN else None
    if word is None:
        raise _refused("not_received_not_delivered")
    if word.not_received_at is not None:
        raise _refused("not_received_already_said")
    if not word.may_say_not_received:
        raise _refused("not_received_too_late")
    record = await visible_request(ctx.session, principal, code)
    if not await delivery_findings.say_not_received(ctx.session, record.request, note or None, datetime.now(UTC)):
        raise _refused("not_received_already_said")
    await ctx.auditor(principal).record("delivery_not_received", record.request)  # commits both, or neither
    found = await household_word(ctx, principal, code)
    assert found is not None
    return found


async def record_finding(ctx: Context, principal: Principal, code: str, received: bool, note: str | None) -> None:
    """The ward's finding on a delivery marked for review: by an official of the request's ward (or above, in
    scope). Refused (409) when nothing waits for review."""
    record = await visible_request(ctx.session, principal, code)
    if not principal.is_official or principal.user_id is None:
        raise ActionRefused(RefusalKind.OUT_OF_SCOPE, "only officials record a review's finding")
    at = datetime.now(UTC)
    if not await delivery_findings.record_finding(
        ctx.session, record.request.id, received, note or None, principal.user_id, at
    ):
        raise _refused("not_waiting_for_review")
    await ctx.auditor(principal).record(
        "delivery_reviewed", record.request, finding="received" if received else "not_received"
    )
