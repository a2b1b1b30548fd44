"""What supervisors filter relief requests on in the Temporal UI. No personal data (architecture §3, §4)."""

from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeKey, SearchAttributePair, SearchAttributeUpdate, TypedSearchAttributes

with workflow.unsafe.imports_passed_through():
    from domain import names
    from domain.messages import RequestInput, RequestState


def _values(inp: RequestInput, state: RequestState) -> list[tuple[SearchAttributeKey[Any], Any]]:
    """The attributes every request carries, from the request and its state (None: not set)."""
    return [
        (names.SA_STAGE, state.stage.value),
        (names.SA_KIND, inp.kind),
        (names.SA_DISTRICT, inp.district_code),
        (names.SA_WARD, inp.ward_code),
        (names.SA_ESCALATION, state.escalation.value),
        (names.SA_OVERDUE, state.overdue),
        (names.SA_DEADLINE, state.deadline_at),
    ]


def start_search_attributes(inp: RequestInput) -> TypedSearchAttributes:
    """The search attributes a new request's workflow starts with: findable before its first task runs."""
    pairs = _values(inp, RequestState())
    return TypedSearchAttributes([SearchAttributePair(key, value) for key, value in pairs if value is not None])


def search_attribute_updates(inp: RequestInput, state: RequestState) -> list[SearchAttributeUpdate[Any]]:
    updates: list[SearchAttributeUpdate[Any]] = [
        key.value_set(value) if value is not None else key.value_unset() for key, value in _values(inp, state)
    ]
    # Indexed once a step has failed, so the requests that never needed attention upsert what they always did.
    if state.needs_attention is not None:
        updates.append(names.SA_NEEDS_ATTENTION.value_set(state.needs_attention))
    return updates
