"""Replaying workflow histories: the guard that running requests survive a deployment."""

import os
import re
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from common.settings import get_settings
from common.temporal_client import data_converter
from worker import SANDBOXED_RUNNER, WORKFLOWS

HISTORIES = Path(__file__).parent / "histories"


async def replay(history: WorkflowHistory) -> None:
    """Raises if the current workflow code makes other decisions than the history records; in the sandbox,
    whatever the workers run, so a non-deterministic call is refused here too."""
    replayer = Replayer(
        workflows=WORKFLOWS, data_converter=data_converter(get_settings()), workflow_runner=SANDBOXED_RUNNER
    )
    await replayer.replay_workflow(history)


def save_history(history: WorkflowHistory, folder: str | Path) -> Path:
    path = Path(folder) / f"{re.sub(r'[^A-Za-z0-9_-]', '_', history.workflow_id)}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(history.to_json())
    return path


async def replay_and_record(history: WorkflowHistory) -> None:
    """Replays `history` and, with RECORD_HISTORIES=DIR set, saves it there: for a workflow that left no request
    row, which the replay after each test (tests/conftest.py) finds its workflows by."""
    await replay(history)
    if folder := os.environ.get("RECORD_HISTORIES"):
        save_history(history, folder)
