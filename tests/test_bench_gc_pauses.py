"""The peak-day bench reports its own garbage-collection pauses, and keeps them short by freezing what it holds:
a latency tail that matches the load generator's pauses is the bench's, not the stack's (bench/README.md)."""

import gc

from bench.metrics import GcPauses


def _cycles(count: int) -> None:
    for _ in range(count):
        node: list[object] = []
        node.append(node)  # only the cycle collector frees it


def test_what_the_bench_holds_is_frozen_and_each_collection_is_timed() -> None:
    held = [{"household": i} for i in range(20_000)]
    try:
        with GcPauses() as pauses:
            assert gc.get_freeze_count() >= len(held)  # a full collection no longer walks the households
            for _ in range(3):
                _cycles(100)
                gc.collect()
        outside = len(pauses.pauses_ms)
        gc.collect()
        assert len(pauses.pauses_ms) == outside  # no longer listening once the measured part is over
        report = pauses.report()
        assert report["collections"] >= 3
        assert all(ms > 0 for ms in pauses.pauses_ms)  # a start and its stop, paired
        assert report["max_ms"] <= report["total_ms"]
    finally:
        gc.unfreeze()
