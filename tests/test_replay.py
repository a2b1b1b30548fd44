"""Saved histories of every kind of request path replay on the current workflow code.

A change that would break running requests after a deployment fails here; guard such a change with
`workflow.patched`. Refresh the set with `RECORD_HISTORIES=tests/histories scripts/test tests/test_relief_workflow.py`.
"""

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory

from tests.replay import HISTORIES, replay

SAVED = sorted(HISTORIES.glob("*.json"))


def test_there_are_saved_histories() -> None:
    assert len(SAVED) >= 8


@pytest.mark.parametrize("path", SAVED, ids=[p.stem for p in SAVED])
async def test_saved_history_replays(path: Path) -> None:
    await replay(WorkflowHistory.from_json(path.stem, path.read_text()))
