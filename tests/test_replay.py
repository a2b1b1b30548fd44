"""Saved histories of every kind of request path replay on the current workflow code.

A change that would break running requests after a deployment fails here; guard such a change with
`workflow.patched`. Refresh the set with `RECORD_HISTORIES=tests/histories scripts/test tests/test_relief_workflow.py`.
"""

import pytest
from temporalio.client import WorkflowHistory

from tests.replay import HISTORIES, replay

SAVED = {path.stem: path.read_text() for path in sorted(HISTORIES.glob("*.json"))}


def test_there_are_saved_histories() -> None:
    assert len(SAVED) >= 20  # paths recorded before and after database steps became local activities


@pytest.mark.parametrize("workflow_id", SAVED)
async def test_saved_history_replays(workflow_id: str) -> None:
    await replay(WorkflowHistory.from_json(workflow_id, SAVED[workflow_id]))
