"""The community map's data: open and claimed emergencies at their public, approximate points, clustered for the
viewport on the server (services/map_clusters.py).

Every request is answered from a snapshot of the public rows held in this process and read again once it is
`MAP_SNAPSHOT_MAX_AGE` old: 100 phones a second moving their maps cost one query every few seconds, not 100. A
claim shows on the map within that age; the list and each emergency's page read the database directly.
"""

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from services import emergency_reads
from services.map_clusters import BBox, MapFilter, MapIndex
from usecases.context import Context
from usecases.schemas.emergency_map import MapAnswer, MapCluster, MapPointOut, MapQuery

MAP_SNAPSHOT_MAX_AGE = 5.0  # seconds


@dataclass(frozen=True)
class _Snapshot:
    read_at: float  # monotonic
    as_of: datetime
    index: MapIndex


_snapshot: _Snapshot | None = None
_reading = asyncio.Lock()


async def view(ctx: Context, query: MapQuery) -> MapAnswer:
    snapshot = await _current(ctx)
    answer = snapshot.index.view(
        BBox(query.west, query.south, query.east, query.north),
        query.zoom,
        MapFilter(
            categories=frozenset(c.value for c in query.categories),
            urgencies=frozenset(u.value for u in query.urgencies),
            max_age_minutes=None if query.max_age_hours is None else query.max_age_hours * 60,
            unclaimed_only=query.unclaimed_only,
        ),
        datetime.now(UTC),
    )
    return MapAnswer(
        clusters=[
            MapCluster(
                latitude=c.latitude,
                longitude=c.longitude,
                count=c.count,
                point=None
                if c.point is None
                else MapPointOut(
                    code=c.point.code,
                    category=c.point.category,
                    urgency=c.point.urgency,
                    opened_at=c.point.opened_at,
                    claimed=c.point.claimed,
                ),
            )
            for c in answer.clusters
        ],
        matching=answer.matching,
        total=answer.total,
        as_of=snapshot.as_of,
    )


async def _current(ctx: Context) -> _Snapshot:
    """The snapshot, read again when it is too old. One reader at a time: the others keep answering from the
    one they have (or wait for the first)."""
    global _snapshot
    held = _snapshot
    if held is not None and time.monotonic() - held.read_at < MAP_SNAPSHOT_MAX_AGE:
        return held
    if held is not None and _reading.locked():
        return held
    async with _reading:
        if _snapshot is not None and time.monotonic() - _snapshot.read_at < MAP_SNAPSHOT_MAX_AGE:
            return _snapshot
        as_of = datetime.now(UTC)
        rows = await emergency_reads.map_points(ctx.session)
        _snapshot = _Snapshot(time.monotonic(), as_of, MapIndex(rows))
        return _snapshot
