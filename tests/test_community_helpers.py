"""A helper is known by their phone: signing in again updates a person's name and kind, but never turns a help
group's account back into a person under someone's own name."""

from db.base import transaction
from db.cash import CommunityHelper
from domain.cash import HelperKind
from services import community_helpers
from tests.factories import WARD
from tests.help_group_fixtures import a_group


async def _helper(phone: str, kind: HelperKind, name: str) -> CommunityHelper:
    async with transaction() as session:
        helper_id = await community_helpers.signed_in(session, phone, kind, name)
    async with transaction() as session:
        helper = await session.get(CommunityHelper, helper_id)
        assert helper is not None
        return helper


async def test_a_person_signing_in_again_is_the_same_helper_under_the_new_name(db: None) -> None:
    first = await _helper("+84912000111", HelperKind.PERSON, "Lan")
    again = await _helper("+84912000111", HelperKind.PERSON, "Chị Lan")
    assert again.id == first.id and again.display_name == "Chị Lan" and again.kind == HelperKind.PERSON.value


async def test_a_group_account_stays_the_group_when_its_member_signs_in_as_a_person(db: None) -> None:
    account = await _helper("+84912000222", HelperKind.PERSON, "Minh")
    await a_group(WARD, helper_id=account.id, name="Bếp ăn 0 đồng Bến Nghé")
    again = await _helper("+84912000222", HelperKind.PERSON, "Minh")
    assert again.id == account.id
    assert (again.kind, again.display_name) == (HelperKind.GROUP.value, "Bếp ăn 0 đồng Bến Nghé")
