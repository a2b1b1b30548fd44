"""Saved histories of every kind of request path replay on the current workflow code.

A change that would break running requests after a deployment fails here; guard such a change with
`workflow.patched`. Four generations are kept: regular activities (no prefix), `local-steps-`, `lean-steps-` and
`stage-deadlines-` (one file per distinct path; the last adds the dispatch and delivery deadlines and failed steps
waiting for a supervisor); `cash-support-` holds cash requests' paths (published, supported, withdrawn at the
deadline, cancelled, expired in verification) and `pledge-` pledges' (recorded from tests/test_pledge_workflow.py);
`place-report-` a place's daily report (reminded then filed, missing then late, never filed, refusals then filed:
tests/test_place_report_workflow.py); `shipment-` shipments' (unfilled, received, late then received, late then
cancelled, lost, and in transit; from tests/test_shipment_workflow.py); `emergency-` emergencies' (confirmed, closed
by the ward, hidden, escalated then closed unfulfilled, claims lapsed twice, fulfilled and never confirmed; from
tests/test_emergency_workflow.py).
Record a new one with `RECORD_HISTORIES=DIR .venv/bin/pytest tests/test_relief_workflow.py`.
"""

import pytest
from temporalio.client import WorkflowHistory

from tests.replay import HISTORIES, replay

SAVED = {path.stem: path.read_text() for path in sorted(HISTORIES.glob("*.json"))}


def test_there_are_saved_histories() -> None:
    assert len(SAVED) >= 42  # paths recorded with regular activities, local steps, lean steps, stage deadlines


@pytest.mark.parametrize("workflow_id", SAVED)
async def test_saved_history_replays(workflow_id: str) -> None:
    await replay(WorkflowHistory.from_json(workflow_id, SAVED[workflow_id]))
