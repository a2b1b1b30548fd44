"""Private messages about a cash pledge, between the household and the helper, and the ward's moderation of
reported threads. Thin adapters over usecases/community/messages.py."""

from fastapi import APIRouter, status

from api.deps import CurrentPrincipal, UseCases
from api.params import RequestCode
from domain.private_messages import SubjectKind
from usecases.community import messages
from usecases.schemas.private_messages import (
    ConsentBody,
    MessageBody,
    ModeratedThread,
    ModerationBody,
    ReportBody,
    ReportedThread,
    ThreadView,
)

router = APIRouter(tags=["private messages"])

PledgeCode = RequestCode
PLEDGE = SubjectKind.PLEDGE


@router.get("/pledges/{pledge_code}/messages", response_model=ThreadView)
async def pledge_thread(pledge_code: PledgeCode, principal: CurrentPrincipal, ctx: UseCases) -> ThreadView:
    """The household's or the helper's conversation about the pledge; the other's phone only once both agree."""
    return await messages.thread(ctx, principal, PLEDGE, pledge_code)


@router.post("/pledges/{pledge_code}/messages", response_model=ThreadView, status_code=status.HTTP_201_CREATED)
async def post_message(
    pledge_code: PledgeCode, body: MessageBody, principal: CurrentPrincipal, ctx: UseCases
) -> ThreadView:
    """A message to the other side (rate-limited; the other side is told, without the text)."""
    return await messages.post(ctx, principal, PLEDGE, pledge_code, body)


@router.post("/pledges/{pledge_code}/messages/phone-consent", response_model=ThreadView)
async def phone_consent(
    pledge_code: PledgeCode, body: ConsentBody, principal: CurrentPrincipal, ctx: UseCases
) -> ThreadView:
    """`share` true: show my number to the other side once they agree too; false withdraws it."""
    return await messages.consent(ctx, principal, PLEDGE, pledge_code, body)


@router.post("/pledges/{pledge_code}/messages/block", response_model=ThreadView)
async def block(pledge_code: PledgeCode, principal: CurrentPrincipal, ctx: UseCases) -> ThreadView:
    """No more messages either way."""
    return await messages.block(ctx, principal, PLEDGE, pledge_code)


@router.post("/pledges/{pledge_code}/messages/report", response_model=ThreadView)
async def report(pledge_code: PledgeCode, body: ReportBody, principal: CurrentPrincipal, ctx: UseCases) -> ThreadView:
    """Sends the conversation to the ward's moderators, with the reason."""
    return await messages.report(ctx, principal, PLEDGE, pledge_code, body)


@router.get("/moderation/threads", response_model=list[ReportedThread])
async def reported(principal: CurrentPrincipal, ctx: UseCases) -> list[ReportedThread]:
    """The ward's reported conversations awaiting a decision."""
    return await messages.reported(ctx, principal)


@router.get("/moderation/pledges/{pledge_code}/messages", response_model=ModeratedThread)
async def moderated_thread(pledge_code: PledgeCode, principal: CurrentPrincipal, ctx: UseCases) -> ModeratedThread:
    """A reported conversation of the official's ward (each reading audited)."""
    return await messages.moderated_thread(ctx, principal, PLEDGE, pledge_code)


@router.post("/moderation/pledges/{pledge_code}/messages/decision", response_model=ModeratedThread)
async def moderate(
    pledge_code: PledgeCode, body: ModerationBody, principal: CurrentPrincipal, ctx: UseCases
) -> ModeratedThread:
    """`outcome`: closed (no more messages) or cleared (the conversation goes on)."""
    return await messages.moderate(ctx, principal, PLEDGE, pledge_code, body)
