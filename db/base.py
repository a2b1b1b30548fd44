"""Declarative base, naming convention and the async engine/session factory."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from functools import lru_cache

from sqlalchemy import MetaData, func
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime

from common.settings import get_settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class CreatedAt:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


@lru_cache
def get_engine() -> AsyncEngine:
    # Per process: N APIs and N workers share PostgreSQL's max_connections (100 embedded), and a 2-core server
    # gains nothing past a few dozen busy connections. No overflow: the pool closes an overflow connection as
    # soon as it is returned, so a busy process opened ~6 new backends a second (each a fork, cold caches and
    # statements prepared again); a fixed pool of the same ceiling keeps them. DB_POOL_SIZE / DB_MAX_OVERFLOW
    # override.
    return create_async_engine(
        get_settings().database_url,
        pool_size=int(os.environ.get("DB_POOL_SIZE", "20")),
        max_overflow=int(os.environ.get("DB_MAX_OVERFLOW", "0")),
        pool_pre_ping=True,
    )


@lru_cache
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(get_engine(), expire_on_commit=False)


@asynccontextmanager
async def transaction() -> AsyncIterator[AsyncSession]:
    """One unit of work: committed on success, rolled back on any error, never half-written."""
    async with get_sessionmaker()() as session, session.begin():
        yield session
