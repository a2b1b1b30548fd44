"""Starts PostgreSQL, Temporal, the worker and the API in order; stops them in the reverse order.

DATABASE_URL or TEMPORAL_ADDRESS in the environment replace the embedded servers with existing ones.
"""

import asyncio
import os
import sys
from contextlib import ExitStack
from pathlib import Path

from common.settings import get_settings
from devstack import health, lockfile, postgres, seed, temporal_server
from devstack.banner import ready_lines
from devstack.console import say
from devstack.options import Options
from devstack.processes import Child, ChildDied
from devstack.supervisor import StopRequested, Supervisor

REPO_ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 15.0


async def run(options: Options) -> int:
    supervisor = Supervisor()
    supervisor.install_signal_handlers()
    # Each started server pushes its stop onto `cleanup`, so leaving it stops API, worker, Temporal, PostgreSQL.
    with ExitStack() as cleanup:
        try:
            await _start(options, supervisor, cleanup)
            if options.check:
                say("check passed: every server answered; stopping")
                return 0
            say("press Ctrl-C to stop")
            while True:
                await supervisor.pause(1.0)
        except StopRequested as stop:
            say(f"{stop}, stopping")
            return 0
        except ChildDied as died:
            say(f"{died}; stopping everything")
            tail = next((c.log_tail() for c in supervisor.children if c.name == died.name), "")
            if tail:
                say(f"last lines of its log:\n{tail}")
            return 1
        except (TimeoutError, lockfile.DataDirBusy) as error:
            say(f"could not start: {error}")
            return 1
    raise AssertionError("unreachable")


async def _start(options: Options, supervisor: Supervisor, cleanup: ExitStack) -> None:
    options.data_dir.mkdir(parents=True, exist_ok=True)
    cleanup.enter_context(lockfile.exclusive(options.data_dir))
    env = dict(os.environ)
    database_url, demo = await _start_database(options, env, supervisor, cleanup)
    supervisor.raise_if_done()
    temporal_address, namespace, temporal_ui_url = await _start_temporal(options, env, supervisor, cleanup)
    child_env = _child_env(env, options.data_dir, database_url, temporal_address, namespace, temporal_ui_url)
    api_url = await _start_app(options, child_env, supervisor, cleanup)
    codec_url = await _start_codec_server(options, child_env, supervisor, cleanup)
    lines = ready_lines(
        codec_url=codec_url,
        api_url=api_url,
        temporal_address=temporal_address,
        namespace=namespace,
        temporal_ui_url=temporal_ui_url,
        data_dir=str(options.data_dir),
        demo=demo,
    )
    for line in lines:
        say(line)


async def _start_database(
    options: Options, env: dict[str, str], supervisor: Supervisor, cleanup: ExitStack
) -> tuple[str, bool]:
    """The database URL, migrated and seeded, and whether demo staff exist."""
    database_url = env.get("DATABASE_URL")
    if database_url:
        say("PostgreSQL: using DATABASE_URL from the environment")
    else:
        embedded = postgres.start(options.data_dir / "postgres")
        cleanup.callback(embedded.stop)
        postgres.ensure_database(embedded)
        database_url = embedded.url
    supervisor.raise_if_done()
    await asyncio.to_thread(seed.migrate, database_url)
    report = await seed.seed(database_url, env.get("ENVIRONMENT", "development"), get_settings().city_code)
    demo = report.demo_staff_created is not None
    say(
        f"database ready: {report.units} administrative units, {report.staff_total} staff accounts"
        + (f" ({report.demo_staff_created} demo accounts created)" if demo else " (no demo accounts in production)")
    )
    return database_url, demo


async def _start_temporal(
    options: Options, env: dict[str, str], supervisor: Supervisor, cleanup: ExitStack
) -> tuple[str, str, str | None]:
    """The address and namespace of a Temporal that answers and knows our search attributes, and its UI."""
    namespace = env.get("TEMPORAL_NAMESPACE", "default")
    temporal_address = env.get("TEMPORAL_ADDRESS")
    temporal_ui_url = None
    if temporal_address:
        say(f"Temporal: using {temporal_address} from the environment")
    else:
        db_file = options.data_dir / "temporal.sqlite"
        log = options.data_dir / "temporal.log"
        say(f"Temporal: {'reused' if db_file.exists() else 'new'} state in {db_file} (log in {log})")
        command = temporal_server.dev_server_command(
            db_file, options.host, options.temporal_port, options.ui_port, namespace, _codec_url(options)
        )
        temporal = supervisor.watch(Child.start("Temporal server", command, env=env, cwd=options.data_dir, log=log))
        cleanup.callback(temporal.stop, GRACE_SECONDS)
        temporal_address = f"{options.host}:{options.temporal_port}"
        temporal_ui_url = f"http://{options.host}:{options.ui_port}"
    settings = get_settings().model_copy(update={"temporal_address": temporal_address, "temporal_namespace": namespace})
    client = await temporal_server.wait_until_ready(settings, options.timeout, supervisor.pause)
    if temporal_ui_url:
        await temporal_server.wait_for_search_attributes(client, options.timeout, supervisor.pause)
    else:
        await temporal_server.register_missing_search_attributes(client)
    say(f"Temporal: ready at {temporal_address}")
    return temporal_address, namespace, temporal_ui_url


def _child_env(
    env: dict[str, str],
    data_dir: Path,
    database_url: str,
    temporal_address: str,
    namespace: str,
    temporal_ui_url: str | None,
) -> dict[str, str]:
    """The worker's and the API's configuration: the same variables a city deployment sets."""
    photo_dir = Path(env.get("PHOTO_DIR") or data_dir / "photos")
    photo_dir.mkdir(parents=True, exist_ok=True)
    child_env = env | {
        "DATABASE_URL": database_url,
        "TEMPORAL_ADDRESS": temporal_address,
        "TEMPORAL_NAMESPACE": namespace,
        "PHOTO_DIR": str(photo_dir),
        "PYTHONUNBUFFERED": "1",
    }
    if temporal_ui_url:
        child_env["TEMPORAL_UI_URL"] = temporal_ui_url
    return child_env


async def _start_app(options: Options, env: dict[str, str], supervisor: Supervisor, cleanup: ExitStack) -> str:
    """The worker and the API; returns the API's URL once it answers its health check."""
    worker = supervisor.watch(Child.start("worker", [sys.executable, "worker.py"], env=env, cwd=REPO_ROOT))
    cleanup.callback(worker.stop, GRACE_SECONDS)
    # The client's address behind a proxy is ours to judge (TRUSTED_PROXIES), not uvicorn's.
    uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "server:serve", "--no-proxy-headers"]
    uvicorn += ["--host", options.host, "--port", str(options.api_port)]
    uvicorn += ["--timeout-graceful-shutdown", str(int(GRACE_SECONDS) - 5)]  # its own limit first, then ours
    api = supervisor.watch(Child.start("API", uvicorn, env=env, cwd=REPO_ROOT))
    cleanup.callback(api.stop, GRACE_SECONDS)
    api_url = f"http://{options.host}:{options.api_port}"
    await health.wait_for_ok(f"{api_url}/health", options.timeout, supervisor.pause)
    return api_url


def _codec_url(options: Options) -> str:
    return f"http://{options.host}:{options.codec_port}"


async def _start_codec_server(options: Options, env: dict[str, str], supervisor: Supervisor, cleanup: ExitStack) -> str:
    """The payload codec server (api/codec_server.py) on its own port, for the Temporal UI."""
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.codec_server:create_codec_app"]
    command += ["--host", options.host, "--port", str(options.codec_port)]
    codec = supervisor.watch(Child.start("codec server", command, env=env, cwd=REPO_ROOT))
    cleanup.callback(codec.stop, GRACE_SECONDS)
    url = _codec_url(options)
    await health.wait_for_ok(f"{url}/health", options.timeout, supervisor.pause)
    return url
