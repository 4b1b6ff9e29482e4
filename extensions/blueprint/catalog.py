"""kinds.yml, loaded: the kinds of work, the parts they are made of, and the template files."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import compact_answers

TEMPLATE_SUFFIX = ".jinja"
# The template file that belongs to no part (one in each tree): copier writes it itself.
ANSWERS_TEMPLATE = "{{ _copier_conf.answers_file }}"
# libyaml's loader when PyYAML was built with it: kinds.yml is read on every copy.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
JUNK = {"__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", "node_modules", ".venv", ".DS_Store"}


# The host skeleton (the `host` part of the `project` kind) and the units' parts live in two trees,
# each mirroring the host: copier renders only the tree of the kind being generated (copier.yml
# `_subdirectory`), so a unit's copy does not walk the skeleton's hundred files.
HOST_TREE = "template/host"
UNITS_TREE = "template/units"


@dataclass(frozen=True)
class Catalog:
    root: Path  # the template repository (where copier.yml and kinds.yml are)
    unit_questions: tuple[str, ...]
    parts: dict[str, dict[str, Any]]
    kinds: dict[str, dict[str, Any]]

    def tree_paths(self, tree: str) -> list[str]:
        """Every file of one tree (HOST_TREE or UNITS_TREE), as host paths (suffix dropped), sorted."""
        top = self.root / tree
        paths = []
        for path in top.rglob("*"):
            rel = path.relative_to(top)
            if path.is_dir() or JUNK.intersection(rel.parts) or path.suffix in {".pyc", ".pyo"}:
                continue
            text = rel.as_posix().removesuffix(TEMPLATE_SUFFIX)
            if text != ANSWERS_TEMPLATE:
                paths.append(text)
        return sorted(paths)

    def claimed_paths(self) -> dict[str, str]:
        """Template path -> the unit part that lists it."""
        claimed = {}
        for part_name, part in self.parts.items():
            for item in part.get("files", []):
                claimed[file_path(item)] = part_name
        return claimed

    def host_paths(self) -> list[str]:
        """The host skeleton: every file of the host tree."""
        return self.tree_paths(HOST_TREE)

    def unit_kinds(self) -> list[str]:
        return [k for k, spec in self.kinds.items() if spec.get("log_folder")]


def file_path(item: str | dict[str, Any]) -> str:
    return item if isinstance(item, str) else item["path"]


@functools.lru_cache(maxsize=8)
def questions(root: Path) -> dict[str, dict[str, Any]]:
    """Copier's questions as questions/*.yml write them: name -> spec (type, default, help…)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "questions").glob("*.yml")):
        found.update(yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {})
    return found


@functools.lru_cache(maxsize=8)
def answer_types(root: Path) -> dict[str, str]:
    """The questions whose answer copier casts from text, and to what: `yaml`, `json`, `bool`, `int`,
    `float`, or `multiselect` (a YAML list of choices). A list question whose type depends on its
    answer (`{{ list_answer_type(...) }}`: YAML or one compact line) counts as `yaml`."""
    found = {}
    for question, spec in questions(root).items():
        kind = "multiselect" if spec.get("multiselect") else spec.get("type", "str")
        kind = "yaml" if "{{" in kind else kind
        if kind != "str":
            found[question] = kind
    return found


# How a question's default starts (questions/*.yml) when the question is not asked for every unit:
# copier computes and carries the default of every question, asked or not, through every render of
# a copy; rendered to copier's UNSET, an unasked question gets no answer at all.
UNASKED_GUARD = "{{ UNSET if not asks('%s') else '' }}"


def declared_default(root: Path, question: str) -> Any:
    """The default questions/*.yml gives `question`, as copier casts it for a unit that asks it
    (without the UNASKED_GUARD; a default that is Jinja stays the text to render)."""
    spec = questions(root)[question]
    default = spec.get("default")
    if not isinstance(default, str):
        return default
    default = default.removeprefix(UNASKED_GUARD % question)
    if question in answer_types(root) and "{{" not in default and "{%" not in default:
        if question in compact_answers.GRAMMARS and compact_answers.is_compact(default):
            return compact_answers.expand(question, default)
        return yaml.load(default, Loader=SAFE_LOADER)
    return default


@functools.lru_cache(maxsize=8)
def load(root: Path) -> Catalog:
    data = yaml.load((root / "kinds.yml").read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return Catalog(
        root=root,
        unit_questions=tuple(data["unit_questions"]),
        parts=data["parts"],
        kinds=data["kinds"],
    )
