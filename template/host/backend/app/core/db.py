"""Database engine and sessions (SQLAlchemy 2, synchronous)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from app.core.config import get_settings


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`. SQLite gets real transactions (savepoints), foreign keys, threads."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)

    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if parsed.database in (None, "", ":memory:"):
        kwargs["poolclass"] = StaticPool  # one shared connection, or each gets an empty db
    engine = create_engine(url, echo=echo, **kwargs)

    # Python < 3.12's sqlite3 does not BEGIN before SELECT/DDL/SAVEPOINT; let SQLAlchemy do it
    # (see SQLAlchemy's "Enabling Non-Legacy SQLite Transactional Modes").
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """The process engine, built from settings on first use."""
    settings = get_settings()
    return make_engine(settings.database_url, echo=settings.debug)


@lru_cache(maxsize=1)
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one session per request. Routes commit explicitly."""
    with get_sessionmaker()() as session:
        yield session
