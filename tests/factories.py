"""Builders of test data: staff of a ward, applicants with valid identities, actors, bags in a ward."""

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from common.passwords import hash_password
from db.base import transaction
from db.staff import StaffUser
from domain.messages import Actor, Applicant
from domain.roles import Role
from services.supply_demo import stock_ward_point

# Phường Bến Nghé, Quận 1; and Phường Tân Định, Quận 1; and Phường 1, Quận 3 (real HCMC codes).
WARD, DISTRICT = "26740", "760"
OTHER_WARD_SAME_DISTRICT = "26734"
OTHER_DISTRICT_WARD, OTHER_DISTRICT = "27139", "770"

_rng = random.Random(2021)


def cccd(province: str = "079") -> str:
    """A valid CCCD of someone born 1940-2005: province, sex/century digit, birth year, six digits."""
    year = _rng.randrange(1940, 2006)
    century_digit = (year // 100 - 19) * 2 + _rng.randrange(2)
    return f"{province}{century_digit}{year % 100:02d}{_rng.randrange(10**6):06d}"


def applicant(national_id: str | None = None, phone: str | None = None, address: str | None = None) -> Applicant:
    return Applicant(
        full_name="Nguyễn Thị Lan",
        national_id=national_id or cccd(),
        phone=phone or f"+8491{_rng.randrange(10**6, 10**7):07d}",
        address=address or f"{_rng.randrange(1, 999)} Nguyễn Trãi, Phường Bến Nghé",
        household_size=4,
    )


@dataclass(frozen=True)
class Staff:
    id: uuid.UUID
    username: str
    role: Role
    unit_code: str

    def actor(self) -> Actor:
        ward = self.unit_code if self.role in (Role.WARD_OFFICIAL, Role.COURIER) else None
        district = {WARD: DISTRICT, OTHER_WARD_SAME_DISTRICT: DISTRICT, OTHER_DISTRICT_WARD: OTHER_DISTRICT}.get(
            self.unit_code, self.unit_code if self.role == Role.DISTRICT_OFFICIAL else None
        )
        return Actor(user_id=self.id, role=self.role, ward_code=ward, district_code=district)


async def make_staff(
    role: Role,
    unit_code: str,
    username: str | None = None,
    password: str = "matkhau-123",
    place_code: str | None = None,
    full_name: str = "Cán bộ thử nghiệm",
) -> Staff:
    user = StaffUser(
        id=uuid.uuid4(),
        username=username or f"{role.value}-{uuid.uuid4().hex[:8]}",
        full_name=full_name,
        password_hash=hash_password(password),
        role=role.value,
        unit_code=unit_code,
        place_code=place_code,
    )
    async with transaction() as session:
        session.add(user)
    return Staff(user.id, user.username, role, unit_code)


def citizen(household_id: uuid.UUID | None) -> Actor:
    return Actor(role=Role.CITIZEN, household_id=household_id)


async def stock_ward(ward_code: str = WARD, bags: int = 1, key: str | None = None) -> uuid.UUID:
    """Bags at the ward's distribution point, made as the supply side makes them: the kit's goods donated and
    received there, then assembled. Returns the bags' lot."""
    async with transaction() as session:
        return await stock_ward_point(
            session, key or f"stock-{uuid.uuid4().hex[:12]}", ward_code, bags, date.today() + timedelta(days=30)
        )
