"""The fulfilment's photo: the claimer may show what was brought (optional, like the note), and the poster (by the
follow link), the claimer and the officials in scope see it; every reading by someone other than the poster is
audited, as the exact address's is.

The photo is checked and re-encoded off the API's own process (no metadata, a bounded size), replacing an earlier
one, and only while the claim is the claimer's (claimed or fulfilled); it goes with the retention purge.
"""

import asyncio

from db.emergencies import Emergency
from domain.emergency import EmergencyState
from services import emergency_reads, photo_uses
from services.photos import MEDIA_TYPES, InvalidPhoto, photo_file
from texts import Text
from usecases.context import Context
from usecases.emergency.actions import NO_EMERGENCY, is_claimer, may_act_as_ward, path_problem, visible
from usecases.emergency.follow_tokens import opens
from usecases.errors import InvalidInput, NotFound
from usecases.principal import Principal
from usecases.relief.actions import photo_too_large
from usecases.relief.reads import Photo

_HOLDING = frozenset({EmergencyState.CLAIMED.value, EmergencyState.FULFILLED.value})


async def attach(ctx: Context, principal: Principal, code: str, photo: bytes, photo_name: str | None) -> None:
    """The claimer's photo of what was brought, while the claim is theirs; a later one replaces it."""
    row = await visible(ctx, principal, code)
    if not is_claimer(principal, row):
        raise path_problem("not_your_claim", code)
    if row.state not in _HOLDING:
        raise path_problem("claim_over", code)
    settings = ctx.settings
    if len(photo) > settings.max_photo_bytes:
        raise photo_too_large(settings.max_photo_bytes)
    try:
        stored = await ctx.photos.store(photo, settings.photo_dir, settings.max_photo_pixels)
    except InvalidPhoto as exc:
        raise InvalidInput.field("photo", "invalid_photo", exc.text, photo_name) from None
    replaced = row.fulfilment_photo_path
    row.fulfilment_photo_path, row.fulfilment_photo_sha256 = stored.relative_path, stored.sha256
    await ctx.auditor(principal).record(  # commits the row with the entry
        "emergency_photo_attached", unit=(row.ward_code, row.district_code), emergency=code, sha256=stored.sha256
    )
    await photo_uses.delete_unnamed(ctx.session, settings.photo_dir, [replaced])


async def for_poster(ctx: Context, code: str, token: str | None) -> Photo:
    row = await emergency_reads.by_code(ctx.session, code)
    if row is None or not opens(ctx.settings, code, token) or row.state == EmergencyState.HIDDEN.value:
        raise NotFound(NO_EMERGENCY)
    return await _read(ctx, row)


async def for_staff_or_claimer(ctx: Context, principal: Principal, code: str) -> Photo:
    row = await emergency_reads.by_code(ctx.session, code)
    if row is None or not (is_claimer(principal, row) or (principal.is_official and may_act_as_ward(principal, row))):
        raise NotFound(NO_EMERGENCY)
    photo = await _read(ctx, row)
    await ctx.auditor(principal).record("emergency_photo_read", unit=(row.ward_code, row.district_code), emergency=code)
    return photo


async def _read(ctx: Context, row: Emergency) -> Photo:
    path = photo_file(ctx.settings.photo_dir, row.fulfilment_photo_path) if row.fulfilment_photo_path else None
    if path is None:
        raise NotFound(Text("err.emergency.no_photo"))
    content = await asyncio.to_thread(path.read_bytes)
    return Photo(content, MEDIA_TYPES.get(path.suffix.removeprefix("."), "application/octet-stream"))
