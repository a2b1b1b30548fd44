"""A photo someone sends (a courier's proof, a claimer's picture of what was brought): refused over the size limit
or when it is not a picture, else checked and re-encoded off the API's own process and kept by its content."""

from services.photos import InvalidPhoto, StoredPhoto
from texts import Text
from usecases.context import Context
from usecases.errors import InvalidInput, TooLarge


def too_large(max_photo_bytes: int) -> TooLarge:
    return TooLarge(Text("err.photo_over_limit", kib=max_photo_bytes // 1024))


async def keep(ctx: Context, photo: bytes, photo_name: str | None) -> StoredPhoto:
    """The stored photo; a 4xx naming the field `photo` when it cannot be kept."""
    settings = ctx.settings
    if len(photo) > settings.max_photo_bytes:
        raise too_large(settings.max_photo_bytes)
    try:
        return await ctx.photos.store(photo, settings.photo_dir, settings.max_photo_pixels)
    except InvalidPhoto as exc:
        raise InvalidInput.field("photo", "invalid_photo", exc.text, photo_name) from None
