"""Telling the requests that wait for a bag in a ward that bags came to its distribution point.

Call it after the transaction that assembled (or moved) the bags has committed: each waiting request checks the
ward point's stock at once, oldest first, instead of at its next re-check (policy `stock_recheck_every`), which
stays the backstop for a signal that never came. A request that finds no bag left keeps waiting; a repeated
signal repeats only the check, so the signal needs no key and nobody's action is involved.
"""

from sqlalchemy import select
from temporalio.client import Client
from temporalio.service import RPCError

from db.base import transaction
from db.requests import ReliefRequest
from domain import names
from domain.messages import StockArrival
from domain.stages import Stage
from services.supply_seed import ward_point_code
from workflows.relief_request import ReliefRequestWorkflow


async def waiting_requests(ward_code: str) -> list[str]:
    """The codes of the ward's requests waiting for stock, oldest registration first."""
    async with transaction() as session:
        rows = await session.scalars(
            select(ReliefRequest.code)
            .where(ReliefRequest.ward_code == ward_code, ReliefRequest.stage == Stage.AWAITING_STOCK.value)
            .order_by(ReliefRequest.registered_at, ReliefRequest.code)
        )
        return list(rows.all())


async def signal_waiting_requests(client: Client, ward_code: str) -> int:
    """Signals each of the ward's requests waiting for stock, oldest first; returns how many were told. A request
    that closed meanwhile is skipped (its re-check timer would have found the bags anyway)."""
    arrival = StockArrival(place_code=ward_point_code(ward_code))
    told = 0
    for code in await waiting_requests(ward_code):
        handle = client.get_workflow_handle_for(ReliefRequestWorkflow.run, names.workflow_id(code))
        try:
            await handle.signal(ReliefRequestWorkflow.stock_arrived, arrival)
        except RPCError:  # closed since the read: nothing waits there any more
            continue
        told += 1
    return told
