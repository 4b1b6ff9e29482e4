"""With the speed-ups off (VECTRA_BLUEPRINTS_SPEEDUPS=off: no private copier name, no Jinja compile cache),
a copy, an update and an update-all give the same host, byte for byte, as with them on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.hosts import commit_all, copy_unit, git

pytestmark = pytest.mark.slow

REGRESSION = "template/units/backend/tests/regression/test_{{ unit.snake }}.py.jinja"
STATUS_FRAGMENT = "fragments/docs/workflow/STATUS.md.jinja"


def run(host: Path, cmd: list[str], speedups: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VECTRA_BLUEPRINTS_NOTICE_SAID"}
    env |= {"VECTRA_BLUEPRINTS_SPEEDUPS": speedups, "VECTRA_BLUEPRINTS_VERBOSE": "1", "NO_COLOR": "1"}
    done = subprocess.run(cmd, cwd=host, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    said_off = done.stderr.count("speed-ups off (VECTRA_BLUEPRINTS_SPEEDUPS=off)")
    assert said_off == (speedups == "off"), done.stderr  # the switch reached copier's process; said once
    return done


def files(host: Path) -> dict[str, bytes]:
    return {
        p.relative_to(host).as_posix(): p.read_bytes()
        for p in sorted(host.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(host).parts
    }


def test_copy_update_and_update_all_give_the_same_host_with_the_speed_ups_off(
    host: Path, git_template: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "template"
    shutil.copytree(git_template, repo)
    git(repo, "tag", "1.0.0")
    for name in ("celery-startup", "lead-flicker"):  # dated: both runs give the same files, even at midnight
        copy_unit(repo, host, kind="fix", name=name, date="2026-01-10")
        commit_all(host, name)
    for path, (old, new) in {
        REGRESSION: ("import pytest\n", "import pytest\n\n# Template 1.1.0.\n"),
        STATUS_FRAGMENT: ("### Tests\n", "### Tests\n- Type: {{ unit.label }}\n"),
    }.items():
        file = repo / path
        assert old in file.read_text()
        file.write_text(file.read_text().replace(old, new, 1))
    commit_all(repo, "template 1.1.0")
    git(repo, "tag", "1.1.0")

    results = {}
    for speedups in ("on", "off"):
        mine = shutil.copytree(host, tmp_path / f"host-{speedups}", symlinks=True)
        copier_cli = [str(Path(sys.executable).parent / "copier"), "copy", "--trust", "--defaults", str(repo), "."]
        run(mine, [*copier_cli, "-d", "kind=test", "-d", "name=bant-service", "-d", "date=2026-01-11"], speedups)
        commit_all(mine, "bant-service")
        units = [sys.executable, str(mine / "scripts/units.py")]
        assert "mise à jour ;" in run(mine, [*units, "update", "fix/celery-startup"], speedups).stdout
        commit_all(mine, "update celery-startup")
        assert "(1 mise(s) à jour, un commit chacune)" in run(mine, [*units, "update-all"], speedups).stdout
        log = git(mine, "log", "--format=%s", "-4").splitlines()
        results[speedups] = (files(mine), log, git(mine, "status", "--porcelain"))

    on, off = results["on"], results["off"]
    assert on[1] == ["vectra: update fix/lead-flicker", "update celery-startup", "bant-service", "lead-flicker"]
    assert on[2] == "" and "# Template 1.1.0." in on[0]["backend/tests/regression/test_lead_flicker.py"].decode()
    assert "- Type: Test" in on[0]["docs/workflow/STATUS.md"].decode()
    assert off[0].keys() == on[0].keys()
    assert [path for path in on[0] if on[0][path] != off[0][path]] == []
    assert off[1:] == on[1:]
