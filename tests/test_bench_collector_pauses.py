"""The peak-day bench reads the workers' and APIs' own collection pauses from the probe it loads into them
(bench/collector_probe/, bench/collector_pauses.py): a read stall that matches one is the collector's."""

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.collector_pauses import PROBE_FOLDER, WRITE_INTERVAL_S, between, snapshot

# A process that collects three times, once over a heap big enough to take 10 ms or more, then waits for its
# probe's next write.
_COLLECTING = f"""
import gc, time
held = [[object()] for _ in range(600_000)]
gc.collect()
gc.collect(0)
gc.collect(0)
time.sleep({WRITE_INTERVAL_S + 1.5})
"""


def test_a_process_with_the_probe_reports_each_collection_and_its_slow_ones(tmp_path: Path) -> None:
    env = os.environ | {"PYTHONPATH": str(PROBE_FOLDER), "ANSINH_COLLECTOR_PROBE_DIR": str(tmp_path)}
    child = subprocess.Popen([sys.executable, "-c", _COLLECTING], env=env)
    parts = {"apis": [child.pid]}
    before = snapshot(tmp_path, parts)  # nothing written yet: counts from zero
    assert child.wait(timeout=60) == 0
    after = snapshot(tmp_path, parts, taken_at=time.time())

    report = between(before, after, parts)["apis"]
    assert report["collections"] >= 3
    assert report["full_collections"] >= 1  # gc.collect() is a full one, gc.collect(0) is not
    assert report["full_collections"] < report["collections"]
    assert report["pauses_over_10_ms"] >= 1  # the full collection over 600,000 lists
    assert report["longest_ms"] >= 10
    assert report["total_ms"] >= report["longest_ms"]
    # Its CPU, the collecting thread's own: never more than its wall-clock time.
    assert 0 < report["longest_cpu_ms"] <= report["longest_ms"] + 1
    assert report["longest_cpu_ms"] <= report["cpu_ms"] <= report["total_ms"] + report["collections"]
    # A window that ended before the process ran sees none of its slow pauses.
    assert between(before, snapshot(tmp_path, parts, taken_at=before.taken), parts)["apis"]["pauses_over_10_ms"] == 0
