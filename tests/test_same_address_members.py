"""A second member of a household registering with their own ID and their own phone at the same address is
flagged for the ward when the household size they give is the first's; another family of the boarding house, of
another size, is not (the measured choice in docs/identity.md)."""

import pytest

from db.base import transaction
from services.household_matching import (
    SAME_ADDRESS,
    MatchKind,
    Person,
    Resolution,
    SameAddress,
    lock_identity,
    resolve_household,
)

pytestmark = pytest.mark.usefixtures("db")

WARD = "26734"
ADDRESS = "12/3 Lê Thánh Tôn, Phường Bến Nghé, Quận 1"


async def resolve(person: Person, rule: SameAddress = SAME_ADDRESS) -> Resolution:
    async with transaction() as session:
        await lock_identity(session, person)
        return await resolve_household(session, person, rule)


async def test_another_member_with_own_id_and_phone_at_the_address_is_flagged() -> None:
    first = await resolve(Person(WARD, "Trần Thị Thu Hà", "079301000111", "+84912000111", ADDRESS, 4))
    husband = await resolve(
        Person(WARD, "Nguyễn Văn Minh", "079201000222", "+84913000222", "12/3 Le Thanh Ton, P. Ben Nghe, Q1", 4)
    )
    assert husband.kind == MatchKind.NEW
    assert husband.probable_duplicate_of == first.household_id


async def test_another_family_of_another_size_at_the_address_is_not_flagged() -> None:
    await resolve(Person(WARD, "Trần Thị Thu Hà", "079301000111", "+84912000111", ADDRESS, 4))
    lodger = await resolve(Person(WARD, "Lê Văn Long", "079201000333", "+84913000333", ADDRESS, 2))
    assert lodger.probable_duplicate_of is None
    # Before the choice, the address alone never flagged anyone, whatever the size.
    member = await resolve(
        Person(WARD, "Phạm Thị Mai", "079301000444", "+84914000444", ADDRESS, 4), SameAddress.NAME_OR_PHONE
    )
    assert member.probable_duplicate_of is None


async def test_a_name_match_comes_before_a_neighbour_matched_by_the_address_alone() -> None:
    neighbour = await resolve(Person(WARD, "Lê Văn Long", "079201000333", "+84913000333", ADDRESS, 3))
    family = await resolve(Person(WARD, "Trần Thị Thu Hà", "079301000111", "+84912000111", ADDRESS, 3))
    assert family.probable_duplicate_of == neighbour.household_id  # same address, same size: asked
    again = await resolve(Person(WARD, "Tran Thi Thu Ha", "025123456", "+84915000555", ADDRESS, 3))
    assert again.probable_duplicate_of == family.household_id
