"""The OpenAPI document lists the shared error answers, and the app gives them as documented."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.api.deps import CurrentPrincipal, TenantDep
from app.api.errors import install_error_handlers
from app.api.openapi import install_openapi
from app.core.config import get_settings

METHODS = {"get", "post", "put", "patch", "delete"}


class Thing(BaseModel):
    name: str


def operations(app: FastAPI) -> dict[tuple[str, str], dict[str, Any]]:
    paths = app.openapi()["paths"]
    return {(path, m): op for path, item in paths.items() for m, op in item.items() if m in METHODS}


@pytest.fixture
def things() -> FastAPI:
    """An app with a public route, a route behind a token (through TenantDep) and one with a body."""
    app = FastAPI(max_body_size=100)
    router = APIRouter()

    @router.get("/public")
    def public() -> Thing:
        return Thing(name="p")

    @router.get("/things")
    def list_things(tenant_id: TenantDep) -> list[Thing]:
        return [Thing(name=tenant_id)]

    @router.post("/things", status_code=201)
    def create_thing(thing: Thing, _principal: CurrentPrincipal) -> Thing:
        return thing

    @router.delete("/things/{thing_id}", status_code=204)
    def delete_thing(thing_id: int, _principal: CurrentPrincipal) -> None:
        return None

    app.include_router(router)
    install_error_handlers(app)
    install_openapi(app)
    return app


def test_401_is_documented_on_every_route_behind_a_token_and_only_there(things: FastAPI) -> None:
    found = operations(things)

    assert "401" not in found["/public", "get"]["responses"]
    for key in [("/things", "get"), ("/things", "post"), ("/things/{thing_id}", "delete")]:
        assert found[key]["responses"]["401"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorDetail"
        }, key
    assert "ErrorDetail" in things.openapi()["components"]["schemas"]


def test_400_and_413_are_documented_on_routes_that_read_a_body(things: FastAPI) -> None:
    found = operations(things)

    assert {"400", "413", "422", "201"} <= set(found["/things", "post"]["responses"])
    assert not {"400", "413"} & set(found["/things", "get"]["responses"])


def test_a_route_keeps_its_own_description_of_a_status(things: FastAPI) -> None:
    router = APIRouter()

    @router.get("/own", responses={401: {"description": "Own words"}})
    def own(_principal: CurrentPrincipal) -> Thing:
        return Thing(name="o")

    things.include_router(router)
    things.openapi_schema = None

    assert operations(things)["/own", "get"]["responses"]["401"]["description"] == "Own words"


def test_the_documented_statuses_are_the_answers(things: FastAPI) -> None:
    with TestClient(things) as client:
        unauthenticated = client.get("/things")
        not_json = client.post(
            "/things", content=b"\xe9", headers={"Content-Type": "application/json"}
        )

    assert unauthenticated.status_code == 401
    assert not_json.status_code == 400


def test_every_route_of_the_host_behind_a_token_documents_401(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()

    me = document["paths"]["/api/v1/me"]["get"]["responses"]
    assert set(me) == {"200", "401"}
    assert client.get("/api/v1/me").status_code == 401
    assert "401" not in document["paths"]["/api/v1/health"]["get"]["responses"]


def test_405_names_every_method_of_the_path(things: FastAPI) -> None:
    with TestClient(things) as client:
        collection = client.options("/things")
        item = client.put("/things/1", json={"name": "x"})

    assert collection.status_code == 405
    assert collection.headers["Allow"] == "GET, POST"
    assert item.status_code == 405
    assert item.headers["Allow"] == "DELETE"


def test_a_body_above_the_limit_answers_413_declared_or_streamed(things: FastAPI) -> None:
    big = b'{"name": "' + b"x" * 200 + b'"}'

    def chunks() -> Any:
        yield big[:60]
        yield big[60:]

    with TestClient(things) as client:
        declared = client.post("/things", content=big, headers={"Content-Type": "application/json"})
        streamed = client.post(
            "/things", content=chunks(), headers={"Content-Type": "application/json"}
        )
        small = client.post("/things", json={"name": "x" * 50})

    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert small.status_code == 401  # through the limit, on to the token check


def test_the_body_limit_is_a_setting(client: TestClient) -> None:
    limit = get_settings().max_body_bytes
    body = b'{"x": "' + b"y" * limit + b'"}'

    response = client.post("/api/v1/me", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 413
