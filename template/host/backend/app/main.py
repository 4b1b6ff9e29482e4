"""FastAPI application factory. Route modules are discovered, never listed by hand."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api.errors import install_error_handlers
from app.api.local_auth import local_auth_router
from app.api.openapi import install_openapi
from app.core.config import API_V1_PREFIX, Settings, get_settings
from app.core.local_auth import LOCAL_ENVIRONMENT

ROUTES_PACKAGE = "app.api.routes"


def discover_routers(package: str = ROUTES_PACKAGE) -> list[tuple[str, APIRouter]]:
    """(module name, router) for every module of `package` defining `router`, sorted by name."""
    pkg = importlib.import_module(package)
    found: list[tuple[str, APIRouter]] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module_name = f"{package}.{info.name}"
        module = importlib.import_module(module_name)
        router = getattr(module, "router", None)
        if router is None:
            continue
        if not isinstance(router, APIRouter):
            raise TypeError(f"{module_name}.router is {type(router).__name__}, not an APIRouter")
        found.append((module_name, router))
    return found


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="VECTRA API",
        debug=settings.debug,
        openapi_url=f"{API_V1_PREFIX}/openapi.json",
        # A larger request body answers 413 before it is read in full (documented: app/api/openapi.py).
        max_body_size=settings.max_body_bytes,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials="*" not in settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    install_error_handlers(app)
    for _name, router in discover_routers():
        app.include_router(router, prefix=API_V1_PREFIX)
    if settings.environment == LOCAL_ENVIRONMENT:
        # Development sign-in (the /login page); absent, hence 404, in every other environment.
        app.include_router(local_auth_router(settings), prefix=API_V1_PREFIX)
    install_openapi(app)
    return app


app = create_app()
