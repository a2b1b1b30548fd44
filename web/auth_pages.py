"""Staff sign in with a form: the same sign-in use case as the API's (rate limits, audit, argon2) issues the
same signed token, kept in an HttpOnly, SameSite=Strict cookie; signing out forgets it."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import MaybePrincipal, UseCases
from domain.roles import Role
from texts import text
from texts.validation import field_message
from usecases.errors import Unauthenticated
from usecases.trust import sign_in
from usecases.trust.tokens import SESSION_COOKIE
from web.csrf import require_csrf
from web.render import current_lang, render, start_session

router = APIRouter(include_in_schema=False)

HOME_OF: dict[Role, str] = {
    Role.WARD_OFFICIAL: "/can-bo",
    Role.COURIER: "/giao-hang",
    Role.DISTRICT_OFFICIAL: "/bang-dieu-khien",
    Role.CITY_OFFICIAL: "/bang-dieu-khien",
    Role.SUPERVISOR: "/bang-dieu-khien",
    Role.WAREHOUSE_STAFF: "/kho",
}


def safe_next(path: str) -> str | None:
    """Only a path of this site (no scheme, no //host): a sign-in link cannot send anyone elsewhere."""
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else None


@router.get("/dang-nhap")
async def login_form(
    request: Request, principal: MaybePrincipal, next: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    return render(request, "login.html", principal=principal, next_path=safe_next(next) or "")


@router.post("/dang-nhap", dependencies=[Depends(require_csrf)])
async def login(
    request: Request,
    ctx: UseCases,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang = current_lang(request)
    typed = {"username": username, "password": password}
    # A blank field is never a sign-in attempt: nothing is counted against the name or the address.
    errors = {name: field_message(lang, "missing", name) for name, value in typed.items() if not value.strip()}
    status_code = 422
    if not errors:
        try:
            answer = await sign_in.staff_sign_in(ctx, username, password)
        except Unauthenticated:
            # GOV.UK's pattern: one message linked to the first field; it never says which of the two was wrong.
            errors, status_code = {"username": text(lang, "login.wrong")}, 401
    if errors:
        return render(
            request,
            "login.html",
            status_code=status_code,
            next_path=safe_next(next) or "",
            username=username,
            errors=errors,
        )
    response = RedirectResponse(safe_next(next) or HOME_OF.get(answer.role, "/"), status_code=303)
    start_session(response, request, answer.access_token)
    return response


@router.post("/dang-xuat", dependencies=[Depends(require_csrf)])
async def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
