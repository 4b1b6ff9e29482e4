"""The workflow board of a generated host (/workflow, GET /api/v1/workflow/units, `make units`).

A host with a few units: `make status` and `make check` change what the route answers with no
other step, `make units` prints the same columns, and the host's own board tests pass, then fail by
name when the reader or the page's filter is broken on purpose.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest
from blueprint.parts import host as host_part
from helpers.hosts import Runtime, clone_host, commit_all, copy_unit

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Asks the host's API (in process, as a signed-in user) for one path and prints its JSON. The host
# root is the backend's default (the folder above backend/): nothing tells it where the host is.
PROBE = """
import json, sys
from fastapi.testclient import TestClient
from app.core.security import create_access_token
from app.main import create_app

client = TestClient(create_app())
token = create_access_token("board-test", "tenant-a")
response = client.get("/api/v1" + sys.argv[1], headers={"Authorization": f"Bearer {token}"})
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def output(done: subprocess.CompletedProcess[str]) -> str:
    return ANSI.sub("", f"exit {done.returncode}\n{done.stdout[-8000:]}\n{done.stderr[-4000:]}")


def api(host: Path, runtime: Runtime, path: str) -> tuple[int, Any]:
    env = runtime.env(VECTRA_ENVIRONMENT="test", VECTRA_JWT_SECRET=secrets.token_urlsafe(48))
    done = subprocess.run(
        [str(runtime.venv / "bin/python"), "-c", PROBE, path],
        cwd=host / "backend", env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, output(done)
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return answer["status"], answer["body"]


def units(host: Path, runtime: Runtime) -> dict[str, dict[str, Any]]:
    status, body = api(host, runtime, "/workflow/units")
    assert status == 200, body
    return {unit["key"]: unit for unit in body["units"]} | {"counts": body["counts"]}


def test_make_status_and_make_check_show_on_the_board_and_in_make_units(
    host: Path, git_template: Path, host_runtime: Runtime
) -> None:
    # From a git template: `make status` re-renders a unit at its recorded template version.
    copy_unit(git_template, host, kind="fix", name="celery-startup", priority="P0", issue="#12")
    copy_unit(git_template, host, kind="component", name="lead-card")
    commit_all(host, "two units")

    board = units(host, host_runtime)
    fix, card = board["fix/celery-startup"], board["component/lead-card"]
    assert (fix["label"], fix["status"], fix["priority"], fix["issue"]) == ("Fix/Bug", "in_progress", "P0", "#12")
    assert (card["label"], card["coverage"], card["coverage_target"], card["tests"]) == (
        "Component",
        None,
        "70%",
        "unknown",
    )
    assert fix["log_path"] == f"docs/workflow/logs/fixes/{fix['date']}_fix_celery-startup.md"
    assert board["counts"] == {"in_progress": 2, "completed": 0, "blocked": 0}

    done = host_runtime.make(host, "status", "unit=fix/celery-startup", "status=blocked")
    assert done.returncode == 0, output(done)
    board = units(host, host_runtime)
    assert board["fix/celery-startup"]["status"] == "blocked"
    assert board["counts"] == {"in_progress": 1, "completed": 0, "blocked": 1}
    status, log = api(host, host_runtime, "/workflow/logs/fix/celery-startup")
    assert status == 200
    assert "**Statut:** blocked" in log["content"]

    # The check fails on the log's unticked steps, and writes the measures all the same.
    checked = host_runtime.make(host, "check", "unit=component/lead-card")
    assert "Mesures écrites dans docs/workflow/STATUS.md et commitées." in checked.stdout, output(checked)
    card = units(host, host_runtime)["component/lead-card"]
    assert card["tests"] == "pass"
    assert re.fullmatch(r"component \d+%", card["coverage"] or ""), card
    assert card["below_target"] is False

    listed = host_runtime.make(host, "units")
    assert listed.returncode == 0, output(listed)
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["UNITÉ", "STATUT", "DATE", "PRIORITÉ", "COVERAGE", "(CIBLE)", "TESTS", "LOG"]
    fix_line = next(line for line in lines if line.startswith("fix/celery-startup "))
    assert fix_line.split() == ["fix/celery-startup", "blocked", fix["date"], "P0", "-", "(-)", "-", fix["log_path"]]
    card_line = next(line for line in lines if line.startswith("component/lead-card "))
    assert card_line.split()[4:7] == [card["coverage"].split()[0], card["coverage"].split()[1], "(70%)"]
    assert lines[-1] == "in_progress: 1  completed: 0  blocked: 1"


def test_the_board_answers_401_to_a_stranger_and_404_for_an_unknown_log(host: Path, host_runtime: Runtime) -> None:
    # Its labels, log folders and targets are kinds.yml's, rendered when the host was bootstrapped.
    kinds = json.loads((host / "backend/app/workflow/kinds.json").read_text(encoding="utf-8"))
    assert kinds == host_part.kinds_data()
    assert kinds["kinds"]["agent"] == {"label": "Agent IA", "log_folder": "agents", "coverage": {"agent": 85}}
    status, body = api(host, host_runtime, "/workflow/logs/fix/nothing-here")
    assert status == 404
    assert body == {"detail": "Aucun journal lisible pour l'unité fix/nothing-here."}
    env = host_runtime.env(VECTRA_ENVIRONMENT="test", VECTRA_JWT_SECRET=secrets.token_urlsafe(48))
    probe = PROBE.replace('headers={"Authorization": f"Bearer {token}"}', "headers={}")
    done = subprocess.run(
        [str(host_runtime.venv / "bin/python"), "-c", probe, "/workflow/units"],
        cwd=host / "backend", env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert json.loads(done.stdout.strip().splitlines()[-1])["status"] == 401, output(done)


def vitest_failures(host: Path, runtime: Runtime, *paths: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    runtime.attach(host)
    report = host / "frontend/vitest-report.json"
    cmd = [
        "npx",
        "--no-install",
        "vitest",
        "run",
        "--reporter=default",
        "--reporter=json",
        f"--outputFile.json={report}",
    ]
    done = subprocess.run(
        [*cmd, *paths], cwd=host / "frontend", env=runtime.env(CI="1"), capture_output=True, text=True, timeout=600
    )
    results = json.loads(report.read_text())
    failed = {t["fullName"] for f in results["testResults"] for t in f["assertionResults"] if t["status"] == "failed"}
    return done, failed


def pytest_failures(host: Path, runtime: Runtime, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    done = subprocess.run(
        [str(runtime.venv / "bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", *args],
        cwd=host / "backend", env=runtime.env(), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    failed = set(re.findall(r"^FAILED \S+::(\w+)", done.stdout, re.M))
    return done, failed


def edit(host: Path, path: str, old: str, new: str) -> None:
    file = host / path
    text = file.read_text()
    assert text.count(old) == 1, f"{old!r} not once in {path}"
    file.write_text(text.replace(old, new))


def test_the_hosts_board_tests_pass_then_fail_by_name_when_the_board_is_broken(
    pristine_host: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    host = clone_host(pristine_host, tmp_path / "host")
    board_tests = ("lib/workflow", "app/workflow")

    done, failed = vitest_failures(host, host_runtime, *board_tests)
    assert done.returncode == 0, output(done)
    assert failed == set()
    done, failed = pytest_failures(host, host_runtime, "tests/test_workflow_board.py")
    assert done.returncode == 0, output(done)

    # The page's status filter lets every unit through; the reader takes a measure equal to its
    # target for one below it, and serves a log path that leads out of docs/workflow/logs.
    edit(host, "frontend/lib/workflow/filters.ts", "(!filters.status || unit.status === filters.status)", "true")
    edit(
        host,
        "backend/app/workflow/board.py",
        "value < target.get(part, fallback)",
        "value <= target.get(part, fallback)",
    )
    edit(host, "backend/app/workflow/board.py", "if not real.is_relative_to(logs) or not", "if not")

    done, failed = vitest_failures(host, host_runtime, *board_tests)
    assert done.returncode != 0, output(done)
    assert failed == {
        "filterUnits keeps the units matching each filter",
        '/workflow filters by {"status":"blocked"}',
        '/workflow filters by {"status":"completed","kind":"api"}',
    }, output(done)
    done, failed = pytest_failures(host, host_runtime, "tests/test_workflow_board.py")
    assert done.returncode != 0, output(done)
    assert failed == {
        "test_a_measure_at_or_above_its_target_does_not_stand_out",
        "test_a_log_path_leading_out_of_the_logs_is_never_read",
    }, output(done)


# -- in a real browser (make test-e2e, the system's Chromium) ------------------------------------------

CHROMIUM = Path(os.environ.get("VECTRA_E2E_CHROMIUM") or "/usr/bin/chromium")
BOARD_E2E = "tests/e2e/test_workflow_board.py"


def board_e2e(host: Path, runtime: Runtime, artifacts: Path) -> subprocess.CompletedProcess[str]:
    """The board's browser tests, through `make test-e2e` (SQLite; screenshots under `artifacts`)."""
    runtime.attach_copy(host)  # `next dev` refuses a symlinked node_modules
    env = {"VECTRA_TEST_DATABASE_URL": "", "VECTRA_E2E_ARTIFACTS": str(artifacts), "E2E_ARGS": "-k test_workflow_board"}
    return runtime.make(host, "test-e2e", **env)


def test_the_board_in_a_browser_shows_a_status_change_and_fails_by_name_when_its_filter_breaks(
    host: Path, new_unit: Any, host_runtime: Runtime, tmp_path: Path
) -> None:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's `chromium` (.ci/run does) or set VECTRA_E2E_CHROMIUM")
    new_unit(host, "fix", "celery-startup")
    commit_all(host, "a unit")

    done = board_e2e(host, host_runtime, tmp_path / "artifacts")
    assert done.returncode == 0, output(done)
    assert re.search(r"\b3 passed\b", done.stdout), output(done)
    assert "skipped" not in done.stdout, output(done)
    shot = tmp_path / "artifacts/test_a_status_change_shows_on_the_board/tableau.png"
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), "the board's screenshot is kept"
    git_status = subprocess.run(["git", "status", "--porcelain"], cwd=host, capture_output=True, text=True, check=True)
    assert git_status.stdout == "", "the tests changed units in a copy, never in the host"

    # The status filter lets every unit through.
    edit(host, "frontend/lib/workflow/filters.ts", "(!filters.status || unit.status === filters.status)", "true")
    broken = board_e2e(host, host_runtime, tmp_path / "artifacts-broken")
    assert broken.returncode != 0, output(broken)
    failed = set(re.findall(r"^FAILED \S+::(\w+)", broken.stdout, re.M))
    assert failed == {"test_the_status_filter_keeps_only_that_status"}, output(broken)
    assert re.search(r"\b1 failed, 2 passed\b", broken.stdout), output(broken)
