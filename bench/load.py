"""The peak day through the real HTTP API: citizens register in bursts (some a second time, which the
14-day rule must refuse), the ward's official approves, the automatically assigned courier confirms with a
photo (multipart), and citizens read their status. Every latency and completion is recorded."""

import asyncio
import gc
import io
import itertools
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

import aiohttp
from PIL import Image

from bench.metrics import Latencies, Series
from bench.population import Household
from bench.staffing import WardStaff

if TYPE_CHECKING:
    from bench.cash_day import CashDay

API = "/api/v1"
LIFECYCLE_TIMEOUT_S = 600.0
PROGRESS_EVERY_S = 60.0
MAX_RETRY_AFTER_S = 60  # longer than a person waits with the form open


@dataclass(frozen=True)
class LoadOptions:
    requests: int  # households that get a bag
    rate: float  # registrations/s on average
    repeat_share: float  # extra registrations by households already served, as a share of `requests`
    burst: float  # registrations arrive at burst × rate for 2 s of every 10 s, slower in between
    read_rate: float  # status reads/s while the day runs
    max_in_flight: int
    photo_side: int  # pixels across the courier's proof photo
    cash_share: float = 0.0  # households that ask for cash instead of a bag (bench/cash_day.py)


@dataclass
class Served:
    household: Household
    code: str
    citizen_token: str


@dataclass
class LoadResult:
    registration_s: list[float] = field(default_factory=list)
    lifecycle_s: list[float] = field(default_factory=list)
    read_s: Latencies = field(default_factory=Latencies)
    registered: Series = field(default_factory=Series)
    completed: Series = field(default_factory=Series)
    answers: Counter[str] = field(default_factory=Counter)  # registration answers: stage or refusal
    repeats_not_refused: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)
    elapsed_s: float = 0.0


def photos(count: int = 32, side: int = 96) -> list[bytes]:
    """Distinct JPEGs `side` pixels wide at 4:3, each a different file in the photo store. The grain gives them a
    real photo's size: ~4 MB at a phone camera's 4000 pixels, ~0.6 MB at the courier page's 1600."""
    out = []
    for i in range(count):
        grain = Image.effect_noise((side, side * 3 // 4), 16).convert("RGB")
        tint = Image.new("RGB", grain.size, (i * 7 % 256, 120, 255 - i * 5 % 256))
        buffer = io.BytesIO()
        Image.blend(grain, tint, 0.5).save(buffer, format="JPEG", quality=90)
        out.append(buffer.getvalue())
    return out


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class PhotoForm:
    """A proof of delivery: the recipient's fields and a JPEG, as multipart/form-data."""

    fields: dict[str, str]
    filename: str
    photo: bytes

    def form_data(self) -> aiohttp.FormData:
        """A fresh body for each attempt: aiohttp consumes a FormData when it sends it."""
        form = aiohttp.FormData(self.fields)
        form.add_field("photo", self.photo, filename=self.filename, content_type="image/jpeg")
        return form


@dataclass(frozen=True)
class Answer:
    """An answer read in full: the bench only needs its status, its small body, the Retry-After it asked for and
    how long its own attempt took (earlier refused attempts not counted)."""

    status_code: int
    body: bytes
    retry_after_s: int | None = None
    took_s: float = 0.0

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class Api:
    """Round robin over the API processes; a transient failure (a restart, a timeout) is retried.

    aiohttp rather than httpx: the bench shares the machine it measures, and httpx's connection pool rescans
    every waiting request on every change, so with thousands of reads in flight a read cost it ~10 ms of CPU.
    """

    def __init__(self, urls: list[str], result: LoadResult) -> None:
        self.session = aiohttp.ClientSession(
            # 400 connections per API; like httpx's timeout=60, each step (pool wait + connect, each read) may
            # take 60 s and the whole has no limit.
            connector=aiohttp.TCPConnector(limit=400 * len(urls), limit_per_host=400),
            timeout=aiohttp.ClientTimeout(total=None, connect=60, sock_read=60),
            cookie_jar=aiohttp.DummyCookieJar(),  # the API sets no cookies; each person is their own device
        )
        self._next = itertools.cycle([url + API for url in urls])
        self.result = result

    async def call(
        self,
        method: str,
        path: str,
        *,
        what: str,
        attempts: int = 60,
        headers: dict[str, str] | None = None,
        json: Any = None,
        form: PhotoForm | None = None,
    ) -> Answer:
        delay = 0.1
        for attempt in range(attempts):
            wait = delay
            try:
                started = time.monotonic()
                async with self.session.request(
                    method, next(self._next) + path, headers=headers, json=json, data=form and form.form_data()
                ) as response:
                    retry_after = response.headers.get("Retry-After")
                    answer = Answer(
                        response.status,
                        await response.read(),
                        int(retry_after) if retry_after and retry_after.isdigit() else None,
                        time.monotonic() - started,
                    )
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.result.retries[f"{what}:{type(exc).__name__}"] += 1
            else:
                if answer.status_code < 500 and answer.status_code != 429 and not _busy(answer):
                    return answer
                paused = answer.status_code == 503 and b"RegistrationsPaused" in answer.body
                self.result.retries[f"{what}:{'paused' if paused else answer.status_code}"] += 1
                # As a phone would: back when the server asked, not sooner.
                wait = max(delay, min(answer.retry_after_s or 0, MAX_RETRY_AFTER_S))
            if attempt + 1 < attempts:
                await asyncio.sleep(wait)
                delay = min(delay * 1.5, 2.0)
        raise RuntimeError(f"{what}: no answer after {attempts} attempts")

    async def close(self) -> None:
        await self.session.close()


def _busy(answer: Answer) -> bool:
    """409 'being processed': the workflow is between two steps; the person taps again a moment later."""
    return answer.status_code == 409 and b"processed" in answer.body


def asks_for_cash(household: Household, share: float) -> bool:
    """Whether this household asks for cash: `share` of them, spread evenly over the day (golden-ratio steps)."""
    return (household.index * 0.6180339887498949) % 1.0 < share


class PeakDay:
    def __init__(
        self,
        api: Api,
        households: list[Household],
        staff: dict[str, WardStaff],
        opts: LoadOptions,
        say: Callable[[str], None] = print,
        cash: "CashDay | None" = None,
    ) -> None:
        self.api = api
        self.say = say
        self.households = households[: opts.requests]
        self.staff = staff
        self.opts = opts
        self.result = api.result
        self.served: list[Served] = []
        self.delivered: list[Served] = []
        self._photos = photos(8, opts.photo_side)  # a few distinct ones: the store keeps each photo once
        self._rng = random.Random(14)
        self._slots = asyncio.Semaphore(opts.max_in_flight)
        self.cash = cash

    async def run(self) -> LoadResult:
        start = time.monotonic()
        self.result.registered = Series(start)
        self.result.completed = Series(start)
        stop_reads = asyncio.Event()
        reader = asyncio.create_task(self._reads(self.opts.read_rate, stop_reads, self.result.read_s))
        progress = asyncio.create_task(self._progress(start))
        tasks: list[asyncio.Task[None]] = []
        repeats = round(self.opts.requests * self.opts.repeat_share)
        plan = [True] * len(self.households) + [False] * repeats
        # Repeats come after their households have been served: none in the first fifth of the day.
        head = len(plan) // 5
        rest = plan[head:]
        self._rng.shuffle(rest)
        plan = plan[:head] + rest
        fresh = iter(self.households)
        for n, is_new in enumerate(plan):
            await self._pace(n, start)
            await self._slots.acquire()
            if is_new:
                work = self._lifecycle(next(fresh))
            else:
                work = self._repeat()
            task = asyncio.create_task(work)
            task.add_done_callback(lambda _: self._slots.release())
            tasks.append(task)
        try:
            await asyncio.gather(*tasks, return_exceptions=False)
        finally:
            progress.cancel()
        stop_reads.set()
        await reader
        self.result.elapsed_s = time.monotonic() - start
        return self.result

    async def _progress(self, start: float) -> None:
        """A line a minute on a day that may run for hours: bags delivered, the last minute's rate, what is left."""
        done_before = 0
        while True:
            await asyncio.sleep(PROGRESS_EVERY_S)
            # What a minute of the day added (served households, latencies) is kept to the end: frozen, a full
            # collection does not walk it again (a 20,000-bag day's longest pause was 277 ms without this).
            gc.freeze()
            done = len(self.result.completed.times)
            rate = (done - done_before) / PROGRESS_EVERY_S
            done_before = done
            left = self.opts.requests - done
            eta = f"{left / rate / 60:.0f} min left at this rate" if rate > 0 else "none delivered this minute"
            errors = sum(self.result.errors.values())
            self.say(
                f"{time.monotonic() - start:.0f} s: {done}/{self.opts.requests} delivered, {rate:.1f}/s over the last "
                f"minute, {len(self.result.registration_s)} registered, {errors} errors; {eta}"
            )

    async def _pace(self, n: int, start: float) -> None:
        """Open-loop arrivals: burst × rate for 2 s of every 10 s, and a slower rate for the other 8 s."""
        fast = self.opts.rate * self.opts.burst
        slow = max(self.opts.rate * (10 - 2 * self.opts.burst) / 8, self.opts.rate * 0.05)
        per_cycle = 2 * fast + 8 * slow
        cycle, within = divmod(n, per_cycle)
        offset = within / fast if within < 2 * fast else 2 + (within - 2 * fast) / slow
        due = start + cycle * 10 + offset
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _register(self, household: Household, form: dict[str, object] | None = None) -> dict[str, Any]:
        started = time.monotonic()
        answer = await self.api.call("POST", "/requests", what="register", json=form or household.registration())
        if answer.status_code != 201:
            raise RuntimeError(f"registration answered {answer.status_code}: {answer.text[:200]}")
        self.result.registration_s.append(time.monotonic() - started)
        self.result.registered.mark()
        body: dict[str, Any] = answer.json()
        self.result.answers[body["refusal"] or body["stage"]] += 1
        return body

    async def _lifecycle(self, household: Household) -> None:
        try:
            # A lifecycle that cannot finish (a broken build, a stuck server) is counted, not waited for forever.
            async with asyncio.timeout(LIFECYCLE_TIMEOUT_S):
                if self.cash is not None and asks_for_cash(household, self.opts.cash_share):
                    await self.cash.serve(household, self._register)
                else:
                    await self._serve(household)
        except Exception as exc:  # counted, never silent: a failed lifecycle shows in the report
            self.result.errors[f"lifecycle:{type(exc).__name__}:{str(exc)[:80]}"] += 1

    async def _serve(self, household: Household) -> None:
        started = time.monotonic()
        body = await self._register(household)
        if body["stage"] != "awaiting_verification":
            raise RuntimeError(f"a new household was answered {body['stage']}")
        served = Served(household, body["code"], body["citizen_token"])
        self.served.append(served)
        ward = self.staff[household.ward.code]
        official = bearer(ward.official_token)
        decided = await self.api.call(
            "POST", f"/requests/{served.code}/verification", what="approve", json={"approve": True}, headers=official
        )
        if decided.status_code != 200:
            raise RuntimeError(f"approval answered {decided.status_code}: {decided.text[:200]}")
        courier_id = await self._assigned_courier(served.code, official)
        proof = {"recipient_national_id": household.national_id, "recipient_phone": household.phone}
        photo = self._photos[household.index % len(self._photos)]
        delivered = await self.api.call(
            "POST",
            f"/requests/{served.code}/delivery",
            what="deliver",
            form=PhotoForm(proof, "bag.jpg", photo),
            headers=bearer(ward.courier_tokens[courier_id]),
        )
        if delivered.status_code != 200 or delivered.json()["stage"] != "delivered":
            raise RuntimeError(f"delivery answered {delivered.status_code}: {delivered.text[:200]}")
        self.result.lifecycle_s.append(time.monotonic() - started)
        self.result.completed.mark()
        self.delivered.append(served)

    async def _assigned_courier(self, code: str, official: dict[str, str]) -> UUID:
        """The courier's app learns of the delivery; here the official's status view names the courier."""
        # Backing off: a fixed short poll of every open lifecycle would be most of the API's load.
        delay = 0.3
        for _ in range(200):
            await asyncio.sleep(delay)
            view = await self.api.call("GET", f"/requests/{code}", what="courier-poll", headers=official)
            body = view.json()
            if body["stage"] == "out_for_delivery" and body["courier_id"]:
                return UUID(body["courier_id"])
            delay = min(delay * 2, 5.0)
        raise RuntimeError(f"{code} was never assigned a courier")

    async def _repeat(self) -> None:
        """A household already served registers again: the answer must be a refusal."""
        try:
            for _ in range(600):  # early in the day nobody may have been served yet
                if pool := self.delivered or self.served:
                    break
                await asyncio.sleep(0.5)
            else:
                raise RuntimeError("nobody was served to register again")
            body = await self._register(self._rng.choice(pool).household)
            if body["stage"] != "refused":
                self.result.repeats_not_refused += 1
        except Exception as exc:
            self.result.errors[f"repeat:{type(exc).__name__}:{str(exc)[:80]}"] += 1

    async def _reads(self, rate: float, stop: asyncio.Event, into: Latencies) -> None:
        """Citizens open their status page at `rate`/s (open loop), each with their own session token."""
        if rate <= 0:
            return
        pending: set[asyncio.Task[None]] = set()
        start = time.monotonic()
        n = 0
        while not stop.is_set():
            n += 1
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if not self.served:
                continue
            task = asyncio.create_task(self._read(self._rng.choice(self.served), into))
            pending.add(task)
            task.add_done_callback(pending.discard)
        await asyncio.gather(*pending)

    async def _read(self, served: Served, into: Latencies) -> None:
        started = time.monotonic()
        try:
            answer = await self.api.call(
                "GET", f"/requests/{served.code}", what="status", headers=bearer(served.citizen_token), attempts=1
            )
            if answer.status_code == 200:
                into.add(started, time.monotonic() - started)
            else:
                self.result.errors[f"status:{answer.status_code}"] += 1
        except Exception as exc:
            self.result.errors[f"status:{type(exc).__name__}"] += 1

    async def registration_surge(
        self, households: list[Household], rate: float
    ) -> tuple[list[float], list[float], Series]:
        """Registrations alone, at a steady `rate`/s (open loop), that nobody verifies: a launch day, when
        citizens register far faster than wards verify. Each latency includes the duplicate check's answer; the
        first list counts from the first try (with the waits the API asked for while it paused registrations),
        the second only the attempt that was answered."""
        latencies: list[float] = []
        admitted: list[float] = []
        done = Series()

        async def register(household: Household) -> None:
            started = time.monotonic()
            try:
                answer = await self.api.call("POST", "/requests", what="surge", json=household.registration())
                if answer.status_code != 201 or answer.json()["stage"] != "awaiting_verification":
                    raise RuntimeError(f"a new household was answered {answer.status_code}: {answer.text[:120]}")
            except Exception as exc:  # counted, never silent
                self.result.errors[f"surge:{type(exc).__name__}:{str(exc)[:80]}"] += 1
                return
            latencies.append(time.monotonic() - started)
            admitted.append(answer.took_s)
            done.mark()

        tasks = []
        for n, household in enumerate(households):
            delay = done.start + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(register(household)))
        await asyncio.gather(*tasks)
        return latencies, admitted, done

    async def read_phase(self, rate: float, seconds: float) -> Latencies:
        """Status reads alone at `rate`/s for `seconds`: the read path's latency at its target rate."""
        latencies = Latencies()
        stop = asyncio.Event()
        task = asyncio.create_task(self._reads(rate, stop, latencies))
        await asyncio.sleep(seconds)
        stop.set()
        await task
        return latencies
