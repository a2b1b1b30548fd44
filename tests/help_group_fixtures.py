"""Help groups written straight through the service, for tests that need one in a given state."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from db.base import transaction
from db.geography import AdminUnit
from domain.cash import HelperKind
from domain.help_groups import GroupKind, GroupState, HelpKind, OpeningInterval
from domain.roles import Role, UnitLevel
from services import community_helpers
from services import help_groups as groups
from services.help_groups import CoveredUnit, NewHelpGroup
from tests.factories import make_staff


async def a_group(
    ward_code: str,
    *,
    helper_id: uuid.UUID | None = None,
    state: GroupState = GroupState.PENDING,
    name: str = "Bếp ăn 0 đồng Phường",
    always_open: bool = True,
    hours: list[OpeningInterval] | None = None,
) -> str:
    """A group covering one ward, registered by the helper (a new one if None), in `state`; its code."""
    verifier = None
    if state != GroupState.PENDING:
        async with transaction() as session:
            district_code = await session.scalar(select(AdminUnit.parent_code).where(AdminUnit.code == ward_code))
        verifier = (await make_staff(Role.DISTRICT_OFFICIAL, str(district_code))).id
    async with transaction() as session:
        district = await session.scalar(select(AdminUnit.parent_code).where(AdminUnit.code == ward_code))
        assert district is not None
        if helper_id is None:
            phone = f"+8491{uuid.uuid4().int % 10**7:07d}"
            helper_id = await community_helpers.signed_in(session, phone, HelperKind.GROUP, "Nhóm")
        group = await groups.register(
            session,
            NewHelpGroup(
                name=name,
                kind=GroupKind.FREE_MEALS,
                help_kinds=frozenset({HelpKind.FOOD}),
                description="Nấu cơm trưa miễn phí cho người lao động khó khăn trong phường.",
                coverage=[CoveredUnit(code=ward_code, level=UnitLevel.WARD, district_code=district)],
                always_open=always_open,
                hours=hours or [],
                public_hotline="+842838221234",
                contact_phone="+84912345670",
            ),
            helper_id,
        )
        if state != GroupState.PENDING:
            verified = {"verified_by": verifier, "verified_at": datetime.now(UTC), "verified_in": district}
            await groups.decide(session, group.id, GroupState.PENDING, GroupState.VERIFIED, **verified)
        if state == GroupState.SUSPENDED:
            suspended = {"suspended_at": datetime.now(UTC), "suspension_reason": "vi phạm"}
            await groups.decide(session, group.id, GroupState.VERIFIED, GroupState.SUSPENDED, **suspended)
        return group.code
