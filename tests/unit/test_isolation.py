"""The suite shares nothing with the other xdist workers or with the person running it (conftest.py)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

SEEN: dict[str, str] = {}


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_has_a_temp_folder_of_its_own(turn: str) -> None:
    folder = Path(tempfile.gettempdir())
    assert os.environ["TMPDIR"] == str(folder), "subprocesses must see the same folder"
    assert not any(folder.iterdir()), "another test's (or worker's) files are in it"
    with tempfile.TemporaryDirectory(prefix="vectra-template-") as made:
        assert Path(made).parent == folder
    assert folder not in {Path(other) for other in SEEN.values()}
    SEEN[turn] = str(folder)


def test_the_persons_git_and_copier_settings_stay_out(tmp_path: Path) -> None:
    assert os.environ["GIT_CONFIG_GLOBAL"] == os.devnull and os.environ["GIT_CONFIG_NOSYSTEM"] == "1"
    assert Path(os.environ["COPIER_SETTINGS_PATH"]).read_text().strip().endswith("{}")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "x"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr  # an identity without the person's ~/.gitconfig


def test_hypothesis_draws_the_same_examples_every_run_whatever_the_load() -> None:
    from hypothesis import HealthCheck, settings

    current = settings.default
    assert current.derandomize and current.database is None and current.deadline is None
    assert HealthCheck.too_slow in current.suppress_health_check
