"""The citizen's pages: home, registration in two steps (the ward from the real list or from a typed
address, confirmed), following a request by a one-time SMS code, and the household's requests.

Registration goes through the API's own route function (rate limits, the workflow's duplicate check);
its answer's citizen token becomes the page session, so the citizen lands on their request's page.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.deps import (
    AppSettings,
    Audit,
    CurrentPrincipal,
    DbSession,
    MaybePrincipal,
    Page,
    Registrations,
    TemporalClient,
)
from api.registration_gate import RegistrationsPaused
from api.routes import addresses, auth, citizen
from api.routes import requests as request_routes
from api.routes.addresses import AddressText
from api.schemas.citizen import OtpRequestBody, OtpVerificationBody
from api.schemas.registration import RegistrationForm
from domain.roles import UnitLevel
from services.geography import child_units, unit_names, ward_with_district
from web.csrf import require_csrf
from web.forms import field_errors
from web.i18n import translate
from web.render import current_lang, render, start_session

router = APIRouter(include_in_schema=False)

FIELDS = ("full_name", "national_id", "phone", "address", "household_size")
UnitQuery = Annotated[str | None, Query(max_length=16, pattern=r"^[0-9]+$")]


@router.get("/")
async def home(request: Request, principal: MaybePrincipal) -> Response:
    return render(request, "home.html", principal=principal)


@router.get("/dang-ky")
async def pick_ward(
    request: Request, session: DbSession, settings: AppSettings, principal: MaybePrincipal, district: UnitQuery = None
) -> Response:
    """Step 1: a typed address, or the district then the ward (each a plain GET form: no script needed)."""
    districts = await child_units(session, settings.city_code, UnitLevel.DISTRICT)
    wards = await child_units(session, district, UnitLevel.WARD) if district else []
    return render(request, "register_ward.html", principal=principal, districts=districts, wards=wards,
                  district=district)  # fmt: skip


@router.post("/dang-ky/dia-chi", dependencies=[Depends(require_csrf)])
async def find_ward(
    request: Request, session: DbSession, settings: AppSettings, principal: MaybePrincipal,
    address: Annotated[str, Form(max_length=300)] = "",
) -> Response:  # fmt: skip
    """The ward found in a typed address, shown back for the citizen to confirm with the details form."""
    try:
        parsed = await addresses.parse(AddressText(text=address), session, settings)
    except (ValidationError, HTTPException):
        districts = await child_units(session, settings.city_code, UnitLevel.DISTRICT)
        return render(request, "register_ward.html", principal=principal, districts=districts, wards=[],
                      district=None, address=address, status_code=422,
                      address_error=translate(current_lang(request), "reg.not_found"))  # fmt: skip
    return render(request, "register_details.html", principal=principal, ward_code=parsed.ward_code,
                  ward_name=parsed.ward_name, district_name=parsed.district_name, found=True,
                  values={"address": address}, errors={})  # fmt: skip


async def _ward_names(session: DbSession, ward: str) -> tuple[str, str]:
    units = await ward_with_district(session, ward)
    if units is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    names = await unit_names(session, units)
    return names[units[0]], names[units[1]]


@router.get("/dang-ky/thong-tin")
async def details_form(
    request: Request, session: DbSession, principal: MaybePrincipal, ward: UnitQuery = None
) -> Response:
    """Step 2: the household's details for the chosen ward."""
    if not ward:
        return RedirectResponse("/dang-ky", status_code=303)
    ward_name, district_name = await _ward_names(session, ward)
    return render(request, "register_details.html", principal=principal, ward_code=ward, ward_name=ward_name,
                  district_name=district_name, found=False, values={}, errors={})  # fmt: skip


@router.post("/dang-ky", dependencies=[Depends(require_csrf)])
async def register(
    request: Request, session: DbSession, client: TemporalClient, settings: AppSettings, principal: MaybePrincipal,
    gate: Registrations,
    ward_code: Annotated[str, Form(max_length=16)] = "",
    full_name: Annotated[str, Form(max_length=300)] = "",
    national_id: Annotated[str, Form(max_length=40)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    address: Annotated[str, Form(max_length=400)] = "",
    household_size: Annotated[str, Form(max_length=4)] = "",
) -> Response:  # fmt: skip
    lang = current_lang(request)
    values = {"full_name": full_name, "national_id": national_id, "phone": phone, "address": address,
              "household_size": household_size}  # fmt: skip
    raw = {**{k: v for k, v in values.items() if v.strip()}, "ward_code": ward_code}
    try:
        form = RegistrationForm.model_validate(raw)  # the API's own validation, field by field
        answer = await request_routes.register(form, request, session, client, settings, gate)
    except RegistrationsPaused as paused:
        # The form comes back as it was filled in: sending it again later is one tap.
        ward_name, district_name = await _ward_names(session, ward_code)
        return render(request, "register_details.html", principal=principal, ward_code=ward_code,
                      ward_name=ward_name, district_name=district_name, found=False, values=values, errors={},
                      notice=translate(lang, "reg.paused", seconds=paused.retry_after_seconds), status_code=503,
                      headers={"Retry-After": str(paused.retry_after_seconds)})  # fmt: skip
    except (ValidationError, HTTPException) as invalid:
        if isinstance(invalid, HTTPException) and invalid.status_code != 422:
            raise
        errors = field_errors(lang, invalid) if isinstance(invalid, ValidationError) else {"ward_code": "?"}
        if "ward_code" in errors or not ward_code.isdigit():
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT) from None  # the ward comes from step 1
        ward_name, district_name = await _ward_names(session, ward_code)
        return render(request, "register_details.html", principal=principal, ward_code=ward_code,
                      ward_name=ward_name, district_name=district_name, found=False, values=values,
                      errors=errors, status_code=422)  # fmt: skip
    if answer.citizen_token is None:  # no household to follow: say the answer here
        return render(request, "register_refused.html", principal=principal, answer=answer, status_code=200)
    response = RedirectResponse(f"/yeu-cau/{answer.code}", status_code=303)
    start_session(response, request, answer.citizen_token)
    return response


@router.get("/tra-cuu")
async def track_form(
    request: Request, principal: MaybePrincipal, code: Annotated[str, Query(max_length=16)] = ""
) -> Response:
    return render(request, "track.html", principal=principal, code=code)


@router.post("/tra-cuu", dependencies=[Depends(require_csrf)])
async def send_code(
    request: Request, session: DbSession, settings: AppSettings, audit: Audit, principal: MaybePrincipal,
    phone: Annotated[str, Form(max_length=40)] = "",
    code: Annotated[str, Form(max_length=16)] = "",
) -> Response:  # fmt: skip
    """A one-time code by SMS (the same answer whether or not the phone is known)."""
    lang = current_lang(request)
    try:
        body = OtpRequestBody(phone=phone)
    except ValidationError as invalid:
        return render(request, "track.html", principal=principal, code=code, phone=phone, status_code=422,
                      errors=field_errors(lang, invalid))  # fmt: skip
    await auth.send_code(body, request, session, settings, audit)
    return render(request, "track_code.html", principal=principal, code=code, phone=phone,
                  notice=translate(lang, "track.sent", minutes=settings.otp_minutes))  # fmt: skip


@router.post("/tra-cuu/xac-thuc", dependencies=[Depends(require_csrf)])
async def check_code(
    request: Request, session: DbSession, settings: AppSettings, audit: Audit, principal: MaybePrincipal,
    phone: Annotated[str, Form(max_length=40)] = "",
    otp: Annotated[str, Form(max_length=12)] = "",
    code: Annotated[str, Form(max_length=16)] = "",
) -> Response:  # fmt: skip
    lang = current_lang(request)
    try:
        answer = await auth.verify_code(OtpVerificationBody(phone=phone, code=otp), request, session, settings, audit)
    except (ValidationError, HTTPException) as wrong:
        if isinstance(wrong, HTTPException) and wrong.status_code != 401:
            raise
        return render(request, "track_code.html", principal=principal, code=code, phone=phone, status_code=422,
                      error=translate(lang, "track.wrong"))  # fmt: skip
    target = f"/yeu-cau/{code.strip().upper()}" if code.strip().isalnum() else "/cua-toi"
    response = RedirectResponse(target, status_code=303)
    start_session(response, request, answer.access_token)
    return response


@router.get("/cua-toi")
async def my_requests(request: Request, principal: CurrentPrincipal, session: DbSession) -> Response:
    rows = await citizen.my_requests(principal, session, Page(limit=50))
    return render(request, "mine.html", principal=principal, rows=rows)
