"""The community map of emergencies (/ban-do-khan-cap), public: the map for those with script, and beside it the
same emergencies as a list, for phones without script, slow networks and screen readers. The filters are a GET
form that both read. Points are the public, approximate ones; an emergency's page is its own (claiming needs a
helper's sign-in)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import MaybePrincipal, UseCases
from domain.emergency import EmergencyCategory, EmergencyUrgency
from services.map_clusters import MapFilter
from texts import text
from usecases.emergency import reads
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

LIST_LENGTH = 50
AGES = (6, 24, 72)  # hours: the age filter's choices
# Where the map opens: the city's centre, at a zoom that shows the inner districts on a phone.
CENTRE = (10.7769, 106.7009)
OPENING_ZOOM = 12


@router.get("/ban-do-khan-cap")
async def map_page(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    loai: Annotated[list[EmergencyCategory], Query()] = [],  # noqa: B006 - FastAPI copies query defaults
    muc: Annotated[list[EmergencyUrgency], Query()] = [],  # noqa: B006
    trong: Annotated[str, Query(pattern=r"^([1-9][0-9]{0,2})?$")] = "",  # hours; the form's "any time" sends ""
    chua_nhan: bool = False,
) -> Response:
    max_age_hours = int(trong) if trong else None
    wanted = MapFilter(
        categories=frozenset(c.value for c in loai),
        urgencies=frozenset(u.value for u in muc),
        max_age_minutes=None if max_age_hours is None else max_age_hours * 60,
        unclaimed_only=chua_nhan,
    )
    emergencies = await reads.public_list(ctx, per_page=LIST_LENGTH, wanted=wanted)
    lang = current_lang(request)
    return render(
        request,
        "emergency_map.html",
        principal=principal,
        emergencies=emergencies,
        list_length=LIST_LENGTH,
        categories=[(c.value, text(lang, f"sos.category.{c.value}")) for c in EmergencyCategory],
        urgencies=[(u.value, text(lang, f"sos.urgency.{u.value}")) for u in EmergencyUrgency],
        ages=AGES,
        wanted=wanted,
        max_age_hours=max_age_hours,
        centre=CENTRE,
        zoom=OPENING_ZOOM,
        tiles=ctx.settings.map_tile_url,
        attribution=ctx.settings.map_tile_attribution,
    )
