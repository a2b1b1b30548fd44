"""Who is calling: a staff member loaded from the database on every request, or a citizen's households."""

import hashlib
from dataclasses import dataclass, field
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
    # Citizens only: the households their token covers (one from registration; every household whose
    # requests carry their phone, from a one-time code).
    household_ids: frozenset[UUID] = field(default_factory=frozenset)
    # A registration's token was issued for this one request and opens nothing else of the household (whoever
    # registered proved no identity); a one-time code to a phone on file opens the household's requests.
    request_code: str | None = None
    # Warehouse staff work at one supply place; their unit is the place's (ward, district or city).
    place_code: str | None = None
    # Community helpers: the helper (a person or a help group) who pledges cash support.
    helper_id: UUID | None = None
    # An emergency's poster, recognised by its verified follow link (no account, no household): the code it opens.
    follows_emergency: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role not in (Role.CITIZEN, Role.COMMUNITY_HELPER)

    @property
    def acting_key(self) -> str:
        """Who acts, for update IDs: the staff member, or the citizen's households (no personal data)."""
        if self.user_id is not None:
            return str(self.user_id)
        if self.helper_id is not None:
            return f"helper-{self.helper_id}"
        if self.follows_emergency is not None:
            return f"poster-{self.follows_emergency}"
        digest = hashlib.sha256(",".join(sorted(str(h) for h in self.household_ids)).encode()).hexdigest()
        return f"citizen-{digest[:16]}"

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

    def actor(self, household_id: UUID | None = None) -> Actor:
        """The workflow's view of this person; its validators check the same scope again. A citizen acts
        as the household of the request at hand, which must be one of theirs."""
        if household_id is None and len(self.household_ids) == 1:
            household_id = next(iter(self.household_ids))
        citizen_household = household_id if household_id in self.household_ids else None
        return Actor(
            user_id=self.user_id,
            role=self.role,
            ward_code=self.ward_code,
            district_code=self.district_code,
            household_id=citizen_household if self.role == Role.CITIZEN else None,
        )


def staff_principal(
    user_id: UUID, role: Role, unit_code: str, parent_code: str | None, place_code: str | None = None
) -> Principal:
    """Scope from the unit: a ward's staff also carry its district, a district official the district."""
    ward = district = None
    if role in (Role.WARD_OFFICIAL, Role.COURIER):
        ward, district = unit_code, parent_code
    elif role == Role.DISTRICT_OFFICIAL:
        district = unit_code
    return Principal(
        role=role,
        user_id=user_id,
        unit_code=unit_code,
        ward_code=ward,
        district_code=district,
        place_code=place_code if role == Role.WAREHOUSE_STAFF else None,
    )


def citizen_principal(households: UUID | list[UUID], request_code: str | None) -> Principal:
    ids = [households] if isinstance(households, UUID) else households
    return Principal(role=Role.CITIZEN, household_ids=frozenset(ids), request_code=request_code)


def helper_principal(helper_id: UUID) -> Principal:
    return Principal(role=Role.COMMUNITY_HELPER, helper_id=helper_id)


def poster_principal(emergency_code: str) -> Principal:
    """The poster of an emergency, once its follow link's token was checked: a person without households, who
    opens that emergency's own pages and nothing else."""
    return Principal(role=Role.CITIZEN, follows_emergency=emergency_code)
