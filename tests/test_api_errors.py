"""A database that cannot answer now (restarting, a connection cut) is a 503 with Retry-After, which clients
retry; a defect in a statement stays a 500."""

import httpx
from fastapi import FastAPI
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import create_async_engine

from api.errors import install_error_handlers
from devstack.ports import free_port
from texts import text


def app_over(database_url: str) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    engine = create_async_engine(database_url)

    @app.get("/households")
    async def households() -> int:
        async with engine.connect() as connection:
            return int((await connection.execute(sql("SELECT count(*) FROM no_such_table"))).scalar_one())

    return app


async def get(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.get("/households")


async def test_a_database_that_is_down_answers_503_with_when_to_come_back() -> None:
    # Nothing listens on that port: what PostgreSQL's restart looks like to a new connection.
    answer = await get(app_over(f"postgresql+psycopg://ansinh@127.0.0.1:{free_port()}/ansinh"))
    assert answer.status_code == 503, answer.text
    assert answer.json()["kind"] == "Unavailable"
    assert 1 <= int(answer.headers["Retry-After"]) <= 60
    assert answer.json()["code"] == "unavailable"
    assert answer.json()["detail"] == text("vi", "api.unavailable_database", seconds=answer.headers["Retry-After"])


async def test_a_statement_that_is_wrong_stays_a_server_error(database_url: str) -> None:
    assert (await get(app_over(database_url))).status_code == 500
