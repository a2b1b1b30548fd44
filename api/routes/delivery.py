"""The courier's proof of delivery (a photo and the recipient's identity, as a multipart form), and the
photo read back by the people allowed to see it."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
from api.params import RequestCode
from api.uploads import CappedUploadRoute
from domain.identity import NationalId, VietnamesePhone
from domain.messages import UpdateResult
from usecases import photo_uploads
from usecases.relief import actions, delivery_findings, delivery_reads, reads
from usecases.schemas.delivery import DeliveryReview, HouseholdDeliveryWord, NotReceivedBody, ReviewFindingBody

router = APIRouter(prefix="/requests", tags=["actions"], route_class=CappedUploadRoute)


@router.post("/{code}/delivery", response_model=UpdateResult)
async def confirm_delivery(
    code: RequestCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    photo: Annotated[UploadFile, File(description="the bag at the door: JPEG, PNG or WebP")],
    recipient_national_id: Annotated[NationalId, Form(description="CMND/CCCD of the person who received it")],
    recipient_phone: Annotated[VietnamesePhone, Form()],
    recipient_relationship: Annotated[
        str | None,
        Form(
            max_length=300,
            description="who received it when not a member of the household: a relationship or a reason;"
            " required then (422 naming this field otherwise), and the delivery waits for the ward's review",
        ),
    ] = None,
    latitude: Annotated[float | None, Form(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Form(ge=-180, le=180)] = None,
    key: IdempotencyKey = None,
) -> UpdateResult:
    if photo.size is not None and photo.size > ctx.settings.max_photo_bytes:
        raise photo_uploads.too_large(ctx.settings.max_photo_bytes)
    return await actions.confirm_delivery(
        ctx,
        principal,
        code,
        photo=await photo.read(),
        photo_name=photo.filename,
        recipient_national_id=recipient_national_id,
        recipient_phone=recipient_phone,
        recipient_relationship=recipient_relationship,
        latitude=latitude,
        longitude=longitude,
        idempotency_key=key,
    )


@router.post("/{code}/not-received", response_model=HouseholdDeliveryWord)
async def not_received(
    code: RequestCode, body: NotReceivedBody, principal: CurrentPrincipal, ctx: UseCases
) -> HouseholdDeliveryWord:
    """The household: "Tôi chưa nhận được túi", within the window after the proof; the ward then reviews it."""
    return await delivery_findings.say_not_received(ctx, principal, code, body.note)


@router.post("/{code}/delivery-review", response_model=DeliveryReview)
async def delivery_review(
    code: RequestCode, body: ReviewFindingBody, principal: CurrentPrincipal, ctx: UseCases
) -> DeliveryReview | None:
    """The ward's finding on a delivery marked for review (409 when none waits)."""
    await delivery_findings.record_finding(ctx, principal, code, body.received, body.note)
    return await delivery_reads.delivery_review(ctx, principal, code)


@router.get(
    "/{code}/delivery/photo",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}, "description": "the stored (re-encoded) photo"}},
)
async def delivery_photo(code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    """The proof-of-delivery photo: for officials in scope and the courier who delivered."""
    photo = await reads.delivery_photo(ctx, principal, code)
    return Response(
        photo.content,
        media_type=photo.media_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
