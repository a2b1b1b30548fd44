"""Loaded at start-up by the bench's workers and APIs (bench/cluster.py puts this folder on their PYTHONPATH):
times each of the process's garbage collections, so the bench can tell a latency tail that is the collector's.

Every 2 s it writes, to $ANSINH_COLLECTOR_PROBE_DIR/collector-<pid>.json, the running count and total of the
collections (wall-clock and the collecting thread's CPU, which differ when the machine is saturated), how many were
full ones, and each one that took 10 ms or more with the time it began and its CPU. Standard library only: it runs
before the process's own imports.
"""

import gc
import json
import os
import threading
import time
from pathlib import Path

SLOW_MS = 10.0
WRITE_EVERY_S = 2.0  # bench/collector_pauses.py reads it too: how far behind a snapshot may be
_folder = os.environ.get("ANSINH_COLLECTOR_PROBE_DIR")


class _Probe:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.collections = 0
        self.full = 0
        self.total_ms = 0.0
        self.cpu_ms = 0.0
        self.slow: list[tuple[float, float, float]] = []  # (unix time it began, ms, CPU ms)
        self._began = (0.0, 0.0, 0.0)

    def callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = (time.time(), time.perf_counter(), time.thread_time())
            return
        ms = (time.perf_counter() - self._began[1]) * 1000
        cpu_ms = (time.thread_time() - self._began[2]) * 1000
        self.collections += 1
        self.full += info["generation"] == 2
        self.total_ms += ms
        self.cpu_ms += cpu_ms
        if ms >= SLOW_MS:
            self.slow.append((self._began[0], round(ms, 1), round(cpu_ms, 1)))

    def write_every(self, seconds: float) -> None:
        while True:
            time.sleep(seconds)
            state = {
                "collections": self.collections,
                "full": self.full,
                "total_ms": round(self.total_ms, 1),
                "cpu_ms": round(self.cpu_ms, 1),
                "slow": self.slow[:],
            }
            partial = self.path.with_suffix(".part")
            partial.write_text(json.dumps(state))
            partial.replace(self.path)  # the bench never reads half a file


if _folder:
    _probe = _Probe(Path(_folder) / f"collector-{os.getpid()}.json")
    gc.callbacks.append(_probe.callback)
    threading.Thread(target=_probe.write_every, args=(WRITE_EVERY_S,), daemon=True, name="collector-probe").start()
