"""Admission control on the real stack: past as many registrations waiting as the workers answer, the next are
answered 503 at once with Retry-After and nothing recorded, and are taken again once the workers answer
(usecases/relief/registration_gate.py)."""

import asyncio
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select

from db.base import transaction
from db.requests import ReliefRequest
from tests import live_stack
from tests.factories import WARD
from usecases.relief.registration_gate import MIN_IN_FLIGHT, RegistrationGate
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
            assert paused.json()["detail"].startswith("hệ thống đang nhận quá nhiều đăng ký")
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


def test_a_gate_turned_off_admits_every_registration_and_keeps_no_record_of_them() -> None:
    gate = RegistrationGate(timedelta(0))  # REGISTRATION_MAX_WAIT=PT0S
    with ExitStack() as waiting:
        for _ in range(10 * MIN_IN_FLIGHT):  # far past the floor, and nothing answered yet
            waiting.enter_context(gate.admitted())
    for _ in range(1000):
        with gate.admitted():
            pass
    # Nothing measured while off: the record of answers stays empty instead of growing all day.
    assert not gate._answered
