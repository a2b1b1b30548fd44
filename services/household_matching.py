"""Who is the same household: an exact national ID joins; a phone or address shared with a similar
name, or a phone and an address shared together, is a probable duplicate for the ward to confirm;
otherwise the applicant is a new household.

Every lookup is an index probe (member ID hash, member or household phone hash, ward + address key),
so matching costs the same against ten households or a million.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import cast
from uuid import UUID, uuid4

from sqlalchemy import Table, insert, literal, select, text, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from common.addresses import address_key
from common.keyed_hash import national_id_hash, phone_hash
from common.person_names import name_key, names_match
from db.households import Household, HouseholdMember, HouseholdPairVerdict


class MatchKind(StrEnum):
    NATIONAL_ID = "national_id"
    NEW = "new"


class SameAddress(StrEnum):
    """What, beside a shared address in the ward, makes another household a probable duplicate. Boarding houses
    share addresses, so the choice is measured (docs/identity.md, `python -m tools.duplicate_eval --same-address`)."""

    NAME_OR_PHONE = "name_or_phone"  # a member of a similar name, or the same phone
    SAME_SIZE = "same_size"  # ...or the same household size: another member registering on their own
    ANY = "any"  # any household at the address


SAME_ADDRESS = SameAddress.SAME_SIZE


@dataclass(frozen=True)
class Person:
    ward_code: str
    full_name: str
    national_id: str
    phone: str | None  # registries do not always have one
    address: str
    household_size: int


@dataclass(frozen=True)
class Resolution:
    household_id: UUID
    kind: MatchKind
    # A different household that looks like the same one: the ward confirms or tells them apart.
    probable_duplicate_of: UUID | None = None


async def lock_identity(session: AsyncSession, person: Person) -> None:
    """Serialises, until commit, everything that resolves this person's ID, phone or address."""
    keys = {f"id:{national_id_hash(person.national_id)}", f"addr:{person.ward_code}:{address_key(person.address)}"}
    if person.phone:
        keys.add(f"tel:{phone_hash(person.phone)}")
    # One order everywhere, so two resolutions cannot deadlock; one round trip.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(CAST(:keys AS text[])) AS k"),
        {"keys": sorted(keys)},
    )


async def resolve_household(
    session: AsyncSession, person: Person, same_address: SameAddress = SAME_ADDRESS
) -> Resolution:
    """Finds or creates the person's household; call under `lock_identity`."""
    id_hash = national_id_hash(person.national_id)
    household_id = await session.scalar(
        select(HouseholdMember.household_id).where(HouseholdMember.national_id_hash == id_hash)
    )
    kind = MatchKind.NATIONAL_ID
    if household_id is None:
        household_id, kind = await _new_household(session, person), MatchKind.NEW
    candidate = await probable_duplicate(session, person, household_id, same_address)
    return Resolution(household_id, kind, candidate)


async def probable_duplicate(
    session: AsyncSession, person: Person, household_id: UUID, same_address: SameAddress = SAME_ADDRESS
) -> UUID | None:
    """The oldest other household that shares the phone or the address with a member of a matching name,
    or shares both the phone and the address (another member of the family registering), or shares the address
    with what `same_address` asks besides (another member registering with their own ID and phone)."""
    addr_key, key = address_key(person.address), name_key(person.full_name)
    # Separate index probes, united: an OR across the join would scan both tables.
    probes = [
        select(Household.id.label("id"), literal("address").label("via")).where(
            Household.ward_code == person.ward_code, Household.address_key == addr_key
        )
    ]
    if person.phone:
        tel_hash = phone_hash(person.phone)
        probes += [
            select(Household.id.label("id"), literal("phone").label("via")).where(Household.phone_hash == tel_hash),
            select(HouseholdMember.household_id.label("id"), literal("phone").label("via")).where(
                HouseholdMember.phone_hash == tel_hash
            ),
        ]
    hits = (await session.execute(union_all(*probes).limit(200))).all()
    via: dict[UUID, set[str]] = {}
    for hit_id, how in hits:
        via.setdefault(hit_id, set()).add(how)
    via.pop(household_id, None)
    if not via:
        return None
    rows = (
        await session.execute(
            select(Household.id, HouseholdMember.name_key, Household.size)
            .join(HouseholdMember, HouseholdMember.household_id == Household.id)
            .where(Household.id.in_(list(via)), Household.merged_into.is_(None))
            .order_by(Household.created_at)
        )
    ).all()
    phone_and_address = {h for h, ways in via.items() if ways == {"phone", "address"}}
    at_address = {h for h, ways in via.items() if "address" in ways}

    def address_evidence(h: UUID, size: int) -> bool:
        if h not in at_address or same_address == SameAddress.NAME_OR_PHONE:
            return False
        return same_address == SameAddress.ANY or size == person.household_size

    strong = [h for h, member_key, _ in rows if h in phone_and_address or names_match(key, member_key)]
    weak = [h for h, _, size in rows if address_evidence(h, size)]
    # A name or a phone is better evidence than the address alone: a neighbour in a boarding house registered
    # earlier must not hide the family the name points to. Oldest first within each, once each.
    similar = list(dict.fromkeys(strong + weak))
    if not similar:
        return None
    told_apart = set(
        (
            await session.execute(
                select(HouseholdPairVerdict.household_a, HouseholdPairVerdict.household_b).where(
                    tuple_(HouseholdPairVerdict.household_a, HouseholdPairVerdict.household_b).in_(
                        [ordered_pair(household_id, h) for h in similar]
                    )
                )
            )
        ).all()
    )
    return next((h for h in similar if ordered_pair(household_id, h) not in told_apart), None)


def ordered_pair(a: UUID, b: UUID) -> tuple[UUID, UUID]:
    return (a, b) if str(a) < str(b) else (b, a)


# Built once: a new household is written at most registrations, and building a statement costs more than
# running it. Core, not the ORM's unit of work: nothing here loads objects.
_INSERT_HOUSEHOLD = insert(cast(Table, Household.__table__))
_INSERT_MEMBER = insert(cast(Table, HouseholdMember.__table__))


async def _new_household(session: AsyncSession, person: Person) -> UUID:
    household_id = uuid4()
    tel_hash = phone_hash(person.phone) if person.phone else None
    household = {
        "id": household_id,
        "ward_code": person.ward_code,
        "address": person.address,
        "address_key": address_key(person.address),
        "phone_hash": tel_hash,
        "size": person.household_size,
    }
    await session.execute(_INSERT_HOUSEHOLD, household)
    member = {
        "household_id": household_id,
        "full_name": person.full_name,
        "national_id_hash": national_id_hash(person.national_id),
        "national_id_last4": person.national_id[-4:],
        "name_key": name_key(person.full_name),
        "phone_hash": tel_hash,
    }
    await session.execute(_INSERT_MEMBER, member)
    return household_id
