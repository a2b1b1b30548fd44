"""What the bench records: latencies, completion times, and CPU and memory (PSS) of each part's process tree."""

import asyncio
import bisect
import gc
import itertools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict[str, float | int | None]:
    ms = [s * 1000 for s in seconds]
    return {
        "count": len(ms),
        "p50_ms": _round(percentile(ms, 50)),
        "p95_ms": _round(percentile(ms, 95)),
        "p99_ms": _round(percentile(ms, 99)),
        "max_ms": _round(max(ms) if ms else None),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass
class Series:
    """Event times (seconds since the run's start), for throughput over time."""

    start: float = field(default_factory=time.monotonic)
    times: list[float] = field(default_factory=list)

    def mark(self) -> None:
        self.times.append(time.monotonic() - self.start)

    def per_second(self) -> list[int]:
        if not self.times:
            return []
        buckets = [0] * (int(max(self.times)) + 1)
        for t in self.times:
            buckets[int(t)] += 1
        return buckets

    def sustained_rate(self, trim: float = 0.1) -> float:
        """Events/s between the first and last `trim` share of events: ramp-up and tail left out."""
        if len(self.times) < 20:
            return len(self.times) / max(self.times[-1], 1e-9) if self.times else 0.0
        ordered = sorted(self.times)
        lo, hi = int(len(ordered) * trim), int(len(ordered) * (1 - trim)) - 1
        span = ordered[hi] - ordered[lo]
        return (hi - lo) / span if span > 0 else 0.0


@dataclass
class Latencies:
    """Latencies in seconds, each with the second of the run it began in: a tail spread over the run is queueing,
    one packed into a few seconds is a stall (a checkpoint, a collection, a lock)."""

    origin: float = field(default_factory=time.monotonic)
    values: list[float] = field(default_factory=list)
    began: list[float] = field(default_factory=list)  # seconds since `origin`

    def add(self, began: float, took: float) -> None:
        self.began.append(began - self.origin)
        self.values.append(took)

    def slow_by_second(self, over_s: float) -> dict[int, int]:
        """How many took longer than `over_s`, by the second they began in; seconds without any left out."""
        slow: defaultdict[int, int] = defaultdict(int)
        for began, took in zip(self.began, self.values, strict=True):
            if took > over_s:
                slow[int(began)] += 1
        return dict(sorted(slow.items()))


class GcPauses:
    """The load generator's own garbage-collection pauses while it measures: a pause delays every request it has in
    flight, so a latency tail that matches them is the bench's, not the stack's."""

    def __init__(self) -> None:
        self.pauses_ms: list[float] = []
        self._began = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.pauses_ms.append((time.perf_counter() - self._began) * 1000)

    def __enter__(self) -> "GcPauses":
        # What the bench holds for the rest of the run (households, staff, the day's records) is never garbage:
        # frozen, a full collection no longer walks it.
        gc.collect()
        gc.freeze()
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def report(self) -> dict[str, float | int]:
        return {
            "collections": len(self.pauses_ms),
            "total_ms": round(sum(self.pauses_ms), 1),
            "max_ms": round(max(self.pauses_ms, default=0.0), 1),
        }


@dataclass
class PartUsage:
    cpu_seconds: float = 0.0
    peak_pss_mb: float = 0.0
    pss_mb: list[float] = field(default_factory=list)  # per sample: flat or growing?
    cpu_total: list[float] = field(default_factory=list)  # per sample, cumulative: does cost grow over the run?


def _fixed_python_work() -> float:
    """CPU milliseconds a fixed piece of Python takes: it rises when the machine, not our code, gets slower (a
    neighbour on the host thrashing the caches, a lower clock)."""
    start = time.thread_time()
    total = 0
    for i in range(100_000):
        total += i * i % 7
    return 1000 * (time.thread_time() - start)


class ResourceSampler:
    """Samples each part's process tree (root pids and all their children) every `interval` seconds; a process
    in several trees counts in the first part that lists it. Every `probe_every` samples it also times a fixed
    piece of work and reads the host's steal time, so a cost that grows can be told from a machine that slows."""

    def __init__(
        self, groups: Callable[[], dict[str, list[int]]], interval: float = 1.0, probe_every: int = 10
    ) -> None:
        self._groups = groups
        self._interval = interval
        self._probe_every = probe_every
        self.probes: list[tuple[float, float]] = []  # (seconds since `start`, ms the fixed work took)
        self.steal_total: list[float] = []  # per sample, cumulative CPU seconds the host ran others on our CPUs
        self._table = _ProcessTable()
        self._cpu: dict[int, float] = {}  # last seen CPU time per pid, so restarted processes add up
        self._owner: dict[int, str] = {}  # the part each pid's CPU was counted in
        self._reapers: set[int] = set()  # parents of another part's root (the bench, of the stack it started)
        self.usage: dict[str, PartUsage] = {}
        self.sample_times: list[float] = []  # seconds since `start`
        self._start = time.monotonic()
        self._task: asyncio.Task[None] | None = None

    def sample(self) -> None:
        now = round(time.monotonic() - self._start, 1)
        self.sample_times.append(now)
        self.steal_total.append(getattr(psutil.cpu_times(), "steal", 0.0))
        if len(self.sample_times) % self._probe_every == 1:
            self.probes.append((now, _fixed_python_work()))
        self._table.refresh()
        groups = self._groups()
        # A process that started another part (the bench starts the stack) must not count that part's CPU when
        # it reaps it; everywhere else a child's CPU flows into its parent's reaped-children time on exit.
        parents = self._table.parents
        self._reapers |= {parents[root] for roots in groups.values() for root in roots if root in parents}
        for pid, parent in self._table.gone.items():
            counted, owner = self._cpu.pop(pid, 0.0), self._owner.pop(pid, None)
            if owner is not None and parent in self._table.procs and parent not in self._reapers:
                self.usage[owner].cpu_seconds -= counted  # its parent's reaped time now holds all of it
        for part, roots in groups.items():
            usage = self.usage.setdefault(part, PartUsage())
            pss = 0.0
            for proc in self._table.trees(roots):
                try:
                    with proc.oneshot():
                        cpu = proc.cpu_times()
                        # PSS, not RSS: PostgreSQL's shared buffers, mapped by every backend, count once.
                        pss += proc.memory_full_info().pss / 2**20
                    total = cpu.user + cpu.system
                    if proc.pid not in self._reapers:
                        # Children that exited between samples (PostgreSQL's backends come and go) count in full.
                        total += cpu.children_user + cpu.children_system
                    usage.cpu_seconds += total - self._cpu.get(proc.pid, 0.0)
                    self._cpu[proc.pid] = total
                    self._owner[proc.pid] = part
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
            usage.pss_mb.append(round(pss, 1))
            usage.cpu_total.append(usage.cpu_seconds)
            usage.peak_pss_mb = max(usage.peak_pss_mb, pss)

    async def _run(self) -> None:
        while True:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(self._interval)

    def start(self) -> None:
        self._start = time.monotonic()
        self.sample()
        # The first sample is the baseline: CPU used before the window (start-up, seeding, sign-ins) is not counted.
        for usage in self.usage.values():
            usage.cpu_seconds = 0.0
            usage.cpu_total = [0.0]
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self.sample()

    def report(self, elapsed: float) -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for part, u in self.usage.items():
            tail = u.pss_mb[len(u.pss_mb) // 2 :]
            head = u.pss_mb[: max(1, len(u.pss_mb) // 4)]
            out[part] = {
                "cpu_seconds": round(u.cpu_seconds, 1),
                "cpu_cores_avg": round(u.cpu_seconds / elapsed, 2) if elapsed > 0 else None,
                "peak_pss_mb": round(u.peak_pss_mb, 1),
                # Memory of the last half against the first quarter: flat memory stays near 1.0.
                "pss_growth_ratio": round(max(tail) / max(max(head), 1e-9), 2) if tail else None,
                "pss_mb_samples": u.pss_mb,
            }
        return out

    def cpu_ms_each(self, count: int) -> dict[str, float]:
        """Each part's CPU milliseconds per one of `count` things done in the window (bags, registrations)."""
        return {part: round(1000 * u.cpu_seconds / max(count, 1), 1) for part, u in self.usage.items()}

    def cpu_ms_per_event(self, events: Series, parts: list[str], windows: int = 4) -> list[dict[str, float]]:
        """CPU of `parts` per event in each of `windows` equal slices of the time between the first and last
        event: flat when the cost of a request does not grow with the number already done."""
        out = []
        for lo, hi, count in self._windows(events, windows):
            cpu = sum(
                self._at(self.usage[part].cpu_total, hi) - self._at(self.usage[part].cpu_total, lo) for part in parts
            )
            out.append({"from_s": round(lo, 1), "to_s": round(hi, 1), "events": count,
                        "cpu_ms_per_event": round(1000 * cpu / count, 1) if count else 0.0})  # fmt: skip
        return out

    def machine_by_window(self, events: Series, windows: int = 4) -> list[dict[str, float | None]]:
        """In the same slices: the fixed work's mean CPU ms and the host's steal time as a share of our CPUs."""
        out: list[dict[str, float | None]] = []
        for lo, hi, _ in self._windows(events, windows):
            probes = [ms for t, ms in self.probes if lo <= t < hi]
            steal = self._at(self.steal_total, hi) - self._at(self.steal_total, lo)
            capacity = (hi - lo) * (psutil.cpu_count() or 1)
            out.append({"fixed_work_ms": round(sum(probes) / len(probes), 2) if probes else None,
                        "steal_share": round(steal / capacity, 3) if capacity else None})  # fmt: skip
        return out

    def _windows(self, events: Series, windows: int) -> list[tuple[float, float, int]]:
        """`windows` equal slices of the time between the first and last event, on the sampler's clock, with
        the events in each."""
        if len(events.times) < 2 * windows or len(self.sample_times) < 2:
            return []
        offset = events.start - self._start  # events' clock against the sampler's
        times = sorted(t + offset for t in events.times)
        first, last = times[0], times[-1]
        edges = [first + (last - first) * i / windows for i in range(windows + 1)]
        return [
            (lo, hi, sum(1 for t in times if lo <= t < hi) + (1 if hi == last else 0))
            for lo, hi in itertools.pairwise(edges)
        ]

    def _at(self, series: list[float], t: float) -> float:
        """A cumulative per-sample series' value at time `t`, interpolated between samples."""
        times = self.sample_times[-len(series) :]  # samples before the baseline are not in `series`
        i = bisect.bisect_left(times, t)
        if i == 0:
            return series[0]
        if i >= len(times):
            return series[-1]
        t0, t1 = times[i - 1], times[i]
        return series[i - 1] + (series[i] - series[i - 1]) * (t - t0) / (t1 - t0 or 1e-9)


class _ProcessTable:
    """Every process and its parent. Kept between samples so that only new processes are read: psutil's
    children() reads every process on the machine on every call."""

    def __init__(self) -> None:
        self.procs: dict[int, psutil.Process] = {}
        self.parents: dict[int, int] = {}
        self.children: defaultdict[int, list[int]] = defaultdict(list)
        self.taken: set[int] = set()
        self.gone: dict[int, int] = {}  # pid -> parent, of the processes that exited since the last refresh

    def refresh(self) -> None:
        pids = set(psutil.pids())
        self.gone = {pid: self.parents[pid] for pid in self.procs.keys() - pids}
        for pid in self.gone:
            del self.procs[pid], self.parents[pid]
        for pid in pids - self.procs.keys():
            try:
                proc = psutil.Process(pid)
                self.parents[pid] = proc.ppid()
            except psutil.Error:  # gone already
                continue
            self.procs[pid] = proc
        self.children.clear()
        for pid, parent in self.parents.items():
            self.children[parent].append(pid)
        self.taken.clear()

    def trees(self, roots: list[int]) -> list[psutil.Process]:
        """The roots and their descendants, except those an earlier part took: the bench's own tree holds the
        whole stack, and a process read twice in one sample would add the CPU it used in between to both."""
        pids = [pid for pid in roots if pid in self.procs and pid not in self.taken]
        for pid in pids:  # the list grows while it is walked: breadth first down the tree
            pids.extend(child for child in self.children[pid] if child not in self.taken)
        self.taken.update(pids)
        return [self.procs[pid] for pid in pids]
