"""The versions of the relief-request workflow that running requests may still be on.

A change to the commands the workflow issues goes behind a patch: a request started before it replays without
the patch's marker, so `workflow.patched` answers False there and it keeps its old behaviour (tests/histories
holds a history of each). Each newer patch implies the older ones, so a new request records one marker only.
`patched` is decided once per workflow (memoised).
"""

from temporalio import workflow

# A database step runs as a local activity inside the workflow task that needs it: a request costs 4 history
# markers instead of 12 activity events and about half its workflow tasks.
LOCAL_DB_STEPS_PATCH = "local-db-steps"
# The search attributes come with the start (no upsert before admission), and an approval with automatic
# dispatch is one database step and one stage change instead of two.
LEAN_STEPS_PATCH = "lean-steps"
# Every open stage has a last deadline: dispatch expires, delivery returns to the ward.
STAGE_DEADLINES_PATCH = "stage-deadlines"
# A food bag comes from the ward point's stock: held when dispatched, issued with the proof of delivery,
# released when the request ends or returns without it; a ward with none puts the request in awaiting_stock.
BAGS_FROM_STOCK_PATCH = "bags-from-stock"


def takes_bags_from_stock() -> bool:
    return workflow.patched(BAGS_FROM_STOCK_PATCH)


def has_stage_deadlines() -> bool:
    return takes_bags_from_stock() or workflow.patched(STAGE_DEADLINES_PATCH)


def dispatches_with_approval() -> bool:
    """Search attributes from the start; approval and automatic dispatch in one step."""
    return has_stage_deadlines() or workflow.patched(LEAN_STEPS_PATCH)


def runs_local_steps() -> bool:
    return dispatches_with_approval() or workflow.patched(LOCAL_DB_STEPS_PATCH)
