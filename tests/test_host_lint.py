"""The host's `make lint` (ruff and mypy --strict on every Python file, ESLint and tsc on the
frontend) passes on every blueprint's output, and fails, naming the file, on what each tool is for."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from blueprints.test_api import ALL_FIELDS
from helpers import hosts

pytestmark = pytest.mark.slow

# One unit of every kind (as `make demo`), and the feature with all its parts; every field type, a
# sync and an async agent, every test type.
EVERY_BLUEPRINT: list[tuple[str, str, dict[str, object]]] = [
    ("database", "add-lead-enrichment", {}),
    ("api", "campaigns", {"fields": ALL_FIELDS}),
    ("agent", "bant-qualifier", {}),
    ("agent", "lead-scorer", {"agent_async": False}),
    ("component", "lead-card", {}),
    ("page", "campaign-detail", {"route": "/campaigns/[id]"}),
    ("feature", "campaign-wizard", {"parts": ["database", "api", "agent", "component", "page"], "fields": ALL_FIELDS}),
    ("fix", "celery-startup", {}),
    ("fix", "lead-card-flicker", {"regression_side": "frontend"}),
    *[("test", f"t-{t}", {"test_type": t}) for t in (
        "unit-service", "unit-agent", "integration-api", "integration-db", "component", "e2e")],
]  # fmt: skip


def output(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}"


@pytest.fixture(scope="module")
def linted_host(
    template_src: Path, host_runtime: hosts.Runtime, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A host with every blueprint's output, and its `make lint` (run once: it leaves mypy's cache)."""
    host = hosts.bootstrap(template_src, tmp_path_factory.mktemp("lint") / "host")
    for kind, name, answers in EVERY_BLUEPRINT:
        hosts.copy_unit(template_src, host, kind=kind, name=name, **answers)
        hosts.commit_all(host, f"{kind}: {name}")
    return host, host_runtime.make(host, "lint")


@pytest.fixture
def lint_host(linted_host: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> Path:
    """A copy of the linted host for one test to break."""
    return hosts.clone_host(linted_host[0], tmp_path / "host")


def test_every_blueprint_output_passes_ruff_mypy_strict_eslint_and_tsc(
    linted_host: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    host, done = linted_host
    assert done.returncode == 0, output(done)
    assert "All checks passed!" in done.stdout  # ruff check of backend/ and scripts/
    assert "Success: no issues found" in done.stdout, output(done)  # mypy --strict
    checked = int(done.stdout.split("Success: no issues found in ", 1)[1].split()[0])
    python = [*host.glob("backend/app/**/*.py"), *host.glob("scripts/*.py")]
    assert checked == len(python), "mypy checks every file of app/ and scripts/"
    assert hosts.git(host, "status", "--porcelain") == "", "lint leaves nothing to commit (its caches are ignored)"
    assert (host / "frontend/app/favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00", "an ICO file"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


BREAKS: dict[str, tuple[str, str, Callable[[Path], None]]] = {
    # mypy: a type error ruff does not see, in a generated service.
    "mypy": (
        "backend/app/services/campaigns.py",
        'error: Incompatible return value type (got "str", expected "int")',
        lambda host: _append(
            host / "backend/app/services/campaigns.py", '\n\ndef broken_count() -> int:\n    return "0"\n'
        ),
    ),
    # mypy: Celery is typed (celery-types): a task's result is not what its caller declares.
    "mypy-celery": (
        "backend/app/agents/bant_qualifier/tasks.py",
        'error: Incompatible return value type (got "str", expected "int")',
        lambda host: _append(
            host / "backend/app/agents/bant_qualifier/tasks.py",
            "\n\ndef task_name() -> int:\n    return run_bant_qualifier.name\n",
        ),
    ),
    # ruff covers the host's scripts too.
    "ruff-scripts": (
        "scripts/units.py",
        "F401",
        lambda host: (host / "scripts/units.py").write_text(
            (host / "scripts/units.py").read_text().replace("import os\n", "import os\nimport json\n", 1)
        ),
    ),
    # ESLint, with no warning allowed: an unused variable in a generated component (tsc accepts it).
    "eslint": (
        "frontend/components/LeadCard/LeadCard.tsx",
        "'unusedThing' is assigned a value but never used",
        lambda host: _append(host / "frontend/components/LeadCard/LeadCard.tsx", "\nconst unusedThing = 1;\n"),
    ),
}


@pytest.mark.parametrize("tool", list(BREAKS))
def test_make_lint_fails_naming_what_is_wrong(lint_host: Path, host_runtime: hosts.Runtime, tool: str) -> None:
    path, message, break_it = BREAKS[tool]
    break_it(lint_host)
    done = host_runtime.make(lint_host, "lint")
    assert done.returncode != 0, output(done)
    said = done.stdout + done.stderr
    assert path.split("/", 1)[1] in said and message in said, output(done)


def test_make_check_of_a_unit_runs_mypy_and_eslint_on_its_files(lint_host: Path, host_runtime: hosts.Runtime) -> None:
    BREAKS["mypy"][2](lint_host)
    BREAKS["eslint"][2](lint_host)
    api = host_runtime.make(lint_host, "check", "unit=api/campaigns")
    assert "le lint échoue (mypy --strict) :" in api.stdout, output(api)
    assert "backend/app/services/campaigns.py:" in api.stdout and "Incompatible return value" in api.stdout
    component = host_runtime.make(lint_host, "check", "unit=component/lead-card")
    assert "le lint échoue (eslint) :" in component.stdout, output(component)
    assert "LeadCard.tsx" in component.stdout and "unusedThing" in component.stdout
    assert api.returncode != 0 and component.returncode != 0
