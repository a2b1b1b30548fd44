"""What a long-running process (the API, the worker) builds at start-up is kept out of the garbage collector's
full collections.

Modules, classes, SQLAlchemy's mappers and compiled statements, pydantic's validators: ~225,000 objects in the
API and ~110,000 in the worker, alive as long as the process. CPython's full collection walks every one of them
each time, 150–300 ms on a 2-core machine during which the process answers nobody (a citizen's status read
waits that long; bench/README.md, change 26). Frozen after start-up they are never walked again; what requests
and workflow tasks allocate is collected as before.
"""

import gc


def freeze() -> int:
    """Freezes every object alive now; returns how many the collector will no longer walk."""
    gc.collect()  # start-up's own garbage is freed now rather than frozen with the rest
    gc.freeze()
    return gc.get_freeze_count()
