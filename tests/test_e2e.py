"""`make test-e2e` in a generated host: its browser tests run in headless Chromium against the app.

The host's scripts/e2e.py starts the API and `next dev` on free ports (SQLite by default, a fresh
PostgreSQL database when VECTRA_TEST_DATABASE_URL is set), runs backend/tests/e2e with Playwright
driving the system's Chromium, and stops everything. The host has a feature (whose page part
brings its own browser test) and two `test` units of type e2e: one targets the feature, one a name
the host does not have (the sign-in and home page test). Skipped, with the reason, where Chromium
is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import hosts
from helpers.hosts import Runtime

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("VECTRA_E2E_CHROMIUM") or "/usr/bin/chromium")
FEATURE_TEST = "tests/e2e/test_campaign_wizard_pages.py::test_campaign_wizard_pages_create_a_row_through_the_form"
TARGETED_TEST = "tests/e2e/test_wizard_flow.py::test_wizard_flow"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def chromium() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's `chromium` (.ci/run does) or set VECTRA_E2E_CHROMIUM")
    return CHROMIUM


@pytest.fixture
def e2e_host(host: Path, new_unit: Any) -> Path:
    """A host with a feature and two e2e test units (one targets the feature), all committed."""
    new_unit(host, "feature", "campaign-wizard")
    new_unit(host, "test", "wizard-flow", test_type="e2e", target="campaign-wizard")
    new_unit(host, "test", "smoke", test_type="e2e")
    hosts.commit_all(host, "a feature and its e2e tests")
    return host


def output(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n{done.stdout[-8000:]}\n{done.stderr[-4000:]}"


def run_e2e(host: Path, runtime: Runtime, artifacts: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`make test-e2e` in `host` (screenshots under `artifacts`); SQLite unless `env` says otherwise."""
    runtime.attach_copy(host)  # `next dev` refuses a symlinked node_modules
    settings = {"VECTRA_TEST_DATABASE_URL": "", "VECTRA_E2E_ARTIFACTS": str(artifacts), **env}
    if args:
        settings["E2E_ARGS"] = " ".join(args)
    return runtime.make(host, "test-e2e", **settings)


def git_status(host: Path) -> str:
    return hosts.git(host, "status", "--porcelain")


def test_the_feature_and_e2e_units_pass_in_chromium_and_a_broken_form_fails_them(
    e2e_host: Path, host_runtime: Runtime, tmp_path: Path
) -> None:
    artifacts = tmp_path / "artifacts"
    done = run_e2e(e2e_host, host_runtime, artifacts, "-v")
    assert done.returncode == 0, output(done)
    # sign-in (2), the workflow board (3), the feature's page and two e2e units
    assert "8 passed" in done.stdout and "skipped" not in done.stdout, output(done)
    for test in (FEATURE_TEST, TARGETED_TEST, "tests/e2e/test_smoke.py::test_smoke"):
        assert f"{test} PASSED" in done.stdout, output(done)
    assert "sqlite:///" in done.stdout, output(done)
    # The list page, screenshotted by the feature's test, kept under this test's temp folder.
    shot = artifacts / "test_campaign_wizard_pages_create_a_row_through_the_form/liste.png"
    assert shot.read_bytes().startswith(PNG)
    assert (artifacts / "test_smoke/accueil.png").read_bytes().startswith(PNG)
    assert git_status(e2e_host) == "", "make test-e2e leaves the host's tree as it was"
    # `make test` starts no browser: the e2e tests are left to `make test-e2e`.
    listed = host_runtime.make(e2e_host, "test-backend", PYTEST_ADDOPTS="--collect-only -q")
    assert listed.returncode == 0 and "test_campaign_wizard_pages" not in listed.stdout, output(listed)

    # Bite: the form no longer sends anything; both browser tests of the feature fail, by name.
    form = e2e_host / "frontend/app/campaign-wizard/form.tsx"
    source = form.read_text()
    assert source.count("event.preventDefault();") == 1
    form.write_text(source.replace("event.preventDefault();", "event.preventDefault();\n    return;"))
    broken = run_e2e(e2e_host, host_runtime, artifacts, "-k", "'pages or wizard_flow'", VECTRA_E2E_TIMEOUT_SECONDS="45")
    assert broken.returncode != 0, output(broken)
    assert f"FAILED {FEATURE_TEST}" in broken.stdout and f"FAILED {TARGETED_TEST}" in broken.stdout, output(broken)
    assert "2 failed" in broken.stdout, output(broken)
    failure = artifacts / "test_campaign_wizard_pages_create_a_row_through_the_form/echec.png"
    assert failure.read_bytes().startswith(PNG), "a failing browser test leaves its screenshot"


def test_the_feature_s_browser_test_passes_on_postgresql(
    e2e_host: Path, host_runtime: Runtime, postgres_url: str, tmp_path: Path
) -> None:
    done = run_e2e(e2e_host, host_runtime, tmp_path / "artifacts", "-k", "pages", VECTRA_TEST_DATABASE_URL=postgres_url)
    assert done.returncode == 0, output(done)
    assert "1 passed" in done.stdout and "postgresql+psycopg://" in done.stdout, output(done)


def test_a_missing_browser_skips_saying_what_to_install(host: Path, host_runtime: Runtime, tmp_path: Path) -> None:
    done = run_e2e(host, host_runtime, tmp_path / "artifacts", VECTRA_E2E_CHROMIUM=str(tmp_path / "no-chromium"))
    assert done.returncode == 0, output(done)
    assert "Chromium est introuvable" in done.stdout and "apt-get install chromium" in done.stdout, output(done)
    assert "Démarrage de l'API" not in done.stdout, "nothing is started without a browser"


def _processes_in(folder: Path) -> list[tuple[int, str]]:
    """(pid, command line) of every process whose working directory is inside `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            cwd = Path(os.readlink(entry / "cwd"))
            if cwd == folder or folder in cwd.parents:
                found.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
    return found


def test_a_ctrl_c_stops_the_api_and_the_frontend(host: Path, host_runtime: Runtime, tmp_path: Path) -> None:
    host_runtime.attach_copy(host)
    log = tmp_path / "make-test-e2e.log"
    env = host_runtime.env(VECTRA_TEST_DATABASE_URL="", VECTRA_E2E_ARTIFACTS=str(tmp_path / "artifacts"))
    cmd = ["make", "--no-print-directory", "test-e2e", f"VENV={host_runtime.venv}"]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=host, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while "Base de données" not in log.read_text(errors="replace"):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        time.sleep(3)  # uvicorn and next dev are up or starting
        assert len(_processes_in(host)) >= 3, "make, scripts/e2e.py and the servers run in the host"
        os.killpg(process.pid, signal.SIGINT)  # what a Ctrl-C in the terminal does
        code = process.wait(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5  # next's detached telemetry flush may still be exiting
    while (survivors := _processes_in(host)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid, _ in survivors:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    text = log.read_text(errors="replace")
    assert survivors == [], f"still running after the Ctrl-C: {survivors}\n{text}"
    assert code != 0 and "make test-e2e : interrompu, tout est arrêté." in text, text
    assert "Traceback" not in text, text
