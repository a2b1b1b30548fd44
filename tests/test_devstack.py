"""`python -m devstack` end to end: real embedded PostgreSQL, real Temporal dev server, real worker and API."""

import asyncio
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg
import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from devstack.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
RUN_BOUND_SECONDS = 120
# The stack must choose its servers from its own flags, not from what other tests put in the environment.
_STACK_VARIABLES = ("DATABASE_URL", "TEST_DATABASE_URL", "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "ENVIRONMENT")

pytestmark = pytest.mark.timeout(600)


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """Outside pytest's tmp folder: pytest makes its root 0700 again whenever another session starts, and the
    embedded PostgreSQL runs as another user when the tests run as root."""
    folder = Path(tempfile.mkdtemp(prefix="ansinh-devstack-"))
    yield folder / "data"
    for proc in alive(processes_naming(folder)):  # only after a failed test
        proc.kill()
    shutil.rmtree(folder, ignore_errors=True)


class Stack:
    """One `python -m devstack` process on its own ports, its output collected line by line."""

    def __init__(self, data_dir: Path, *extra: str) -> None:
        self.data_dir = data_dir
        self.api_port, self.temporal_port, self.ui_port = free_port(), free_port(), free_port()
        self.codec_port = free_port()  # not the API's port + 1 (the default), which another process may hold
        env = {k: v for k, v in os.environ.items() if k not in _STACK_VARIABLES}
        ports = ["--api-port", str(self.api_port), "--temporal-port", str(self.temporal_port)]
        ports += ["--ui-port", str(self.ui_port), "--codec-port", str(self.codec_port)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devstack", "--data-dir", str(data_dir), *ports, *extra],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for_line(self, fragment: str, timeout: float = RUN_BOUND_SECONDS) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if fragment in line:
                return line
        raise AssertionError(f"no line with {fragment!r}; output so far:\n{self.output}")

    def finish(self, timeout: float = RUN_BOUND_SECONDS) -> int:
        code = self.process.wait(timeout)
        while (line := self._lines.get(timeout=10)) is not None:
            self.lines.append(line)
        return code

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def stack_processes(self) -> list[psutil.Process]:
        """Its descendants, plus servers that detached from it (PostgreSQL) but name the data folder."""
        found = {p.pid: p for p in psutil.Process(self.process.pid).children(recursive=True)}
        found.update({p.pid: p for p in processes_naming(self.data_dir)})
        return list(found.values())


def processes_naming(folder: Path) -> list[psutil.Process]:
    named = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(str(folder) in part for part in proc.info["cmdline"] or ()):
            named.append(proc)
    return named


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@contextmanager
def running(data_dir: Path) -> Iterator[Stack]:
    stack = Stack(data_dir)
    try:
        stack.wait_for_line("An Sinh is running")
        yield stack
    finally:
        if stack.process.poll() is None:
            stack.process.send_signal(signal.SIGINT)
            stack.finish()


def database_socket_dir(stack: Stack) -> str:
    match = re.search(r"socket in (\S+)\)", stack.output)
    assert match, stack.output
    return match.group(1)


def staff_count(output: str) -> int:
    match = re.search(r"(\d+) staff accounts", output)
    assert match, output
    return int(match.group(1))


def test_check_runs_twice_on_the_same_data(data_dir: Path) -> None:
    outputs = []
    for _ in range(2):
        started = time.monotonic()
        stack = Stack(data_dir, "--check")
        code = stack.finish(RUN_BOUND_SECONDS)
        assert code == 0, stack.output
        assert time.monotonic() - started < RUN_BOUND_SECONDS
        assert f"http://127.0.0.1:{stack.api_port}/docs" in stack.output
        assert f"Temporal UI:  http://127.0.0.1:{stack.ui_port}" in stack.output
        assert "giam-sat" in stack.output
        assert not alive(processes_naming(data_dir)), stack.output
        outputs.append(stack.output)
    first, second = outputs
    assert "PostgreSQL: initialised data" in first
    assert "PostgreSQL: reused data" in second
    assert "Temporal: reused state" in second
    assert staff_count(first) == staff_count(second) > 0
    assert "(0 demo accounts created)" in second


def test_sigint_stops_everything_and_the_next_run_finds_the_data(data_dir: Path) -> None:
    with running(data_dir) as stack:
        processes = stack.stack_processes()
        assert len(processes) >= 4, [p.cmdline() for p in processes]  # Temporal, worker, API, PostgreSQL
        url = f"postgresql://postgres@/ansinh?host={database_socket_dir(stack)}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO staff_users (id, username, full_name, password_hash, role, unit_code, active) "
                "VALUES (gen_random_uuid(), 'marker', 'Marker', 'x', 'supervisor', '79', false)"
            )
        # A workflow nobody polls for stays running: it must still be there in the next run.
        asyncio.run(_start_probe_workflow(f"127.0.0.1:{stack.temporal_port}"))

        stack.process.send_signal(signal.SIGINT)
        assert stack.finish(60) == 0, stack.output
        assert "stopping PostgreSQL" in stack.output
        # The worker's start-up objects are out of the collector's way (common/startup_heap.py).
        assert re.search(r"worker polling task queue \S+ \(\d{5,} start-up objects frozen\)", stack.output)
        # The worker set up the daily retention purge and the hourly spoilage watch (common/schedules.py): nothing
        # for anyone to remember.
        assert "schedule ansinh-retention created" in stack.output
        assert "schedule ansinh-spoilage-watch created" in stack.output
    assert not alive(processes), [p.cmdline() for p in alive(processes)]
    assert not alive(processes_naming(data_dir))

    with running(data_dir) as again:
        assert "(0 demo accounts created)" in again.output
        assert staff_count(again.output) == staff_count(stack.output) + 1
        status = asyncio.run(_probe_status(f"127.0.0.1:{again.temporal_port}"))
        assert status == WorkflowExecutionStatus.RUNNING
        again.process.send_signal(signal.SIGTERM)
        assert again.finish(60) == 0, again.output
        assert "schedule ansinh-retention unchanged" in again.output
        assert "schedule ansinh-spoilage-watch unchanged" in again.output
    assert not alive(processes_naming(data_dir))


def test_a_dying_child_stops_the_stack(data_dir: Path) -> None:
    with running(data_dir) as stack:
        processes = stack.stack_processes()
        worker = next(p for p in processes if "worker.py" in p.cmdline())
        worker.kill()
        assert stack.finish(60) == 1, stack.output
        assert "worker exited unexpectedly" in stack.output
    assert not alive(processes), [p.cmdline() for p in alive(processes)]


async def _start_probe_workflow(address: str) -> None:
    client = await Client.connect(address)
    await client.start_workflow("DevstackProbe", id="devstack-probe", task_queue="devstack-probe")


async def _probe_status(address: str) -> WorkflowExecutionStatus | None:
    client = await Client.connect(address)
    return (await client.get_workflow_handle("devstack-probe").describe()).status
