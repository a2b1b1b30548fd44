"""Migration 0006 rewrites every household's address key with today's rule: a key written by the earlier rule
("… phuong ben nghe quan 1") would never match one written now ("12/3 le thanh ton")."""

import uuid

import psycopg
from alembic import command
from alembic.config import Config

from db.migrate import ROOT
from tests.infra import embedded_postgres_url


def _alembic(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def test_existing_households_get_the_new_key() -> None:
    with embedded_postgres_url("ansinh_migration") as url:
        config = _alembic(url)
        command.upgrade(config, "0005_citizen_token_revocation")
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        household = uuid.uuid4()
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute("INSERT INTO admin_units (code, name, level) VALUES ('79', 'TP', 'city')")
            conn.execute(
                "INSERT INTO households (id, ward_code, address, address_key, size) VALUES (%s, '79', %s, %s, 2)",
                (household, "12/3 Lê Thánh Tôn, Phường Bến Nghé, Quận 1", "12/3 le thanh ton phuong ben nghe quan 1"),
            )
        command.upgrade(config, "0006_address_spelling_keys")
        with psycopg.connect(plain) as conn:
            row = conn.execute("SELECT address_key FROM households WHERE id = %s", (household,)).fetchone()
        assert row is not None and row[0] == "12/3 le thanh ton"
