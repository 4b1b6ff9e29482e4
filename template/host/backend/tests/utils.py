"""Test helpers: tenants, tokens, Alembic, throw-away databases, packages a unit adds to."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import jwt
from alembic.config import Config
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.core.config import get_settings

BACKEND_DIR = Path(__file__).resolve().parents[1]
ALEMBIC_INI = BACKEND_DIR / "alembic.ini"

TENANT_A = "tenant-a"
TENANT_B = "tenant-b"
SUBJECT_A = "user-a"
SUBJECT_B = "user-b"


def make_token(
    tenant_id: str | None,
    *,
    subject: str = SUBJECT_A,
    expires_in: timedelta = timedelta(minutes=5),
    secret: str | None = None,
    algorithm: str | None = None,
    drop_claims: Iterable[str] = (),
    extra_claims: dict[str, Any] | None = None,
) -> str:
    """A token built by hand, for the bad cases: expired (negative `expires_in`), forged
    (`secret=` another key), missing claims (`drop_claims=("tenant_id",)`, or tenant_id=None)."""
    settings = get_settings()
    now = datetime.now(UTC)
    claims: dict[str, Any] = {"sub": subject, "iat": now, "exp": now + expires_in}
    if tenant_id is not None:
        claims["tenant_id"] = tenant_id
    claims.update(extra_claims or {})
    for name in drop_claims:
        claims.pop(name, None)
    return jwt.encode(
        claims, secret or settings.jwt_key, algorithm=algorithm or settings.jwt_algorithm
    )


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_alembic_config() -> Config:
    """The backend's Alembic config; pass a connection with `run_alembic`."""
    return Config(str(ALEMBIC_INI))


def run_alembic(
    engine: Engine,
    command: Callable[..., Any],
    *args: Any,
    config: Config | None = None,
    **kwargs: Any,
) -> Any:
    """Run an `alembic.command` function on `engine` in one transaction (committed)."""
    config = config or make_alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        try:
            return command(config, *args, **kwargs)
        finally:
            del config.attributes["connection"]


def _on_server(server_url: str, sql: str, name: str) -> None:
    """Run `sql` with the quoted database `name` for {name}, on the server of `server_url`."""
    url = make_url(server_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"a PostgreSQL URL is needed, got {url.get_backend_name()!r}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            quoted = connection.dialect.identifier_preparer.quote(name)
            connection.exec_driver_sql(sql.format(name=quoted))
    finally:
        admin.dispose()


def _create_database(server_url: str) -> str:
    """Create an empty `vectra_test_<hex>` database on the server of `server_url`; its name."""
    name = f"vectra_test_{secrets.token_hex(6)}"
    _on_server(server_url, "CREATE DATABASE {name}", name)
    return name


def _drop_database(server_url: str, name: str) -> None:
    _on_server(server_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)", name)


def _database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """Create `vectra_test_<hex>` on the server of `server_url`, yield its URL, drop it."""
    name = _create_database(server_url)
    try:
        yield _database_url(server_url, name)
    finally:
        _drop_database(server_url, name)


class EmptyDatabases:
    """Fresh empty PostgreSQL databases, each made while the test before it runs.

    PostgreSQL takes about 0.2 s of its own CPU to create a database, and a migration test needs
    one of its own: once a first one is asked for, a background thread creates the next one, and
    drops each one after its test, while the tests go on (on the machine's other core). `close`
    waits for it, drops the one made last and never used, and raises what went wrong in between.
    """

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="empty-databases")
        self._next: Future[str] | None = None
        self._drops: list[Future[None]] = []

    @contextmanager
    def take(self) -> Iterator[str]:
        """The URL of an empty database of this test's own, dropped afterwards."""
        ready = self._next or self._worker.submit(_create_database, self.server_url)
        self._next = self._worker.submit(_create_database, self.server_url)
        name = ready.result()
        try:
            yield _database_url(self.server_url, name)
        finally:
            self._drops.append(self._worker.submit(_drop_database, self.server_url, name))

    def close(self) -> None:
        if self._next is not None:
            with suppress(Exception):  # its creation failed: nothing to drop
                _drop_database(self.server_url, self._next.result())
            self._next = None
        self._worker.shutdown()
        for drop in self._drops:
            drop.result()


@contextmanager
def extended_package(package: ModuleType, folder: Path) -> Iterator[Path]:
    """`package` also finds modules in `folder`, as if units had dropped files there; what was
    imported from it is forgotten afterwards, so the next test discovers from scratch."""
    search_path = package.__path__
    package.__path__ = [*search_path, str(folder)]
    before = set(sys.modules)
    try:
        yield folder
    finally:
        package.__path__ = search_path
        for name in set(sys.modules) - before:
            if name.startswith(f"{package.__name__}."):
                del sys.modules[name]
