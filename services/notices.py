"""Notifications rendered from the catalogue (texts/notices.py) in their reader's language, as the outbox stores
them: a citizen's in the language they registered in, a donor's and a helper's in the language of the page they
used, officials' and places' staff in Vietnamese. Also why a registration was refused, as the household reads it."""

from collections.abc import Mapping
from string import Formatter

from common.city_time import vn_date
from domain.messages import Admission
from domain.stages import RefusalReason, RequestKind
from texts import CATALOGUE, LANGS, Lang, Text, text
from texts.facts import city_facts

STAFF_LANG: Lang = "vi"


def has_notice(key: str) -> bool:
    return key in CATALOGUE


def notice(lang: Lang, key: str, values: Mapping[str, object]) -> str:
    """The notice `key` with what its event carries; a value the event lacks (or holds as None) shows as empty,
    never as a placeholder, and never fails the step that stores it."""
    template = CATALOGUE[key][LANGS.index(lang)]
    facts = city_facts().values(lang)
    blanks = {name: "" for _, name, _, _ in Formatter().parse(template) if name and name not in facts}
    given = {name: value for name, value in values.items() if value is not None}
    return text(lang, key, **{**blanks, **given})


def refusal_reason(
    refusal: str | None, last_delivered_on: str, eligible_again_on: str, kind: RequestKind = RequestKind.FOOD_BAG
) -> Text:
    """Why the household cannot register now; the dates as the city writes them (dd/mm/yyyy)."""
    if refusal == RefusalReason.ALREADY_RECEIVED:
        return Text(
            "refusal.reason.already_received",
            support=Text("refusal.support.cash" if kind == RequestKind.CASH_SUPPORT else "refusal.support.food_bag"),
            last_delivered_on=last_delivered_on,
            eligible_again_on=eligible_again_on,
        )
    if refusal == RefusalReason.ALREADY_IN_PROGRESS:
        return Text("refusal.reason.already_in_progress")
    return Text("refusal.reason.other")


def admission_refusal(admission: Admission | None, kind: RequestKind) -> Text:
    """Why the duplicate check refused the registration (`admission`, its answer, if it is known)."""
    if admission is None:
        return refusal_reason(None, "", "")
    last, again = vn_date(admission.last_delivered_on), vn_date(admission.eligible_again_on)
    return refusal_reason(admission.refusal, last, again, kind)
