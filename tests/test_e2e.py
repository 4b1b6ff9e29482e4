"""`make test-e2e` in a generated host: its browser tests run in headless Chromium against the app.

The host's scripts/e2e.py starts the API and `next dev` on free ports (SQLite by default, a fresh
PostgreSQL database when VECTRA_TEST_DATABASE_URL is set), runs backend/tests/e2e with Playwright
driving the system's Chromium, and stops everything. Skipped, with the reason, where Chromium is
not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers.hosts import Runtime

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("VECTRA_E2E_CHROMIUM") or "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def chromium() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's `chromium` (.ci/run does) or set VECTRA_E2E_CHROMIUM")
    return CHROMIUM


def output(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n{done.stdout[-8000:]}\n{done.stderr[-4000:]}"


def run_e2e(host: Path, runtime: Runtime, artifacts: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`make test-e2e` in `host` (screenshots under `artifacts`); SQLite unless `env` says otherwise."""
    runtime.attach_copy(host)  # `next dev` refuses a symlinked node_modules
    settings = {"VECTRA_TEST_DATABASE_URL": "", "VECTRA_E2E_ARTIFACTS": str(artifacts), **env}
    if args:
        settings["E2E_ARGS"] = " ".join(args)
    return runtime.make(host, "test-e2e", **settings)


def test_a_fresh_host_passes_its_browser_tests(host: Path, host_runtime: Runtime, tmp_path: Path) -> None:
    done = run_e2e(host, host_runtime, tmp_path / "artifacts")
    assert done.returncode == 0, output(done)
    assert "5 passed" in done.stdout, output(done)  # sign-in (2) and the workflow board (3)
    assert "skipped" not in done.stdout, output(done)
    assert hosts_status(host) == "", "make test-e2e leaves the host's tree as it was"
    # `make test` does not start a browser: the e2e tests are left to `make test-e2e`.
    listed = host_runtime.make(host, "test-backend", PYTEST_ADDOPTS="--collect-only -q")
    assert listed.returncode == 0 and "tests/e2e" not in listed.stdout, output(listed)


def hosts_status(host: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=host, capture_output=True, text=True, check=True).stdout


def test_a_missing_browser_skips_saying_what_to_install(host: Path, host_runtime: Runtime, tmp_path: Path) -> None:
    done = run_e2e(host, host_runtime, tmp_path / "artifacts", VECTRA_E2E_CHROMIUM=str(tmp_path / "no-chromium"))
    assert done.returncode == 0, output(done)
    assert "Chromium est introuvable" in done.stdout and "apt-get install chromium" in done.stdout, output(done)
    assert "Démarrage de l'API" not in done.stdout, "nothing is started without a browser"
