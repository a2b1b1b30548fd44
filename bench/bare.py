"""The bare-Temporal ceiling: a relief request's shape with no-op activities, on the same Temporal server.

Shape, as in ReliefRequestWorkflow on the happy path: an activity (admission) answered through an update,
an awaited update (the ward's approval) then two activities (record the decision, assign a courier), an
awaited update (the courier's proof) then one activity (the delivery). Its worker runs as its own process
(`python -m bench.bare worker`), with the same worker options and sandbox as ours, so our overhead is a ratio.
"""

import argparse
import asyncio
import time
from datetime import timedelta
from uuid import uuid4

import uvloop
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

from bench.metrics import Series, summary_ms

TASK_QUEUE = "bench-bare"
_STEP = timedelta(seconds=15)


@activity.defn
async def noop(step: str) -> str:
    return step


@workflow.defn
class BareRequestWorkflow:
    def __init__(self) -> None:
        self.admitted = self.approved = self.verified = self.assigned = self.delivered = self.done = False

    @workflow.run
    async def run(self) -> str:
        await workflow.execute_activity(noop, "admit", start_to_close_timeout=_STEP)
        self.admitted = True
        await workflow.wait_condition(lambda: self.approved)
        await workflow.execute_activity(noop, "record_verification", start_to_close_timeout=_STEP)
        self.verified = True
        await workflow.execute_activity(noop, "auto_assign_courier", start_to_close_timeout=_STEP)
        self.assigned = True
        await workflow.wait_condition(lambda: self.delivered)
        await workflow.execute_activity(noop, "confirm_delivery", start_to_close_timeout=_STEP)
        self.done = True
        await workflow.wait_condition(workflow.all_handlers_finished)
        return "delivered"

    @workflow.update
    async def admission(self) -> bool:
        await workflow.wait_condition(lambda: self.admitted)
        return True

    @workflow.update
    async def approve(self) -> bool:
        self.approved = True
        await workflow.wait_condition(lambda: self.verified)
        return True

    @workflow.update
    async def deliver(self) -> bool:
        await workflow.wait_condition(lambda: self.assigned)
        self.delivered = True
        await workflow.wait_condition(lambda: self.done)
        return True


async def one_lifecycle(client: Client, done: Series) -> None:
    handle = await client.start_workflow(BareRequestWorkflow.run, id=f"bare-{uuid4()}", task_queue=TASK_QUEUE)
    await handle.execute_update(BareRequestWorkflow.admission)
    await handle.execute_update(BareRequestWorkflow.approve)
    await handle.execute_update(BareRequestWorkflow.deliver)
    await handle.result()
    done.mark()


async def measure(client: Client, count: int, concurrency: int) -> dict[str, object]:
    """Runs `count` bare lifecycles, `concurrency` at a time; lifecycles/s at saturation."""
    done = Series()
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def runner() -> None:
        while not queue.empty():
            queue.get_nowait()
            started = time.monotonic()
            await one_lifecycle(client, done)
            latencies.append(time.monotonic() - started)

    started = time.monotonic()
    await asyncio.gather(*(runner() for _ in range(concurrency)))
    elapsed = time.monotonic() - started
    return {
        "lifecycles": count,
        "concurrency": concurrency,
        "elapsed_s": round(elapsed, 1),
        "lifecycles_per_s": round(count / elapsed, 2),
        "sustained_lifecycles_per_s": round(done.sustained_rate(), 2),
        "lifecycle_latency": summary_ms(latencies),
        "per_second": done.per_second(),
    }


async def run_worker(address: str) -> None:
    # Run as `python -m bench.bare`, this file is __main__, which a pass-through sandbox cannot import by name.
    from bench import bare
    from worker import worker_tuning, workflow_runner

    client = await Client.connect(address)
    async with Worker(
        client,
        task_queue=TASK_QUEUE,
        workflows=[bare.BareRequestWorkflow],
        activities=[bare.noop],
        workflow_runner=workflow_runner(),
        **worker_tuning(),
    ):
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bare", description="the bare ceiling's worker")
    parser.add_argument("role", choices=["worker"])
    parser.add_argument("--address", required=True)
    args = parser.parse_args()
    uvloop.run(run_worker(args.address))  # the same event loop as worker.py: the ceiling is measured like for like


if __name__ == "__main__":
    main()
