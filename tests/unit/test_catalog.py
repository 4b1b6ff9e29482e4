"""kinds.yml is the one place: every template file belongs to exactly one part, and the data agrees with the guide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from blueprint import catalog as catalog_mod
from blueprint import guide


def test_every_units_file_is_claimed_once_and_the_host_tree_is_the_skeleton(catalog: catalog_mod.Catalog) -> None:
    units = set(catalog.tree_paths(catalog_mod.UNITS_TREE))
    owners: dict[str, list[str]] = {}
    for part, spec in catalog.parts.items():
        for item in spec.get("files", []):
            owners.setdefault(catalog_mod.file_path(item), []).append(part)
    assert {path: parts for path, parts in owners.items() if len(parts) > 1} == {}
    missing = sorted(set(owners) - units)
    assert missing == [], f"kinds.yml lists files that are not in {catalog_mod.UNITS_TREE}/: {missing}"
    unclaimed = sorted(units - set(owners))
    assert unclaimed == [], f"files of {catalog_mod.UNITS_TREE}/ that no part of kinds.yml lists: {unclaimed}"
    host = catalog.host_paths()
    assert not [p for p in host if "{{" in p], "a file with a templated name must belong to a unit part"
    assert not set(host) & units, "a file is in both trees"
    assert "Makefile" in host and "docs/workflow/STATUS.md" in host


def test_both_trees_write_the_answers_file_alike(root: Path) -> None:
    # Copier needs it in the tree it renders; two copies that cannot drift apart.
    name = f"{catalog_mod.ANSWERS_TEMPLATE}{catalog_mod.TEMPLATE_SUFFIX}"
    host, units = (root / tree / name for tree in (catalog_mod.HOST_TREE, catalog_mod.UNITS_TREE))
    assert host.read_bytes() == units.read_bytes(), f"{host} and {units} differ"


def test_the_host_part_is_a_kind_of_its_own(catalog: catalog_mod.Catalog) -> None:
    # copier renders one tree per copy (unit.template_tree): the skeleton cannot share a unit.
    for kind, spec in catalog.kinds.items():
        assert "host" not in spec.get("parts", []) or spec["parts"] == ["host"], kind


def test_every_kind_has_its_parts_steps_and_guide_folder(catalog: catalog_mod.Catalog) -> None:
    table = guide.type_table()
    for kind, spec in catalog.kinds.items():
        for part in spec.get("parts", []):
            assert "{" in part or part in catalog.parts or part == "host", f"{kind}: unknown part {part}"
        if not spec.get("log_folder"):
            continue
        assert spec["steps"], f"{kind} has no steps"
        items = [item for step in spec["steps"] for item in step["items"]]
        assert all({"text", "done"} <= item.keys() <= {"text", "done", "optional"} for item in items), kind
        # The guide's conditional steps ("si nécessaire", "si applicable"...) are not required by `make check`.
        conditional = [i["text"] for i in items if " si " in f" {i['text']} ".replace("(", " ")]
        assert all("optional" in i for i in items if i["text"] in conditional), f"{kind}: mark them optional"
        if spec["label"] in table:
            assert (spec["log_folder"], spec.get("reference") or "") == table[spec["label"]]
    assert {label for label in table} <= {spec.get("label") for spec in catalog.kinds.values()}


def test_entries_have_a_fragment_mirroring_their_file(catalog: catalog_mod.Catalog, root: Path) -> None:
    for spec in [*catalog.parts.values(), *catalog.kinds.values()]:  # a kind may have entries of its own
        for entry in spec.get("entries", []):
            path = entry if isinstance(entry, str) else entry["path"]
            assert (root / "fragments" / f"{path}.jinja").is_file(), path
            assert (root / catalog_mod.HOST_TREE / path).is_file(), f"{path} is not a host file"


def test_coverage_targets_are_the_guides(catalog: catalog_mod.Catalog) -> None:
    # WORKFLOW-001: component 70%, API 80%, agent 85%.
    assert {p: catalog.parts[p].get("coverage") for p in ("component", "page", "api", "agent")} == {
        "component": 70, "page": 70, "api": 80, "agent": 85}  # fmt: skip


def test_questions_are_all_asked_when_needed_and_have_help(root: Path) -> None:
    questions: dict[str, Any] = {}
    for path in sorted((root / "questions").glob("*.yml")):
        questions.update(yaml.safe_load(path.read_text()) or {})
    for name, spec in questions.items():
        assert spec.get("help"), f"question {name} has no help"
        if name not in {"kind", "name"}:
            assert "default" in spec, f"question {name} has no default (--defaults must work)"
            assert "asks(" in str(spec.get("when", "")), f"question {name} is not tied to kinds.yml"


def test_each_validator_checks_a_question_its_part_asks(catalog: catalog_mod.Catalog) -> None:
    """checks.answer_problem imports only the parts that ask a question to find its validator."""
    from blueprint import parts

    strays = {
        f"{part}.{question}"
        for part in catalog.parts
        for question in getattr(parts.module(part), "VALIDATORS", {})
        if question not in catalog.parts[part].get("questions", [])
    }
    assert strays == set(), "VALIDATORS for questions their part does not list in kinds.yml"
    assert any(getattr(parts.module(part), "VALIDATORS", {}) for part in catalog.parts)
