"""vectra-blueprints: the Python behind the template (see docs/ARCHITECTURE.md)."""

from . import catalog, checks, filters, guide, naming, unit, upsert

__all__ = ["catalog", "checks", "filters", "guide", "naming", "unit", "upsert"]
