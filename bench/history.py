"""History events per request: what one lifecycle costs Temporal, by event type."""

from collections import Counter

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from domain.names import workflow_id


async def events_per_request(client: Client, codes: list[str]) -> dict[str, object]:
    totals: Counter[str] = Counter()
    lengths = []
    for code in codes:
        history = await client.get_workflow_handle(workflow_id(code)).fetch_history()
        lengths.append(len(history.events))
        for event in history.events:
            totals[EventType.Name(event.event_type).removeprefix("EVENT_TYPE_")] += 1
    n = max(len(codes), 1)
    return {
        "sampled": len(codes),
        "events_per_request": round(sum(lengths) / n, 1),
        "by_type": {k: round(v / n, 2) for k, v in totals.most_common()},
    }
