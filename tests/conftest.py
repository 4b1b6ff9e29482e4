"""Fixtures of our suite: the template as copier sees it, hosts, units, and the hosts' runtimes.

Hosts are bootstrapped once per session and copied per test (a copy is cheap, a bootstrap is not);
the host's Python venv and node_modules are installed once per session (cached under .cache/).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "extensions"))
sys.path.insert(0, str(ROOT / "tests"))

# Compiled templates go under .cache/ (not the user's cache folder); copier subprocesses inherit it.
# (Set before `blueprint` is imported: its own environment picks its cache folder then.)
os.environ.setdefault("VECTRA_BLUEPRINTS_CACHE", str(ROOT / ".cache/jinja"))

from blueprint import catalog as catalog_mod  # noqa: E402
from blueprint.compile_cache import CACHE_ENV  # noqa: E402
from helpers import hosts  # noqa: E402

assert CACHE_ENV == "VECTRA_BLUEPRINTS_CACHE", "set above under its old name"

# Nothing of the person running the suite leaks in: not their git config (a `commit.gpgsign`, a
# missing identity), nor their copier settings (a `defaults:` or `trust:` list). Subprocesses inherit it.
os.environ.update(hosts.GIT_ENV)
os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
os.environ["COPIER_SETTINGS_PATH"] = str(ROOT / "tests/helpers/copier-settings.yml")  # empty

# Hypothesis draws the same examples on every run (derandomize) and keeps none between runs or
# workers (no database in the shared .hypothesis/); nothing depends on how busy the machine is
# (no deadline, no too_slow check). A test's own @settings still sets its number of examples.
settings.register_profile(
    "vectra", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("vectra")


@pytest.fixture(autouse=True)
def own_temp_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own temp folder (TMPDIR, and `tempfile` in this process).

    The machine's temp folder is shared with the other xdist workers and with any other run: a test
    that looks at what is in it (e.g. "nothing left behind") sees their files come and go.
    """
    folder = tmp_path_factory.mktemp("tmpdir")
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def catalog() -> catalog_mod.Catalog:
    return catalog_mod.load(ROOT)


@pytest.fixture(scope="session")
def template_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as a plain folder (what is in the working tree, uncommitted changes included).

    Copier clones a git template on every copy; a plain folder copies it as is, much faster.
    """
    return hosts.snapshot_template(ROOT, tmp_path_factory.mktemp("template") / "vectra-blueprints")


@pytest.fixture(scope="session")
def git_template(template_src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as a git repository with one commit: `copier update` needs `_src_path` + `_commit`."""
    repo = tmp_path_factory.mktemp("git-template") / "vectra-blueprints"
    shutil.copytree(template_src, repo)
    hosts.git(repo, "init", "-q", "-b", "main")
    hosts.commit_all(repo, "template")
    return repo


@pytest.fixture(scope="session")
def pristine_host(template_src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A host bootstrapped once for the session: copy it (`host` fixture), don't change it."""
    return hosts.bootstrap(template_src, tmp_path_factory.mktemp("pristine") / "host")


@pytest.fixture
def host(pristine_host: Path, tmp_path: Path) -> Path:
    """A fresh VECTRA host of this test's own, committed in git."""
    return hosts.clone_host(pristine_host, tmp_path / "host")


@pytest.fixture
def new_unit(template_src: Path) -> Any:
    """new_unit(host, kind, name, **answers) -> the copier worker (in process, non-interactive)."""

    def make(dst: Path, kind: str, name: str, **answers: Any) -> Any:
        return hosts.copy_unit(template_src, dst, kind=kind, name=name, **answers)

    return make


@pytest.fixture(scope="session")
def host_runtime(pristine_host: Path) -> hosts.Runtime:
    """The host's backend venv and frontend node_modules, installed once (cached under .cache/)."""
    return hosts.Runtime.prepare(ROOT / ".cache", pristine_host)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The PostgreSQL server our tests may use (skipped, with the reason, where none is configured)."""
    url = os.environ.get("VECTRA_TEST_DATABASE_URL")
    if not url:
        pytest.skip("VECTRA_TEST_DATABASE_URL is not set: no PostgreSQL server configured for the tests")
    yield url


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("VECTRA_TEST_REDIS_URL")
    if not url:
        pytest.skip("VECTRA_TEST_REDIS_URL is not set: no Redis server configured for the tests")
    return url


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def tree_snapshot() -> Any:
    """tree_snapshot(path) -> {relative path: bytes} of every file (git internals excluded)."""

    def snap(path: Path) -> dict[str, bytes]:
        return {
            p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(path).parts
        }

    return snap


def pytest_report_header() -> list[str]:
    return [f"template: {ROOT}", f"copier: {shutil.which('copier') or 'in-process'}"]
