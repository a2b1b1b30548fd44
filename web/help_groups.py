"""The help groups' pages: the public directory "Danh bạ nhóm hỗ trợ" with its filters and each group's page; a
signed-in helper's registration form and their group's state; the district officials' verification queue. Every
form works without JavaScript and carries the CSRF token; each calls usecases/community/help_groups.py."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.deps import CurrentPrincipal, MaybePrincipal, UseCases
from domain.help_groups import WEEKDAYS, GroupKind, HelpKind
from domain.roles import Role
from services.rate_limits import RateLimited
from texts import Text, label, text
from usecases.community import help_groups
from usecases.context import Context
from usecases.errors import InvalidInput, NotFound
from usecases.identity import places
from usecases.principal import Principal
from usecases.relief.work_lists import Page
from usecases.schemas.help_groups import HelpGroupRegistration, SuspensionBody, VerificationBody
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

PER_PAGE = 20
DIRECTORY = "/nhom-ho-tro"
REGISTER = "/nguoi-giup/nhom"
QUEUE = "/can-bo/nhom-ho-tro"
GroupCode = Annotated[str, Path(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")]
Digits = Annotated[str, Query(max_length=16, pattern=r"^[0-9]*$")]
Choice = Annotated[str, Query(max_length=24, pattern=r"^[a-z_]*$")]


def _labels(request: Request) -> dict[str, Any]:
    lang = current_lang(request)
    return {
        "group_kind_label": lambda v: label(lang, "group_kind", str(v)),
        "help_kind_label": lambda v: label(lang, "help_kind", str(v)),
        "weekday_label": lambda v: label(lang, "weekday", str(v)),
        "state_label": lambda v: label(lang, "group_state", str(v)),
        "group_kinds": list(GroupKind),
        "help_kinds": list(HelpKind),
        "weekdays": list(WEEKDAYS),
    }


def _enum(kind: type[GroupKind] | type[HelpKind], field: str, value: str) -> Any:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(k.value for k in kind)
        raise InvalidInput.field(
            field, "unknown_value", Text("err.group.unknown_value", choices=choices), value
        ) from None


# --- the public directory ----------------------------------------------------------------------------------------


@router.get(DIRECTORY)
async def directory(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    quan: Digits = "",
    phuong: Digits = "",
    loai: Choice = "",
    ho_tro: Choice = "",
    dang_mo: Annotated[str, Query(max_length=3)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    trang: Annotated[int, Query(ge=1, le=5000)] = 1,
) -> Response:
    found = await help_groups.search(
        ctx, Page(limit=PER_PAGE, offset=(trang - 1) * PER_PAGE), district=quan or None, ward=phuong or None,
        kind=_enum(GroupKind, "loai", loai), help_kind=_enum(HelpKind, "ho_tro", ho_tro), open_now=bool(dang_mo),
        text=q,
    )  # fmt: skip
    query = {"quan": quan, "phuong": phuong, "loai": loai, "ho_tro": ho_tro, "dang_mo": dang_mo, "q": q}
    return render(
        request, "help_groups.html", principal=principal, found=found, query=query, page_number=trang,
        districts=await places.districts(ctx), wards=await places.wards(ctx, quan) if quan else [],
        **_labels(request),
    )  # fmt: skip


@router.get(DIRECTORY + "/{group_code}")
async def group_page(request: Request, group_code: GroupCode, ctx: UseCases, principal: MaybePrincipal) -> Response:
    group = await help_groups.public_page(ctx, group_code)
    return render(request, "help_group.html", principal=principal, group=group, **_labels(request))


# --- registration by a signed-in helper --------------------------------------------------------------------------


@router.get(REGISTER)
async def register_form(request: Request, ctx: UseCases, principal: MaybePrincipal) -> Response:
    """A helper's group (its state), the form for a helper with none (or a refused one), a sign-in link for others."""
    return await _register_page(request, ctx, principal)


async def _register_page(
    request: Request, ctx: Context, principal: Principal | None, status_code: int = 200, **extra: Any
) -> Response:
    own = None
    if principal is not None and principal.role == Role.COMMUNITY_HELPER:
        try:
            own = await help_groups.own_group(ctx, principal)
        except NotFound:
            own = None
    context: dict[str, Any] = {"errors": {}, "values": {}, **extra}
    return render(
        request, "help_group_register.html", principal=principal, own=own, status_code=status_code,
        districts=await places.districts(ctx), wards_by_district=await _wards_by_district(ctx),
        policy=ctx.settings.help_group_policy, **_labels(request), **context,
    )  # fmt: skip


async def _wards_by_district(ctx: Context) -> list[tuple[Any, list[Any]]]:
    return [(d, await places.wards(ctx, d.code)) for d in await places.districts(ctx)]


def _form_body(form: Any) -> dict[str, Any]:
    hours = []
    for day in WEEKDAYS:
        opens, closes = form.get(f"opens-{day.value}", ""), form.get(f"closes-{day.value}", "")
        if opens or closes:
            hours.append({"weekday": day.value, "opens": opens, "closes": closes})
    body: dict[str, Any] = {
        "name": form.get("name", ""),
        "kind": form.get("kind", ""),
        "help_kinds": form.getlist("help_kinds"),
        "description": form.get("description", ""),
        "coverage": [*form.getlist("districts"), *form.getlist("wards")],
        "always_open": form.get("always_open") == "1",
        "hours": [] if form.get("always_open") == "1" else hours,
        "contact_phone": form.get("contact_phone", ""),
    }
    if form.get("public_hotline", "").strip():
        body["public_hotline"] = form.get("public_hotline")
    return {k: v for k, v in body.items() if v not in ("", None)}


@router.post(REGISTER, dependencies=[Depends(require_csrf)])
async def register(request: Request, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    lang = current_lang(request)
    form = await request.form()
    values = {key: form.getlist(key) if key in ("help_kinds", "districts", "wards") else form.get(key) for key in form}
    try:
        body = HelpGroupRegistration.model_validate(_form_body(form))
        await help_groups.register(ctx, principal, body)
    except ValidationError as invalid:
        errors = field_errors(lang, invalid)
        return await _register_page(request, ctx, principal, 422, errors=errors, values=values)
    except InvalidInput as invalid:
        errors = {p.field.split(".")[0]: p.render(lang) for p in invalid.problems}
        return await _register_page(request, ctx, principal, 422, errors=errors, values=values)
    except RateLimited as waiting:
        error = text(lang, "group.reg.too_many", seconds=waiting.retry_after_seconds)
        return await _register_page(request, ctx, principal, 429, error=error, values=values)
    return RedirectResponse(REGISTER, status_code=303)


# --- the officials' queue ----------------------------------------------------------------------------------------


@router.get(QUEUE)
async def queue(request: Request, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    return await _queue_page(request, ctx, principal, notice=text(current_lang(request), "group.queue.done")
                             if request.query_params.get("da-quyet-dinh") else None)  # fmt: skip


async def _queue_page(
    request: Request, ctx: Context, principal: Principal, status_code: int = 200, **extra: Any
) -> Response:
    rows = await help_groups.review_queue(ctx, principal)
    return render(
        request, "help_group_queue.html", principal=principal, rows=rows, status_code=status_code,
        **_labels(request), **extra,
    )  # fmt: skip


@router.post(QUEUE + "/{group_code}/xac-minh", dependencies=[Depends(require_csrf)])
async def decide(
    request: Request,
    group_code: GroupCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    decision: Annotated[str, Form(max_length=8)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        body = VerificationBody.model_validate({"approve": decision == "approve", "reason": reason or None})
        await help_groups.verify(ctx, principal, group_code, body)
    except (InvalidInput, ValidationError) as invalid:
        return await _refused(request, ctx, principal, invalid)
    return RedirectResponse(f"{QUEUE}?da-quyet-dinh=1", status_code=303)


@router.post(QUEUE + "/{group_code}/dinh-chi", dependencies=[Depends(require_csrf)])
async def suspend(
    request: Request,
    group_code: GroupCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        await help_groups.suspend(ctx, principal, group_code, SuspensionBody.model_validate({"reason": reason}))
    except (InvalidInput, ValidationError) as invalid:
        return await _refused(request, ctx, principal, invalid)
    return RedirectResponse(f"{QUEUE}?da-quyet-dinh=1", status_code=303)


async def _refused(
    request: Request, ctx: Context, principal: Principal, invalid: InvalidInput | ValidationError
) -> Response:
    lang = current_lang(request)
    if isinstance(invalid, ValidationError):
        error = "; ".join(field_errors(lang, invalid).values())
    else:
        error = "; ".join(p.render(lang) for p in invalid.problems)
    return await _queue_page(request, ctx, principal, 422, error=error)
