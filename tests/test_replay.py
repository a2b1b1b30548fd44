"""Saved histories of every kind of request path replay on the current workflow code.

A change that would break running requests after a deployment fails here; guard such a change with
`workflow.patched`. Three generations are kept: regular activities (no prefix), `local-steps-` and
`lean-steps-` (one file per distinct path). Record a new one with
`RECORD_HISTORIES=DIR .venv/bin/pytest tests/test_relief_workflow.py`.
"""

import pytest
from temporalio.client import WorkflowHistory

from tests.replay import HISTORIES, replay

SAVED = {path.stem: path.read_text() for path in sorted(HISTORIES.glob("*.json"))}


def test_there_are_saved_histories() -> None:
    assert len(SAVED) >= 35  # paths recorded with regular activities, with local steps, with lean steps


@pytest.mark.parametrize("workflow_id", SAVED)
async def test_saved_history_replays(workflow_id: str) -> None:
    await replay(WorkflowHistory.from_json(workflow_id, SAVED[workflow_id]))
