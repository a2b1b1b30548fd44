"""Proof-of-delivery photos: checked to be real images, re-encoded, stored once by content, outside any
web root.

Only the decoded pixels are kept: the photo is re-encoded as a fresh JPEG, so whatever rode along in the
upload (EXIF with the household's GPS position, a ZIP or HTML appended to make a polyglot, a crafted
chunk aimed at a viewer) is not stored. Dimensions are checked from the header before any decoding, so
a small file that declares a huge image (a pixel bomb) costs nothing.

The path is `<dir>/<sha[:2]>/<sha>.jpg` of the re-encoded bytes: the same photo stored twice is one file,
and a retried upload rewrites nothing. Blocking, CPU-heavy work: the API runs it in a helper process
(services/photo_processing.py).
"""

import hashlib
import io
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps

from texts import Text

ACCEPTED = frozenset({"JPEG", "PNG", "WEBP"})
# Enough to see the bag, the door and the person who took it. A phone camera's 12 megapixels would cost ~0.3 s of
# CPU to re-encode and ~5 MB to keep for every bag: on a 101,348-bag day, hours of CPU and half a terabyte.
MAX_SIDE = 1600
MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}  # png/webp: stored before re-encoding
# Quality 80 without Huffman optimisation: a 1600-pixel photo in ~5 ms of encoding and ~10 % fewer bytes than quality
# 85 optimised, which took ~15 ms; on a peak day the cores run out long before the disk does.
JPEG_QUALITY = 80


class InvalidPhoto(ValueError):
    """Not a photo we keep; `text` says why in the reader's language (it crosses from the helper process whole)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class StoredPhoto:
    relative_path: str
    sha256: str


def reencode(source: BinaryIO, max_pixels: int, max_side: int = MAX_SIDE) -> bytes:
    """A clean JPEG of the uploaded image, without any metadata, at most `max_side` pixels on its longer side;
    InvalidPhoto for anything else."""
    source.seek(0)
    try:
        with Image.open(source) as image:
            if image.format not in ACCEPTED:
                fmt = image.format or "?"
                raise InvalidPhoto(Text("err.photo_format", format=fmt))
            width, height = image.size
            if width * height > max_pixels:
                raise InvalidPhoto(Text("err.photo_too_many_pixels", width=width, height=height, limit=max_pixels))
            scale = min(1.0, max_side / max(width, height))
            # A JPEG decodes straight at 1/2, 1/4 or 1/8 of its size when that is still large enough: a phone's
            # 12-megapixel photo then costs a fraction of a full decode.
            image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
            image.load()
            # Turn the pixels as the camera meant them before the orientation tag is dropped with the rest.
            # In place and converted only when needed: each copy of a 1600-pixel image costs ~4 ms.
            ImageOps.exif_transpose(image, in_place=True)
            upright = image if image.mode == "RGB" else image.convert("RGB")
            upright.thumbnail((max_side, max_side))
            clean = Image.new("RGB", upright.size)
            clean.paste(upright)  # a fresh image: no info dict, no ICC profile, no EXIF carried over
    except InvalidPhoto:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own guard, for sizes far past ours
        raise InvalidPhoto(Text("err.photo_declares_too_many_pixels", limit=max_pixels)) from exc
    except Exception as exc:  # Pillow raises many types for broken, unknown or oversized images
        raise InvalidPhoto(Text("err.photo_unreadable")) from exc
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def store_photo(source: BinaryIO, photo_dir: Path, max_pixels: int = 40_000_000) -> StoredPhoto:
    data = reencode(source, max_pixels)
    sha = hashlib.sha256(data).hexdigest()
    relative = f"{sha[:2]}/{sha}.jpg"
    target = photo_dir / relative
    if target.exists():
        return StoredPhoto(relative, sha)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a reader never sees half a photo.
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return StoredPhoto(relative, sha)


def photo_file(photo_dir: Path, relative_path: str) -> Path | None:
    """The stored file for a ledger path, only if it lies inside the photo folder."""
    root = photo_dir.resolve()
    path = (root / relative_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def delete_photo(photo_dir: Path, relative_path: str) -> None:
    path = photo_file(photo_dir, relative_path)
    if path is not None:
        path.unlink(missing_ok=True)
