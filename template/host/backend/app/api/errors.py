"""Error answers every route shares.

A method a path does not serve answers 405 with an `Allow` header listing every method the path
serves (Starlette names those of the first route matching the path only, e.g. GET without POST).

FastAPI's own 422 answer echoes the rejected input. Python's JSON parser accepts `NaN`, `Infinity`
and lone surrogates (`"\ud800"`), which a JSON answer cannot carry back: echoing them failed with a
500. This handler gives the same 422 body with such numbers and characters written as text.
"""

from __future__ import annotations

import math

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException

JsonLike = dict[str, "JsonLike"] | list["JsonLike"] | str | int | float | bool | None


def json_safe(value: JsonLike) -> JsonLike:
    """`value` with every non-finite float as text ("nan", "inf") and lone surrogates escaped."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {str(json_safe(key)): json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    return value


async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    detail = json_safe(jsonable_encoder(error.errors()))
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def allowed_methods(request: Request) -> list[str]:
    """Every method served at the request's path, by any route of the app, sorted."""
    path: str = request.scope["path"]
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):  # included routers' routes too
        pattern = getattr(context, "path_regex", None)
        if context.methods and pattern is not None and pattern.match(path):
            methods |= context.methods
    return sorted(methods)


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's answer, with the whole `Allow` list on a 405."""
    if not isinstance(error, StarletteHTTPException):  # pragma: no cover - registered for it only
        raise error
    if error.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        headers = {**(error.headers or {}), "Allow": ", ".join(allowed_methods(request))}
        error = StarletteHTTPException(error.status_code, error.detail, headers)
    return await http_exception_handler(request, error)


def install_error_handlers(app: FastAPI) -> None:
    # The decorator form is typed for the handler's own exception class.
    app.exception_handler(RequestValidationError)(validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
