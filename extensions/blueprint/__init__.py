"""vectra-blueprints: the Python behind the template (see docs/ARCHITECTURE.md)."""

from . import (
    catalog,
    checks,
    compact_answers,
    compile_cache,
    copier_private,
    entries,
    filters,
    guide,
    journal,
    naming,
    parts,
    unit,
    upsert,
)

__all__ = [
    "catalog",
    "checks",
    "compact_answers",
    "compile_cache",
    "copier_private",
    "entries",
    "filters",
    "guide",
    "journal",
    "naming",
    "parts",
    "unit",
    "upsert",
]
