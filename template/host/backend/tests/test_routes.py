import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import app.api.routes as routes_package
from app.core.config import API_V1_PREFIX, Settings
from app.core.db import get_session
from app.main import create_app, discover_routers
from tests.utils import extended_package

PROBE_MODULE = """
from fastapi import APIRouter
from sqlalchemy import text

from app.api.deps import SessionDep, TenantDep

router = APIRouter()


@router.get("/probe")
def probe(session: SessionDep, tenant_id: TenantDep) -> dict[str, object]:
    one = session.scalar(text("SELECT 1"))
    return {"tenant_id": tenant_id, "session_id": id(session), "one": one}
"""


@pytest.fixture
def extra_routes_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory added to `app.api.routes`, as if a unit had dropped files there."""
    with extended_package(routes_package, tmp_path) as folder:
        yield folder


def test_every_route_module_is_mounted_under_api_v1() -> None:
    published = create_app().openapi()["paths"]
    discovered = discover_routers()

    assert [name for name, _ in discovered] == sorted(name for name, _ in discovered)
    assert {"app.api.routes.health", "app.api.routes.me"} <= {name for name, _ in discovered}
    for name, router in discovered:
        for route in router.routes:
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            path = f"{API_V1_PREFIX}{route.path}"
            assert path in published, f"{name}: {path} not mounted"
            assert {m.lower() for m in route.methods} <= set(published[path]), name


def test_module_added_to_routes_package_is_mounted(
    extra_routes_dir: Path, session: Session, headers_a: dict[str, str]
) -> None:
    (extra_routes_dir / "zz_probe.py").write_text(PROBE_MODULE)
    application = create_app()
    application.dependency_overrides[get_session] = lambda: session

    with TestClient(application) as client:
        ok = client.get("/api/v1/probe", headers=headers_a)
        anonymous = client.get("/api/v1/probe")

    assert ok.status_code == 200
    assert ok.json() == {"tenant_id": "tenant-a", "session_id": id(session), "one": 1}
    assert anonymous.status_code == 401


def test_private_and_router_less_modules_are_skipped(extra_routes_dir: Path) -> None:
    (extra_routes_dir / "_private.py").write_text("raise RuntimeError('must not be imported')\n")
    (extra_routes_dir / "helpers.py").write_text("VALUE = 1\n")

    names = [name for name, _ in discover_routers()]

    assert "app.api.routes._private" not in names
    assert "app.api.routes.helpers" not in names
    assert "app.api.routes.helpers" in sys.modules


def test_router_of_wrong_type_is_an_error(extra_routes_dir: Path) -> None:
    (extra_routes_dir / "broken.py").write_text("router = object()\n")

    with pytest.raises(TypeError, match=r"app\.api\.routes\.broken\.router"):
        discover_routers()


def _preflight(application: FastAPI, origin: str) -> dict[str, str]:
    with TestClient(application) as client:
        response = client.options(
            "/api/v1/health",
            headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
        )
    return dict(response.headers)


def test_cors_is_off_by_default() -> None:
    headers = _preflight(create_app(), "https://app.example")

    assert "access-control-allow-origin" not in headers


def test_cors_allows_listed_origins_with_credentials() -> None:
    application = create_app(Settings(_env_file=None, cors_origins=["https://app.example"]))

    allowed = _preflight(application, "https://app.example")
    other = _preflight(application, "https://evil.example")

    assert allowed["access-control-allow-origin"] == "https://app.example"
    assert allowed["access-control-allow-credentials"] == "true"
    assert "access-control-allow-origin" not in other


def test_cors_wildcard_never_allows_credentials() -> None:
    headers = _preflight(create_app(Settings(_env_file=None, cors_origins=["*"])), "https://x.io")

    assert headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in headers
