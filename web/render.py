"""Rendering a page: the Jinja2 environment, the language, the CSRF token and the cookies pages set."""

import hashlib
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from common.city_time import vn_date, vn_time
from common.settings import Settings
from domain.cash import vnd
from texts import Lang, label, normalise_lang, text
from usecases.principal import Principal
from usecases.trust.tokens import SESSION_COOKIE
from web.csrf import CSRF_COOKIE, form_token, new_nonce
from web.vendor_assets import vendor_url

HERE = Path(__file__).parent
STATIC = HERE / "static"
LANG_COOKIE = "lang"
YEAR = 365 * 24 * 3600

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(), trim_blocks=True, lstrip_blocks=True
)


@lru_cache
def asset_version(name: str) -> str:
    """The file's content hash: a page names the exact CSS or script it was rendered with, so a changed file is
    fetched again at once, and an unchanged one may be cached for a year."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


_env.globals["asset_version"] = asset_version
_env.globals["vendor_url"] = vendor_url
_env.filters["vn_date"] = vn_date
_env.filters["vn_time"] = vn_time


def current_lang(request: Request) -> Lang:
    return normalise_lang(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))


def _lang_link(request: Request, lang: Lang) -> str:
    other = "en" if lang == "vi" else "vi"
    if request.method != "GET":  # a form's answer has no address to reload: switch on the home page
        return f"/?lang={other}"
    url = request.url.include_query_params(lang=other)
    return f"{url.path}?{url.query}"


def render(
    request: Request,
    template: str,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    lang = current_lang(request)
    nonce = getattr(request.state, "csrf_nonce", None) or request.cookies.get(CSRF_COOKIE) or new_nonce()
    html = _env.get_template(template).render(
        request=request,
        lang=lang,
        t=partial(text, lang),
        stage_label=partial(label, lang, "stage"),
        event_label=partial(label, lang, "event"),
        vnd=partial(vnd, lang=lang),
        lang_link=_lang_link(request, lang),
        csrf_token=form_token(settings, nonce),
        principal=principal,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    if request.cookies.get(CSRF_COOKIE) != nonce:
        set_cookie(response, request, CSRF_COOKIE, nonce, max_age=None)
    if "lang" in request.query_params:
        response.set_cookie(LANG_COOKIE, lang, max_age=YEAR, samesite="lax", path="/")
    return response


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    """HttpOnly and SameSite=Strict; Secure whenever the page came over HTTPS (always in production)."""
    settings: Settings = request.app.state.settings
    secure = request.url.scheme == "https" or settings.environment == "production"
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/")


def start_session(response: Response, request: Request, token: str) -> None:
    """The signed token of the API, in a cookie; a fresh CSRF nonce with it (no token fixation)."""
    settings: Settings = request.app.state.settings
    set_cookie(response, request, SESSION_COOKIE, token, max_age=settings.token_minutes * 60)
    set_cookie(response, request, CSRF_COOKIE, new_nonce(), max_age=None)
