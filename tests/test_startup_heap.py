"""The API's start-up objects are frozen out of the garbage collector's full collections (common/startup_heap.py;
the worker's are checked by tests/test_devstack.py through its log). Unfrozen, every full collection walked them
all, stalling each answer in flight for 150–300 ms on a 2-core machine; and its youngest generation is collected
rarely, since its requests' objects die with them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_api_entry_point_freezes_what_start_up_built() -> None:
    probe = "import gc, server; server.serve(); print(gc.get_threshold()[0], gc.get_freeze_count())"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    young_threshold, frozen = map(int, result.stdout.split()[-2:])
    assert frozen > 100_000, result.stdout
    # Its requests' objects die with them: the youngest generation is collected far less often than by default.
    assert young_threshold >= 10_000, result.stdout
