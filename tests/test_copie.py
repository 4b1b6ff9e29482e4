"""The template through pytest-copie, as its users test templates: a host, then a unit inside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from blueprint.upsert import find_block


def test_copie_bootstraps_a_host_then_a_unit_inside_it(copie: Any, root: Path) -> None:
    host = copie.copy(extra_answers={"kind": "project", "name": "copie-host"})
    assert host.exit_code == 0, host.exception
    assert (host.project_dir / ".copier-answers/project_copie-host.yml").is_file()
    assert (host.project_dir / "backend/app/main.py").is_file()
    assert not any(host.project_dir.glob("docs/workflow/logs/*/*.md")), "a host has no log of its own"

    unit = copie(parent_result=host, child_tpl=root).copy(
        extra_answers={"kind": "fix", "name": "celery-startup", "regression_side": "frontend"}
    )
    assert unit.exit_code == 0, unit.exception
    assert unit.answers["regression_side"] == "frontend"
    assert (unit.project_dir / "frontend/tests/regression/celery-startup.test.ts").is_file()
    status = (unit.project_dir / "docs/workflow/STATUS.md").read_text()
    assert find_block(status, "fix/celery-startup") is not None


def test_copie_reports_a_refused_unit(copie: Any) -> None:
    result = copie.copy(extra_answers={"kind": "fix", "name": "Not A Slug"})
    assert result.exit_code != 0
    assert "kebab-case" in str(result.exception)
