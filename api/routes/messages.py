"""Private messages about a cash pledge, between the household and the helper, and about an emergency, between its
poster (by the follow link's token `t`) and the helper who claimed it; the ward's moderation of reported threads.
Thin adapters over usecases/community/messages.py."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import CurrentPrincipal, MaybePrincipal, UseCases
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
EmergencyCode = RequestCode
PLEDGE = SubjectKind.PLEDGE
EMERGENCY = SubjectKind.EMERGENCY
# The poster's follow link's token; without it the caller's session must be the helper who claimed the emergency.
FollowLink = Annotated[str, Query(max_length=100, description="the poster's follow link's token")]


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


@router.get("/emergencies/{emergency_code}/messages", response_model=ThreadView)
async def emergency_thread(
    emergency_code: EmergencyCode, principal: MaybePrincipal, ctx: UseCases, t: FollowLink = ""
) -> ThreadView:
    """The poster's (`t`) or the claiming helper's conversation about the emergency; closed for new messages once
    the claim is released or the emergency ends."""
    caller = messages.emergency_caller(ctx, principal, emergency_code, t)
    return await messages.thread(ctx, caller, EMERGENCY, emergency_code)


@router.post("/emergencies/{emergency_code}/messages", response_model=ThreadView, status_code=status.HTTP_201_CREATED)
async def post_emergency_message(
    emergency_code: EmergencyCode, body: MessageBody, principal: MaybePrincipal, ctx: UseCases, t: FollowLink = ""
) -> ThreadView:
    """A message to the other side (rate-limited; the other side is told, without the text)."""
    caller = messages.emergency_caller(ctx, principal, emergency_code, t)
    return await messages.post(ctx, caller, EMERGENCY, emergency_code, body)


@router.post("/emergencies/{emergency_code}/messages/phone-consent", response_model=ThreadView)
async def emergency_phone_consent(
    emergency_code: EmergencyCode, body: ConsentBody, principal: MaybePrincipal, ctx: UseCases, t: FollowLink = ""
) -> ThreadView:
    """`share` true: show my number to the other side once they agree too; false withdraws it."""
    caller = messages.emergency_caller(ctx, principal, emergency_code, t)
    return await messages.consent(ctx, caller, EMERGENCY, emergency_code, body)


@router.post("/emergencies/{emergency_code}/messages/block", response_model=ThreadView)
async def emergency_block(
    emergency_code: EmergencyCode, principal: MaybePrincipal, ctx: UseCases, t: FollowLink = ""
) -> ThreadView:
    """No more messages either way."""
    caller = messages.emergency_caller(ctx, principal, emergency_code, t)
    return await messages.block(ctx, caller, EMERGENCY, emergency_code)


@router.post("/emergencies/{emergency_code}/messages/report", response_model=ThreadView)
async def emergency_report(
    emergency_code: EmergencyCode, body: ReportBody, principal: MaybePrincipal, ctx: UseCases, t: FollowLink = ""
) -> ThreadView:
    """Sends the conversation to the emergency's ward's moderators, with the reason."""
    caller = messages.emergency_caller(ctx, principal, emergency_code, t)
    return await messages.report(ctx, caller, EMERGENCY, emergency_code, body)


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


@router.get("/moderation/emergencies/{emergency_code}/messages", response_model=ModeratedThread)
async def moderated_emergency_thread(
    emergency_code: EmergencyCode, principal: CurrentPrincipal, ctx: UseCases
) -> ModeratedThread:
    """A reported conversation about an emergency of the official's ward (each reading audited)."""
    return await messages.moderated_thread(ctx, principal, EMERGENCY, emergency_code)


@router.post("/moderation/emergencies/{emergency_code}/messages/decision", response_model=ModeratedThread)
async def moderate_emergency(
    emergency_code: EmergencyCode, body: ModerationBody, principal: CurrentPrincipal, ctx: UseCases
) -> ModeratedThread:
    """`outcome`: closed (no more messages) or cleared (the conversation goes on)."""
    return await messages.moderate(ctx, principal, EMERGENCY, emergency_code, body)
