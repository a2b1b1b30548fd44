"""The fulfilment's photo of an emergency (multipart, capped like a delivery's proof), and the photo read back by
the poster (their follow link), the claimer and the officials in scope."""

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from api.deps import CurrentPrincipal, UseCases
from api.params import RequestCode
from api.uploads import CappedUploadRoute
from usecases.emergency import fulfilment_photo
from usecases.photo_uploads import too_large
from usecases.relief.reads import Photo

router = APIRouter(prefix="/emergencies", tags=["emergencies"], route_class=CappedUploadRoute)
_PHOTO: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/jpeg": {}}, "description": "the stored (re-encoded) photo"}
}


@router.put("/{emergency_code}/fulfilment/photo", status_code=status.HTTP_204_NO_CONTENT)
async def attach(
    emergency_code: RequestCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    photo: Annotated[UploadFile, File(description="what was brought: JPEG, PNG or WebP")],
) -> Response:
    """The claimer shows what was brought (optional), while the claim is theirs; a later photo replaces it."""
    if photo.size is not None and photo.size > ctx.settings.max_photo_bytes:
        raise too_large(ctx.settings.max_photo_bytes)
    await fulfilment_photo.attach(ctx, principal, emergency_code, await photo.read(), photo.filename)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{emergency_code}/fulfilment/photo", response_class=Response, responses=_PHOTO)
async def read(emergency_code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    """For the claimer and the officials in scope (audited)."""
    return _image(await fulfilment_photo.for_staff_or_claimer(ctx, principal, emergency_code))


@router.get("/{emergency_code}/follow/photo", response_class=Response, responses=_PHOTO)
async def read_as_poster(
    emergency_code: RequestCode, ctx: UseCases, t: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    """For the poster, by their follow link's token."""
    return _image(await fulfilment_photo.for_poster(ctx, emergency_code, t))


def _image(photo: Photo) -> Response:
    headers = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
    return Response(photo.content, media_type=photo.media_type, headers=headers)
