"""What a long-running process (the API, the worker) builds at start-up is kept out of the garbage collector's
full collections.

Modules, classes, SQLAlchemy's mappers and compiled statements, pydantic's validators: ~225,000 objects in the
API and ~110,000 in the worker, alive as long as the process. CPython's full collection walks every one of them
each time, 150–300 ms on a 2-core machine during which the process answers nobody (a citizen's status read
waits that long; docs/performance-log.md has the figures). Frozen after start-up they are never walked again;
what requests and workflow tasks allocate is collected as before.
"""

import gc


def freeze(young_threshold: int | None = None) -> int:
    """Freezes every object alive now; returns how many the collector will no longer walk.

    `young_threshold`: collect the youngest generation only once this many more objects were allocated than
    freed (CPython's default, 700, stays when None). Worth raising where objects die with the request that made
    them: each young collection finds the requests in flight alive and promotes them, to be walked again later.
    """
    gc.collect()  # start-up's own garbage is freed now rather than frozen with the rest
    gc.freeze()
    if young_threshold is not None:
        _, middle, old = gc.get_threshold()
        gc.set_threshold(young_threshold, middle, old)
    return gc.get_freeze_count()
