"""Demo officials and couriers for every ward the bench uses, and their tokens from the real sign-in route.

Their password hashes use argon2 with cheap parameters: the sign-in route verifies with the parameters
stored in the hash, so 800 sign-ins take seconds instead of minutes. Bench data only, never a real account.
"""

import asyncio
from dataclasses import dataclass
from uuid import UUID

import httpx
from argon2 import PasswordHasher
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.population import Ward
from db.staff import StaffUser
from domain.roles import Role

PASSWORD = "bench-only-password"
_CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass(frozen=True)
class WardStaff:
    official_token: str
    courier_tokens: dict[UUID, str]  # by courier id: the courier a request was given is the one who confirms


async def seed_staff(database_url: str, wards: list[Ward], couriers_per_ward: int) -> None:
    password_hash = _CHEAP.hash(PASSWORD)
    rows = []
    for ward in wards:
        rows.append((f"bench-official-{ward.code}", Role.WARD_OFFICIAL, ward.code))
        rows += [(f"bench-courier-{ward.code}-{n}", Role.COURIER, ward.code) for n in range(1, couriers_per_ward + 1)]
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            for username, role, unit in rows:
                await session.execute(
                    insert(StaffUser)
                    .values(
                        username=username,
                        full_name=username,
                        password_hash=password_hash,
                        role=role.value,
                        unit_code=unit,
                        active=True,
                    )
                    .on_conflict_do_nothing(index_elements=["username"])
                )
        # Auto-assignment picks any active courier of the ward: the demo couriers of `scripts/run` would take
        # deliveries no bench courier can confirm, so they are off duty in the bench's throwaway database.
        async with AsyncSession(engine) as session, session.begin():
            await session.execute(
                update(StaffUser)
                .where(StaffUser.role == Role.COURIER.value, StaffUser.username.not_like("bench-%"))
                .values(active=False)
            )
            # A city's staff accounts exist long before its peak day, and PostgreSQL has its statistics of them.
            # Without them it believes couriers rare (the demo has few) and reads every courier of the city
            # through the role index on each approval, to keep the ward's two.
            await session.execute(text("ANALYZE staff_users"))
    finally:
        await engine.dispose()


async def _ids(database_url: str) -> dict[str, UUID]:
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            rows = await session.execute(
                select(StaffUser.username, StaffUser.id).where(StaffUser.username.like("bench-%"))
            )
            return {r.username: r.id for r in rows}
    finally:
        await engine.dispose()


async def sign_in(http: httpx.AsyncClient, username: str) -> str:
    answer = await http.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    answer.raise_for_status()
    return str(answer.json()["access_token"])


async def sign_in_all(http: httpx.AsyncClient, database_url: str, wards: list[Ward]) -> dict[str, WardStaff]:
    """Tokens of every ward's official and couriers, through POST /api/v1/auth/token."""
    ids = await _ids(database_url)
    limit = asyncio.Semaphore(16)

    async def one(username: str) -> tuple[str, str]:
        async with limit:
            return username, await sign_in(http, username)

    tokens = dict(await asyncio.gather(*(one(u) for u in ids)))
    staff = {}
    for ward in wards:
        prefix = f"bench-courier-{ward.code}-"
        staff[ward.code] = WardStaff(
            official_token=tokens[f"bench-official-{ward.code}"],
            courier_tokens={ids[u]: t for u, t in tokens.items() if u.startswith(prefix)},
        )
    return staff
