"""Demo staff accounts for the local stack: one per role in two Quận 1 wards. Development only."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.passwords import hash_password
from db.staff import StaffUser
from domain.roles import Role

DEMO_PASSWORD = "an-sinh-demo"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    full_name: str
    role: Role
    unit_code: str
    place_code: str | None = None  # warehouse staff's place


DEMO_STAFF = (
    DemoStaff("phuong-ben-nghe", "Cán bộ Phường Bến Nghé", Role.WARD_OFFICIAL, "26740"),
    DemoStaff("courier-ben-nghe-1", "Giao hàng Bến Nghé 1", Role.COURIER, "26740"),
    DemoStaff("courier-ben-nghe-2", "Giao hàng Bến Nghé 2", Role.COURIER, "26740"),
    DemoStaff("phuong-tan-dinh", "Cán bộ Phường Tân Định", Role.WARD_OFFICIAL, "26734"),
    DemoStaff("courier-tan-dinh-1", "Giao hàng Tân Định 1", Role.COURIER, "26734"),
    DemoStaff("courier-tan-dinh-2", "Giao hàng Tân Định 2", Role.COURIER, "26734"),
    DemoStaff("quan-1", "Cán bộ Quận 1", Role.DISTRICT_OFFICIAL, "760"),
    DemoStaff("thanh-pho", "Cán bộ Thành phố", Role.CITY_OFFICIAL, "79"),
    DemoStaff("giam-sat", "Giám sát Thành phố", Role.SUPERVISOR, "79"),
    DemoStaff("kho-ben-nghe", "Thủ kho điểm phát Bến Nghé", Role.WAREHOUSE_STAFF, "26740", "DP-26740"),
    DemoStaff("kho-quan-1", "Thủ kho Quận 1", Role.WAREHOUSE_STAFF, "760", "KHO-Q760"),
    DemoStaff("kho-thanh-pho", "Thủ kho Trung tâm An sinh số 1", Role.WAREHOUSE_STAFF, "766", "KHO-TP-1"),
)


class DemoSeedRefused(RuntimeError):
    """Demo accounts share one published password: they must never exist in production."""


async def seed_demo_staff(session: AsyncSession, environment: str, password: str = DEMO_PASSWORD) -> int:
    """Creates the demo accounts that are missing and returns how many were created; existing ones are kept."""
    if environment == "production":
        raise DemoSeedRefused("refusing to create demo staff accounts when ENVIRONMENT=production")
    existing = set((await session.scalars(select(StaffUser.username))).all())
    missing = [staff for staff in DEMO_STAFF if staff.username not in existing]
    created = 0
    for staff in missing:
        stmt = (
            insert(StaffUser)
            .values(
                username=staff.username,
                full_name=staff.full_name,
                password_hash=hash_password(password),
                role=staff.role.value,
                unit_code=staff.unit_code,
                place_code=staff.place_code,
                active=True,
            )
            .on_conflict_do_nothing(index_elements=["username"])
            .returning(StaffUser.id)
        )
        created += len((await session.execute(stmt)).all())
    return created


async def count_staff(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(StaffUser)) or 0)
