"""Help groups: a signed-in community helper registers a group (their phone becomes its account); the district
official of a district in its coverage, or the city, verifies or refuses it (with a reason) and may suspend it; the
group reads its own state; anyone searches the directory of verified groups.

Bad input is refused before anything is written, naming the field. A group outside the official's districts answers
like a missing code. Registrations are rate-limited per phone (helper) and audited, as is every decision and every
reading of a group's private contact phone.
"""

from datetime import UTC, datetime
from itertools import pairwise
from uuid import UUID

import phonenumbers

from db.help_groups import HelpGroup
from domain.help_groups import GroupKind, GroupState, HelpGroupPolicy, HelpKind, OpeningInterval, is_open
from domain.identity import mask_phone
from domain.roles import Role, UnitLevel
from services import community_helpers, rate_limits
from services import help_groups as groups
from services.geography import district_exists, unit_names, ward_with_district
from texts import Text
from usecases.context import Context
from usecases.errors import FieldProblem, InvalidInput, NotFound
from usecases.principal import Principal
from usecases.relief.work_lists import Page
from usecases.schemas.help_groups import (
    CoveredUnitView,
    DecisionAnswer,
    HelpGroupCard,
    HelpGroupDirectory,
    HelpGroupForReview,
    HelpGroupRegistration,
    HoursView,
    OwnHelpGroup,
    SuspensionBody,
    VerificationBody,
)

GROUP_PAGE = "/nhom-ho-tro/{code}"
_NO_GROUP = Text("err.group.not_found")
_REVIEW_LIMIT = 200


# --- registration ----------------------------------------------------------------------------------------------


def _meaningful(field: str, value: str, least: int, most: int) -> None:
    """Long enough, not too long, and words: letters of at least a few kinds, not one key held down. The words
    name the field ("err.group.name_length")."""
    if len(value) < least or len(value) > most:
        message = Text(f"err.group.{field}_length", least=least, most=most)
        raise InvalidInput.field(field, "length", message, value[:100])
    letters = [ch.casefold() for ch in value if ch.isalpha()]
    if len(set(letters)) < min(3, least) or max((len(list(g)) for g in _runs(value)), default=0) >= 6:
        raise InvalidInput.field(field, "not_meaningful", Text(f"err.group.{field}_not_meaningful"), value[:100])


def _runs(value: str) -> list[list[str]]:
    runs: list[list[str]] = []
    for ch in value:
        if runs and runs[-1][0] == ch and not ch.isspace():
            runs[-1].append(ch)
        else:
            runs.append([ch])
    return runs


def _minute(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _intervals(body: HelpGroupRegistration, policy: HelpGroupPolicy) -> list[OpeningInterval]:
    if body.always_open:
        if body.hours:
            raise InvalidInput.field("hours", "hours_with_always_open")
        return []
    if not body.hours:
        raise InvalidInput.field("hours", "missing", Text("err.group.hours_missing"))
    intervals: list[OpeningInterval] = []
    for i, hours in enumerate(body.hours):
        opens, closes = _minute(hours.opens), _minute(hours.closes)
        if closes <= opens:
            raise InvalidInput.field(f"hours.{i}.closes", "closes_before_opening", input=hours.closes)
        intervals.append(OpeningInterval(weekday=hours.weekday, opens_minute=opens, closes_minute=closes))
    by_day: dict[str, list[OpeningInterval]] = {}
    for interval in sorted(intervals, key=lambda h: (h.weekday.value, h.opens_minute)):
        by_day.setdefault(interval.weekday.value, []).append(interval)
    for day, same_day in by_day.items():
        if len(same_day) > policy.max_intervals_per_day:
            raise InvalidInput.field("hours", "too_many_intervals", input=day, most=policy.max_intervals_per_day)
        if any(later.opens_minute < earlier.closes_minute for earlier, later in pairwise(same_day)):
            raise InvalidInput.field("hours", "overlapping", Text("err.group.hours_overlap"), day)
    return intervals


async def _coverage(ctx: Context, codes: list[str], policy: HelpGroupPolicy) -> list[groups.CoveredUnit]:
    wanted = list(dict.fromkeys(codes))
    if len(wanted) > policy.max_coverage_units:
        raise InvalidInput.field("coverage", "too_many_units", most=policy.max_coverage_units)
    found = await groups.units(ctx.session, wanted)
    districts = {code for code, unit in found.items() if unit.level == UnitLevel.DISTRICT.value}
    covered: list[groups.CoveredUnit] = []
    for code in wanted:
        unit = found.get(code)
        in_city = unit is not None and (
            (unit.level == UnitLevel.DISTRICT.value and unit.parent_code == ctx.settings.city_code)
            or (unit.level == UnitLevel.WARD.value and await _ward_in_city(ctx, code))
        )
        if unit is None or not in_city:
            raise InvalidInput.field("coverage", "unknown_unit", input=code, unit=code)
        level = UnitLevel(unit.level)
        district = code if level == UnitLevel.DISTRICT else str(unit.parent_code)
        if level == UnitLevel.WARD and district in districts:
            continue  # its district is listed whole
        covered.append(groups.CoveredUnit(code=code, level=level, district_code=district))
    return covered


async def _ward_in_city(ctx: Context, ward_code: str) -> bool:
    units = await ward_with_district(ctx.session, ward_code)
    if units is None:
        return False
    district = (await groups.units(ctx.session, [units[1]])).get(units[1])
    return district is not None and district.parent_code == ctx.settings.city_code


def _helper(principal: Principal) -> UUID:
    if principal.helper_id is None:  # the route admits helpers only
        raise NotFound(_NO_GROUP)
    return principal.helper_id


async def register(ctx: Context, principal: Principal, body: HelpGroupRegistration) -> OwnHelpGroup:
    helper_id = _helper(principal)
    policy = ctx.settings.help_group_policy
    _meaningful("name", body.name, policy.name_min, policy.name_max)
    _meaningful("description", body.description, policy.description_min, policy.description_max)
    hours = _intervals(body, policy)
    coverage = await _coverage(ctx, body.coverage, policy)
    existing = await groups.group_of_helper(ctx.session, helper_id)
    if existing is not None and existing.state != GroupState.REFUSED.value:
        raise InvalidInput.field("phone", "already_registered", Text("err.group.already_registered"), existing.code)
    helper = await community_helpers.find(ctx.session, helper_id)
    assert helper is not None  # the token's helper was loaded for this call
    await rate_limits.hit(
        ("help_group_registration_phone", helper.phone, ctx.settings.rate_limits.help_group_registration_per_phone)
    )
    group = await groups.register(
        ctx.session,
        groups.NewHelpGroup(
            name=body.name,
            kind=body.kind,
            help_kinds=frozenset(body.help_kinds),
            description=body.description,
            coverage=coverage,
            always_open=body.always_open,
            hours=hours,
            public_hotline=body.public_hotline,
            contact_phone=body.contact_phone,
        ),
        helper_id,
    )
    await ctx.auditor(principal).record(
        "help_group_registered", unit=(None, coverage[0].district_code), group=group.code
    )
    return await own_group(ctx, principal)


async def own_group(ctx: Context, principal: Principal) -> OwnHelpGroup:
    group = await groups.group_of_helper(ctx.session, _helper(principal))
    if group is None:
        raise NotFound(Text("err.group.none_registered"))
    (card,) = await _cards(ctx, [group])
    return OwnHelpGroup(
        **card.model_dump(),
        state=GroupState(group.state),
        refusal_reason=group.refusal_reason,
        suspension_reason=group.suspension_reason,
        contact_phone_masked=mask_phone(group.contact_phone) if group.contact_phone else None,
    )


# --- verification ------------------------------------------------------------------------------------------------


def _official_district(principal: Principal) -> str | None:
    """The district whose groups the official decides on; None for the city and supervisors (all)."""
    if principal.role == Role.DISTRICT_OFFICIAL:
        if principal.district_code is None:
            raise NotFound(_NO_GROUP)
        return principal.district_code
    if principal.role in (Role.CITY_OFFICIAL, Role.SUPERVISOR):
        return None
    raise NotFound(_NO_GROUP)  # the routes admit no other role


async def _group_in_scope(ctx: Context, principal: Principal, code: str) -> HelpGroup:
    district = _official_district(principal)
    group = await groups.by_code(ctx.session, code.upper())
    if group is None or (district is not None and not await groups.covers_district(ctx.session, group.id, district)):
        raise NotFound(_NO_GROUP)
    return group


async def review_queue(ctx: Context, principal: Principal) -> list[HelpGroupForReview]:
    """Pending groups with coverage in the official's district (the city's: all), oldest first; then the verified
    ones, which the official may suspend. Reading their contact phones is audited."""
    district = _official_district(principal)
    rows = [
        group
        for state in (GroupState.PENDING, GroupState.VERIFIED)  # each its own page: verified ones never crowd out
        for group in await groups.in_districts(ctx.session, district, state, _REVIEW_LIMIT)
    ]
    cards = await _cards(ctx, rows)
    if rows:
        await ctx.auditor(principal).record(
            "help_group_contacts_read", unit=(None, district), groups=[g.code for g in rows]
        )
    return [
        HelpGroupForReview(
            **card.model_dump(),
            state=GroupState(group.state),
            contact_phone=group.contact_phone,
            registered_at=group.created_at,
        )
        for group, card in zip(rows, cards, strict=True)
    ]


def _already(code: str, state: str) -> InvalidInput:
    return InvalidInput(
        FieldProblem(
            "group_code",
            "already_decided",
            Text("err.group.already_decided", state=Text(f"group_state.{state}")),
            code,
            location="path",
        )
    )


def _reason(field: str, reason: str | None, policy: HelpGroupPolicy) -> str:
    text = (reason or "").strip()
    if not policy.reason_min <= len(text) <= policy.reason_max:
        message = Text("err.group.reason_required", least=policy.reason_min, most=policy.reason_max)
        raise InvalidInput.field(field, "reason_required", message)
    return text


async def verify(ctx: Context, principal: Principal, code: str, body: VerificationBody) -> DecisionAnswer:
    """Verified (the group appears in the directory), or refused with a reason the group reads. Once."""
    group = await _group_in_scope(ctx, principal, code)
    now = datetime.now(UTC)
    if body.approve:
        values = {
            "verified_by": principal.user_id,
            "verified_at": now,
            "verified_in": principal.district_code or ctx.settings.city_code,
        }
        to = GroupState.VERIFIED
    else:
        reason = _reason("reason", body.reason, ctx.settings.help_group_policy)
        # Refused, the group's private contact has no further use: the group reads the reason in the app.
        values = {"refused_by": principal.user_id, "refused_at": now, "refusal_reason": reason, "contact_phone": None}
        to = GroupState.REFUSED
    if not await groups.decide(ctx.session, group.id, GroupState.PENDING, to, **values):
        await ctx.session.refresh(group)  # decided meanwhile, perhaps by someone else
        raise _already(group.code, group.state)
    await ctx.auditor(principal).record(
        f"help_group_{to.value}", unit=(None, principal.district_code), group=group.code
    )
    return DecisionAnswer(code=group.code, state=to)


async def suspend(ctx: Context, principal: Principal, code: str, body: SuspensionBody) -> DecisionAnswer:
    """A verified group leaves the directory at once, with the reason it reads."""
    group = await _group_in_scope(ctx, principal, code)
    reason = _reason("reason", body.reason, ctx.settings.help_group_policy)
    values = {"suspended_by": principal.user_id, "suspended_at": datetime.now(UTC), "suspension_reason": reason}
    if not await groups.decide(ctx.session, group.id, GroupState.VERIFIED, GroupState.SUSPENDED, **values):
        raise InvalidInput(
            FieldProblem(
                "group_code",
                "not_verified",
                Text("err.group.not_verified", state=Text(f"group_state.{group.state}")),
                group.code,
                location="path",
            )
        )
    await ctx.auditor(principal).record("help_group_suspended", unit=(None, principal.district_code), group=group.code)
    return DecisionAnswer(code=group.code, state=GroupState.SUSPENDED)


# --- the directory -----------------------------------------------------------------------------------------------


async def search(
    ctx: Context,
    page: Page,
    *,
    district: str | None = None,
    ward: str | None = None,
    kind: GroupKind | None = None,
    help_kind: HelpKind | None = None,
    open_now: bool = False,
    text: str = "",
) -> HelpGroupDirectory:
    ward_units = None
    if ward:
        ward_units = await ward_with_district(ctx.session, ward)
        if ward_units is None:
            raise _unknown_filter("ward", Text("err.unknown_ward", ward=ward), ward)
    if district and not await district_exists(ctx.session, district):
        raise _unknown_filter("district", Text("err.group.unknown_district", district=district), district)
    limit = min(page.limit, ctx.settings.help_group_policy.directory_page_max)
    now = datetime.now(UTC)
    f = groups.DirectoryFilter(
        district_code=district, ward=ward_units, kind=kind, help_kind=help_kind, open_now=open_now, text=text
    )
    rows = await groups.directory(ctx.session, f, now, limit + 1, page.offset)
    return HelpGroupDirectory(
        items=await _cards(ctx, rows[:limit], now), limit=limit, offset=page.offset, has_more=len(rows) > limit
    )


def _unknown_filter(field: str, message: Text, value: str) -> InvalidInput:
    return InvalidInput(FieldProblem(field, f"unknown_{field}", message, value, location="query"))


async def public_page(ctx: Context, code: str) -> HelpGroupCard:
    group = await groups.by_code(ctx.session, code.upper())
    if group is None or group.state != GroupState.VERIFIED.value:
        raise NotFound(_NO_GROUP)
    (card,) = await _cards(ctx, [group])
    return card


def national_format(e164: str) -> str:
    """A hotline as people dial it: "+842838221234" → "028 3822 1234"."""
    return phonenumbers.format_number(phonenumbers.parse(e164, "VN"), phonenumbers.PhoneNumberFormat.NATIONAL)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


async def _cards(ctx: Context, rows: list[HelpGroup], now: datetime | None = None) -> list[HelpGroupCard]:
    now = now or datetime.now(UTC)
    ids = [g.id for g in rows]
    coverage = await groups.coverage_of(ctx.session, ids)
    hours = await groups.hours_of(ctx.session, ids)
    helped = await groups.emergencies_helped(ctx.session, ids)
    codes = {c.unit_code for cs in coverage.values() for c in cs} | {g.verified_in for g in rows if g.verified_in}
    names = await unit_names(ctx.session, codes)
    return [
        HelpGroupCard(
            code=g.code,
            name=g.name,
            kind=GroupKind(g.kind),
            help_kinds=[HelpKind(k) for k in g.help_kinds],
            description=g.description,
            coverage=[
                CoveredUnitView(code=c.unit_code, name=names.get(c.unit_code, c.unit_code), level=UnitLevel(c.level))
                for c in coverage.get(g.id, [])
            ],
            always_open=g.always_open,
            hours=[
                HoursView(weekday=h.weekday, opens=_clock(h.opens_minute), closes=_clock(h.closes_minute))
                for h in hours.get(g.id, [])
            ],
            open_now=g.state == GroupState.VERIFIED.value and is_open(g.always_open, hours.get(g.id, []), now),
            public_hotline=g.public_hotline,
            public_hotline_display=national_format(g.public_hotline) if g.public_hotline else None,
            verified_by_unit=names.get(g.verified_in) if g.verified_in else None,
            verified_at=g.verified_at,
            emergencies_helped=helped.get(g.id, 0),
            page_url=GROUP_PAGE.format(code=g.code),
        )
        for g in rows
    ]
