"""Help groups and emergencies: a verified group's account claims only within the group's coverage (a person, or a
group not yet verified, claims anywhere), and the group's public page counts the emergencies it helped with."""

import uuid
from typing import Any

from sqlalchemy import select

from db.base import transaction
from db.help_groups import HelpGroup, HelpGroupAccount
from domain.help_groups import GroupState
from tests.emergency_fixtures import posted, row, world
from tests.factories import OTHER_DISTRICT_WARD, WARD
from tests.help_group_fixtures import a_group
from texts import text
from usecases.trust.tokens import issue_helper_token

__all__ = ["world"]
V = "/api/v1"


async def group_account(code: str) -> uuid.UUID:
    async with transaction() as session:
        helper_id = await session.scalar(
            select(HelpGroupAccount.helper_id).join(HelpGroup).where(HelpGroup.code == code)
        )
    assert helper_id is not None
    return helper_id


async def test_a_verified_group_claims_within_its_coverage_only(world: Any) -> None:
    http, settings = world
    group = await a_group(WARD, state=GroupState.VERIFIED)
    account = {"Authorization": f"Bearer {issue_helper_token(settings, await group_account(group))}"}
    far = await posted(http, ward_code=OTHER_DISTRICT_WARD, latitude=None, longitude=None)
    refused = await http.post(f"{V}/emergencies/{far['code']}/claim", headers=account)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["detail"]
    assert problem["type"] == "outside_coverage" and problem["msg"] == text("vi", "err.outside_coverage")
    assert (await row(far["code"])).state == "open" and (await row(far["code"])).claimed_by_helper is None

    near = await posted(http)  # in Phường Bến Nghé, the group's ward
    taken = await http.post(f"{V}/emergencies/{near['code']}/claim", headers=account)
    assert taken.status_code == 200, taken.text
    brought = await http.post(
        f"{V}/emergencies/{near['code']}/fulfilment", json={"note": "Đã mang 2 hộp sữa"}, headers=account
    )
    assert brought.status_code == 200, brought.text
    page = (await http.get(f"{V}/help-groups/{group}")).json()
    assert page["emergencies_helped"] == 1
    assert (await row(near["code"])).state == "fulfilled"


async def test_a_group_not_yet_verified_claims_as_a_person(world: Any) -> None:
    http, settings = world
    group = await a_group(WARD)  # pending: it covers nothing yet, and limits nothing
    account = {"Authorization": f"Bearer {issue_helper_token(settings, await group_account(group))}"}
    far = await posted(http, ward_code=OTHER_DISTRICT_WARD, latitude=None, longitude=None)
    assert (await http.post(f"{V}/emergencies/{far['code']}/claim", headers=account)).status_code == 200
