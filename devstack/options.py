"""Command-line options of `python -m devstack`."""

import argparse
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    data_dir: Path
    host: str
    api_port: int
    temporal_port: int
    ui_port: int
    codec_port: int
    check: bool
    timeout: float


def parse(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m devstack",
        description="Run An Sinh locally. DATABASE_URL / TEMPORAL_ADDRESS, when set, replace the embedded servers.",
    )
    parser.add_argument("--data-dir", type=Path, default=Path(".data"), help="where all local data is kept")
    parser.add_argument("--host", default="127.0.0.1", help="address the API and Temporal listen on")
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--temporal-port", type=int, default=7233, help="gRPC port of the Temporal dev server")
    parser.add_argument("--ui-port", type=int, default=8233, help="port of the Temporal web UI")
    parser.add_argument(
        "--codec-port", type=int, default=None, help="port of the payload codec server (default: API port + 1)"
    )
    parser.add_argument("--check", action="store_true", help="start everything, wait for /health, then stop")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed for each server to start")
    args = parser.parse_args(argv)
    return Options(
        data_dir=args.data_dir.expanduser().resolve(),
        host=args.host,
        api_port=args.api_port,
        temporal_port=args.temporal_port,
        ui_port=args.ui_port,
        codec_port=args.codec_port or args.api_port + 1,
        check=args.check,
        timeout=args.timeout,
    )
