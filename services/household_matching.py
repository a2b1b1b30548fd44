"""Who is the same household: an exact national ID joins; a phone or address shared with a similar
name, or a phone and an address shared together, is a probable duplicate for the ward to confirm;
otherwise the applicant is a new household.

Every lookup is an index probe (member ID hash, member or household phone hash, ward + address key),
so matching costs the same against ten households or a million.
"""

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, false, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from common.addresses import address_key
from common.keyed_hash import national_id_hash, phone_hash
from common.person_names import name_key, names_match
from db.households import Household, HouseholdMember, HouseholdPairVerdict


class MatchKind(StrEnum):
    NATIONAL_ID = "national_id"
    NEW = "new"


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
    for key in sorted(keys):  # one order everywhere, so two resolutions cannot deadlock
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})


async def resolve_household(session: AsyncSession, person: Person) -> Resolution:
    """Finds or creates the person's household; call under `lock_identity`."""
    id_hash = national_id_hash(person.national_id)
    household_id = await session.scalar(
        select(HouseholdMember.household_id).where(HouseholdMember.national_id_hash == id_hash)
    )
    kind = MatchKind.NATIONAL_ID
    if household_id is None:
        household_id, kind = await _new_household(session, person), MatchKind.NEW
    candidate = await probable_duplicate(session, person, household_id)
    return Resolution(household_id, kind, candidate)


async def probable_duplicate(session: AsyncSession, person: Person, household_id: UUID) -> UUID | None:
    """The oldest other household that shares the phone or the address with a member of a matching name,
    or shares both the phone and the address (another member of the family registering)."""
    addr_key, key = address_key(person.address), name_key(person.full_name)
    same_address = (Household.ward_code == person.ward_code) & (Household.address_key == addr_key)
    same_phone: ColumnElement[bool] = false()
    if person.phone:
        tel_hash = phone_hash(person.phone)
        same_phone = or_(Household.phone_hash == tel_hash, HouseholdMember.phone_hash == tel_hash)
    rows = (
        await session.execute(
            select(Household.id, HouseholdMember.name_key, same_phone, same_address)
            .join(HouseholdMember, HouseholdMember.household_id == Household.id)
            .where(Household.id != household_id, Household.merged_into.is_(None), or_(same_phone, same_address))
            .order_by(Household.created_at)
            .limit(50)
        )
    ).all()
    phone_and_address = {h for h, _, phone, address in rows if phone and address}
    matching = (h for h, member_key, _, _ in rows if h in phone_and_address or names_match(key, member_key))
    similar = list(dict.fromkeys(matching))  # oldest first, once each
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


async def _new_household(session: AsyncSession, person: Person) -> UUID:
    household_id = uuid4()
    tel_hash = phone_hash(person.phone) if person.phone else None
    session.add(
        Household(
            id=household_id,
            ward_code=person.ward_code,
            address=person.address,
            address_key=address_key(person.address),
            phone_hash=tel_hash,
            size=person.household_size,
        )
    )
    await session.flush()
    session.add(
        HouseholdMember(
            household_id=household_id,
            full_name=person.full_name,
            national_id_hash=national_id_hash(person.national_id),
            national_id_last4=person.national_id[-4:],
            name_key=name_key(person.full_name),
            phone_hash=tel_hash,
        )
    )
    await session.flush()
    return household_id
