"""Emergencies: post one with a phone's one-time code, list open ones (approximate points only), follow one's own
by its link; helpers and officials claim, fulfil; the ward closes or hides. Thin adapters over usecases/emergency/.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from api.deps import CurrentPrincipal, UseCases
from api.errors import request_lang
from api.params import RequestCode
from domain.emergency import EmergencyCategory, EmergencyUrgency
from domain.emergency_messages import EmergencyAnswer
from services.emergency_reads import BoundingBox
from services.map_clusters import MAX_ZOOM, MIN_ZOOM
from texts import Text
from usecases.emergency import actions, posting, reads
from usecases.emergency import map as emergency_map
from usecases.errors import InvalidInput
from usecases.schemas.citizen import OtpSent
from usecases.schemas.emergencies import (
    EmergencyCodeRequest,
    EmergencyDetail,
    EmergencyNote,
    EmergencyPost,
    EmergencyPosted,
    EmergencyReason,
    FollowToken,
    PublicEmergency,
    WardEmergency,
)
from usecases.schemas.emergency_map import MapAnswer, MapQuery
from usecases.schemas.text import CODE_PATTERN

router = APIRouter(tags=["emergencies"])

EmergencyCode = RequestCode
_BBOX = r"^-?\d{1,3}(\.\d+)?,-?\d{1,3}(\.\d+)?,-?\d{1,3}(\.\d+)?,-?\d{1,3}(\.\d+)?$"


@router.post("/emergencies/otp", response_model=OtpSent, status_code=status.HTTP_202_ACCEPTED)
async def send_code(body: EmergencyCodeRequest, ctx: UseCases, request: Request) -> OtpSent:
    """A one-time code to the phone an emergency is posted from (any phone: a neighbour may post)."""
    return await posting.send_code(ctx, body, request_lang(request))


@router.post("/emergencies", response_model=EmergencyPosted, status_code=status.HTTP_201_CREATED)
async def post(body: EmergencyPost, ctx: UseCases) -> EmergencyPosted:
    """Posts an emergency with the phone's code; the answer carries the requester's follow link."""
    return await posting.post(ctx, body)


@router.get("/emergencies", response_model=list[PublicEmergency])
async def public_list(
    ctx: UseCases,
    district: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    bbox: Annotated[str | None, Query(pattern=_BBOX, description="south,west,north,east (degrees)")] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> list[PublicEmergency]:
    """Open and claimed emergencies: category, urgency, ward and a point rounded to ~200 m; nobody's details."""
    return await reads.public_list(ctx, district, None if bbox is None else _box(bbox), page)


def _box(bbox: str) -> BoundingBox:
    south, west, north, east = (float(v) for v in bbox.split(","))
    if not (-90 <= south <= 90 and -90 <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise InvalidInput.field("bbox", "out_of_range", Text("err.emergency.bbox_out_of_range"), bbox)
    if south > north or west > east:
        raise InvalidInput.field("bbox", "inverted", Text("err.emergency.bbox_inverted"), bbox)
    return BoundingBox(south, west, north, east)


@router.get("/emergencies/map", response_model=MapAnswer)
async def map_view(
    ctx: UseCases,
    bbox: Annotated[str, Query(pattern=_BBOX, description="south,west,north,east (degrees)")],
    zoom: Annotated[int, Query(ge=MIN_ZOOM, le=MAX_ZOOM)],
    category: Annotated[list[EmergencyCategory], Query()] = [],  # noqa: B006 - FastAPI copies query defaults
    urgency: Annotated[list[EmergencyUrgency], Query()] = [],  # noqa: B006
    max_age_hours: Annotated[int | None, Query(ge=1, le=24 * 30)] = None,
    unclaimed: bool = False,
) -> MapAnswer:
    """The map's markers for a viewport: clusters with their counts, single emergencies at approximate points."""
    box = _box(bbox)
    query = MapQuery(
        south=box.south,
        west=box.west,
        north=box.north,
        east=box.east,
        zoom=zoom,
        categories=frozenset(category),
        urgencies=frozenset(urgency),
        max_age_hours=max_age_hours,
        unclaimed_only=unclaimed,
    )
    return await emergency_map.view(ctx, query)


@router.get("/emergencies/queue", response_model=list[WardEmergency])
async def queue(principal: CurrentPrincipal, ctx: UseCases) -> list[WardEmergency]:
    """The ward's (district's, the SOS team's) active emergencies, late ones first, with the exact addresses."""
    return await reads.queue(ctx, principal)


@router.get("/emergencies/{emergency_code}/follow", response_model=EmergencyDetail)
async def follow(
    emergency_code: EmergencyCode, ctx: UseCases, t: Annotated[str, Query(max_length=100)] = ""
) -> EmergencyDetail:
    """The requester's own emergency, by the token of their follow link."""
    return await reads.requester_view(ctx, emergency_code, t)


@router.post("/emergencies/{emergency_code}/confirmation", response_model=EmergencyAnswer)
async def confirm(emergency_code: EmergencyCode, body: FollowToken, ctx: UseCases) -> EmergencyAnswer:
    """The requester says help arrived (their follow link's token)."""
    return await actions.confirm(ctx, emergency_code, body.token)


@router.get("/emergencies/{emergency_code}", response_model=EmergencyDetail)
async def exact(emergency_code: EmergencyCode, principal: CurrentPrincipal, ctx: UseCases) -> EmergencyDetail:
    """The exact address and description: the claimer's and the officials' in scope (audited)."""
    return await reads.exact(ctx, principal, emergency_code)


@router.post("/emergencies/{emergency_code}/claim", response_model=EmergencyAnswer)
async def claim(emergency_code: EmergencyCode, principal: CurrentPrincipal, ctx: UseCases) -> EmergencyAnswer:
    """Claims an open emergency: a person anywhere, a verified help group within its coverage, an official in
    scope. A second claim is refused."""
    return await actions.claim(ctx, principal, emergency_code)


@router.post("/emergencies/{emergency_code}/fulfilment", response_model=EmergencyAnswer)
async def fulfil(
    emergency_code: EmergencyCode, body: EmergencyNote, principal: CurrentPrincipal, ctx: UseCases
) -> EmergencyAnswer:
    """The claimer says what was brought: the requester is asked to confirm."""
    return await actions.fulfil(ctx, principal, emergency_code, body)


@router.post("/emergencies/{emergency_code}/closure", response_model=EmergencyAnswer)
async def close(
    emergency_code: EmergencyCode, body: EmergencyReason, principal: CurrentPrincipal, ctx: UseCases
) -> EmergencyAnswer:
    return await actions.close(ctx, principal, emergency_code, body)


@router.post("/emergencies/{emergency_code}/hiding", response_model=EmergencyAnswer)
async def hide(
    emergency_code: EmergencyCode, body: EmergencyReason, principal: CurrentPrincipal, ctx: UseCases
) -> EmergencyAnswer:
    """Takes a post down (abuse, a false post): shown to nobody but the ward from then on."""
    return await actions.hide(ctx, principal, emergency_code, body)


@router.get("/helper/emergencies", response_model=list[EmergencyDetail])
async def my_claims(principal: CurrentPrincipal, ctx: UseCases) -> list[EmergencyDetail]:
    """The helper's claimed emergencies, with the exact addresses."""
    return await reads.my_claims(ctx, principal)
