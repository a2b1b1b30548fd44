"""CPU per proof photo: what `services.photos.reencode` costs for the courier page's photo and a camera's original.

    .venv/bin/python -m bench.photo_cost [--count 24]

Prints CPU milliseconds per photo (this process, one core) and the bytes kept, for the bench's photos at 1600
pixels across (what the courier page sends) and 4000 (a phone camera's original, sent without the page's script).
"""

import argparse
import io
import platform
import time

import psutil

from bench.load import photos
from services.photos import reencode

SIDES = (1600, 4000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=24, help="photos re-encoded per size")
    args = parser.parse_args()
    print(f"machine: {psutil.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}")
    for side in SIDES:
        sources = photos(4, side)
        reencode(io.BytesIO(sources[0]), 40_000_000)  # warm-up: Pillow's codecs load on first use
        started = time.process_time()
        kept = [len(reencode(io.BytesIO(sources[i % len(sources)]), 40_000_000)) for i in range(args.count)]
        per_photo = 1000 * (time.process_time() - started) / args.count
        sent = sum(map(len, sources)) / len(sources) / 1024
        print(f"{side} px across: {per_photo:.1f} ms of CPU per photo; {sent:.0f} KB sent, "
              f"{sum(kept) / len(kept) / 1024:.0f} KB kept")  # fmt: skip


if __name__ == "__main__":
    main()
