"""The peak day's supply: every ward's distribution point stocked from donations before the day, and afterwards
every delivered bag traced back to the donation lines it was made of, with the ledger's balances checked."""

from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.population import Household
from services import stock_ledger
from services.bag_trace import trace_issued_bags
from services.supply_demo import stock_ward_point


async def stock_wards(database_url: str, households: list[Household], spare: float = 0.2) -> int:
    """Bags at each ward's point for its households and a spare share (repeats are refused, not served); the goods
    arrive as one donation per ward, received whole. Returns the bags made."""
    per_ward = Counter(h.ward.code for h in households)
    expires_on = date.today() + timedelta(days=5)  # the kit's vegetables: a bag lives about five days
    engine = create_async_engine(database_url)
    made = 0
    try:
        for ward_code, wanted in sorted(per_ward.items()):
            bags = wanted + max(1, int(wanted * spare))
            async with AsyncSession(engine) as session, session.begin():
                await stock_ward_point(session, f"bench-{ward_code}", ward_code, bags, expires_on)
            made += bags
    finally:
        await engine.dispose()
    return made


async def audit(database_url: str, delivered: int) -> dict[str, Any]:
    """Every delivered bag issued from stock and traced to donation lines; every balance equal to its movements."""
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            trace = await trace_issued_bags(session)
            discrepancies = await stock_ledger.discrepancies(session)
    finally:
        await engine.dispose()
    return {
        "delivered": delivered,
        "bags_issued": trace.issued,
        "bags_traced_to_donations": trace.traced,
        "untraced_requests": list(trace.untraced_requests),
        "ledger_discrepancies": len(discrepancies),
        "every_bag_traced": trace.issued == delivered == trace.traced and not discrepancies,
    }
