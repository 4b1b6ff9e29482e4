"""The completion check: WORKFLOW-001's « Checklist finale » for one unit (`make check`).

What a machine can verify of the checklist: the log's sections and status, the STATUS.md entry,
the unit's tests, their coverage against the guide's targets, and lint. `record_check` writes the
measures into the unit's STATUS.md entry.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import guide, upsert
from .lifecycle import STATUSES, find
from .unit import STATUS_FILE, Unit


@dataclass
class CheckResult:
    key: str
    problems: list[str]
    coverage: dict[str, float]  # part -> measured %
    tests_pass: bool | None


def _sections_problem(log: Path, host: Path) -> str:
    guide_file = host / "docs/workflow/WORKFLOW-001.md"
    expected = guide.Shape.of(guide.log_template(guide_file if guide_file.exists() else guide.GUIDE))
    actual = guide.Shape.of(log.read_text(encoding="utf-8"))
    missing = [s for s in expected.sections if s not in actual.sections]
    return f"the log lacks the sections {missing}" if missing else ""


def _is_source(path: str) -> bool:
    name = Path(path).name
    return path.endswith((".py", ".ts", ".tsx")) and not (
        name.startswith("test_") or ".test." in name or "/tests/" in f"/{path}" or "/alembic/" in path
    )


def _backend_coverage(host: Path, tests: list[str], sources: list[str], report: Path) -> tuple[bool, dict[str, float]]:
    backend = host / "backend"
    # File paths, not dotted names: `--cov=app.models.x` makes coverage import app.models early,
    # and SQLAlchemy's compiled cache-key code then fails (TypeError: 'InternalTraversal' ...).
    modules = [s.removeprefix("backend/") for s in sources]
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *[t.removeprefix("backend/") for t in tests]]
    cmd += [f"--cov={m}" for m in modules] + [f"--cov-report=json:{report}", "--cov-fail-under=0"]
    done = subprocess.run(cmd, cwd=backend, capture_output=True, text=True, check=False)
    if not report.exists():
        return done.returncode == 0, {}
    files = json.loads(report.read_text())["files"]
    return done.returncode == 0, {f"backend/{name}": data["summary"]["percent_covered"] for name, data in files.items()}


def _frontend_coverage(host: Path, tests: list[str], sources: list[str], report: Path) -> tuple[bool, dict[str, float]]:
    frontend = host / "frontend"
    rel = [t.removeprefix("frontend/") for t in tests]
    cmd = ["npx", "--no-install", "vitest", "run", *rel, "--coverage.enabled", "--coverage.reporter=json-summary",
           f"--coverage.reportsDirectory={report}"]  # fmt: skip
    cmd += [f"--coverage.include={s.removeprefix('frontend/')}" for s in sources]
    done = subprocess.run(cmd, cwd=frontend, capture_output=True, text=True, check=False)
    summary = report / "coverage-summary.json"
    if not summary.exists():
        return done.returncode == 0, {}
    data = json.loads(summary.read_text())
    measured = {}
    for name, values in data.items():
        if name != "total":
            measured["frontend/" + Path(name).resolve().relative_to(frontend.resolve()).as_posix()] = values["lines"][
                "pct"
            ]
    return done.returncode == 0, measured


def check(host: Path, key: str, template_root: Path) -> CheckResult:
    """Every point of the guide's final checklist that a machine can verify, for one unit."""
    host_unit = find(host, key)
    unit = host_unit.unit(template_root)
    problems: list[str] = []

    log = host / unit.log_path
    if not log.is_file():
        problems.append(f"no activity log at {unit.log_path}")
    else:
        if problem := _sections_problem(log, host):
            problems.append(problem)
        status = re.search(r"^\*\*Statut:\*\* *(\S+)", log.read_text(encoding="utf-8"), re.M)
        if not status or status.group(1) not in STATUSES:
            problems.append(f"the log's **Statut:** is not one of {', '.join(STATUSES)}")
    status_text = (host / STATUS_FILE).read_text(encoding="utf-8") if (host / STATUS_FILE).exists() else ""
    if upsert.find_block(status_text, unit.key) is None:
        problems.append(f"no entry for {unit.key} in {STATUS_FILE} (run `copier update` on the unit to restore it)")

    tests = [f for f in unit.test_files if (host / f).exists()]
    sources = [f for f in unit.code_files if _is_source(f) and (host / f).exists()]
    passed, measured = True, {}
    with tempfile.TemporaryDirectory() as tmp:
        back_tests = [t for t in tests if t.startswith("backend/")]
        front_tests = [t for t in tests if t.startswith("frontend/")]
        if back_tests:
            ok, cov = _backend_coverage(
                host, back_tests, [s for s in sources if s.startswith("backend/")], Path(tmp) / "cov.json"
            )
            passed, measured = passed and ok, {**measured, **cov}
        if front_tests:
            ok, cov = _frontend_coverage(
                host, front_tests, [s for s in sources if s.startswith("frontend/")], Path(tmp) / "front"
            )
            passed, measured = passed and ok, {**measured, **cov}
    if tests and not passed:
        problems.append("the unit's tests fail: " + " ".join(tests))

    coverage = {}
    for part, target in unit.coverage.items():
        part_sources = [s for s in sources if s in measured and s in _part_files(unit, part, template_root)]
        if not part_sources:
            continue
        value = sum(measured[s] for s in part_sources) / len(part_sources)
        coverage[part] = value
        if value < target:
            problems.append(f"coverage of the {part} files is {value:.0f}%, below the {target}% target")

    lint = _lint(host, [s for s in unit.code_files if s.endswith(".py") and (host / s).exists()])
    if lint:
        problems.append(lint)
    return CheckResult(unit.key, problems, coverage, passed if tests else None)


def _part_files(unit: Unit, part: str, template_root: Path) -> set[str]:
    from .catalog import file_path, load
    from .unit import render

    context = {**unit.answers, "unit": unit}
    return {render(file_path(item), context) for item in load(template_root).parts.get(part, {}).get("files", [])}


def _lint(host: Path, python_files: list[str]) -> str:
    if not python_files:
        return ""
    rel = [f.removeprefix("backend/") for f in python_files]
    for cmd in (["ruff", "check", "--quiet", *rel], ["ruff", "format", "--check", "--quiet", *rel]):
        done = subprocess.run(
            [sys.executable, "-m", *cmd], cwd=host / "backend", capture_output=True, text=True, check=False
        )
        if done.returncode:
            return f"lint fails ({' '.join(cmd[:2])}): {(done.stdout + done.stderr).strip()[:500]}"
    return ""


def record_check(host: Path, result: CheckResult, unit: Unit) -> None:
    """Write the measures in the unit's STATUS.md entry (the lines the guide leaves as XX%)."""
    cov = ", ".join(f"{part} {value:.0f}%" for part, value in result.coverage.items()) or "-"
    target = unit.coverage_label
    verdict = {True: "✅", False: "❌", None: "- (aucun test généré)"}[result.tests_pass]
    upsert.set_lines(
        host / STATUS_FILE,
        result.key,
        {"- Coverage:": f"- Coverage: {cov} (cible : {target})", "- Tests passent:": f"- Tests passent: {verdict}"},
    )
