"""Error answers every route shares.

FastAPI's own 422 answer echoes the rejected input. Python's JSON parser accepts `NaN`, `Infinity`
and lone surrogates (`"\ud800"`), which a JSON answer cannot carry back: echoing them failed with a
500. This handler gives the same 422 body with such numbers and characters written as text.
"""

from __future__ import annotations

import math

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

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


def install_error_handlers(app: FastAPI) -> None:
    # The decorator form is typed for the handler's own exception class.
    app.exception_handler(RequestValidationError)(validation_error)
