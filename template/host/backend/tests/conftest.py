"""Shared fixtures.

Database: SQLite in a temp dir, or, when VECTRA_TEST_DATABASE_URL points to a PostgreSQL server,
a fresh `vectra_test_<hex>` database created for this run and dropped at the end. Either way it is
migrated with `alembic upgrade head`, so every unit's migration runs in every test run.

Network: pytest-socket (see pyproject addopts) refuses connections to anything but loopback.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.core.db import get_engine, get_session, get_sessionmaker, make_engine
from app.core.security import create_access_token
from app.llm.fake import FakeLLMClient
from tests.utils import (
    SUBJECT_A,
    SUBJECT_B,
    TENANT_A,
    TENANT_B,
    EmptyDatabases,
    auth_headers,
    fresh_database,
    make_alembic_config,
    run_alembic,
)

TEST_DATABASE_ENV = "VECTRA_TEST_DATABASE_URL"

# Forced for the whole run (a developer's .env or shell cannot leak in). The database URL is a
# throw-away in-memory SQLite until the `engine` fixture points it at the test database.
TEST_ENV = {
    "VECTRA_ENVIRONMENT": "test",
    "VECTRA_DEBUG": "false",
    "VECTRA_DATABASE_URL": "sqlite://",
    "VECTRA_JWT_SECRET": secrets.token_urlsafe(48),  # 64 chars: long enough for HS512
    "VECTRA_JWT_ALGORITHM": "HS256",
    "VECTRA_CORS_ORIGINS": "",
    "VECTRA_CELERY_BROKER_URL": "memory://",
    "VECTRA_CELERY_RESULT_BACKEND": "cache+memory://",
    "VECTRA_CELERY_TASK_ALWAYS_EAGER": "true",
    "VECTRA_LLM_PROVIDER": "openai",
    "VECTRA_LLM_API_KEY": "",
    "VECTRA_LLM_BASE_URL": "",
}

_ENV_PATCH = pytest.StashKey[pytest.MonkeyPatch]()


def clear_caches() -> None:
    """Forget cached settings, engine and sessionmaker (after changing VECTRA_* env vars)."""
    get_settings.cache_clear()
    get_sessionmaker.cache_clear()
    get_engine.cache_clear()


def pytest_configure(config: pytest.Config) -> None:
    # Before collection, so modules that read settings at import (app.main, the Celery app)
    # already see the test settings.
    patch = pytest.MonkeyPatch()
    for name, value in TEST_ENV.items():
        patch.setenv(name, value)
    config.stash[_ENV_PATCH] = patch
    clear_caches()


def pytest_unconfigure(config: pytest.Config) -> None:
    config.stash[_ENV_PATCH].undo()
    clear_caches()


def pytest_report_header() -> str:
    server = os.environ.get(TEST_DATABASE_ENV)
    if server:
        return f"database: fresh PostgreSQL database on {server} ({TEST_DATABASE_ENV})"
    return f"database: SQLite (set {TEST_DATABASE_ENV} to test on PostgreSQL)"


# --------------------------------------------------------------------------- database


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of this run's test database (empty until `engine` migrates it)."""
    server = os.environ.get(TEST_DATABASE_ENV)
    if server:
        with fresh_database(server) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """Engine on the test database, migrated to `head`. VECTRA_DATABASE_URL points to it too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VECTRA_DATABASE_URL", database_url)
        clear_caches()
        engine = make_engine(database_url)
        try:
            run_alembic(engine, command.upgrade, "head")
            yield engine
        finally:
            engine.dispose()
            get_engine().dispose()
    clear_caches()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session in a transaction rolled back after the test (commits become savepoints)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        db = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield db
        finally:
            db.close()
            transaction.rollback()


@pytest.fixture
def alembic_config() -> Config:
    """The backend's Alembic config (no connection: use `tests.utils.run_alembic`)."""
    return make_alembic_config()


@pytest.fixture(scope="session")
def empty_databases() -> Iterator[EmptyDatabases | None]:
    """PostgreSQL's empty databases for `migration_engine`, each made ahead (None on SQLite)."""
    server = os.environ.get(TEST_DATABASE_ENV)
    if not server:
        yield None
        return
    databases = EmptyDatabases(server)
    try:
        yield databases
    finally:
        databases.close()


@pytest.fixture
def migration_engine(
    tmp_path_factory: pytest.TempPathFactory, empty_databases: EmptyDatabases | None
) -> Iterator[Engine]:
    """An engine on a new, EMPTY database for migration tests (never the shared one)."""
    if empty_databases is not None:
        with empty_databases.take() as url:
            engine = make_engine(url)
            yield engine
            engine.dispose()
    else:
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'm.db'}")
        yield engine
        engine.dispose()


# --------------------------------------------------------------------------- API


_APPS: dict[str, tuple[Settings, FastAPI]] = {}


@pytest.fixture
def app(session: Session) -> Iterator[FastAPI]:
    """The application, whose `get_session` is the test `session` for the length of the test.

    Built once per run for the same settings (a test that changes them gets its own): FastAPI
    prepares each route of an application on its first request, and the OpenAPI document on the
    first read, which with many units took most of the run when every test built its own."""
    from app.main import create_app  # imported late: app.main reads settings at import

    settings = get_settings()
    built = _APPS.get("app")
    if built is None or built[0] != settings:
        built = _APPS["app"] = (settings, create_app(settings))
    application = built[1]
    application.dependency_overrides[get_session] = lambda: session
    try:
        yield application
    finally:
        application.dependency_overrides.clear()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


# --------------------------------------------------------------------------- tenants


@pytest.fixture
def token_a() -> str:
    return create_access_token(SUBJECT_A, TENANT_A)


@pytest.fixture
def token_b() -> str:
    return create_access_token(SUBJECT_B, TENANT_B)


@pytest.fixture
def headers_a(token_a: str) -> dict[str, str]:
    return auth_headers(token_a)


@pytest.fixture
def headers_b(token_b: str) -> dict[str, str]:
    return auth_headers(token_b)


# --------------------------------------------------------------------------- agents


@pytest.fixture
def fake_llm() -> FakeLLMClient:
    """An empty scripted LLM client: `fake_llm.push("...")`, then inject it into the agent."""
    return FakeLLMClient()
