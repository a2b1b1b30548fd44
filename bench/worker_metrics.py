"""The workers' own account of a run, from their Temporal SDK metrics (each worker serves them at its
TEMPORAL_METRICS_ADDRESS): how often a workflow task found its workflow in the cache (a miss replays its
history), how often one was evicted, how long tasks waited in the queue and ran (a task's run includes its
local activities), and the worker's calls to Temporal per bag."""

from collections import defaultdict
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

# Counters a worker keeps, summed over its labels (task queue, workflow type) and over the workers. The parser
# names a counter's samples <name>_total.
_COUNTS = {
    "sticky_cache_hits": "temporal_sticky_cache_hit_total",
    "sticky_cache_misses": "temporal_sticky_cache_miss_total",
    "forced_evictions": "temporal_sticky_cache_total_forced_eviction_total",
    "workflow_tasks": "temporal_workflow_task_execution_latency_count",
    "workflow_task_failures": "temporal_workflow_task_execution_failed_total",
    "local_activities": "temporal_local_activity_execution_latency_count",
}
# Histograms (seconds) whose mean is worth a line: waiting in the queue, and running once picked up.
_MEANS_MS = {
    "workflow_task_schedule_to_start": "temporal_workflow_task_schedule_to_start_latency",
    "workflow_task_execution": "temporal_workflow_task_execution_latency",
    "local_activity_execution": "temporal_local_activity_execution_latency",
    "activity_schedule_to_start": "temporal_activity_schedule_to_start_latency",
}


async def scrape(addresses: list[str]) -> list[str]:
    """Each worker's metrics page; a worker that does not answer (killed, restarting) is left out."""
    pages = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        for address in addresses:
            try:
                async with http.get(f"http://{address}/metrics") as response:
                    pages.append(await response.text())
            except aiohttp.ClientError:
                continue
    return pages


def summarise(pages: list[str], delivered: int) -> dict[str, Any]:
    totals: defaultdict[str, float] = defaultdict(float)
    calls: defaultdict[str, float] = defaultdict(float)
    for page in pages:
        for family in text_string_to_metric_families(page):
            for sample in family.samples:
                totals[sample.name] += sample.value
                if sample.name == "temporal_request_total":
                    calls[sample.labels.get("operation", "?")] += sample.value
    per_bag = max(delivered, 1)
    frequent = {op: n for op, n in sorted(calls.items()) if n >= per_bag / 100}  # not start-up's one-off calls
    return {
        "workers_read": len(pages),
        **{key: int(totals[name]) for key, name in _COUNTS.items()},
        "mean_ms": {
            key: round(1000 * totals[f"{name}_sum"] / totals[f"{name}_count"], 2)
            for key, name in _MEANS_MS.items()
            if totals[f"{name}_count"]
        },
        "calls_to_temporal_per_bag": {op: round(n / per_bag, 2) for op, n in frequent.items()},
    }
