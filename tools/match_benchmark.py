"""Matching one registration against a registry of a million households: the median must stay under
20 ms on an ordinary 2-core machine, through indexes, never a scan.

Loads a synthetic registry with COPY, then resolves registrations (half of them duplicates of registry
households, half new) each in a transaction that is rolled back, so the registry stays as loaded.

    python -m tools.match_benchmark --households 1000000 --samples 1000
"""

import argparse
import asyncio
import statistics
import time
import uuid

import psycopg
from sqlalchemy import text

from common.addresses import address_key
from common.keyed_hash import national_id_hash, phone_hash
from common.person_names import name_key
from db.base import get_sessionmaker
from domain.identity import normalise_national_id, normalise_phone
from services.household_matching import Person, lock_identity, resolve_household
from tools.scratch_database import scratch_database
from tools.synthetic_population import PopulationGenerator, Registration


def _load_registry(url: str, registrations: list[Registration]) -> None:
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    households: dict[int, uuid.UUID] = {}
    with psycopg.connect(conninfo) as conn:
        with conn.cursor() as cur:
            with cur.copy(
                "COPY households (id, ward_code, address, address_key, phone_hash, size, created_at) FROM STDIN"
            ) as copy:
                for r in registrations:
                    households[r.household] = household_id = uuid.uuid4()
                    copy.write_row(
                        (
                            household_id,
                            r.ward_code,
                            r.address,
                            address_key(r.address),
                            phone_hash(normalise_phone(r.phone)),
                            r.household_size,
                            "now",
                        )
                    )
            with cur.copy(
                "COPY household_members (id, household_id, full_name, national_id_hash, national_id_last4, "
                "name_key, phone_hash, created_at) FROM STDIN"
            ) as copy:
                for r in registrations:
                    national_id = normalise_national_id(r.national_id)
                    copy.write_row(
                        (
                            uuid.uuid4(),
                            households[r.household],
                            r.full_name,
                            national_id_hash(national_id),
                            national_id[-4:],
                            name_key(r.full_name),
                            phone_hash(normalise_phone(r.phone)),
                            "now",
                        )
                    )
        conn.execute("ANALYZE households")
        conn.execute("ANALYZE household_members")
        conn.commit()


async def _time_resolutions(samples: list[Registration]) -> list[float]:
    timings = []
    for r in samples:
        person = Person(
            r.ward_code,
            r.full_name,
            normalise_national_id(r.national_id),
            normalise_phone(r.phone),
            r.address,
            r.household_size,
        )
        async with get_sessionmaker()() as session:
            started = time.perf_counter()
            await lock_identity(session, person)
            await resolve_household(session, person)
            timings.append(1000 * (time.perf_counter() - started))
            await session.rollback()
    return timings


async def _plan(sample: Registration) -> str:
    """The plan of the candidate probes: index scans only."""
    async with get_sessionmaker()() as session:
        rows = await session.execute(
            text(
                "EXPLAIN SELECT id FROM households WHERE ward_code = :w AND address_key = :a "
                "UNION ALL SELECT id FROM households WHERE phone_hash = :p "
                "UNION ALL SELECT household_id FROM household_members WHERE phone_hash = :p"
            ),
            {"p": phone_hash(normalise_phone(sample.phone)), "w": sample.ward_code, "a": address_key(sample.address)},
        )
        return "\n".join(row[0] for row in rows)


async def run(households: int, samples: int) -> None:
    generator = PopulationGenerator(seed=11)
    population = list(generator.registrations(households + samples, duplicate_share=0.5))
    registry = [r for r in population if r.duplicate_kind is None][:households]
    in_registry = {r.household for r in registry}
    probes = [r for r in population if r.duplicate_kind is not None and r.household in in_registry][: samples // 2]
    probes += [r for r in population if r.duplicate_kind is None and r.household not in in_registry][: samples // 2]
    async with scratch_database() as url:
        started = time.perf_counter()
        await asyncio.to_thread(_load_registry, url, registry)
        print(f"loaded {len(registry):,} households in {time.perf_counter() - started:.0f} s")
        await _time_resolutions(probes[:20])  # warm the caches and the connection pool
        timings = await _time_resolutions(probes)
        print(
            f"resolved {len(timings)} registrations (half duplicates): median {statistics.median(timings):.2f} ms, "
            f"p95 {statistics.quantiles(timings, n=20)[-1]:.2f} ms, max {max(timings):.2f} ms"
        )
        print("candidate query plan:\n" + await _plan(probes[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(run(args.households, args.samples))


if __name__ == "__main__":
    main()
