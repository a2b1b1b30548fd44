"""The community map under a crisis's load (issue 24's targets): with 15,000 open emergencies, the map's data for
a phone's viewport answers in p99 < 50 ms at 100 requests/s, and the map page at 360 px is interactive in Chromium
within 1 s after load with all points.

    .venv/bin/python -m bench.emergency_map                       # 15,000 emergencies, 100 req/s for 30 s
    .venv/bin/python -m bench.emergency_map --emergencies 2000 --seconds 10 --rate 50   # a quick look

It starts the embedded stack (bench/cluster.py: PostgreSQL, Temporal, one worker, one API process), writes the
emergencies straight to the database through the same service the API uses (spread over the city's 273 wards
around each ward's centre, a day of ages, every category and urgency), then sends `GET /api/v1/emergencies/map`
open-loop at `--rate`/s (a request leaves on time whether or not earlier ones answered, so queueing shows in the
latency): each a phone's viewport (360 × 640 px) at zoom 12–16 around a random emergency, one in four with a
filter. Last, Chromium opens /ban-do-khan-cap at 360 px, cold and warm, and reports the time from navigation to
the first markers drawn (the page's `data-state="ready"`). Figures to stdout and bench/results/ as JSON.
"""

import argparse
import asyncio
import math
import os
import platform
import random
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bench.cluster import Cluster, throwaway_root
from bench.report import write_json
from db.emergencies import Emergency
from db.geography import AdminUnit
from domain.emergency import EMERGENCY_POLICY, EmergencyCategory, EmergencyUrgency
from domain.roles import UnitLevel
from services import emergencies
from services.emergencies import NewEmergency

PHONE = (360, 640)
MAP_PATH = "/api/v1/emergencies/map"
BATCH = 500


async def seed(database_url: str, count: int, rng: random.Random) -> float:
    """`count` open emergencies over the city's wards; returns the seconds it took."""
    started = time.perf_counter()
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as session:
            wards = (
                await session.execute(
                    select(AdminUnit.code, AdminUnit.parent_code, AdminUnit.latitude, AdminUnit.longitude).where(
                        AdminUnit.level == UnitLevel.WARD.value, AdminUnit.latitude.is_not(None)
                    )
                )
            ).all()
        now = datetime.now(UTC)
        for first in range(0, count, BATCH):
            async with sessions() as session, session.begin():
                for n in range(first, min(first + BATCH, count)):
                    await _one(session, n, rng.choice(wards), now - timedelta(minutes=rng.randint(0, 24 * 60)), rng)
            print(f"  {min(first + BATCH, count):,} / {count:,} emergencies written", flush=True)
    finally:
        await engine.dispose()
    return time.perf_counter() - started


async def _one(session: AsyncSession, n: int, ward: Any, posted: datetime, rng: random.Random) -> None:
    code, district, lat, lon = ward
    point = (lat + rng.gauss(0, 0.004), lon + rng.gauss(0, 0.004))
    new = NewEmergency(
        code=f"B{n:08d}",
        category=rng.choice(list(EmergencyCategory)),
        urgency=rng.choice(list(EmergencyUrgency)),
        description="Nhà có người già ốm, cần gạo và thuốc hạ sốt",
        ward_code=code,
        district_code=district,
        address=f"{n} đường số {n % 50}",
        point=point,
        phone_e164=f"+8491{n:07d}",
    )
    row = await emergencies.post(session, new, (lat, lon), posted, EMERGENCY_POLICY)
    row.created_at = posted


def viewport(lat: float, lon: float, zoom: int) -> str:
    """south,west,north,east of a phone's screen centred on the point at the zoom (256-px tiles)."""
    degrees_per_px = 360.0 / (256 * 2**zoom)
    half_w = PHONE[0] / 2 * degrees_per_px
    half_h = PHONE[1] / 2 * degrees_per_px * math.cos(math.radians(lat))
    return f"{lat - half_h:.5f},{lon - half_w:.5f},{lat + half_h:.5f},{lon + half_w:.5f}"


FILTERS: tuple[dict[str, Any], ...] = ({"category": "medicine"}, {"urgency": "now"}, {"unclaimed": "true"},
                                       {"max_age_hours": 6})  # fmt: skip


def a_request(points: list[tuple[float, float]], rng: random.Random) -> dict[str, Any]:
    lat, lon = rng.choice(points)
    zoom = rng.randint(12, 16)
    params: dict[str, Any] = {"bbox": viewport(lat, lon, zoom), "zoom": zoom}
    return params | rng.choice(FILTERS) if rng.random() < 0.25 else params


async def load(
    api: str, path: str, params_for: Callable[[], dict[str, Any]], rate: float, seconds: float
) -> dict[str, Any]:
    """`rate` × `seconds` GETs of `path`, open-loop; the first, which may build a snapshot, is not counted."""
    latencies: list[float] = []
    failures: list[str] = []
    markers: list[int] = []
    # The client lets an idle connection go well before uvicorn does (its keep-alive timeout is 5 s, httpx's
    # default expiry too): at equal timeouts a request sent on a connection the server is closing fails with
    # RemoteProtocolError, a race of the two ends, not an answer of the API.
    limits = httpx.Limits(max_connections=200, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=api, timeout=10, limits=limits) as http:

        async def one(params: dict[str, Any]) -> None:
            began = time.perf_counter()
            try:
                answer = await http.get(path, params=params)
            except httpx.HTTPError as exc:
                failures.append(type(exc).__name__)
                return
            latencies.append(time.perf_counter() - began)
            if answer.status_code != 200:
                failures.append(str(answer.status_code))
            elif "clusters" in answer.json():
                markers.append(len(answer.json()["clusters"]))

        await one(params_for())
        latencies.clear()
        tasks = []
        start = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(params_for())))
        await asyncio.gather(*tasks)
        took = time.perf_counter() - start
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1) if ordered else float("nan")

    return {
        "requests": len(latencies) + len(failures),
        "achieved_rate": round(len(latencies) / took, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
        "failures": failures[:20],
        "markers_median": statistics.median(markers) if markers else None,
        "markers_max": max(markers, default=None),
    }


async def page_timing(base: str, runs: int) -> dict[str, Any]:
    """Navigation start to the first markers drawn, at 360 px, in Debian's Chromium (none downloaded)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return {"skipped": "Debian's chromium is not installed (scripts/_setup.sh installs it as root)"}
    from playwright.async_api import async_playwright

    timings: list[float] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = await browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        page = await context.new_page()
        for _ in range(runs):
            await page.goto(f"{base}/ban-do-khan-cap")
            await page.wait_for_selector("#emergency-map[data-state=ready]", timeout=30_000)
            timings.append(await page.evaluate("performance.now()"))
        shown = await page.eval_on_selector("#emergency-map", "e => [e.dataset.shown, e.dataset.markers]")
        await browser.close()
    return {
        "cold_ms": round(timings[0]),
        "warm_ms": [round(t) for t in timings[1:]],
        "emergencies_in_view": int(shown[0]),
        "markers_drawn": int(shown[1]),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    root = throwaway_root("ansinh-map-")
    cluster = Cluster(root, workers=1, apis=1)
    try:
        await cluster.start()
        print(f"stack up; writing {args.emergencies:,} emergencies", flush=True)
        rng = random.Random(args.seed)
        seeded = await seed(cluster.database_url, args.emergencies, rng)
        points = await _public_points(cluster.database_url)
        api = cluster.api_urls[0]
        print(f"loading the map's data at {args.rate}/s for {args.seconds} s", flush=True)
        figures = await load(api, MAP_PATH, lambda: a_request(points, rng), args.rate, args.seconds)
        # The floor: the same rate at the app's cheapest route, through the same server, framework and middleware.
        floor = await load(api, "/health", dict, args.rate, args.seconds)
        page = await page_timing(api, args.page_runs)
    finally:
        cluster.stop()
        if not args.keep:
            cluster.remove()
    return {
        "emergencies": args.emergencies,
        "seed_seconds": round(seeded, 1),
        "rate": args.rate,
        "seconds": args.seconds,
        "viewport_data": figures,
        "floor_health": floor,
        "page": page,
        "targets": {"p99_ms": 50, "page_ms": 1000},
    }


async def _public_points(database_url: str) -> list[tuple[float, float]]:
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            rows = await session.execute(select(Emergency.approx_latitude, Emergency.approx_longitude))
            return [(lat, lon) for lat, lon in rows.all()]
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emergencies", type=int, default=15_000)
    parser.add_argument("--rate", type=float, default=100.0, help="map data requests per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--page-runs", type=int, default=4, help="page loads in Chromium: the first cold")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway folder")
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    if not 1 <= args.emergencies <= 100_000 or not 0 < args.rate <= 1000 or not 0 < args.seconds <= 600:
        parser.error("bounded: 1–100,000 emergencies, up to 1000 requests/s, up to 600 s")
    result = asyncio.run(run(args))
    result["machine"] = {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version(),
                         "platform": platform.platform()}  # fmt: skip
    result["command"] = "python -m bench.emergency_map " + " ".join(
        f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k not in ("output", "keep")
    )
    data, page = result["viewport_data"], result["page"]
    print(f"\n{result['emergencies']:,} open emergencies, {data['requests']:,} viewport requests at "
          f"{data['achieved_rate']}/s: p50 {data['p50_ms']} ms, p95 {data['p95_ms']} ms, p99 {data['p99_ms']} ms "
          f"(target < 50), max {data['max_ms']} ms, {len(data['failures'])} failures, "
          f"{data['markers_median']} markers per answer (max {data['markers_max']})")  # fmt: skip
    floor = result["floor_health"]
    print(f"floor (GET /health at the same rate): p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms, "
          f"p99 {floor['p99_ms']} ms")  # fmt: skip
    if "skipped" in page:
        print(f"page: {page['skipped']}")
    else:
        print(f"map page at 360 px, navigation to markers drawn: cold {page['cold_ms']} ms, "
              f"warm {page['warm_ms']} ms (target < 1000), "
              f"{page['markers_drawn']} markers for {page['emergencies_in_view']} emergencies")  # fmt: skip
    name = f"emergency-map-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
    print(write_json(result, args.output, name))


if __name__ == "__main__":
    main()
