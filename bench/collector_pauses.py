"""The garbage-collection pauses of the workers and APIs, as their probe (bench/collector_probe/) writes them.

A snapshot is what each process had written by then (up to 2 s behind); two snapshots and the wall-clock window
between them give that window's collections, their total time, and the pauses of 10 ms or more.
"""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.collector_probe.sitecustomize import WRITE_EVERY_S

PROBE_FOLDER = Path(__file__).resolve().parent / "collector_probe"
WRITE_INTERVAL_S = WRITE_EVERY_S  # the probe is only active where its environment variable is set


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
    """Per part (its processes' pauses pooled): collections, their total ms, and the slow pauses that began in the
    window (count, longest)."""
    report: dict[str, dict[str, float | int]] = {}
    for part, pids in parts.items():
        collections, total_ms, slow = 0, 0.0, []
        for pid in pids:
            end = after.by_pid.get(pid)
            if end is None:
                continue
            start = before.by_pid.get(pid, {"collections": 0, "total_ms": 0.0})
            collections += end["collections"] - start["collections"]
            total_ms += end["total_ms"] - start["total_ms"]
            slow += [ms for began, ms in end["slow"] if before.taken <= began < after.taken]
        report[part] = {
            "collections": collections,
            "total_ms": round(total_ms, 1),
            "pauses_over_10_ms": len(slow),
            "longest_ms": max(slow, default=0.0),
        }
    return report
