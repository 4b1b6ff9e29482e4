"""The host skeleton (kind `project`): what the host's workflow board reads of kinds.yml.

`unit.host.kinds_json` is rendered into backend/app/workflow/kinds.json, so the board shows the
guide's type labels, log folders, coverage targets, statuses and priorities without copying them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import catalog as catalog_mod

ROOT = Path(__file__).resolve().parents[3]  # extensions/blueprint/parts/host.py -> the template


def _choices(spec: dict[str, Any]) -> list[str]:
    choices = spec.get("choices") or []
    return [str(value) for value in (choices.values() if isinstance(choices, dict) else choices)]


def kinds_data(root: Path = ROOT) -> dict[str, Any]:
    """Every kind with a log: its label, log folder and the coverage targets of its fixed parts."""
    catalog = catalog_mod.load(root)
    kinds = {}
    for kind in catalog.unit_kinds():
        spec = catalog.kinds[kind]
        parts = [part for part in spec.get("parts", []) if "{" not in str(part)]  # fixed parts only
        targets = {part: catalog.parts.get(part, {}).get("coverage") for part in parts}
        coverage = {part: target for part, target in targets.items() if target}
        kinds[kind] = {"label": spec["label"], "log_folder": spec["log_folder"], "coverage": coverage}
    questions = catalog_mod.questions(root)
    return {
        "kinds": kinds,
        "statuses": _choices(questions["status"]),
        "priorities": _choices(questions["priority"]),
    }


def derive(unit: Any) -> dict[str, Any]:
    return {"kinds_json": json.dumps(kinds_data(), ensure_ascii=False, indent=2) + "\n"}
