"""Admission control on the real stack: past as many registrations waiting as the workers answer, the next are
answered 503 at once with Retry-After and nothing recorded, and are taken again once the workers answer; none
waits longer than the gate's bound, so an outage cannot hold the gate shut (usecases/relief/registration_gate.py)."""

import asyncio
import time
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from db.base import transaction
from db.requests import ReliefRequest
from tests import live_stack
from tests.factories import WARD
from texts import text
from usecases.relief.registration_gate import LONGEST_WAIT_FACTOR, MIN_IN_FLIGHT, RegistrationGate, RegistrationsPaused
from web.csrf import CSRF_COOKIE, form_token
from worker import running


def household(n: int) -> dict[str, object]:
    return {
        "kind": "food_bag",
        "full_name": "Lê Thị Hoa",
        "national_id": f"07920300{n:04d}",
        "phone": f"+849123400{n:02d}",
        "address": f"{n} Lê Lợi, Phường Bến Nghé",
        "ward_code": WARD,
        "household_size": 2,
    }


async def recorded_requests() -> int:
    async with transaction() as session:
        return (await session.execute(select(func.count()).select_from(ReliefRequest))).scalar_one()


async def test_registrations_past_what_the_workers_answer_are_paused_at_once_and_taken_again_after(
    database_url: str, tmp_path: Path, db: None
) -> None:
    async with live_stack.dev_server() as env:
        settings = live_stack.stack_settings(env, database_url, tmp_path, registration_max_wait=timedelta(seconds=2))
        async with (
            live_stack.serving(env, settings, worker=False) as base,
            httpx.AsyncClient(base_url=base, timeout=60) as http,
        ):
            # No worker yet, nothing answered: as many registrations wait as a quiet API lets in.
            waiting = [
                asyncio.create_task(http.post("/api/v1/requests", json=household(n))) for n in range(MIN_IN_FLIGHT)
            ]
            await asyncio.sleep(1.5)  # each has passed the gate and waits in Temporal's queue
            assert not any(task.done() for task in waiting)

            # The next is refused at once, in the citizen's language, with when to come back.
            start = time.monotonic()
            paused = await http.post("/api/v1/requests", json=household(90), timeout=5)
            assert time.monotonic() - start < 0.5
            assert paused.status_code == 503, paused.text
            assert paused.json()["kind"] == "RegistrationsPaused"
            assert paused.json()["code"] == "registrations_paused"
            assert paused.json()["detail"] == text(
                "vi", "api.registrations_paused", seconds=paused.headers["Retry-After"]
            )
            assert 1 <= int(paused.headers["Retry-After"]) <= 60

            # The citizen's page keeps what was typed and says nothing was sent yet.
            nonce = "gate-nonce"
            form = {"ward_code": WARD, "full_name": "Lê Thị Hoa", "national_id": "079203000091",
                    "phone": "0912340091", "address": "91 Lê Lợi", "household_size": "2"}  # fmt: skip
            page = await http.post(
                "/dang-ky",
                data={"csrf_token": form_token(settings, nonce), **form},
                headers={"Cookie": f"{CSRF_COOKIE}={nonce}"},
            )
            assert page.status_code == 503 and "Retry-After" in page.headers
            assert "CHƯA được gửi" in page.text and 'value="079203000091"' in page.text

            # A worker comes: those waiting are answered, and registrations are taken again.
            async with running(env.client, settings.task_queue):
                answers = await asyncio.gather(*waiting)
                assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
                again = await http.post("/api/v1/requests", json=household(90))
                assert again.status_code == 201, again.text
    # The refused ones recorded nothing: those that waited and the one taken after.
    assert await recorded_requests() == MIN_IN_FLIGHT + 1


async def test_registrations_stuck_in_an_outage_are_told_to_come_back_and_the_gate_admits_again() -> None:
    gate = RegistrationGate(timedelta(milliseconds=100))  # each may wait LONGEST_WAIT_FACTOR × 0.1 s
    outage = asyncio.Event()  # never set: calls lost in the outage, which nothing will ever answer

    async def register() -> None:
        async with gate.admitted():
            await outage.wait()

    # The floor's few are let in while nothing is answered; they hold the gate full.
    stuck = [asyncio.create_task(register()) for _ in range(MIN_IN_FLIGHT)]
    await asyncio.sleep(0)
    with pytest.raises(RegistrationsPaused):
        async with gate.admitted():
            pass

    # Past the bound, each is answered "come back later" instead of waiting for ever...
    async with asyncio.timeout(100 * LONGEST_WAIT_FACTOR * 0.1):
        answers = await asyncio.gather(*stuck, return_exceptions=True)
    assert all(isinstance(a, RegistrationsPaused) and a.retry_after_seconds >= 1 for a in answers), answers
    # ...and the gate takes registrations again.
    async with gate.admitted():
        pass


async def test_answers_slower_than_the_wait_aimed_at_still_let_more_in_than_the_floor() -> None:
    gate = RegistrationGate(timedelta(seconds=1))  # the rate is measured over the last 2 s
    # A busy machine, not a queue: each answer takes 2 s, twice the wait aimed at. 4 answers in the window: 2/s.
    now = time.monotonic()
    gate._answered.extend([now] * 4)
    async with AsyncExitStack() as waiting:
        # As many as are answered in the wait aimed at (2/s × 1 s) beyond the floor, so the rate can grow.
        for _ in range(MIN_IN_FLIGHT + 2):
            await waiting.enter_async_context(gate.admitted())
        with pytest.raises(RegistrationsPaused):
            await waiting.enter_async_context(gate.admitted())


async def test_while_many_more_are_refused_than_answered_they_are_told_to_come_back_later() -> None:
    gate = RegistrationGate(timedelta(seconds=1))  # the rate is measured over the last 2 s
    gate._answered.extend([time.monotonic()] * 10)  # 5 answered/s: 15 may wait, each answered in ~3 s
    async with AsyncExitStack() as waiting:
        for _ in range(MIN_IN_FLIGHT + 5):
            await waiting.enter_async_context(gate.admitted())
        refusals = []
        for _ in range(100):
            with pytest.raises(RegistrationsPaused) as paused:
                await waiting.enter_async_context(gate.admitted())
            refusals.append(paused.value.retry_after_seconds)
    assert 3 <= refusals[0] <= 6  # the first is told the wait inside
    assert refusals[-1] >= 30  # ten refused for each answered: a crowd waits outside


async def test_a_registration_nobody_answers_is_told_to_come_back_and_its_retry_finds_the_same_request(
    database_url: str, tmp_path: Path, db: None
) -> None:
    max_wait = timedelta(milliseconds=200)
    async with live_stack.dev_server() as env:
        settings = live_stack.stack_settings(env, database_url, tmp_path, registration_max_wait=max_wait)
        async with (
            live_stack.serving(env, settings, worker=False) as base,
            httpx.AsyncClient(base_url=base, timeout=60) as http,
        ):
            key = {"Idempotency-Key": "sent-during-an-outage"}
            # No worker: the workflow's first task is never taken, as in an outage. The SDK's wait for the update
            # is cancelled by the gate's bound, and must not be turned into a second wait.
            started = time.monotonic()
            stopped = await http.post("/api/v1/requests", json=household(1), headers=key)
            assert stopped.status_code == 503, stopped.text
            assert stopped.json()["kind"] == "RegistrationsPaused" and "Retry-After" in stopped.headers
            assert time.monotonic() - started < 30 * LONGEST_WAIT_FACTOR * max_wait.total_seconds()

            # The workers are back: the same registration sent again is the same request, answered.
            async with running(env.client, settings.task_queue):
                again = await http.post("/api/v1/requests", json=household(1), headers=key)
                assert again.status_code == 201, again.text
                assert again.json()["stage"] == "awaiting_verification"
    assert await recorded_requests() == 1


async def test_a_gate_turned_off_admits_every_registration_and_keeps_no_record_of_them() -> None:
    gate = RegistrationGate(timedelta(0))  # REGISTRATION_MAX_WAIT=PT0S
    async with AsyncExitStack() as waiting:
        for _ in range(10 * MIN_IN_FLIGHT):  # far past the floor, and nothing answered yet
            await waiting.enter_async_context(gate.admitted())
    for _ in range(1000):
        async with gate.admitted():
            pass
    # Nothing measured while off: the record of answers stays empty instead of growing all day.
    assert not gate._answered
