"""Fast checks without servers: the registration form and the object-level scope rules."""

from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from domain.roles import Role
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_DISTRICT_WARD, OTHER_WARD_SAME_DISTRICT, WARD
from usecases.access import can_see
from usecases.principal import Principal, citizen_principal, staff_principal
from usecases.schemas.registration import RegistrationForm

GOOD = {
    "kind": "food_bag",
    "full_name": "  Nguyễn Thị Lan  ",
    "national_id": "079 123 456 789",
    "phone": "0912 345 678",
    "address": "12 Nguyễn Trãi, Phường Bến Nghé",
    "ward_code": WARD,
    "household_size": 4,
}


def error_fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {str(e["loc"][0]) for e in exc.value.errors()}


def test_form_normalises_identity_fields() -> None:
    form = RegistrationForm.model_validate(GOOD)
    assert form.full_name == "Nguyễn Thị Lan"
    assert form.national_id == "079123456789"
    assert form.phone == "+84912345678"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("national_id", "12345678a"),
        ("national_id", "1234567890"),
        ("phone", "+14155552671"),
        ("phone", "not a phone"),
        ("full_name", "   "),
        ("address", "abc"),
        ("household_size", 0),
        ("household_size", 31),
        ("kind", "gold_bars"),
    ],
)
def test_form_refuses_bad_values_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        RegistrationForm.model_validate({**GOOD, field: value})
    assert error_fields(exc) == {field}


def test_an_emergency_is_refused_here_and_pointed_to_its_own_form() -> None:
    with pytest.raises(ValidationError) as exc:
        RegistrationForm.model_validate({**GOOD, "kind": "emergency"})
    assert "/khan-cap/moi" in str(exc.value) and "POST /api/v1/emergencies" in str(exc.value)


def test_form_forbids_fields_it_does_not_know() -> None:
    with pytest.raises(ValidationError) as exc:
        RegistrationForm.model_validate({**GOOD, "stage": "delivered"})
    assert error_fields(exc) == {"stage"}


@dataclass
class Row:
    code: str = "ABCDEFGH"
    ward_code: str = WARD
    district_code: str = DISTRICT
    courier_id: UUID | None = None
    household_id: UUID | None = None


HOUSEHOLD, COURIER = uuid4(), uuid4()
ROW = Row(courier_id=COURIER, household_id=HOUSEHOLD)


def staff(role: Role, unit: str, parent: str | None = None, user_id: UUID | None = None) -> Principal:
    return staff_principal(user_id or uuid4(), role, unit, parent)


@pytest.mark.parametrize(
    ("principal", "visible"),
    [
        (staff(Role.WARD_OFFICIAL, WARD, DISTRICT), True),
        (staff(Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT, DISTRICT), False),
        (staff(Role.DISTRICT_OFFICIAL, DISTRICT, "79"), True),
        (staff(Role.DISTRICT_OFFICIAL, OTHER_DISTRICT, "79"), False),
        (staff(Role.CITY_OFFICIAL, "79"), True),
        (staff(Role.SUPERVISOR, "79"), True),
        (staff(Role.COURIER, WARD, DISTRICT, user_id=COURIER), True),
        (staff(Role.COURIER, WARD, DISTRICT), False),  # same ward, not assigned
        (staff(Role.COURIER, OTHER_DISTRICT_WARD, OTHER_DISTRICT), False),
        (citizen_principal(HOUSEHOLD, "ABCDEFGH"), True),
        (citizen_principal(uuid4(), "ABCDEFGH"), False),
        # A registration's token opens its own request, not the household's others; a one-time code's, all.
        (citizen_principal(HOUSEHOLD, "OTHERONE"), False),
        (citizen_principal([HOUSEHOLD], None), True),
    ],
    ids=lambda v: v.role.value if isinstance(v, Principal) else str(v),
)
def test_who_sees_a_request(principal: Principal, visible: bool) -> None:
    assert can_see(principal, ROW) is visible


def test_nobody_sees_an_unassigned_or_householdless_request_by_accident() -> None:
    bare = Row()
    assert not can_see(staff(Role.COURIER, WARD, DISTRICT), bare)
    assert not can_see(Principal(role=Role.CITIZEN), bare)
    assert not can_see(Principal(role=Role.WARD_OFFICIAL), bare)


def test_actor_carries_the_scope_the_workflow_checks_again() -> None:
    ward = staff(Role.WARD_OFFICIAL, WARD, DISTRICT).actor()
    assert (ward.ward_code, ward.district_code) == (WARD, DISTRICT)
    district = staff(Role.DISTRICT_OFFICIAL, DISTRICT, "79").actor()
    assert (district.ward_code, district.district_code) == (None, DISTRICT)
    city = staff(Role.CITY_OFFICIAL, "79").actor()
    assert (city.ward_code, city.district_code) == (None, None)
    courier = staff(Role.COURIER, WARD, DISTRICT).actor()
    assert courier.ward_code == WARD
    citizen = citizen_principal(HOUSEHOLD, None).actor()
    assert citizen.household_id == HOUSEHOLD and citizen.user_id is None
