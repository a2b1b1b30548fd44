"""The fulfilment's photo: the claimer may show what was brought (optional, like the note), and the poster (by the
follow link), the claimer and the officials in scope see it; every reading by someone other than the poster is
audited, as the exact address's is.

The photo is checked and re-encoded off the API's own process (no metadata, a bounded size), replacing an earlier
one, and only while the claim is the claimer's (claimed or fulfilled); it goes with the retention purge.
"""

import asyncio

from db.emergencies import Emergency
from domain.emergency import CLAIM_HELD_STATES, EmergencyState
from services import photo_uses
from services.photos import MEDIA_TYPES, photo_file
from texts import Text
from usecases import photo_uploads
from usecases.context import Context
from usecases.emergency import reads
from usecases.emergency.actions import is_claimer, path_problem, visible
from usecases.errors import NotFound
from usecases.principal import Principal
from usecases.relief.reads import Photo


async def attach(ctx: Context, principal: Principal, code: str, photo: bytes, photo_name: str | None) -> None:
    """The claimer's photo of what was brought, while the claim is theirs; a later one replaces it."""
    row = await visible(ctx, principal, code)
    if not is_claimer(principal, row):
        raise path_problem("not_your_claim", code)
    if EmergencyState(row.state) not in CLAIM_HELD_STATES:
        raise path_problem("claim_over", code)
    stored = await photo_uploads.keep(ctx, photo, photo_name)
    replaced = row.fulfilment_photo_path
    row.fulfilment_photo_path, row.fulfilment_photo_sha256 = stored.relative_path, stored.sha256
    await ctx.auditor(principal).record(  # commits the row with the entry
        "emergency_photo_attached", unit=(row.ward_code, row.district_code), emergency=code, sha256=stored.sha256
    )
    await photo_uses.delete_unnamed(ctx.session, ctx.settings.photo_dir, [replaced])


async def for_poster(ctx: Context, code: str, token: str | None) -> Photo:
    return await _read(ctx, await reads.followed(ctx, code, token))


async def for_staff_or_claimer(ctx: Context, principal: Principal, code: str) -> Photo:
    row = await reads.in_hands(ctx, principal, code)
    photo = await _read(ctx, row)
    await ctx.auditor(principal).record("emergency_photo_read", unit=(row.ward_code, row.district_code), emergency=code)
    return photo


async def _read(ctx: Context, row: Emergency) -> Photo:
    path = photo_file(ctx.settings.photo_dir, row.fulfilment_photo_path) if row.fulfilment_photo_path else None
    if path is None:
        raise NotFound(Text("err.emergency.no_photo"))
    content = await asyncio.to_thread(path.read_bytes)
    return Photo(content, MEDIA_TYPES.get(path.suffix.removeprefix("."), "application/octet-stream"))
