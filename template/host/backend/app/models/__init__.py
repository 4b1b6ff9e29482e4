"""Database models. Every submodule of this package is imported by `load_models()`.

A unit adds `app/models/<name>.py` with classes deriving from `Base` (plus `TenantMixin`,
`TimestampMixin`); Alembic's env and the tests see them without any edit here.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

from app.models.base import NAMING_CONVENTION, TENANT_ID_LENGTH, Base, TenantMixin, TimestampMixin

__all__ = [
    "NAMING_CONVENTION",
    "TENANT_ID_LENGTH",
    "Base",
    "TenantMixin",
    "TimestampMixin",
    "load_models",
]


def load_models() -> MetaData:
    """Import every submodule of `app.models` (sorted) and return `Base.metadata`."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return Base.metadata
