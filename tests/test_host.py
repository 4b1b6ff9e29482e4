"""The bootstrapped host runs: its own suites pass, with units in it, and its placeholders bite."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers.hosts import Runtime

pytestmark = pytest.mark.slow

FOUNDATION_UNITS: list[tuple[str, str, dict[str, Any]]] = [
    ("fix", "celery-startup", {}),
    ("fix", "lead-card-flicker", {"regression_side": "frontend"}),
    *[("test", f"t-{t}", {"test_type": t}) for t in (
        "unit-service", "unit-agent", "integration-api", "integration-db", "component", "e2e")],
]  # fmt: skip


def output(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}"


def test_host_with_fix_and_test_units_passes_its_suites_and_lint(
    host: Path, new_unit: Any, host_runtime: Runtime
) -> None:
    for kind, name, answers in FOUNDATION_UNITS:
        new_unit(host, kind, name, **answers)
    done = host_runtime.make(host, "test")
    assert done.returncode == 0, output(done)
    assert "5 xfailed" in done.stdout, (
        "each backend placeholder (1 fix, 4 test types; e2e is make test-e2e's) is a visible xfail"
    )
    lint = host_runtime.make(host, "lint")
    assert lint.returncode == 0, output(lint)


def test_host_suite_runs_on_postgresql(host: Path, new_unit: Any, host_runtime: Runtime, postgres_url: str) -> None:
    new_unit(host, "test", "t-db", test_type="integration-db")
    done = host_runtime.make(host, "test-backend", VECTRA_TEST_DATABASE_URL=postgres_url)
    assert done.returncode == 0, output(done)
    assert "1 xfailed" in done.stdout


def test_a_placeholder_that_starts_passing_fails_the_suite(host: Path, new_unit: Any, host_runtime: Runtime) -> None:
    new_unit(host, "fix", "celery-startup")
    new_unit(host, "fix", "lead-card-flicker", regression_side="frontend")
    backend = host / "backend/tests/regression/test_celery_startup.py"
    placeholder = backend.read_text()
    backend.write_text(placeholder.replace("raise NotImplementedError(", "print("))
    frontend = host / "frontend/tests/regression/lead-card-flicker.test.ts"
    frontend.write_text(frontend.read_text().replace("throw new Error(", "console.log("))

    done = host_runtime.make(host, "test-backend")
    assert done.returncode != 0 and "XPASS(strict)" in done.stdout, output(done)
    done = host_runtime.make(host, "test-frontend")
    assert done.returncode != 0 and "lead-card-flicker" in done.stdout + done.stderr, output(done)
    # `make test` runs both suites side by side: each one's failure is shown, and fails it alone.
    done = host_runtime.make(host, "test")
    assert done.returncode != 0, output(done)
    assert "XPASS(strict)" in done.stdout and "lead-card-flicker" in done.stdout + done.stderr, output(done)
    backend.write_text(placeholder)
    done = host_runtime.make(host, "test")
    assert done.returncode != 0 and "lead-card-flicker" in done.stdout + done.stderr, output(done)
    assert "1 xfailed" in done.stdout, output(done)  # the backend suite ran whole and passed


def test_make_new_calls_this_template(host: Path, host_runtime: Runtime) -> None:
    done = host_runtime.make(host, "new", "kind=fix", "name=from-make")
    assert done.returncode == 0, output(done)
    assert (host / ".copier-answers/fix_from-make.yml").is_file()
    assert "Unité Fix/Bug 'from-make' créée" in done.stderr + done.stdout


@pytest.mark.skipif(not shutil.which("npm"), reason="npm is not installed")
def test_make_setup_installs_for_real_and_is_idempotent(host: Path) -> None:
    """Right after bootstrap, `make setup && make test` passes; a second `make setup` does nothing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST_"))}
    setup = subprocess.run(["make", "setup"], cwd=host, env=env, capture_output=True, text=True, timeout=900)
    assert setup.returncode == 0, output(setup)
    local_env = (host / "backend/.env").read_text()
    assert "VECTRA_JWT_SECRET=" in local_env  # a stable local secret for make dev and make token
    again = subprocess.run(["make", "setup"], cwd=host, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "pip install" not in again.stdout and "npm ci" not in again.stdout, output(again)
    assert (host / "backend/.env").read_text() == local_env
    done = subprocess.run(["make", "test"], cwd=host, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, output(done)
