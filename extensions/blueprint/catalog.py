"""kinds.yml, loaded: the kinds of work, the parts they are made of, and the template files."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_SUFFIX = ".jinja"
# Template files that belong to no part: copier writes them itself.
ANSWERS_TEMPLATE = "{{ _copier_conf.answers_file }}"
JUNK = {"__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", "node_modules", ".venv", ".DS_Store"}


@dataclass(frozen=True)
class Catalog:
    root: Path  # the template repository (where copier.yml and kinds.yml are)
    unit_questions: tuple[str, ...]
    parts: dict[str, dict[str, Any]]
    kinds: dict[str, dict[str, Any]]

    @property
    def template_dir(self) -> Path:
        return self.root / "template"

    def template_paths(self) -> list[str]:
        """Every file of template/, as host paths (suffix dropped), sorted."""
        paths = []
        for path in self.template_dir.rglob("*"):
            rel = path.relative_to(self.template_dir)
            if path.is_dir() or JUNK.intersection(rel.parts) or path.suffix in {".pyc", ".pyo"}:
                continue
            text = rel.as_posix()
            paths.append(text.removesuffix(TEMPLATE_SUFFIX))
        return sorted(paths)

    def claimed_paths(self) -> dict[str, str]:
        """Template path -> the unit part that lists it."""
        claimed = {}
        for part_name, part in self.parts.items():
            for item in part.get("files", []):
                claimed[file_path(item)] = part_name
        return claimed

    def host_paths(self) -> list[str]:
        """The host skeleton: every template file that no unit part claims."""
        claimed = self.claimed_paths()
        return [p for p in self.template_paths() if p not in claimed and p != ANSWERS_TEMPLATE]

    def unit_kinds(self) -> list[str]:
        return [k for k, spec in self.kinds.items() if spec.get("log_folder")]


def file_path(item: str | dict[str, Any]) -> str:
    return item if isinstance(item, str) else item["path"]


@functools.lru_cache(maxsize=8)
def load(root: Path) -> Catalog:
    data = yaml.safe_load((root / "kinds.yml").read_text(encoding="utf-8"))
    return Catalog(
        root=root,
        unit_questions=tuple(data["unit_questions"]),
        parts=data["parts"],
        kinds=data["kinds"],
    )
