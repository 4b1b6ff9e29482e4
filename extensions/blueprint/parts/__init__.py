"""One small module per part that needs Python: derived names and answer validators.

A module `parts/<part>.py` (hyphens become underscores) may define:

- `derive(unit) -> dict`: values templates read as `unit.<part>.<key>` (e.g. `unit.page.route_dir`);
  it runs before the part's file paths are rendered, so paths may use them.
- `DEFAULTS = {question: fn(dst, answers) -> value}`: computed defaults, e.g. the current Alembic
  head; copier's `default: "{{ computed('<question>') }}"` calls them (with `ask: false`, the value is
  computed once, stored in the answers file, and kept on every update).
- `VALIDATORS = {question: fn(value, answers) -> str}`: "" when the answer is valid, otherwise the
  message (what is wrong and what a valid answer looks like). Copier's `validator` calls them through
  `{{ problem('<question>', <question>) }}`, and answers given with --data are refused with the same
  message before anything is written.
"""

from __future__ import annotations

import importlib
from types import ModuleType, SimpleNamespace
from typing import Any


def module(part: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"{__name__}.{part.replace('-', '_')}")
    except ModuleNotFoundError as error:
        if error.name and error.name.endswith(part.replace("-", "_")):
            return None
        raise


def derive(part: str, unit: Any) -> SimpleNamespace | None:
    mod = module(part)
    if mod is None or not hasattr(mod, "derive"):
        return None
    return SimpleNamespace(**mod.derive(unit))


def validators(parts: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in parts:
        mod = module(part)
        found.update(getattr(mod, "VALIDATORS", {}) if mod else {})
    return found


def defaults(parts: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in parts:
        mod = module(part)
        found.update(getattr(mod, "DEFAULTS", {}) if mod else {})
    return found
