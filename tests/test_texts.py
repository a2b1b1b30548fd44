"""One catalogue for every text people read: each key in Vietnamese and English with the same placeholders,
every key the code names exists, no page, API or use-case module holds a user-facing sentence of its own, and
the API answers in the caller's language with a stable code."""

import ast
import re
from pathlib import Path
from string import Formatter

import httpx
from fastapi import FastAPI
from pydantic import BaseModel, field_validator

from api.errors import install_error_handlers
from texts import CATALOGUE, Text, from_accept_language, text
from texts.validation import TextError
from usecases.errors import InvalidInput, NotFound

ROOT = Path(__file__).resolve().parent.parent
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
CODE_DIRS = ("api", "web", "usecases", "services", "domain", "common", "activities", "workflows")
# Data, not words: names of banks, goods and places, seeded staff, the address parser's spellings.
DATA_MODULES = {
    "domain/banks.py",
    "domain/supply_catalogue.py",
    "services/staff_seed.py",
    "services/supply_seed.py",
    "services/supply_demo.py",
    "services/address_parsing.py",
    "common/addresses.py",
    "common/person_names.py",
}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def test_every_key_has_vietnamese_and_english_with_the_same_placeholders() -> None:
    wrong = []
    for key, (vi, en) in CATALOGUE.items():
        if not vi.strip() and not en.strip():
            continue  # a deliberately empty text (a stage with nothing next) is empty in both
        if not vi.strip() or not en.strip() or _placeholders(vi) != _placeholders(en):
            wrong.append(key)
    assert not wrong, wrong


def test_every_text_renders_in_both_languages() -> None:
    for key, (vi, _) in CATALOGUE.items():
        values = {name: "X" for name in _placeholders(vi)}
        for lang in ("vi", "en"):
            assert "{" not in text(lang, key, **values), key


def test_city_facts_are_configuration_and_written_nowhere_else() -> None:
    assert "1900 633 996" in text("vi", "hotline")
    files = [p for d in (*CODE_DIRS, "texts") for p in (ROOT / d).rglob("*.py")]
    files += list((ROOT / "web" / "templates").glob("*.html"))
    quoting = [str(p.relative_to(ROOT)) for p in files if "633 996" in p.read_text()]
    assert quoting == ["common/settings.py"], quoting  # the number lives in the configuration only


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def _code_files() -> list[Path]:
    return sorted(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py"))


def test_no_module_outside_the_catalogue_holds_words_for_people() -> None:
    found: dict[str, list[int]] = {}
    for path in _code_files():
        name = str(path.relative_to(ROOT))
        if name in DATA_MODULES:
            continue
        lines = [line for line, value in _strings(ast.parse(path.read_text())) if VIETNAMESE.search(value)]
        if lines:
            found[name] = lines
    assert found == {}, f"move these texts into texts/: {found}"


def test_templates_and_scripts_take_their_words_from_the_catalogue() -> None:
    files = [*(ROOT / "web" / "templates").glob("*.html"), *(ROOT / "web" / "static").glob("*.js")]
    holding = [str(p.relative_to(ROOT)) for p in files if VIETNAMESE.search(p.read_text())]
    assert holding == [], holding


def _keys_named_in_code() -> set[str]:
    """Keys written out where a text is asked for: text(lang, "k"), Text("k"), TextError("code"), the field
    problems whose words are their code's ("err.<code>"), and t("k") in the templates."""
    keys: set[str] = set()
    for path in [*_code_files(), *(ROOT / "texts").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            literal = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name == "text" and len(node.args) >= 2 and literal and literal[0] == getattr(node.args[1], "value", 0):
                keys.add(literal[0])
            elif name == "Text" and node.args and literal and literal[0] == getattr(node.args[0], "value", 0):
                keys.add(literal[0])
            elif name == "TextError" and literal:
                keys.add(f"err.{literal[0]}")
            elif name == "field" and len(node.args) == 2 and len(literal) == 2 and not node.keywords:
                keys.add(f"err.{literal[1]}")
    for template in (ROOT / "web" / "templates").glob("*.html"):
        keys.update(re.findall(r"\bt\(\s*[\"']([a-z0-9_.]+)[\"']\s*[,)]", template.read_text()))
    return keys


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    missing = sorted(k for k in _keys_named_in_code() if k not in CATALOGUE)
    assert missing == [], missing


def test_the_language_a_caller_asks_for() -> None:
    assert from_accept_language(None) == "vi"
    assert from_accept_language("en-GB,en;q=0.9") == "en"
    assert from_accept_language("fr-FR, en;q=0.5, vi;q=0.8") == "vi"
    assert from_accept_language("vi;q=0, en;q=0.1") == "en"
    assert from_accept_language("de") == "vi"


class _Body(BaseModel):
    household_size: int

    @field_validator("household_size")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise TextError("household_size_min", min=1)
        return value


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/missing")
    async def missing() -> None:
        raise NotFound(Text("err.not_found"))

    @app.get("/ward")
    async def ward() -> None:
        raise InvalidInput.field("ward_code", "unknown_ward", ward="79999")

    @app.post("/households")
    async def households(body: _Body) -> int:
        return body.household_size

    return app


async def _call(method: str, path: str, lang: str | None, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    headers = {"Accept-Language": lang} if lang else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as http:
        return await http.request(method, path, **kwargs)  # type: ignore[arg-type]


async def test_errors_carry_a_stable_code_and_words_in_the_callers_language() -> None:
    vi, en = await _call("GET", "/missing", None), await _call("GET", "/missing", "en-US,en;q=0.9")
    assert vi.status_code == en.status_code == 404
    assert vi.json()["code"] == en.json()["code"] == "not_found"
    assert vi.json()["detail"] == text("vi", "err.not_found") and en.json()["detail"] == text("en", "err.not_found")
    assert vi.headers["content-language"] == "vi" and en.headers["content-language"] == "en"
    assert "(" not in vi.json()["detail"]  # one language, not "tiếng Việt (English)"

    ward = (await _call("GET", "/ward", "en")).json()["detail"][0]
    assert ward["type"] == "unknown_ward" and ward["msg"] == text("en", "err.unknown_ward", ward="79999")

    for lang in ("vi", "en"):
        problem = (await _call("POST", "/households", lang, json={"household_size": 0})).json()["detail"][0]
        assert problem["type"] == "household_size_min", problem
        assert problem["msg"] == text(lang, "err.household_size_min", min=1)
        missing = (await _call("POST", "/households", lang, json={})).json()["detail"][0]
        assert missing["type"] == "missing" and missing["msg"] == text(lang, "err.missing.household_size")
