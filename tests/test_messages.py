"""What the commands say is true: --pretend says what it would create, not what it created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

COPIER = str(Path(sys.executable).parent / "copier")


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
    assert "Would create the Fix/Bug unit 'celery-startup' (--pretend: nothing was written):" in done.stderr
    assert "Created the" not in done.stderr and "Run it again without --pretend" in done.stderr
    assert tree_snapshot(host) == before

    done = copy(template_src, host)
    assert done.returncode == 0, done.stderr
    assert "Created the Fix/Bug unit 'celery-startup':" in done.stderr and "Would create" not in done.stderr


def test_pretend_of_a_host_says_what_would_be_created(tmp_path: Path, template_src: Path) -> None:
    cmd = [COPIER, "copy", "--trust", "--defaults", "--pretend", str(template_src), str(tmp_path / "h"),
           "-d", "kind=project", "-d", "name=my-vectra"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 0, done.stderr
    assert "Would create the VECTRA host 'my-vectra' (--pretend: nothing was written)." in done.stderr
    assert "is ready" not in done.stderr and not (tmp_path / "h").exists()
