"""A unit's whole life with real template versions (git tags): update, conflicts, status, update-all, undo, check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from blueprint.upsert import find_block
from helpers.hosts import Runtime, commit_all, git, snapshot_template

pytestmark = pytest.mark.slow

REGRESSION = "template/units/backend/tests/regression/test_{{ unit.snake }}.py.jinja"
STATUS_FRAGMENT = "fragments/docs/workflow/STATUS.md.jinja"


@pytest.fixture
def template_repo(root: Path, tmp_path: Path) -> Path:
    """A git copy of the template at version 1.0.0 (tests move it to 1.1.0 themselves)."""
    repo = snapshot_template(root, tmp_path / "template-repo")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "template 1.0.0")
    git(repo, "tag", "1.0.0")
    return repo


def release(repo: Path, version: str, edits: dict[str, tuple[str, str]]) -> None:
    for path, (old, new) in edits.items():
        file = repo / path
        text = file.read_text()
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1))
    commit_all(repo, f"template {version}")
    git(repo, "tag", version)


def make_host(repo: Path, where: Path, *units: tuple[str, str, dict[str, Any]]) -> Path:
    host = where / "host"
    copier.run_copy(
        str(repo), host, data={"kind": "project", "name": "life-host"}, defaults=True, unsafe=True, quiet=True
    )
    git(host, "init", "-q", "-b", "main")
    commit_all(host, "host")
    for kind, name, answers in units:
        copier.run_copy(str(repo), host, data={"kind": kind, "name": name, **answers}, defaults=True, unsafe=True,
                        quiet=True)  # fmt: skip
        commit_all(host, f"{kind} {name}")
    return host


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def answers(host: Path, unit: str) -> dict[str, Any]:
    return yaml.safe_load((host / f".copier-answers/{unit}.yml").read_text())


def test_update_brings_the_new_version_keeps_edits_and_leaves_other_units(
    template_repo: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    host = make_host(template_repo, tmp_path, ("fix", "celery-startup", {}), ("fix", "lead-flicker", {}))
    regression = host / "backend/tests/regression/test_celery_startup.py"
    edit(
        regression,
        "    # Reproduce the bug",
        "    # My analysis: the broker URL was read too early.\n    # Reproduce the bug",
    )
    log = next(host.glob("docs/workflow/logs/fixes/*_fix_celery-startup.md"))
    edit(log, "### Cause\n\n[À compléter]", "### Cause\n\nLe broker était lu à l'import.")
    status = host / "docs/workflow/STATUS.md"
    status.write_text(status.read_text().replace("# VECTRA - STATUS", "# VECTRA - STATUS (équipe A)"))
    commit_all(host, "my work")
    other_before = {p: (host / p).read_bytes() for p in ("backend/tests/regression/test_lead_flicker.py",
                                                         ".copier-answers/fix_lead-flicker.yml")}  # fmt: skip

    release(template_repo, "1.1.0", {
        REGRESSION: ("import pytest\n", "import pytest\n\n# Template 1.1.0: run it alone: `pytest -k regression`.\n"),
        STATUS_FRAGMENT: ("### Tests\n", "### Tests\n- Type: {{ unit.label }}\n"),
    })  # fmt: skip
    done = host_runtime.make(host, "update", "unit=fix/celery-startup")
    assert done.returncode == 0, done.stdout + done.stderr

    text = regression.read_text()
    assert "Template 1.1.0" in text and "My analysis: the broker URL was read too early." in text
    assert "Le broker était lu à l'import." in log.read_text()
    assert answers(host, "fix_celery-startup")["_commit"] == "1.1.0"
    assert {p: (host / p).read_bytes() for p in other_before} == other_before, "another unit changed"
    status_text = status.read_text()
    assert status_text.startswith("# VECTRA - STATUS (équipe A)")
    entry = find_block(status_text, "fix/celery-startup")
    assert entry is not None and "- Type: Fix/Bug" in entry.body
    assert "- Type:" not in find_block(status_text, "fix/lead-flicker").body  # type: ignore[union-attr]
    assert status_text.count("<!-- vectra:unit fix/celery-startup ") == 1


def test_a_conflict_cannot_be_missed(template_repo: Path, tmp_path: Path, host_runtime: Runtime) -> None:
    host = make_host(template_repo, tmp_path, ("fix", "celery-startup", {}))
    regression = host / "backend/tests/regression/test_celery_startup.py"
    edit(regression, "    # Reproduce the bug: call the code", "    # MINE: call the code")
    commit_all(host, "my edit")
    release(
        template_repo, "1.1.0", {REGRESSION: ("    # Reproduce the bug: call the code", "    # THEIRS: call the code")}
    )

    copier_cli = [str(Path(sys.executable).parent / "copier"), "update", "--trust", "--defaults"]
    answers_file = ".copier-answers/fix_celery-startup.yml"
    plain = subprocess.run([*copier_cli, "-a", answers_file], cwd=host, capture_output=True, text=True)
    assert plain.returncode == 0, "copier itself exits 0 on a conflict: that is why we check"
    assert "<<<<<<<" in regression.read_text()
    git(host, "reset", "-q", "--hard")
    git(host, "clean", "-qfd")

    done = host_runtime.make(host, "update", "unit=fix/celery-startup")
    assert done.returncode != 0
    assert "CONFLITS pendant la mise à jour de fix/celery-startup" in done.stderr
    assert "backend/tests/regression/test_celery_startup.py" in done.stderr
    assert "README" in done.stderr


def test_status_updates_the_log_and_the_entry_keeping_what_a_person_wrote(
    template_repo: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    host = make_host(template_repo, tmp_path, ("fix", "celery-startup", {}))
    log = next(host.glob("docs/workflow/logs/fixes/*_fix_celery-startup.md"))
    edit(log, "### Solution\n\n[À compléter]", "### Solution\n\nLire la configuration au démarrage.")
    status = host / "docs/workflow/STATUS.md"
    edit(status, "### Résumé\n", "### Résumé\nNote de l'équipe : priorité sprint 3.\n")
    commit_all(host, "my notes")

    # force=1: the fix is not finished (its regression test is a placeholder); test_completion.py has the refusal.
    done = host_runtime.make(host, "status", "unit=fix/celery-startup", "status=completed", "force=1")
    assert done.returncode == 0, done.stdout + done.stderr
    text = log.read_text()
    assert "**Statut:** completed  " in text and "Lire la configuration au démarrage." in text
    entry = find_block(status.read_text(), "fix/celery-startup")
    assert entry is not None and "**Statut:** completed  " in entry.body
    assert "Note de l'équipe : priorité sprint 3." in entry.body
    assert answers(host, "fix_celery-startup")["status"] == "completed"

    bad = host_runtime.make(host, "status", "unit=fix/celery-startup", "status=finished")
    assert bad.returncode != 0 and "choisissez parmi in_progress, completed, blocked" in bad.stderr


def test_update_all_in_one_process_stops_at_the_first_conflict(
    template_repo: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    units = [("fix", f"fix-{n}", {"date": f"2026-01-1{n}"}) for n in range(4)]
    host = make_host(template_repo, tmp_path, *units)
    edit(host / "backend/tests/regression/test_fix_2.py", "    # Reproduce the bug: call", "    # MINE: call")
    commit_all(host, "edit fix-2")
    release(template_repo, "1.1.0", {REGRESSION: ("    # Reproduce the bug: call", "    # THEIRS: call")})

    done = host_runtime.make(host, "update-all")
    assert done.returncode != 0
    assert "CONFLITS pendant la mise à jour de fix/fix-2" in done.stdout
    assert done.stdout.startswith("mise à jour project/life-host\n"), "the host's skeleton goes first"
    assert "Mises à jour et commitées : project/life-host, fix/fix-0, fix/fix-1" in done.stdout
    assert "Pas mises à jour : fix/fix-3" in done.stdout
    assert answers(host, "fix_fix-0")["_commit"] == "1.1.0" and answers(host, "fix_fix-3")["_commit"] == "1.0.0"
    log = git(host, "log", "--format=%s")
    assert "vectra: update fix/fix-1" in log


def test_undo_removes_what_nobody_changed_and_keeps_the_rest(
    template_repo: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    host = make_host(template_repo, tmp_path, ("fix", "celery-startup", {}), ("test", "bant-service", {}))
    log = next(host.glob("docs/workflow/logs/tests/*_test_bant-service.md"))
    edit(log, "## Notes\n", "## Notes\n\nMes notes.\n")
    commit_all(host, "notes")
    status_before = (host / "docs/workflow/STATUS.md").read_text()

    done = host_runtime.make(host, "undo", "unit=test/bant-service")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (host / "backend/tests/unit/test_bant_service.py").exists()
    assert not (host / ".copier-answers/test_bant-service.yml").exists()
    assert log.exists() and "Gardés, car modifiés" in done.stdout and log.name in done.stdout
    status = (host / "docs/workflow/STATUS.md").read_text()
    assert find_block(status, "test/bant-service") is None and find_block(status, "fix/celery-startup") is not None
    assert find_block((host / "docs/tech/DOC-TECH-006_TEST_PLAN.md").read_text(), "test/bant-service") is None
    assert len(status) < len(status_before)


def test_check_fills_status_and_names_what_is_missing(
    template_repo: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    host = make_host(template_repo, tmp_path, ("fix", "celery-startup", {}), ("fix", "broken-fix", {}))
    fresh = host_runtime.make(host, "check", "unit=fix/celery-startup")
    assert fresh.returncode != 0, "a fresh fix is not finished: its regression test is a placeholder"
    assert "le test est encore provisoire (strict xfail)" in fresh.stdout
    entry = find_block((host / "docs/workflow/STATUS.md").read_text(), "fix/celery-startup")
    assert entry is not None and "- Tests passent: ✅" in entry.body

    log = next(host.glob("docs/workflow/logs/fixes/*_fix_broken-fix.md"))
    edit(log, "## Prochaines Étapes", "## Plus tard")
    edit(host / "backend/tests/regression/test_broken_fix.py", "import pytest\n", "import pytest\nimport os\n")
    status = host / "docs/workflow/STATUS.md"
    status.write_text(status.read_text().replace("<!-- vectra:unit fix/broken-fix", "<!-- removed"))
    failed = host_runtime.make(host, "check", "unit=fix/broken-fix")
    assert failed.returncode != 0
    assert "il manque au log les sections ['Prochaines Étapes']" in failed.stdout
    assert "pas d'entrée pour fix/broken-fix dans docs/workflow/STATUS.md" in failed.stdout
    assert "le lint échoue" in failed.stdout


def test_pretend_writes_nothing_not_even_tasks(host: Path, template_src: Path, tree_snapshot: Any) -> None:
    before = tree_snapshot(host)
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run([str(Path(sys.executable).parent / "copier"), "copy", "--trust", "--defaults", "--pretend",
                           str(template_src), str(host), "-d", "kind=fix", "-d", "name=celery-startup"],
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert tree_snapshot(host) == before


def test_an_entry_whose_condition_turns_false_on_update_is_removed(template_repo: Path, tmp_path: Path) -> None:
    from blueprint import lifecycle

    host = make_host(template_repo, tmp_path, ("component", "lead-card", {"reusable": True}))
    catalog = host / "docs/ui/DOC-UI-002_COMPONENTS_CATALOG.md"
    assert find_block(catalog.read_text(), "component/lead-card") is not None
    unit = lifecycle.find(host, "component/lead-card")
    assert lifecycle.update(unit, vcs_ref=":current:", data={"reusable": False}) == []
    assert find_block(catalog.read_text(), "component/lead-card") is None
    assert catalog.read_text().startswith("# DOC-UI-002")
