"""Who may act on a request, as pure rules that the API and the workflow validators both apply."""

from domain.messages import Actor
from domain.roles import Role
from domain.stages import EscalationLevel


def may_decide(actor: Actor, ward_code: str, district_code: str, escalation: EscalationLevel) -> bool:
    """Ward officials decide their ward's tasks; district officials once a task is escalated to them."""
    match actor.role:
        case Role.WARD_OFFICIAL:
            return actor.ward_code == ward_code
        case Role.DISTRICT_OFFICIAL:
            return actor.district_code == district_code and escalation == EscalationLevel.DISTRICT
        case Role.CITY_OFFICIAL:
            return True
        case _:
            return False


def may_cancel(actor: Actor, ward_code: str, district_code: str, household_id: object) -> bool:
    match actor.role:
        case Role.CITIZEN:
            return actor.household_id is not None and actor.household_id == household_id
        case Role.WARD_OFFICIAL:
            return actor.ward_code == ward_code
        case Role.DISTRICT_OFFICIAL:
            return actor.district_code == district_code
        case Role.CITY_OFFICIAL:
            return True
        case _:
            return False
