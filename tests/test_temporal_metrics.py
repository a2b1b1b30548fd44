"""TEMPORAL_METRICS_ADDRESS: a worker serves its Temporal SDK metrics, the figures its slots and cache are tuned
by (bench/worker_metrics.py reads them after a peak day)."""

import asyncio
import urllib.request
import uuid

from prometheus_client.parser import text_string_to_metric_families
from temporalio.testing import WorkflowEnvironment

from common.settings import get_settings
from common.temporal_client import connect
from devstack.ports import free_port
from worker import build_worker, worker_tuning


def _samples(url: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


async def test_a_worker_serves_its_sdk_metrics_at_the_configured_address(temporal_env: WorkflowEnvironment) -> None:
    address = f"127.0.0.1:{free_port()}"
    settings = get_settings().model_copy(
        update={
            "temporal_address": temporal_env.client.service_client.config.target_host,
            "temporal_metrics_address": address,
        }
    )
    client = await connect(settings)
    queue = f"test-{uuid.uuid4()}"
    labels = {"namespace": "default", "service_name": "temporal-core-sdk", "task_queue": queue}

    def slots(worker_type: str) -> float | None:
        key = frozenset((labels | {"worker_type": worker_type}).items())
        return samples.get(("temporal_worker_task_slots_available", key))

    async with build_worker(client, queue):
        for _ in range(100):  # the worker reports its slots once its pollers start: a moment on a busy machine
            samples = await asyncio.to_thread(_samples, f"http://{address}/metrics")
            if slots("ActivityWorker") is not None and slots("LocalActivityWorker") is not None:
                break
            await asyncio.sleep(0.1)

    tuning = worker_tuning()
    assert slots("ActivityWorker") == tuning["max_concurrent_activities"]
    assert slots("LocalActivityWorker") == tuning["max_concurrent_local_activities"]
    assert samples.get(("temporal_worker_start_total", frozenset(labels.items()))) == 1
    assert any(name == "temporal_request_total" for name, _ in samples)  # the client's own calls count too


async def test_without_an_address_the_client_keeps_the_default_runtime(temporal_env: WorkflowEnvironment) -> None:
    settings = get_settings().model_copy(
        update={"temporal_address": temporal_env.client.service_client.config.target_host}
    )
    assert settings.temporal_metrics_address is None
    client = await connect(settings)
    assert client.service_client.config.runtime is None  # the SDK's shared runtime: no port bound, nothing served
