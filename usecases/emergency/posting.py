"""Posting an emergency: a one-time code proves the phone (any phone: a neighbour may post for someone), then
the post is checked field by field, written with its first event and its workflow started, in one unit.

Everything the post says is checked before the code is used or anything is written: a ward outside the city, a
point outside it, a description that says nothing are each a 422 naming the field. Posts are rate-limited per
phone and per IP; a phone (or household) that posts often is not refused but shown to the ward.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.emergency import EmergencyState
from domain.emergency_messages import EmergencyInput
from services import emergencies, otp, rate_limits
from services.emergencies import NewEmergency
from texts import Lang, Text, text
from usecases.context import Context
from usecases.emergency import gateway
from usecases.emergency.follow_tokens import follow_path, follow_token
from usecases.errors import InvalidInput
from usecases.relief.workflow_gateway import new_request_code
from usecases.schemas.citizen import OtpSent
from usecases.schemas.emergencies import EmergencyCodeRequest, EmergencyPost, EmergencyPosted
from usecases.trust.sign_in import WrongCode

PURPOSE = "emergency"


async def send_code(ctx: Context, body: EmergencyCodeRequest, lang: Lang) -> OtpSent:
    settings = ctx.settings
    limits = settings.rate_limits
    await rate_limits.hit(
        ("emergency_otp_send_ip", ctx.client_ip or "-", limits.otp_send_per_ip),
        ("emergency_otp_send_phone", body.phone, limits.otp_send_per_phone),
    )
    valid_for = timedelta(minutes=settings.otp_minutes)
    await otp.send_helper_code(
        ctx.session,
        body.phone,
        valid_for,
        timedelta(seconds=settings.otp_resend_seconds),
        datetime.now(UTC),
        purpose=PURPOSE,
    )
    await ctx.auditor(None).record("emergency_otp_sent")
    return OtpSent(
        message=text(lang, "community.code_sent"),
        expires_in_seconds=int(valid_for.total_seconds()),
        tries=settings.otp_max_attempts,
        resend_after_seconds=settings.otp_resend_seconds,
    )


@dataclass(frozen=True)
class Place:
    district_code: str
    ward_centre: tuple[float, float]
    point: tuple[float, float] | None


async def checked_place(ctx: Context, body: EmergencyPost) -> Place:
    """The post's ward and point, both inside the city; InvalidInput naming the field otherwise."""
    settings, session = ctx.settings, ctx.session
    ward = await emergencies.ward_in_city(session, body.ward_code, settings.city_code)
    if ward is None:
        raise InvalidInput.field("ward_code", "outside_city", Text("err.emergency.ward_outside_city"), body.ward_code)
    district_code, ward_lat, ward_lon = ward
    point = None
    if body.latitude is not None and body.longitude is not None:
        point = (body.latitude, body.longitude)
        if not (await emergencies.city_bounds(session, settings.city_code)).holds(*point):
            raise InvalidInput.field(
                "latitude", "outside_city", Text("err.emergency.point_outside_city"), body.latitude
            )
    return Place(district_code, (ward_lat, ward_lon), point)


async def post(ctx: Context, body: EmergencyPost) -> EmergencyPosted:
    settings, session = ctx.settings, ctx.session
    policy, limits = settings.emergency_policy, settings.rate_limits
    place = await checked_place(ctx, body)
    await rate_limits.hit(
        ("emergency_otp_verify_ip", ctx.client_ip or "-", limits.otp_verify_per_ip),
        ("emergency_otp_verify_phone", body.phone, limits.otp_verify_per_phone),
    )
    now = datetime.now(UTC)
    right, tries_left = await otp.check_helper_code(
        session, body.phone, body.code, settings.otp_max_attempts, now, purpose=PURPOSE
    )
    if not right:
        await ctx.auditor(None).record("emergency_otp_failed")  # commits the counted try with it
        raise WrongCode(tries_left)
    await rate_limits.hit(
        ("emergency_post_phone", body.phone, policy.post_per_phone),
        ("emergency_post_ip", ctx.client_ip or "-", policy.post_per_ip),
    )
    code = new_request_code()
    new = NewEmergency(
        code=code,
        category=body.category,
        urgency=body.urgency,
        description=body.description,
        ward_code=body.ward_code,
        district_code=place.district_code,
        address=body.address,
        point=place.point,
        phone_e164=body.phone,
        lang=body.lang,
    )
    row = await emergencies.post(session, new, place.ward_centre, now, policy)
    inp = EmergencyInput(
        emergency_id=row.id, code=code, ward_code=row.ward_code, district_code=place.district_code, policy=policy
    )
    await gateway.start(ctx.temporal, settings.task_queue, inp)
    await ctx.auditor(None).record(
        "emergency_posted", unit=(row.ward_code, place.district_code), emergency=code, repeated=row.earlier_posts
    )  # commits the post, its first event and the entry together
    token = follow_token(settings, code)
    return EmergencyPosted(
        code=code, state=EmergencyState.OPEN, follow_token=token, follow_path=follow_path(code, token)
    )
