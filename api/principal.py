"""Who is calling: a staff member loaded from the database on every request, or a citizen's household."""

from dataclasses import dataclass
from uuid import UUID

from domain.messages import Actor
from domain.roles import OFFICIAL_ROLES, Role


@dataclass(frozen=True)
class Principal:
    role: Role
    user_id: UUID | None = None  # staff only
    unit_code: str | None = None  # the staff member's administrative unit (ward, district or city)
    ward_code: str | None = None
    district_code: str | None = None
    household_id: UUID | None = None  # citizens only
    request_code: str | None = None  # the request a citizen's session was opened for

    @property
    def is_staff(self) -> bool:
        return self.role != Role.CITIZEN

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

    def actor(self) -> Actor:
        """The workflow's view of this person; its validators check the same scope again."""
        return Actor(
            user_id=self.user_id,
            role=self.role,
            ward_code=self.ward_code,
            district_code=self.district_code,
            household_id=self.household_id,
        )


def staff_principal(user_id: UUID, role: Role, unit_code: str, parent_code: str | None) -> Principal:
    """Scope from the unit: a ward's staff also carry its district, a district official the district."""
    ward = district = None
    if role in (Role.WARD_OFFICIAL, Role.COURIER):
        ward, district = unit_code, parent_code
    elif role == Role.DISTRICT_OFFICIAL:
        district = unit_code
    return Principal(role=role, user_id=user_id, unit_code=unit_code, ward_code=ward, district_code=district)


def citizen_principal(household_id: UUID, request_code: str | None) -> Principal:
    return Principal(role=Role.CITIZEN, household_id=household_id, request_code=request_code)
