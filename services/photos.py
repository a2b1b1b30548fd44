"""Proof-of-delivery photos: checked to be real images, stored once by content, outside any web root.

The path is `<dir>/<sha[:2]>/<sha>.<ext>`: the same photo uploaded twice is one file, and a retried
upload rewrites nothing. Blocking work: call from a thread.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_CHUNK = 64 * 1024


class InvalidPhoto(ValueError):
    pass


@dataclass(frozen=True)
class StoredPhoto:
    relative_path: str
    sha256: str


def image_extension(source: BinaryIO) -> str:
    """The file extension of a JPEG, PNG or WebP image; InvalidPhoto for anything else or a broken file."""
    source.seek(0)
    try:
        with Image.open(source) as image:
            image_format = image.format or ""
            image.verify()
    except Exception as exc:  # Pillow raises many types for broken, unknown or oversized images
        raise InvalidPhoto("the photo is not a readable image (JPEG, PNG or WebP)") from exc
    if image_format not in FORMATS:
        raise InvalidPhoto(f"photo format {image_format or 'unknown'} is not accepted; send JPEG, PNG or WebP")
    return FORMATS[image_format]


def store_photo(source: BinaryIO, photo_dir: Path) -> StoredPhoto:
    extension = image_extension(source)
    source.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: source.read(_CHUNK), b""):
        digest.update(chunk)
    sha = digest.hexdigest()
    relative = f"{sha[:2]}/{sha}.{extension}"
    target = photo_dir / relative
    if target.exists():
        return StoredPhoto(relative, sha)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a reader never sees half a photo.
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            source.seek(0)
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return StoredPhoto(relative, sha)
