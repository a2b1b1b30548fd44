"""The garbage-collection pauses of the workers and APIs, as their probe (bench/collector_probe/) writes them.

A snapshot is what each process had written by then (up to 2 s behind); two snapshots and the wall-clock window
between them give that window's collections (how many full), their total time and CPU, and the pauses of 10 ms or
more. A pause's wall-clock time is what requests in flight wait; where it is well above its CPU, the collector was
waiting for a core, not working.
"""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.collector_probe.sitecustomize import WRITE_EVERY_S

PROBE_FOLDER = Path(__file__).resolve().parent / "collector_probe"
WRITE_INTERVAL_S = WRITE_EVERY_S  # the probe is only active where its environment variable is set
_COUNTED = ("collections", "full", "total_ms", "cpu_ms")  # running totals in a probe's file


@dataclass
class Snapshot:
    taken: float  # unix time
    by_pid: dict[int, dict[str, Any]] = field(default_factory=dict)


def snapshot(folder: Path, parts: dict[str, list[int]], taken_at: float | None = None) -> Snapshot:
    """`taken_at`: the window's end, when the snapshot is read a while after it (to let the probes write)."""
    taken = Snapshot(taken_at or time.time())
    for pid in (pid for pids in parts.values() for pid in pids):
        path = folder / f"collector-{pid}.json"
        if path.exists():
            taken.by_pid[pid] = json.loads(path.read_text())
    return taken


def between(before: Snapshot, after: Snapshot, parts: dict[str, list[int]]) -> dict[str, dict[str, float | int]]:
    """Per part (its processes' pauses pooled): collections (and full ones), their total ms and CPU ms, and the slow
    pauses that began in the window (count, the longest and its CPU)."""
    report: dict[str, dict[str, float | int]] = {}
    for part, pids in parts.items():
        totals = dict.fromkeys(_COUNTED, 0.0)
        slow: list[tuple[float, float]] = []
        for pid in pids:
            end = after.by_pid.get(pid)
            if end is None:
                continue
            start = before.by_pid.get(pid, {})
            for key in _COUNTED:
                totals[key] += end[key] - start.get(key, 0)
            slow += [(ms, cpu_ms) for began, ms, cpu_ms in end["slow"] if before.taken <= began < after.taken]
        longest = max(slow, default=(0.0, 0.0))
        report[part] = {
            "collections": int(totals["collections"]),
            "full_collections": int(totals["full"]),
            "total_ms": round(totals["total_ms"], 1),
            "cpu_ms": round(totals["cpu_ms"], 1),
            "pauses_over_10_ms": len(slow),
            "longest_ms": longest[0],
            "longest_cpu_ms": longest[1],
        }
    return report
