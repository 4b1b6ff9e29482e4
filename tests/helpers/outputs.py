"""Small helpers the blueprint tests share: readable command output, stored answers, the host's lint."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from blueprint import unit as unit_mod

ROOT = Path(__file__).resolve().parents[2]
HOST_PYPROJECT = ROOT / "template/host/backend/pyproject.toml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def output(done: subprocess.CompletedProcess[str]) -> str:
    return ANSI.sub("", f"exit {done.returncode}\n{done.stdout[-12000:]}\n{done.stderr[-4000:]}")


def answers_of(host: Path, kind: str, name: str) -> dict[str, Any]:
    return yaml.safe_load((host / unit_mod.answers_file(kind, name)).read_text(encoding="utf-8"))


def ruff(folder: Path, *paths: str) -> str:
    """Problems `ruff check` and `ruff format --check` find with the host's configuration ("" if none)."""
    found = []
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        cmd = [sys.executable, "-m", "ruff", *args, "--config", str(HOST_PYPROJECT), *paths]
        done = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, check=False)
        if done.returncode:
            found.append(done.stdout + done.stderr)
    return "\n".join(found)
