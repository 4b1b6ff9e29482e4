"""Hosts for our tests: bootstrap, copy, generate units, and the runtime that runs their suites."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier

TEMPLATE_PARTS = ("copier.yml", "kinds.yml", "questions", "extensions", "fragments", "template")
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", ".venv", ".pytest_cache", ".ruff_cache")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Vectra Tests",
    "GIT_AUTHOR_EMAIL": "tests@vectra.invalid",
    "GIT_COMMITTER_NAME": "Vectra Tests",
    "GIT_COMMITTER_EMAIL": "tests@vectra.invalid",
}


def snapshot_template(root: Path, dst: Path) -> Path:
    """Copy what copier reads of the template into a plain (non-git) folder."""
    dst.mkdir(parents=True)
    for name in TEMPLATE_PARTS:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=JUNK)
        else:
            shutil.copy2(src, dst / name)
    return dst


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def commit_all(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--no-verify", "-m", message)


def bootstrap(src: Path, dst: Path, name: str = "demo-host") -> Path:
    copier.run_copy(str(src), dst, data={"kind": "project", "name": name}, defaults=True, unsafe=True, quiet=True)
    git(dst, "init", "-q", "-b", "main")
    commit_all(dst, "VECTRA host")
    return dst


def clone_host(pristine: Path, dst: Path) -> Path:
    shutil.copytree(pristine, dst, symlinks=True)
    return dst


def copy_unit(src: Path, dst: Path, *, kind: str, name: str, **answers: Any) -> Any:
    data = {"kind": kind, "name": name, **answers}
    return copier.run_copy(str(src), dst, data=data, defaults=True, unsafe=True, quiet=True)


@contextlib.contextmanager
def _locked(path: Path):  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _digest(*files: Path) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


@dataclass(frozen=True)
class Runtime:
    """The host's dependencies, installed once and shared by every host of the session."""

    venv: Path
    node_modules: Path

    @classmethod
    def prepare(cls, cache: Path, host: Path) -> Runtime:
        with _locked(cache / ".runtime.lock"):  # pytest-xdist workers share the cache
            return cls(_backend_venv(cache, host / "backend/pyproject.toml"), _node_modules(cache, host / "frontend"))

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST_"))}
        env.update(VECTRA_TEST_CACHE="1", **extra)
        return env

    def attach(self, host: Path) -> None:
        """Let `host` use the shared runtime (a symlinked node_modules; VENV= for make)."""
        link = host / "frontend/node_modules"
        if not link.exists():
            link.symlink_to(self.node_modules, target_is_directory=True)

    def attach_copy(self, host: Path) -> None:
        """Like `attach`, with a real folder of hard links: `next dev` (Turbopack) refuses to
        compile from a node_modules that lives outside the project, as a symlinked one does."""
        folder = host / "frontend/node_modules"
        if folder.is_symlink():
            folder.unlink()
        if folder.exists():
            return
        linked = subprocess.run(["cp", "-al", str(self.node_modules), str(folder)], capture_output=True, check=False)
        if linked.returncode != 0:  # another filesystem: a plain copy
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(self.node_modules, folder, symlinks=True)

    def make(self, host: Path, *targets: str, **env: str) -> subprocess.CompletedProcess[str]:
        self.attach(host)
        cmd = ["make", "--no-print-directory", *targets, f"VENV={self.venv}"]
        return subprocess.run(cmd, cwd=host, env=self.env(**env), capture_output=True, text=True, timeout=900)


def _backend_venv(cache: Path, pyproject: Path) -> Path:
    venv = cache / f"host-venv-{_digest(pyproject)}"
    if (venv / ".installed").exists():
        return venv
    project = tomllib.loads(pyproject.read_text())["project"]
    extras = project.get("optional-dependencies", {})
    deps = [*project["dependencies"], *extras.get("dev", []), *extras.get("tools", [])]
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *deps], check=True)
    (venv / ".installed").touch()
    return venv


def _node_modules(cache: Path, frontend: Path) -> Path:
    lock = frontend / "package-lock.json"
    where = cache / f"node-{_digest(frontend / 'package.json', lock)}"
    if (where / "node_modules/.installed").exists():
        return where / "node_modules"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    shutil.copy2(frontend / "package.json", where)
    shutil.copy2(lock, where)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=where, check=True)
    (where / "node_modules/.installed").touch()
    return where / "node_modules"
