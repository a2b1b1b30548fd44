"""Schemathesis against our OpenAPI, over real HTTP: generated calls of every operation find no 5xx and
no answer that breaks its own documented schema. Bounded in time, so it runs with every test run."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from temporalio.client import Client

from common.settings import get_settings
from domain.roles import Role
from server import create_app
from tests.factories import make_staff
from tests.live_stack import served_app
from usecases.trust.tokens import issue_staff_token

pytestmark = pytest.mark.timeout(120)

EXAMPLES_PER_OPERATION = 25
TIME_BUDGET_SECONDS = 45.0


@pytest.fixture
async def served(client: Client, task_queue: str) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    settings = get_settings().model_copy(update={"task_queue": task_queue})
    app = create_app(settings)
    app.state.temporal = client
    async with served_app(app) as base:
        yield base, app.openapi()


def fuzz(base_url: str, openapi: dict[str, Any], headers: dict[str, str], deadline: float) -> list[str]:
    """Runs in a thread: the server lives on the test's event loop, which must stay free to answer."""
    schema = schemathesis.openapi.from_dict(openapi)
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        if time.monotonic() > deadline:
            break  # the operations left are not even generated for: generating alone took seconds on a slow machine
        operation = result.ok()  # type: ignore[union-attr]
        label = operation.label

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            nonlocal calls
            if time.monotonic() > deadline:
                return
            calls += 1
            try:
                case.call_and_validate(
                    base_url=base_url,
                    headers=headers,
                    checks=[not_a_server_error, response_schema_conformance],
                    timeout=20,
                )
            except Exception as failure:  # collected, not raised: hypothesis would spend the budget shrinking
                failures.append(f"{label}: {str(failure)[:400]}")  # noqa: B023 - used at once

        run()
    assert calls > 100, f"only {calls} calls were made"
    return failures


async def test_generated_calls_find_no_server_error_and_no_schema_violation(
    served: tuple[str, dict[str, Any]],
) -> None:
    base_url, openapi = served
    city = await make_staff(Role.CITY_OFFICIAL, "79")
    headers = {"Authorization": f"Bearer {issue_staff_token(get_settings(), city.id, city.role)}"}
    started = time.monotonic()
    failures = await asyncio.to_thread(fuzz, base_url, openapi, headers, started + TIME_BUDGET_SECONDS)
    assert not failures, "\n".join(sorted(set(failures)))
