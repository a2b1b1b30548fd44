"""Crafted uploads: a polyglot, a pixel bomb, a photo carrying GPS. What is stored is a clean JPEG."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from services.photos import InvalidPhoto, photo_file, store_photo
from texts import Text


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (80, 60), (10, 200, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 46.0, 33.6)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "E", (106.0, 42.0, 7.2)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge image: decoding it would need gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def stored_bytes(photo_dir: Path, data: bytes) -> bytes:
    stored = store_photo(io.BytesIO(data), photo_dir)
    path = photo_file(photo_dir, stored.relative_path)
    assert path is not None and path.suffix == ".jpg"
    return path.read_bytes()


def test_gps_and_every_other_exif_tag_are_stripped(tmp_path: Path) -> None:
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825), "the crafted photo must carry GPS"
    kept = stored_bytes(tmp_path, original)
    with Image.open(io.BytesIO(kept)) as after:
        assert after.format == "JPEG" and after.size == (80, 60)
        assert not after.getexif() and "exif" not in after.info
    assert b"Exif" not in kept and b"Camera maker" not in kept


@pytest.mark.parametrize(("fmt", "orientation"), [("JPEG", 1), ("JPEG", 6), ("PNG", 1)])
def test_a_camera_photo_is_kept_upright_at_most_1600_pixels_on_its_longer_side(
    tmp_path: Path, fmt: str, orientation: int
) -> None:
    # A phone's 12 megapixels, stored whole, would cost ~0.3 s of CPU and ~5 MB for every bag of the day.
    camera = Image.new("RGB", (4000, 3000), (200, 30, 30))
    camera.paste((30, 30, 200), (0, 0, 2000, 3000))  # blue left half: shows which way the photo was turned
    exif = Image.Exif()
    exif[0x0112] = orientation  # 6: the phone was held upright, the sensor's pixels lie on their side
    out = io.BytesIO()
    camera.save(out, format=fmt, exif=exif)
    kept = stored_bytes(tmp_path, out.getvalue())
    with Image.open(io.BytesIO(kept)) as after:
        upright = orientation == 6
        assert after.size == ((1200, 1600) if upright else (1600, 1200))
        # Turned a quarter clockwise, the blue left half of the sensor becomes the top half of the photo.
        blue_at = (600, 400) if upright else (400, 600)
        red_at = (600, 1200) if upright else (1200, 600)
        rgb = after.convert("RGB")
        blue, red = rgb.getpixel(blue_at), rgb.getpixel(red_at)
        assert isinstance(blue, tuple) and isinstance(red, tuple)
        assert blue[2] > 150 and red[0] > 150
        assert len(kept) < 300_000


@pytest.mark.parametrize(
    "payload",
    [
        b"PK\x03\x04" + b"\x14\x00" * 10 + b"evil.html" + b"PK\x05\x06" + b"\x00" * 18,  # a ZIP appended
        b"<html><script>alert(document.cookie)</script></html>",  # HTML appended
    ],
)
def test_a_polyglot_keeps_only_its_pixels(tmp_path: Path, payload: bytes) -> None:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(out, format="JPEG")
    polyglot = out.getvalue() + payload
    kept = stored_bytes(tmp_path, polyglot)
    assert payload not in kept and b"PK\x03\x04" not in kept and b"<script" not in kept
    assert kept.endswith(b"\xff\xd9")  # the JPEG ends where its image ends


@pytest.mark.parametrize("size", [(8_000, 6_000), (60_000, 60_000)])  # past our limit; past Pillow's too
def test_a_pixel_bomb_is_refused_before_decoding(tmp_path: Path, size: tuple[int, int]) -> None:
    bomb = png_declaring(*size)
    assert len(bomb) < 200
    with pytest.raises(InvalidPhoto) as refused:
        store_photo(io.BytesIO(bomb), tmp_path, max_pixels=40_000_000)
    assert refused.value.text.key in ("err.photo_too_many_pixels", "err.photo_declares_too_many_pixels")
    assert not any(tmp_path.rglob("*.jpg"))


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + b"\x00" * 100,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\xff\xd8\xff\xe0" + b"\x00" * 50,  # a JPEG header and nothing after
    ],
)
def test_what_is_not_a_whole_jpeg_png_or_webp_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InvalidPhoto) as refused:
        store_photo(io.BytesIO(data), tmp_path)
    assert refused.value.text == Text("err.photo_unreadable")


def test_stored_paths_cannot_leave_the_photo_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("x")
    photos = tmp_path / "photos"
    photos.mkdir()
    assert photo_file(photos, "../secret.txt") is None
    assert photo_file(photos, "/etc/passwd") is None
