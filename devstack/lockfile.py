"""One stack per data folder: two Temporal servers on one SQLite file, or two owners of one pgdata, corrupt it."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class DataDirBusy(RuntimeError):
    pass


@contextmanager
def exclusive(data_dir: Path) -> Iterator[None]:
    with open(data_dir / "devstack.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataDirBusy(f"another devstack is already running on {data_dir}") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
