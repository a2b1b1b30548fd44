"""`python -m bench.peak_day`: the peak day on this machine, with figures anyone can re-measure.

Starts the embedded stack in a throwaway folder (PostgreSQL, Temporal dev server on WAL SQLite, N workers,
N APIs), measures the bare-Temporal ceiling on the same server, then runs the peak day through the real
HTTP API and a status-read phase at the target read rate. Writes <output>/peak_day-<stamp>.json and .png.
"""

import argparse
import asyncio
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import uvloop

from bench import bare, collector_pauses, postgres_work, supply, worker_metrics
from bench.cash_day import CashDay, helpers_needed, sign_in_helpers
from bench.cluster import REPO_ROOT, Cluster, throwaway_root
from bench.history import events_per_request
from bench.load import Api, LoadOptions, LoadResult, PeakDay, asks_for_cash
from bench.metrics import GcPauses, Latencies, ResourceSampler, summary_ms
from bench.population import Household, hcmc_wards, population
from bench.report import write_chart, write_json
from bench.staffing import WardStaff, seed_staff, sign_in_all
from devstack.processes import Child
from worker import worker_tuning

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results"
SLOW_READ_MS = 50  # twice the 25-ms target of a status read at p99


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.peak_day", description=__doc__)
    p.add_argument("--requests", type=int, default=1200, help="households served (101348 bags: the full day)")
    p.add_argument(
        "--cash-share", type=float, default=0.0, help="share of them asking for cash instead of a bag (2021: 0.6)"
    )
    p.add_argument("--rate", type=float, default=30.0, help="registrations/s on average (bursts above it)")
    p.add_argument("--burst", type=float, default=2.0, help="burst factor: 2 s of every 10 s at burst × rate")
    p.add_argument("--repeat-share", type=float, default=0.1, help="repeat registrations, share of --requests")
    p.add_argument("--read-rate", type=float, default=20.0, help="status reads/s during the day")
    p.add_argument("--read-target-rate", type=float, default=300.0, help="status reads/s in the read phase")
    p.add_argument("--read-seconds", type=float, default=20.0, help="length of the read phase (0: none)")
    p.add_argument("--surge-requests", type=int, default=0, help="registrations alone after the day (0: none)")
    p.add_argument("--surge-rate", type=float, default=50.0, help="registrations/s in the surge")
    p.add_argument("--bare-requests", type=int, default=600, help="bare-ceiling lifecycles (0: skip)")
    p.add_argument("--bare-concurrency", type=int, default=100)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--apis", type=int, default=1)
    p.add_argument("--max-in-flight", type=int, default=3000, help="lifecycles the bench keeps open at once")
    p.add_argument("--couriers-per-ward", type=int, default=2)
    p.add_argument(
        "--photo-side",
        type=int,
        default=1600,
        help="pixels across each proof photo (1600: what the courier page sends; 4000: a camera's original, ~4 MB)",
    )
    p.add_argument("--profile", type=float, default=0.0, help="py-spy the worker and API for this many seconds")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    p.add_argument("--keep", action="store_true", help="keep the throwaway data folder")
    return p.parse_args(argv)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    # Tokens must outlive the full day; the rest is the same configuration scripts/run uses.
    cluster = Cluster(throwaway_root("ansinh-bench-"), args.workers, args.apis, extra_env={"TOKEN_MINUTES": "600"})
    say(f"starting the stack in {cluster.root} ({args.workers} worker(s), {args.apis} API(s))")
    client = await cluster.start()
    try:
        wards = hcmc_wards()
        everyone = population(args.requests + args.surge_requests)
        households, surge_households = everyone[: args.requests], everyone[args.requests :]
        await seed_staff(cluster.database_url, wards, args.couriers_per_ward)
        async with httpx.AsyncClient(base_url=cluster.api_urls[0], timeout=60) as http:
            staff = await sign_in_all(http, cluster.database_url, wards)
        say(f"{len(households)} households over {len(wards)} wards; {len(staff)} wards staffed")
        stocked_at = time.perf_counter()
        bags = await supply.stock_wards(cluster.database_url, households + surge_households)
        say(f"{bags} bags assembled from donations at the wards' points in {time.perf_counter() - stocked_at:.0f} s")

        bare_result = await _bare(cluster, client, args) if args.bare_requests else {}

        pg_before = await postgres_work.snapshot(cluster.database_url)
        sampler = _sampler(cluster)
        sampler.start()
        api = Api(cluster.api_urls, LoadResult())
        opts = LoadOptions(
            args.requests,
            args.rate,
            args.repeat_share,
            args.burst,
            args.read_rate,
            args.max_in_flight,
            args.photo_side,
            args.cash_share,
        )
        cash = await _cash_day(cluster, api, staff, households, args.cash_share) if args.cash_share else None
        day = PeakDay(api, households, staff, opts, say, cash)
        profiler = asyncio.create_task(_profile(cluster, args, stamp)) if args.profile else None
        say(f"peak day: {args.requests} bags, {args.rate}/s registrations, repeat share {args.repeat_share}")
        collector_before = collector_pauses.snapshot(cluster.collector_folder, cluster.collected_parts())
        with GcPauses() as day_gc:
            load = await day.run()
        day_ended = time.time()
        await sampler.stop()
        workers_said = worker_metrics.summarise(
            await worker_metrics.scrape(cluster.worker_metrics_addresses), len(load.completed.times)
        )
        await asyncio.sleep(11)  # an idle backend reports its last statistics within 10 s
        collector_after = collector_pauses.snapshot(cluster.collector_folder, cluster.collected_parts(), day_ended)
        postgres_said = postgres_work.per_bag(
            pg_before, await postgres_work.snapshot(cluster.database_url), len(load.completed.times)
        )
        if profiler:
            try:
                await profiler
            except OSError as error:  # a profile is a bonus: the figures stand without it
                say(f"profiling failed: {error}")
        surge, surge_s = await _surge(cluster, day, surge_households, args) if surge_households else ({}, [])
        read_phase, read_context = await _read_phase(cluster, day, args) if args.read_seconds > 0 else (Latencies(), {})
        await api.close()
        # Spread over the whole day: a request delivered late, under a backlog, may cost more than an early one.
        sample = day.delivered[:: max(1, len(day.delivered) // 40)]
        history = await events_per_request(client, [s.code for s in sample])
        result = _result(args, load, bare_result, read_phase, sampler, history) | {
            "registration_surge": surge,
            "worker_metrics": workers_said,
            "postgres_work_per_bag": postgres_said,
            "bench_gc_pauses_during_day": day_gc.report(),
            "collector_pauses_during_day": collector_pauses.between(
                collector_before, collector_after, cluster.collected_parts()
            ),
        }
        result["status_read_phase"] |= read_context
        result["supply"] = await supply.audit(cluster.database_url, len(load.completed.times))
        result["cash"] = _cash_result(cash, args.cash_share) if cash else {}
        name = f"peak_day-{stamp}"
        json_path = write_json(result, args.output, name)
        png_path = write_chart(
            args.output,
            name,
            completed_per_s=load.completed.per_second(),
            registered_per_s=load.registered.per_second(),
            bare_per_s=list(bare_result.get("per_second", [])),
            latencies_ms={
                "registration (with duplicate check)": [s * 1000 for s in load.registration_s],
                "status read during the day": [s * 1000 for s in load.read_s.values],
                f"status read at {args.read_target_rate:.0f}/s": [s * 1000 for s in read_phase.values],
                f"registration alone at {args.surge_rate:.0f}/s": [s * 1000 for s in surge_s],
                "full lifecycle": [s * 1000 for s in load.lifecycle_s],
            },
            title=f"An Sinh peak day: {args.requests} bags, {args.workers} worker(s), {args.apis} API(s)",
        )
        say(f"wrote {json_path} and {png_path}")
        return result
    finally:
        cluster.stop()
        if not args.keep:
            cluster.remove()


async def _cash_day(
    cluster: Cluster, api: Api, staff: dict[str, WardStaff], households: list[Household], share: float
) -> CashDay:
    asking = sum(asks_for_cash(h, share) for h in households)
    started = time.perf_counter()
    helpers = await sign_in_helpers(api, cluster.database_url, helpers_needed(asking))
    took = time.perf_counter() - started
    say(f"{asking} households will ask for cash; {len(helpers)} helpers signed in in {took:.0f} s")
    return CashDay(api, staff, helpers)


def _cash_result(cash: CashDay, share: float) -> dict[str, Any]:
    r = cash.result
    return {
        "share": share,
        "supported": len(r.supported.times),
        "sustained_per_s": round(r.supported.sustained_rate(), 2),
        "pledged_and_confirmed_vnd": r.pledged_vnd,
        # Registration to "supported": verification, publication, a pledge, its transfer and confirmation.
        "lifecycle_latency": summary_ms(r.lifecycle_s),
    }


def _sampler(cluster: Cluster) -> ResourceSampler:
    return ResourceSampler(lambda: cluster.process_groups() | {"bench": [psutil.Process().pid]})


async def _surge(
    cluster: Cluster, day: PeakDay, households: list[Household], args: argparse.Namespace
) -> tuple[dict[str, Any], list[float]]:
    """Registrations alone at --surge-rate: their latency, the rate the stack kept up, and their CPU."""
    say(f"registration surge: {len(households)} registrations at {args.surge_rate}/s, nobody verifying")
    sampler = _sampler(cluster)
    sampler.start()
    started = time.monotonic()
    latencies, admitted, done = await day.registration_surge(households, args.surge_rate)
    await sampler.stop()
    elapsed = time.monotonic() - started
    registered = max(len(latencies), 1)
    return {
        "offered_rate_per_s": args.surge_rate,
        "achieved_rate_per_s": round(done.sustained_rate(), 2),
        "elapsed_s": round(elapsed, 1),
        "latency": summary_ms(latencies),
        # Past capacity the API pauses registrations (usecases/relief/registration_gate.py): how long an admitted
        # one took, and how many answers said "come back in a moment".
        "answered_attempt_latency": summary_ms(admitted),
        "paused_answers": day.result.retries["surge:paused"],
        "cpu_ms_per_registration": sampler.cpu_ms_each(registered),
        # Nobody verifies them, so every surge request stays open: its workflow in the worker's cache (up to
        # WORKER_MAX_CACHED_WORKFLOWS) and in Temporal's. What an open request costs in memory on a real day.
        "pss_mb_per_1000_open_requests": {
            part: round(1000 * (usage.pss_mb[-1] - usage.pss_mb[0]) / registered, 1)
            for part, usage in sampler.usage.items()
        },
    }, latencies


async def _read_phase(cluster: Cluster, day: PeakDay, args: argparse.Namespace) -> tuple[Latencies, dict[str, Any]]:
    """Status reads alone at --read-target-rate, with what else ran meanwhile: each part's CPU (work left over
    from the day shows here) and the load generator's own collection pauses (they delay every read in flight)."""
    say(f"read phase: {args.read_target_rate} status reads/s for {args.read_seconds:.0f}s")
    sampler = _sampler(cluster)
    sampler.start()
    started = time.monotonic()
    collector_before = collector_pauses.snapshot(cluster.collector_folder, cluster.collected_parts())
    with GcPauses() as pauses:
        latencies = await day.read_phase(args.read_target_rate, args.read_seconds)
    ended = time.time()
    await sampler.stop()
    elapsed = time.monotonic() - started
    await asyncio.sleep(collector_pauses.WRITE_INTERVAL_S + 0.5)  # the probes' last writes
    collector_after = collector_pauses.snapshot(cluster.collector_folder, cluster.collected_parts(), ended)
    return latencies, {
        "cpu_cores_by_part": {part: round(u.cpu_seconds / elapsed, 2) for part, u in sampler.usage.items()},
        "bench_gc_pauses": pauses.report(),
        "collector_pauses": collector_pauses.between(collector_before, collector_after, cluster.collected_parts()),
        # Packed into a few seconds (a stall) or spread over the phase (queueing)?
        f"reads_over_{SLOW_READ_MS}_ms_by_second": latencies.slow_by_second(SLOW_READ_MS / 1000),
    }


async def _bare(cluster: Cluster, client: Any, args: argparse.Namespace) -> dict[str, Any]:
    say(f"bare ceiling: {args.bare_requests} no-op lifecycles on the same Temporal server")
    command = [sys.executable, "-m", "bench.bare", "worker", "--address", cluster.temporal_address]
    worker = Child.start("bare worker", command, env=cluster.child_env(), cwd=REPO_ROOT)
    # What a bare lifecycle costs each part, against what a bag costs: where our overhead is, not only how much.
    parts = {
        "temporal": cluster.process_groups()["temporal"],
        "bare worker": [worker.process.pid],
        "bench": [psutil.Process().pid],
    }
    sampler = ResourceSampler(lambda: parts)
    try:
        await asyncio.sleep(2)
        sampler.start()
        measuring = asyncio.create_task(bare.measure(client, args.bare_requests, args.bare_concurrency))
        try:
            while not measuring.done():
                worker.check_alive()  # a bare worker that died would leave the measurement waiting forever
                await asyncio.wait({measuring}, timeout=1.0)
        finally:
            measuring.cancel()
            await sampler.stop()
        return measuring.result() | {"cpu_ms_per_lifecycle": sampler.cpu_ms_each(args.bare_requests)}
    finally:
        worker.stop(10.0)


async def _profile(cluster: Cluster, args: argparse.Namespace, stamp: str) -> None:
    """py-spy flame graphs of worker 0 and API 0, from 10 s into the day (needs ptrace: root or CAP_SYS_PTRACE)."""
    await asyncio.sleep(10)
    args.output.mkdir(parents=True, exist_ok=True)
    targets = {"worker": cluster.worker_children[0].process.pid, "api": cluster.api_children[0].process.pid}
    procs = []
    for name, pid in targets.items():
        out = args.output / f"profile-{name}-{stamp}.svg"
        argv = [
            str(Path(sys.executable).parent / "py-spy"),
            "record",
            "-p",
            str(pid),
            "-d",
            str(int(args.profile)),
            "-o",
            str(out),
            "--nonblocking",
        ]
        procs.append(await asyncio.create_subprocess_exec(*argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for proc in procs:
        await proc.wait()


def _result(
    args: argparse.Namespace,
    load: LoadResult,
    bare_result: dict[str, Any],
    read_phase: Latencies,
    sampler: ResourceSampler,
    history: dict[str, object],
) -> dict[str, Any]:
    sustained = load.completed.sustained_rate()
    ceiling = bare_result.get("sustained_lifecycles_per_s")
    return {
        "machine": {
            "cpus": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "command": "python -m bench.peak_day " + " ".join(sys.argv[1:]),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "worker_tuning": worker_tuning(),
        "lifecycles": {
            "delivered": len(load.completed.times),
            "elapsed_s": round(load.elapsed_s, 1),
            "sustained_per_s": round(sustained, 2),
            "overall_per_s": round(len(load.completed.times) / load.elapsed_s, 2) if load.elapsed_s else None,
            "latency": summary_ms(load.lifecycle_s),
        },
        "bare_ceiling": {k: v for k, v in bare_result.items() if k != "per_second"},
        "ratio_to_bare": round(sustained / ceiling, 2) if ceiling else None,
        "registration": {
            "offered_rate_per_s": args.rate,
            "achieved_rate_per_s": round(load.registered.sustained_rate(), 2),
            "latency": summary_ms(load.registration_s),
            "answers": dict(load.answers),
            "repeats_not_refused": load.repeats_not_refused,
        },
        "status_read_during_day": {"rate_per_s": args.read_rate, "latency": summary_ms(load.read_s.values)},
        "status_read_phase": {
            "target_rate_per_s": args.read_target_rate,
            "achieved_rate_per_s": round(len(read_phase.values) / args.read_seconds, 1) if args.read_seconds else None,
            "latency": summary_ms(read_phase.values),
        },
        "resources": sampler.report(load.elapsed_s),
        # Linear cost: the stack's CPU per delivered bag, in quarters of the day, should stay flat.
        "stack_cpu_ms_per_delivered_by_quarter": sampler.cpu_ms_per_event(
            load.completed, [part for part in sampler.usage if part != "bench"]
        ),
        # Which part's cost moves, when the stack's does.
        "cpu_ms_per_delivered_by_quarter_by_part": {
            part: [q["cpu_ms_per_event"] for q in sampler.cpu_ms_per_event(load.completed, [part])]
            for part in sampler.usage
        },
        # If every part's cost moves together, was it the machine? A fixed piece of Python and the host's steal.
        "machine_by_quarter": sampler.machine_by_window(load.completed),
        "history": history,
        "errors": dict(load.errors),
        "retries": dict(load.retries),
    }


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def headline(result: dict[str, Any]) -> list[str]:
    lc, reg = result["lifecycles"], result["registration"]
    res = result["resources"]
    lines = [
        f"full lifecycles: {lc['delivered']} delivered, sustained {lc['sustained_per_s']}/s "
        f"(bare ceiling {result['bare_ceiling'].get('sustained_lifecycles_per_s')}/s, ratio {result['ratio_to_bare']}; "
        f"CPU ms per bare lifecycle {result['bare_ceiling'].get('cpu_ms_per_lifecycle')})",
        f"registration at {reg['achieved_rate_per_s']}/s: {_pcts(reg['latency'])}; answers {reg['answers']}; "
        f"repeats not refused: {reg['repeats_not_refused']}",
        f"status read during the day: {_pcts(result['status_read_during_day']['latency'])}",
        f"status read phase at {result['status_read_phase']['achieved_rate_per_s']}/s: "
        f"{_pcts(result['status_read_phase']['latency'])}; CPU cores meanwhile "
        f"{result['status_read_phase'].get('cpu_cores_by_part')}; "
        f"the bench's GC pauses {result['status_read_phase'].get('bench_gc_pauses')}; reads over {SLOW_READ_MS} ms "
        f"by the second they began {result['status_read_phase'].get(f'reads_over_{SLOW_READ_MS}_ms_by_second')}; "
        f"the stack's GC pauses meanwhile {result['status_read_phase'].get('collector_pauses')}",
        f"the bench's GC pauses during the day: {result['bench_gc_pauses_during_day']}; "
        f"the stack's: {result['collector_pauses_during_day']}",
        f"history events per request: {result['history'].get('events_per_request')}",
        f"supply: {result['supply']['bags_issued']} bags issued for {result['supply']['delivered']} deliveries, "
        f"{result['supply']['bags_traced_to_donations']} traced to donation lines, "
        f"{result['supply']['ledger_discrepancies']} ledger discrepancies",
    ]
    if cash := result["cash"]:
        lines.append(
            f"cash support ({cash['share']:.0%} of households): {cash['supported']} supported, sustained "
            f"{cash['sustained_per_s']}/s, {cash['pledged_and_confirmed_vnd']:,} VND pledged and confirmed; "
            f"registration to supported {_pcts(cash['lifecycle_latency'])}"
        )
    if surge := result["registration_surge"]:
        lines.append(
            f"registrations alone offered at {surge['offered_rate_per_s']}/s, kept {surge['achieved_rate_per_s']}/s: "
            f"{_pcts(surge['latency'])} from the first try; {surge['paused_answers']} paused answers, the answered "
            f"attempt {_pcts(surge['answered_attempt_latency'])}; "
            f"CPU ms per registration {surge['cpu_ms_per_registration']}; "
            f"PSS MB per 1000 open requests {surge['pss_mb_per_1000_open_requests']}"
        )
    delivered = max(lc["delivered"], 1)
    for part, u in res.items():
        lines.append(
            f"  {part:<9} cpu {u['cpu_cores_avg']} cores ({1000 * u['cpu_seconds'] / delivered:.0f} ms per bag), "
            f"peak PSS {u['peak_pss_mb']} MB, growth {u['pss_growth_ratio']}"
        )
    if workers_said := result["worker_metrics"]:
        lines.append(
            f"workers: {workers_said['workflow_tasks']} workflow tasks, sticky cache hits "
            f"{workers_said['sticky_cache_hits']}, misses {workers_said['sticky_cache_misses']}, forced evictions "
            f"{workers_said['forced_evictions']}; "
            f"mean ms {workers_said['mean_ms']}; calls to Temporal per bag {workers_said['calls_to_temporal_per_bag']}"
        )
    pg = result["postgres_work_per_bag"]
    tables = "; ".join(
        f"{name} {t['seq_tup_read'] + t['idx_tup_fetch']:.0f} rows ({t['seq_scan']} sequential scans)"
        for name, t in pg["tables_read_most"].items()
    )
    lines.append(f"PostgreSQL per bag: {pg['database']}; read most: {tables}")
    quarters = result["stack_cpu_ms_per_delivered_by_quarter"]
    lines.append(
        f"stack CPU ms per bag by quarter of the day: {[q['cpu_ms_per_event'] for q in quarters]}; by part: "
        f"{result['cpu_ms_per_delivered_by_quarter_by_part']}; the machine by quarter (fixed work ms, steal share): "
        f"{[(q['fixed_work_ms'], q['steal_share']) for q in result['machine_by_quarter']]}"
    )
    if result["errors"]:
        lines.append(f"errors: {result['errors']}")
    return lines


def _pcts(latency: dict[str, Any]) -> str:
    return f"p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms, p99 {latency['p99_ms']} ms (n={latency['count']})"


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM (a CI timeout, `timeout`) stops like Ctrl-C: asyncio cancels the run and the stack is stopped.
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    # uvloop (from uvicorn[standard]): the load generator shares the machine, so it should cost little.
    result = uvloop.run(run(parse()))
    for line in headline(result):
        say(line)
    failed = (
        result["errors"] or result["registration"]["repeats_not_refused"] or not result["supply"]["every_bag_traced"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
