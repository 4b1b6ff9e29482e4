"""The OpenAPI document lists every answer a route can give, not only its success.

FastAPI documents a route's own `responses=` and a 422 when the route reads input. The answers that
come from shared code are added here, to every route they can come from:
- 401 on every route that needs an access token (it depends on `current_principal`);
- 400 (a body that is not JSON text, e.g. not UTF-8) and 413 (a body above FastAPI's
  `max_body_size`, the setting VECTRA_MAX_BODY_BYTES) on every route that reads a body.
A client or an SDK generated from the document then knows every status it must handle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.api.deps import current_principal
from app.schemas import ErrorDetail

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorDetail"}
UNAUTHORIZED = "Missing, invalid or expired access token"
NOT_JSON = "The body is not JSON text (not UTF-8, or not JSON at all)"
TOO_LARGE = "The body is larger than the API accepts (VECTRA_MAX_BODY_BYTES)"


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """Every function the route depends on, directly or through other dependencies."""
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def route_errors(route: APIRoute) -> dict[int, str]:
    """The shared error answers `route` can give: {status: description}."""
    errors: dict[int, str] = {}
    if any(call is current_principal for call in _calls(route.dependant)):
        errors[401] = UNAUTHORIZED
    if route.body_field is not None:
        errors[400] = NOT_JSON
        errors[413] = TOO_LARGE
    return errors


def document_errors(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the shared error answers added to each operation (the route's own kept)."""
    paths = schema.get("paths", {})
    for context in iter_route_contexts(app.routes):  # included routers' routes, with their prefix
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        errors = route_errors(route)
        for method in context.methods or ():
            operation = paths.get(context.path_format, {}).get(method.lower())
            if operation is None or not errors:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(
                    str(status),
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    },
                )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorDetail", ErrorDetail.model_json_schema())
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve the document with the shared error answers (built once, on its first request)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(app, build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend it
