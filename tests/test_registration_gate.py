"""Admission control on the real stack: when registrations wait for the workers longer than the limit, the next
ones are answered 503 at once with Retry-After and nothing recorded, and are taken again once answers are quick
(api/registration_gate.py)."""

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select

from db.base import transaction
from db.requests import ReliefRequest
from tests import live_stack
from tests.factories import WARD
from web.csrf import CSRF_COOKIE, form_token
from worker import running

LIMIT = timedelta(seconds=1)


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


async def test_registrations_are_paused_while_they_wait_for_the_workers_and_taken_again_after(
    database_url: str, tmp_path: Path, db: None
) -> None:
    async with live_stack.dev_server() as env:
        settings = live_stack.stack_settings(env, database_url, tmp_path, registration_max_wait=LIMIT)
        async with (
            live_stack.serving(env, settings, worker=False) as base,
            httpx.AsyncClient(base_url=base, timeout=60) as http,
        ):
            # No worker yet: two registrations wait for one, as behind a launch day's backlog.
            waiting = [asyncio.create_task(http.post("/api/v1/requests", json=household(n))) for n in (1, 2)]
            await asyncio.sleep(LIMIT.total_seconds() * 1.5)
            async with running(env.client, settings.task_queue):
                answers = await asyncio.gather(*waiting)
                assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]

                # Every registration of the last two limits took longer than the limit: the next is refused at once.
                start = time.monotonic()
                paused = await http.post("/api/v1/requests", json=household(3))
                assert time.monotonic() - start < 0.5
                assert paused.status_code == 503, paused.text
                assert paused.json()["kind"] == "RegistrationsPaused"
                assert paused.json()["detail"].startswith("hệ thống đang nhận quá nhiều đăng ký")
                retry_after = int(paused.headers["Retry-After"])
                assert 1 <= retry_after <= 60

                # The citizen's page keeps what was typed and says nothing was sent yet.
                nonce = "gate-nonce"
                form = {"ward_code": WARD, "full_name": "Lê Thị Hoa", "national_id": "079203000004",
                        "phone": "0912340004", "address": "4 Lê Lợi", "household_size": "2"}  # fmt: skip
                page = await http.post(
                    "/dang-ky",
                    data={"csrf_token": form_token(settings, nonce), **form},
                    headers={"Cookie": f"{CSRF_COOKIE}={nonce}"},
                )
                assert page.status_code == 503 and "Retry-After" in page.headers
                assert "CHƯA được gửi" in page.text and 'value="079203000004"' in page.text

                # Two limits pass with no slow answer: the gate opens, and the registration is quick again.
                await asyncio.sleep(2 * LIMIT.total_seconds() + 0.2)
                again = await http.post("/api/v1/requests", json=household(3))
                assert again.status_code == 201, again.text
                quick = await http.post("/api/v1/requests", json=household(5))
                assert quick.status_code == 201, quick.text
    # The refused ones recorded nothing: the two that waited and the two taken after.
    assert await recorded_requests() == 4
