"""Proof photos are re-encoded in helper processes at a lower CPU priority, so on a saturated day the API answers
citizens first, and a decoder that a crafted file crashes takes down a helper, not the API."""

import io
import os
import signal
from pathlib import Path

import psutil
import pytest
from PIL import Image

from services.photo_processing import NICENESS, PhotoProcessor
from services.photos import InvalidPhoto, photo_file
from texts import Text


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


def helpers() -> list[psutil.Process]:
    return [child for child in psutil.Process().children() if "spawn_main" in " ".join(child.cmdline())]


async def test_a_photo_is_stored_by_a_helper_at_lower_priority(tmp_path: Path) -> None:
    processor = PhotoProcessor(helpers=1)
    try:
        stored = await processor.store(jpeg((10, 20, 30)), tmp_path, 40_000_000)
        assert photo_file(tmp_path, stored.relative_path) is not None
        running = helpers()
        assert running and all(helper.pid != os.getpid() for helper in running)
        assert all(helper.nice() >= os.nice(0) + NICENESS for helper in running)
    finally:
        processor.close()
    assert not helpers()


async def test_a_helper_that_dies_costs_one_photo_not_the_api(tmp_path: Path) -> None:
    processor = PhotoProcessor(helpers=1)
    try:
        await processor.store(jpeg((1, 2, 3)), tmp_path, 40_000_000)
        for helper in helpers():
            os.kill(helper.pid, signal.SIGKILL)  # as a decoder crashing on a crafted file would
            helper.wait(10)
        with pytest.raises(InvalidPhoto) as refused:
            await processor.store(jpeg((4, 5, 6)), tmp_path, 40_000_000)
        assert refused.value.text == Text("err.photo_not_processed")
        stored = await processor.store(jpeg((7, 8, 9)), tmp_path, 40_000_000)  # fresh helpers
        assert photo_file(tmp_path, stored.relative_path) is not None
    finally:
        processor.close()
