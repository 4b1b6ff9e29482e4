"""docs/ARCHITECTURE.md "How an answer becomes a file" names functions that exist: the map follows the code."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import copier
import pytest
from blueprint.unit import Unit

ROOT = Path(__file__).resolve().parents[2]
SECTION = re.search(r"## How an answer becomes a file\n(.*?)\n## ", (ROOT / "docs/ARCHITECTURE.md").read_text(), re.S)
# `owner.name(` or `owner.name()`: owner is a module of blueprint, `ContextUpdater`, `copier`, or `unit` (the module)
CALLS = sorted(set(re.findall(r"`(\w+)\.(\w+)\(", SECTION.group(1) if SECTION else "")))


def context_updater() -> type:
    """extensions/context.py as copier loads it (by path: it is not in a package)."""
    spec = importlib.util.spec_from_file_location("vectra_context_doc_check", ROOT / "extensions/context.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ContextUpdater


def test_the_section_names_a_chain() -> None:
    assert SECTION is not None and len(CALLS) >= 20


@pytest.mark.parametrize(("owner", "name"), CALLS, ids=[f"{o}.{n}" for o, n in CALLS])
def test_each_function_it_names_exists(owner: str, name: str) -> None:
    if owner == "ContextUpdater":
        found = context_updater()
    elif owner == "copier":
        found = copier
    elif owner == "component":
        found = importlib.import_module("blueprint.parts.component")
    else:
        found = importlib.import_module(f"blueprint.{owner}")
    assert callable(getattr(found, name, None)) or (owner == "unit" and callable(getattr(Unit, name, None))), (
        f"docs/ARCHITECTURE.md names {owner}.{name}(), which no longer exists: update the section"
    )
