"""What the courier needs at the door (the address, a map, the phone number to call) and what the ward reviews
about a delivery (a recipient who is not a member, an ID number that belongs to another household)."""

from urllib.parse import quote_plus

from domain.identity import mask_phone
from domain.roles import Role
from domain.stages import Stage
from services import delivery
from usecases.access import visible_request
from usecases.context import Context
from usecases.identity.places import city_name
from usecases.principal import Principal
from usecases.schemas.delivery import DeliveryReview, RecipientContact

MAP_SEARCH = "https://www.openstreetmap.org/search?query="


async def recipient_contact(ctx: Context, principal: Principal, code: str) -> RecipientContact:
    """The full phone number goes only to the courier the request is assigned to, only while it is out for
    delivery, and that reading is audited; everyone else in scope reads it masked."""
    record = await visible_request(ctx.session, principal, code)
    r = record.request
    calling = (
        principal.role == Role.COURIER
        and principal.user_id is not None
        and r.courier_id == principal.user_id
        and r.stage == Stage.OUT_FOR_DELIVERY.value
    )
    if calling:
        await ctx.auditor(principal).record("read_recipient_phone", r)
    place = f"{r.address}, {record.ward_name}, {record.district_name}"
    return RecipientContact(
        address=r.address,
        ward_name=record.ward_name,
        district_name=record.district_name,
        phone=r.applicant_phone if calling else None,
        phone_masked=mask_phone(r.applicant_phone),
        map_url=MAP_SEARCH + quote_plus(f"{place}, {await city_name(ctx)}"),
    )


async def delivery_review(ctx: Context, principal: Principal, code: str) -> DeliveryReview | None:
    """For officials and supervisors: the delivery's review mark and what it rests on (None for others)."""
    if not (principal.is_official or principal.role == Role.SUPERVISOR):
        return None
    record = await visible_request(ctx.session, principal, code)
    found = await delivery.recipient_review(ctx.session, record.request.id, record.request.household_id)
    return DeliveryReview.model_validate(found, from_attributes=True)
