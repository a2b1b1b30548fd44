"""Reading emergencies: the public list (approximate points, no personal data), the requester's own page (their
link), the claimer's and the ward's exact view (audited), and the ward's or the SOS team's queue, late ones first.
"""

from db.emergencies import Emergency
from domain.emergency import EmergencyCategory, EmergencyEvent, EmergencyState, EmergencyUrgency
from domain.roles import Role
from services import emergency_reads, geography
from services.emergency_reads import BoundingBox, PublicRow
from services.map_clusters import MapFilter
from usecases.context import Context
from usecases.emergency.actions import NO_EMERGENCY, is_claimer, may_act_as_ward
from usecases.emergency.follow_tokens import opens
from usecases.errors import NotFound
from usecases.principal import Principal
from usecases.schemas.emergencies import EmergencyDetail, EmergencyHistoryEntry, PublicEmergency, WardEmergency


async def public_list(
    ctx: Context,
    district_code: str | None = None,
    box: BoundingBox | None = None,
    page: int = 1,
    per_page: int = 50,
    wanted: MapFilter | None = None,
) -> list[PublicEmergency]:
    rows = await emergency_reads.public(ctx.session, district_code, box, per_page, (page - 1) * per_page, wanted)
    names = await geography.unit_names(ctx.session, {r.ward_code for r in rows} | {r.district_code for r in rows})
    return [_public(r, names) for r in rows]


def _public(row: PublicRow, names: dict[str, str]) -> PublicEmergency:
    return PublicEmergency(
        code=row.code,
        category=EmergencyCategory(row.category),
        urgency=EmergencyUrgency(row.urgency),
        state=EmergencyState(row.state),
        ward_code=row.ward_code,
        ward_name=names.get(row.ward_code, row.ward_code),
        district_code=row.district_code,
        district_name=names.get(row.district_code, row.district_code),
        latitude=row.latitude,
        longitude=row.longitude,
        posted_at=row.posted_at,
    )


async def followed(ctx: Context, code: str, token: str | None) -> Emergency:
    """The emergency whose follow link this is (not hidden); anyone else's answer is a missing code."""
    row = await emergency_reads.by_code(ctx.session, code)
    if row is None or not opens(ctx.settings, code, token) or row.state == EmergencyState.HIDDEN.value:
        raise NotFound(NO_EMERGENCY)
    return row


async def in_hands(ctx: Context, principal: Principal, code: str) -> Emergency:
    """The emergency as its claimer or an official in scope may read it whole; anyone else: a missing code."""
    row = await emergency_reads.by_code(ctx.session, code)
    if row is None or not (is_claimer(principal, row) or (principal.is_official and may_act_as_ward(principal, row))):
        raise NotFound(NO_EMERGENCY)
    return row


async def requester_view(ctx: Context, code: str, token: str | None) -> EmergencyDetail:
    """The requester's own emergency, through their follow link: where it is, who is coming, what happened."""
    return await _detail(ctx, await followed(ctx, code, token))


async def exact(ctx: Context, principal: Principal, code: str) -> EmergencyDetail:
    """The exact address and description: for the emergency's claimer and the officials in scope, audited."""
    row = await in_hands(ctx, principal, code)
    await ctx.auditor(principal).record(
        "emergency_address_read", unit=(row.ward_code, row.district_code), emergency=code
    )
    return await _detail(ctx, row)


async def my_claims(ctx: Context, principal: Principal) -> list[EmergencyDetail]:
    """A helper's emergencies still in their hands, with the exact addresses (the reading audited)."""
    if principal.helper_id is None:
        return []
    rows = await emergency_reads.claimed_by_helper(ctx.session, principal.helper_id)
    if rows:
        await ctx.auditor(principal).record("emergency_claims_read", emergencies=[r.code for r in rows])
    return [await _detail(ctx, row) for row in rows]


async def queue(ctx: Context, principal: Principal) -> list[WardEmergency]:
    """The active emergencies of the official's ward, district, or (the SOS team) the city: late ones first, the
    poster's repeated posts and a claimer whose claims kept lapsing flagged."""
    ward = principal.ward_code if principal.role == Role.WARD_OFFICIAL else None
    district = principal.district_code if principal.role == Role.DISTRICT_OFFICIAL else None
    if ward is None and district is None and principal.role != Role.CITY_OFFICIAL:
        return []
    policy = ctx.settings.emergency_policy
    rows = await emergency_reads.queue(ctx.session, ward, district)
    if rows:
        await ctx.auditor(principal).record("emergency_queue_read", emergencies=[r.code for r, _ in rows])
    answer = []
    for row, lapsed in rows:
        detail = await _detail(ctx, row)
        posts = row.earlier_posts + 1
        answer.append(
            WardEmergency(
                **detail.model_dump(),
                late=row.state == EmergencyState.OPEN.value and row.escalated_at is not None,
                escalated_at=row.escalated_at,
                claimed_by_staff=row.claimed_by_staff is not None,
                releases=row.releases,
                posts_by_same_poster=posts,
                repeated=posts >= policy.repeated_posts,
                claimer_flagged=lapsed >= policy.helper_lapses_to_flag,
            )
        )
    return answer


async def _detail(ctx: Context, row: Emergency) -> EmergencyDetail:
    names = await geography.unit_names(ctx.session, (row.ward_code, row.district_code))
    history = await emergency_reads.history(ctx.session, row.id)
    exact_lat, exact_lon = _point(row.exact_point)
    public = PublicRow(
        row.code, row.category, row.urgency, row.state, row.ward_code, row.district_code,
        row.approx_latitude, row.approx_longitude, row.created_at,
    )  # fmt: skip
    return EmergencyDetail(
        **_public(public, names).model_dump(),
        description=row.description,
        address=row.address,
        exact_latitude=exact_lat,
        exact_longitude=exact_lon,
        claimed_at=row.claimed_at,
        claimed_by_helper=row.claimed_by_helper is not None,
        fulfilled_at=row.fulfilled_at,
        fulfilment_note=row.fulfilment_note,
        has_fulfilment_photo=row.fulfilment_photo_path is not None,
        closed_at=row.closed_at,
        close_reason=row.close_reason,
        history=[
            EmergencyHistoryEntry(event=EmergencyEvent(e.event), at=e.at, state=EmergencyState(e.state))
            for e in history
        ],
    )


def _point(text: str | None) -> tuple[float | None, float | None]:
    if not text:
        return None, None
    lat, lon = text.split(",")
    return float(lat), float(lon)
