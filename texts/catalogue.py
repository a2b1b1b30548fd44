"""The one catalogue: every key people's words are found by, from each area's module.

Words are keyed as their module writes them ("reg.submit"); a table's entries are filed under its prefix
("stage.delivered", "event.approved"), so a stage, an event, a refusal or an error code is one lookup."""

from texts import (
    api,
    emergencies,
    emergency_notices,
    errors,
    errors_community,
    errors_relief,
    errors_supply,
    help_groups,
    messages,
    notices,
    pages,
    shipments,
)

Pair = tuple[str, str]  # (Vietnamese, English)

WORDS: tuple[dict[str, Pair], ...] = (
    pages.MESSAGES,
    api.TEXTS,
    errors.TEXTS,
    errors_relief.TEXTS,
    errors_supply.TEXTS,
    errors_community.TEXTS,
    notices.TEXTS,
    emergency_notices.TEXTS,
    emergencies.TEXTS,
    shipments.TEXTS,
    help_groups.TEXTS,
    messages.TEXTS,
)

TABLES: dict[str, dict[str, Pair]] = {
    "stage": pages.STAGES,
    "event": pages.EVENTS,
    "next": pages.NEXT,
    "who": pages.WHO,
    "situation": pages.SITUATIONS,
    "payout": pages.PAYOUT_METHODS,
    "group_kind": help_groups.GROUP_KINDS,
    "help_kind": help_groups.HELP_KINDS,
    "weekday": help_groups.WEEKDAY_NAMES,
    "group_state": help_groups.GROUP_STATES,
}


def _merge() -> dict[str, Pair]:
    """One key, one text: two modules defining the same key is a mistake found at import, not a silent override."""
    merged: dict[str, Pair] = {}
    sources = [dict(words) for words in WORDS] + [
        {f"{prefix}.{key}": pair for key, pair in table.items()} for prefix, table in TABLES.items()
    ]
    for source in sources:
        twice = merged.keys() & source.keys()
        if twice:
            raise ValueError(f"catalogue keys defined twice: {sorted(twice)}")
        merged.update(source)
    return merged


CATALOGUE: dict[str, Pair] = _merge()
