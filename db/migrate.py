"""Applies the Alembic migrations to a database, from code (local stack, tests) or `alembic upgrade head`."""

from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent


def upgrade_to_head(database_url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    # "heads": branches added in parallel by separate changes apply until a merge revision joins them.
    command.upgrade(config, "heads")
