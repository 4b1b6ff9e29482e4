"""What the commands say is true: --pretend says what it would create or update, an update that changes nothing says so,
an update-all that stops at a conflict says where and how to go on."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from helpers.hosts import commit_all, copy_unit, git

COPIER = str(Path(sys.executable).parent / "copier")
REGRESSION = "template/units/backend/tests/regression/test_{{ unit.snake }}.py.jinja"


def copy(template: Path, dst: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [COPIER, "copy", "--trust", "--defaults", *args, str(template), str(dst), "-d", "kind=fix",
           "-d", "name=celery-startup"]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, check=False)


def test_pretend_says_what_would_be_created_and_creates_nothing(
    host: Path, template_src: Path, tree_snapshot: Any
) -> None:
    before = tree_snapshot(host)
    done = copy(template_src, host, "--pretend")
    assert done.returncode == 0, done.stderr
    assert "Créerait l'unité Fix/Bug 'celery-startup' (--pretend : rien n'a été écrit) :" in done.stderr
    assert "créée" not in done.stderr and "Relancer sans --pretend" in done.stderr
    assert tree_snapshot(host) == before

    done = copy(template_src, host)
    assert done.returncode == 0, done.stderr
    assert "Unité Fix/Bug 'celery-startup' créée :" in done.stderr and "Créerait" not in done.stderr


def test_pretend_of_a_host_says_what_would_be_created(tmp_path: Path, template_src: Path) -> None:
    cmd = [COPIER, "copy", "--trust", "--defaults", "--pretend", str(template_src), str(tmp_path / "h"),
           "-d", "kind=project", "-d", "name=my-vectra"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 0, done.stderr
    assert "Créerait l'hôte VECTRA 'my-vectra' (--pretend : rien n'a été écrit)." in done.stderr
    assert "est prêt" not in done.stderr and not (tmp_path / "h").exists()


def template_copy(git_template: Path, where: Path) -> Path:
    """A git template of this test's own (the session's git_template must not change)."""
    repo = where / "vectra-blueprints"
    shutil.copytree(git_template, repo)
    return repo


def release(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    assert old in file.read_text()
    file.write_text(file.read_text().replace(old, new, 1))
    commit_all(repo, f"template: {new}")


def units_py(host: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The host's `make update|update-all …` without make (scripts/units.py, run by this Python)."""
    cmd = [sys.executable, str(host / "scripts/units.py"), *args]
    return subprocess.run(cmd, cwd=host, capture_output=True, text=True, check=False)


def test_update_of_a_unit_at_the_newest_version_says_so_and_changes_nothing(
    host: Path, git_template: Path, tmp_path: Path, tree_snapshot: Any
) -> None:
    repo = template_copy(git_template, tmp_path)
    copy_unit(repo, host, kind="fix", name="celery-startup")
    commit_all(host, "fix")
    version = git(repo, "describe", "--tags", "--always").strip()
    before = tree_snapshot(host)
    done = units_py(host, "update", "fix/celery-startup")
    assert done.returncode == 0, done.stdout + done.stderr
    said = f"fix/celery-startup est déjà à la dernière version du template ({version}) : rien à mettre à jour."
    assert said in done.stdout
    assert "review `git diff`" not in done.stdout
    assert tree_snapshot(host) == before and git(host, "status", "--porcelain") == ""

    release(repo, REGRESSION, "import pytest\n", "import pytest\n\n# Template, next version.\n")
    done = units_py(host, "update", "fix/celery-startup")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fix/celery-startup : mise à jour ; relisez `git diff`" in done.stdout and "déjà" not in done.stdout


def test_update_pretend_says_what_it_would_update_and_changes_nothing(
    host: Path, git_template: Path, tmp_path: Path, tree_snapshot: Any
) -> None:
    repo = template_copy(git_template, tmp_path)
    copy_unit(repo, host, kind="fix", name="celery-startup")
    commit_all(host, "fix")
    release(repo, REGRESSION, "import pytest\n", "import pytest\n\n# Template, next version.\n")
    before = tree_snapshot(host)
    cmd = [COPIER, "update", "--trust", "--defaults", "--pretend", "-a", ".copier-answers/fix_celery-startup.yml"]
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(cmd, cwd=host, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "Mettrait à jour l'unité Fix/Bug 'celery-startup' (--pretend : rien n'a été écrit)." in done.stderr
    assert "mise à jour :" not in done.stderr
    assert tree_snapshot(host) == before


def keep_mine(text: str) -> str:
    """Resolve copier's inline conflicts by keeping the person's side."""
    return re.sub(r"^<{7} .*?\n(.*?)^={7}\n.*?^>{7} .*?\n", r"\1", text, flags=re.M | re.S)


def test_update_all_conflict_report_names_the_unit_and_how_to_go_on(
    host: Path, git_template: Path, tmp_path: Path
) -> None:
    from blueprint import lifecycle

    repo = template_copy(git_template, tmp_path)
    for n in range(3):
        copy_unit(repo, host, kind="fix", name=f"fix-{n}", date=f"2026-01-1{n}")
    regression = host / "backend/tests/regression/test_fix_1.py"
    regression.write_text(regression.read_text().replace("    # Reproduce the bug: call", "    # MINE: call", 1))
    commit_all(host, "units, and my edit of fix-1")
    release(repo, REGRESSION, "    # Reproduce the bug: call", "    # THEIRS: call")
    version = git(repo, "describe", "--tags", "--always").strip()

    out = io.StringIO()
    assert lifecycle.update_all(host, out=out) == 1
    said = out.getvalue()
    assert "CONFLITS pendant la mise à jour de fix/fix-1 : update-all s'est arrêté là" in said
    assert "    backend/tests/regression/test_fix_1.py\n" in said
    assert "Mises à jour et commitées : fix/fix-0 (un commit chacune)" in said
    assert "Mise à jour mais pas commitée : fix/fix-1" in said and "Pas mises à jour : fix/fix-2\n" in said
    assert "git add -A && git commit -m 'vectra: update fix/fix-1'" in said and "make update-all" in said

    # Doing what it says finishes the job.
    regression.write_text(keep_mine(regression.read_text()))
    git(host, "add", "-A")
    git(host, "commit", "-q", "-m", "vectra: update fix/fix-1")
    out = io.StringIO()
    assert lifecycle.update_all(host, out=out) == 0, out.getvalue()
    assert "mise à jour fix/fix-2" in out.getvalue()
    assert "# MINE: call" in regression.read_text() and "<<<<<<<" not in regression.read_text()
    assert "# THEIRS: call" in (host / "backend/tests/regression/test_fix_2.py").read_text()
    for n in range(3):
        assert yaml.safe_load((host / f".copier-answers/fix_fix-{n}.yml").read_text())["_commit"] == version
