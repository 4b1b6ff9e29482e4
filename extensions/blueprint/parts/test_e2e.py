"""The test-e2e part: a browser test of the page (or feature) its `target` names.

`e2e_target` is computed once at `copier copy` from the host's units and stored in the answers
file (an update renders the same test even after the target changed): the target unit's route,
its api path, whether its form writes a row, and what to type into that form (the same values as
the page's own Vitest tests). A target that is no unit of the host with a list page beside its api
(or no unit at all: a fresh host) gets the test of the sign-in and the home page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]


def _matches(host_unit: Any, target: str) -> bool:
    answers = host_unit.answers
    return target in (host_unit.key, answers.get("name"), answers.get("route"))


def find_target(dst: Path, answers: dict[str, Any]) -> dict[str, Any]:
    """What the test needs of its target's pages ({} when the target has none it can drive)."""
    from .. import lifecycle

    target = str(answers.get("target") or "").strip()
    if not target or not (dst / lifecycle.ANSWERS_DIR).is_dir():
        return {}
    for host_unit in lifecycle.units(dst):
        if not _matches(host_unit, target):
            continue
        unit = host_unit.unit(ROOT)
        if "page" not in unit.parts or "api" not in unit.parts:
            continue
        page = unit.page
        if not page.api or page.params:
            continue
        crud = page.crud
        title = page.heading.field
        return {
            "unit": host_unit.key,
            "route": page.route,
            "api_path": unit.api.prefix,
            "writes": bool(crud.create and crud.get),
            "fill": [
                {"label": f.label, "value": yaml.safe_load(f.fill), "select": f.input == "select"} for f in crud.to_fill
            ],
            "title_field": title.name if title else "",
            "title": yaml.safe_load(title.fill) if title else "",
        }
    return {}


def computed_target(dst: Path, answers: dict[str, Any]) -> str:
    return yaml.safe_dump(find_target(dst, answers), allow_unicode=True, sort_keys=False)


DEFAULTS = {"e2e_target": computed_target}
