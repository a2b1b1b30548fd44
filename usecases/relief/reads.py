"""What people read about one request: its status and timeline, its messages, its workflow's own state, the
proof-of-delivery photo. Each read goes through the caller's scope; reads of personal data are audited first."""

import asyncio
from dataclasses import dataclass
from typing import Any

from temporalio.service import RPCError, RPCStatusCode

from domain import names
from services.photos import MEDIA_TYPES, photo_file
from services.request_reads import citizen_notifications, delivery_of, find_by_code
from services.staff import staff_names
from texts import Lang, Text
from usecases.access import can_see_delivery_photo, request_not_found, visible_request, visible_request_with_timeline
from usecases.context import Context
from usecases.errors import NotFound
from usecases.principal import Principal
from usecases.relief.views import SupportWindows, request_status, staff_ids, temporal_ui_url, with_households
from usecases.schemas.status import CitizenNotification, RequestStatus, WorkflowDetail
from workflows.relief_request import ReliefRequestWorkflow


async def status(ctx: Context, principal: Principal, code: str, lang: Lang) -> RequestStatus:
    """`lang`: the reader's, for the history's labels and the next step."""
    record, events = await visible_request_with_timeline(ctx.session, principal, code)
    names = await staff_names(ctx.session, staff_ids(record, events)) if principal.is_staff else None
    view = request_status(lang, principal, record, events, names)
    if principal.is_staff:  # staff see the applicant's name and masked phone, and the households
        await ctx.auditor(principal).record("read_applicant", record.request)
        windows = SupportWindows(ctx.settings.policy.entitlement_window, ctx.settings.cash_policy.entitlement_window)
        view = await with_households(ctx.session, view, record, windows)
    return view


async def notifications(ctx: Context, principal: Principal, code: str) -> list[CitizenNotification]:
    record = await visible_request(ctx.session, principal, code)
    return [
        CitizenNotification.model_validate(n, from_attributes=True)
        for n in await citizen_notifications(ctx.session, record.request.id)
    ]


def workflow_link(ctx: Context, code: str) -> str:
    """Where a supervisor sees the request's workflow in the Temporal UI."""
    return temporal_ui_url(ctx.settings.temporal_ui_url, ctx.temporal.namespace, names.workflow_id(code))


async def workflow_detail(ctx: Context, principal: Principal, code: str) -> WorkflowDetail:
    """The running workflow's own state (a query): the detail/debug view, with its Temporal UI link."""
    record = await visible_request(ctx.session, principal, code)
    workflow_id = names.workflow_id(record.request.code)
    handle = ctx.temporal.get_workflow_handle_for(ReliefRequestWorkflow.run, workflow_id)
    try:
        state = await handle.query(ReliefRequestWorkflow.state)
    except RPCError as err:
        if err.status != RPCStatusCode.NOT_FOUND:
            raise
        raise request_not_found(code) from None  # a request row whose workflow is gone (deleted by retention)
    await ctx.auditor(principal).record("read_workflow_state", record.request)
    dumped: dict[str, Any] = state.model_dump(mode="json")
    return WorkflowDetail(
        workflow_id=workflow_id, temporal_ui_url=workflow_link(ctx, record.request.code), state=dumped
    )


@dataclass(frozen=True)
class Photo:
    content: bytes
    media_type: str


async def delivery_photo(ctx: Context, principal: Principal, code: str) -> Photo:
    """The proof-of-delivery photo: for officials in scope and the courier who delivered."""
    record = await find_by_code(ctx.session, code)
    delivery = await delivery_of(ctx.session, record.request.id) if record is not None else None
    if record is None or delivery is None or not can_see_delivery_photo(principal, record.request, delivery.courier_id):
        raise request_not_found(code)
    path = photo_file(ctx.settings.photo_dir, delivery.photo_path) if delivery.photo_path else None
    if path is None:
        raise NotFound(Text("err.photo_no_longer_kept", code=code))
    await ctx.auditor(principal).record("read_delivery_photo", record.request)
    content = await asyncio.to_thread(path.read_bytes)
    return Photo(content, MEDIA_TYPES.get(path.suffix.removeprefix("."), "application/octet-stream"))
