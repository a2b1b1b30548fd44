"""Proof photos are checked and re-encoded in helper processes that run at a lower CPU priority.

Re-encoding is the heaviest work the API does: ~13 ms of CPU for the courier page's photo, ~65 ms for a camera's
original. Done in the API's own process it competed with every other request for the cores: on a saturated peak
day a citizen's status read waited ~235 ms behind the photos (docs/performance-log.md). At nice 10 the photos
take what the interactive work leaves, and an image decoder that a crafted file crashes takes down a helper,
not the API.
"""

import asyncio
import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from services.photos import InvalidPhoto, StoredPhoto, store_photo
from texts import Text

NICENESS = 10


class PhotoProcessor:
    def __init__(self, helpers: int = 2) -> None:
        self._helpers = helpers
        self._pool: ProcessPoolExecutor | None = None

    async def store(self, photo: bytes, photo_dir: Path, max_pixels: int) -> StoredPhoto:
        """`services.photos.store_photo` in a helper; InvalidPhoto also when the helper died on the photo."""
        pool = self._executor()
        try:
            return await asyncio.get_running_loop().run_in_executor(
                pool, store_photo, io.BytesIO(photo), photo_dir, max_pixels
            )
        except BrokenProcessPool:
            if self._pool is pool:
                self._pool = None  # the next photo starts fresh helpers
            pool.shutdown(wait=False, cancel_futures=True)
            raise InvalidPhoto(Text("err.photo_not_processed")) from None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Started on the first photo, so an API that never receives one starts no helper. Spawned, not
            # forked: a fork of a process running an event loop and the Temporal client's threads is unsafe.
            self._pool = ProcessPoolExecutor(
                self._helpers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=os.nice,
                initargs=(NICENESS,),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
