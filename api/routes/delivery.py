"""The courier's proof of delivery: a photo and the recipient's identity, as a multipart form."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, UploadFile, status

from api.deps import AppSettings, Courier, DbSession, TemporalClient
from api.lookup import visible_request
from api.updates import IdempotencyKey, act
from api.uploads import CappedUploadRoute, too_large
from domain.identity import NationalId, VietnamesePhone
from domain.messages import DeliveryProof, UpdateResult
from services.photos import InvalidPhoto, store_photo

router = APIRouter(prefix="/requests", tags=["actions"], route_class=CappedUploadRoute)


@router.post("/{code}/delivery", response_model=UpdateResult)
async def confirm_delivery(
    code: str,
    principal: Courier,
    session: DbSession,
    client: TemporalClient,
    settings: AppSettings,
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
        stored = await asyncio.to_thread(store_photo, photo.file, settings.photo_dir)
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
        principal,
        record,
        step="delivery",
        update="confirm_delivery",
        message=proof,
        idempotency_key=idempotency_key,
    )
