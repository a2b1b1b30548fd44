"""The courier's proof of delivery (a photo and the recipient's identity, as a multipart form), and the
photo read back by the people allowed to see it."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Response, UploadFile, status
from sqlalchemy import select

from api.authorization import can_see_delivery_photo
from api.deps import AppSettings, Audit, CurrentPrincipal, DbSession, PhotoProcessing, TemporalClient
from api.lookup import not_found, visible_request
from api.schemas.text import RequestCode
from api.updates import IdempotencyKey, act
from api.uploads import CappedUploadRoute, too_large
from db.deliveries import Delivery
from domain.identity import NationalId, VietnamesePhone
from domain.messages import DeliveryProof, UpdateResult
from services.photos import MEDIA_TYPES, InvalidPhoto, photo_file
from services.request_reads import find_by_code

router = APIRouter(prefix="/requests", tags=["actions"], route_class=CappedUploadRoute)


@router.post("/{code}/delivery", response_model=UpdateResult)
async def confirm_delivery(
    code: RequestCode,
    principal: CurrentPrincipal,
    session: DbSession,
    client: TemporalClient,
    settings: AppSettings,
    audit: Audit,
    photos: PhotoProcessing,
    photo: Annotated[UploadFile, File(description="the bag at the door: JPEG, PNG or WebP")],
    recipient_national_id: Annotated[NationalId, Form(description="CMND/CCCD of the person who received it")],
    recipient_phone: Annotated[VietnamesePhone, Form()],
    latitude: Annotated[float | None, Form(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Form(ge=-180, le=180)] = None,
    idempotency_key: IdempotencyKey = None,
) -> UpdateResult:
    record = await visible_request(session, principal, code)
    await session.close()
    if photo.size is not None and photo.size > settings.max_photo_bytes:
        raise too_large(settings.max_photo_bytes)
    try:
        stored = await photos.store(await photo.read(), settings.photo_dir, settings.max_photo_pixels)
    except InvalidPhoto as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[{"type": "invalid_photo", "loc": ["body", "photo"], "msg": str(exc), "input": photo.filename}],
        ) from None
    proof = DeliveryProof(
        actor=principal.actor(),
        photo_path=stored.relative_path,
        photo_sha256=stored.sha256,
        recipient_national_id=recipient_national_id,
        recipient_phone=recipient_phone,
        latitude=latitude,
        longitude=longitude,
    )
    return await act(
        client,
        audit,
        record,
        step="delivery",
        update="confirm_delivery",
        message=proof,
        idempotency_key=idempotency_key,
    )


@router.get(
    "/{code}/delivery/photo",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}, "description": "the stored (re-encoded) photo"}},
)
async def delivery_photo(
    code: RequestCode, principal: CurrentPrincipal, session: DbSession, settings: AppSettings, audit: Audit
) -> Response:
    """The proof-of-delivery photo: for officials in scope and the courier who delivered."""
    record = await find_by_code(session, code)
    delivery = None
    if record is not None:
        delivery = await session.scalar(select(Delivery).where(Delivery.request_id == record.request.id))
    if record is None or delivery is None or not can_see_delivery_photo(principal, record.request, delivery.courier_id):
        raise not_found(code)
    path = photo_file(settings.photo_dir, delivery.photo_path) if delivery.photo_path else None
    if path is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"the photo of request {code} is no longer kept")
    await audit.record("read_delivery_photo", record.request)
    content = await asyncio.to_thread(path.read_bytes)
    return Response(
        content,
        media_type=MEDIA_TYPES.get(path.suffix.removeprefix("."), "application/octet-stream"),
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
