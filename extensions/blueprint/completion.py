"""The completion check: WORKFLOW-001's « Checklist finale » for one unit (`make check`).

What a machine can verify of the checklist: the log (its sections, its status, no template
placeholder left, every required step ticked), the STATUS.md entry, the unit's tests (none still a
placeholder, all passing), their coverage of the unit's own source files against the guide's
targets, and the host's lint of the unit's files (ruff, mypy --strict on its application code, tsc,
ESLint with no warning allowed; mypy and ESLint when the host has them).

The checklist is judged as it will be once the unit is completed: the steps the generator ticks on
completion ("Mettre à jour le log" with status `completed`) are not asked of the person, so
`make status … status=completed` can run this check first (`refusal`). `record_check` writes the
measures into the unit's STATUS.md entry.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import guide, upsert
from .catalog import file_path, load
from .lifecycle import STATUSES, find
from .unit import STATUS_FILE, Unit, build, render, render_bool

Say = Callable[[str], None]

# Text the log template (and the objective's default answer) leaves for the person to replace.
LOG_PLACEHOLDERS = ("[À compléter]", "objectif à préciser", "(à préciser)")
# A generated test that still stands in for the real one: a strict xfail (the host sets
# xfail_strict) or Vitest's `it.fails` / `test.fails`.
PLACEHOLDER_TESTS = {
    ".py": (re.compile(r"^\s*@pytest\.mark\.xfail\b"), "strict xfail"),
    ".ts": (re.compile(r"\b(?:it|test)\.fails\("), "it.fails"),
    ".tsx": (re.compile(r"\b(?:it|test)\.fails\("), "it.fails"),
}
FAILURE_LINES = 6  # lines of a failing test's output shown
TSC_STATE = ".typecheck.tsbuildinfo"  # the host's `npm run typecheck` keeps the same (frontend/, git-ignored)


@dataclass
class CheckResult:
    key: str
    problems: list[str]
    coverage: dict[str, float]  # part -> measured %
    tests_pass: bool | None
    uncovered: dict[str, str] = field(default_factory=dict)  # source file -> uncovered line ranges


# -- the log ---------------------------------------------------------------------------------------


def _log_template(host: Path) -> str:
    """The guide's log template: the host's copy of the guide, else the template's."""
    guide_file = host / "docs/workflow/WORKFLOW-001.md"
    return guide.log_template(guide_file if guide_file.exists() else guide.GUIDE)


def _sections_problem(text: str, log_template: str) -> str:
    expected, actual = guide.Shape.of(log_template), guide.Shape.of(text)
    missing = [s for s in expected.sections if s not in actual.sections]
    return f"il manque au log les sections {missing}" if missing else ""


def guide_placeholders(log_template: str) -> list[str]:
    """The guide's own placeholders (`[Description claire …]`, `[Action 1]`), checkboxes left out."""
    return sorted({m for m in re.findall(r"\[[^\]\n]{2,}\]", log_template)})


def log_problems(text: str, log_path: str, placeholders: tuple[str, ...], not_required: set[str]) -> list[str]:
    """Placeholders left anywhere in the log and unticked steps of « Étapes Réalisées », with their line.

    `not_required`: the texts of the steps the person need not tick (optional, or ticked by the
    generator once the unit is completed)."""
    problems = []
    section, free = "", tuple(t for t in not_required if t)
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("## "):
            section = line[3:].strip()
        if section == "Prochaines Étapes":
            continue  # the generator's own reminders, rewritten on every update
        for placeholder in placeholders:
            if placeholder in line:
                where = f" dans « {section} »" if section else ""
                problems.append(f"{log_path}:{number}: le texte du modèle {placeholder!r} est toujours là{where}")
        step = re.match(r"- \[ \] (.*)", line)
        # A step whose text the person lengthened ("… (si nécessaire) : pas besoin") is still itself.
        if section == "Étapes Réalisées" and step and not step.group(1).strip().startswith(free):
            problems.append(f"{log_path}:{number}: étape non cochée : {step.group(1).strip()}")
    return problems


def _steps_not_required(unit: Unit, template_root: Path) -> set[str]:
    """Optional steps, and those the generator ticks once the unit is completed (the unit as it will be)."""
    completed = build({**unit.answers, "status": "completed"}, template_root)
    return {text for step in completed.steps for text, done in step.items if done or text in step.optional}


# -- the unit's tests ------------------------------------------------------------------------------


def placeholder_tests(host: Path, test_files: list[str]) -> list[str]:
    """Generated tests that are still placeholders (strict xfail, it.fails), with their line."""
    found = []
    for path in test_files:
        rule = PLACEHOLDER_TESTS.get(Path(path).suffix)
        if rule is None or not (host / path).is_file():
            continue
        pattern, label = rule
        for number, line in enumerate((host / path).read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(
                    f"{path}:{number}: le test est encore provisoire ({label}) : écrivez-le, puis retirez le marqueur"
                )
    return found


def _first_lines(text: str) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    shown = [f"         {line[:200]}" for line in lines[:FAILURE_LINES]]
    return "\n".join(shown + (["         …"] if len(lines) > FAILURE_LINES else []))


def _junit_failures(report: Path, prefix: str) -> list[str]:
    failures = []
    for case in ET.parse(report).getroot().iter("testcase"):
        for outcome in (*case.findall("failure"), *case.findall("error")):
            name = f"{prefix}{case.get('classname')}::{case.get('name')}"
            body = outcome.text or outcome.get("message", "")
            failures.append(f"{name}\n{_first_lines(body)}")
    return failures


def ranges(lines: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    out: list[str] = []
    for number in sorted(set(lines)):
        if out and int(out[-1].split("-")[-1]) == number - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{number}"
        else:
            out.append(str(number))
    return ", ".join(out)


@dataclass
class Measure:
    """What one test run says: did it pass, which tests failed, each source file's coverage."""

    passed: bool = True
    failures: list[str] = field(default_factory=list)
    files: dict[str, tuple[int, int, list[int]]] = field(default_factory=dict)  # path -> covered, total, missed

    def add(self, other: Measure) -> None:
        self.passed = self.passed and other.passed
        self.failures += other.failures
        self.files.update(other.files)


def _backend_run(host: Path, tests: list[str], sources: list[str], tmp: Path) -> Measure:
    """One pytest run: the unit's tests, with the coverage of its source folders (a real figure)."""
    backend = host / "backend"
    # Folders, not files nor dotted names: `--cov=app/x.py` is taken for a module name and never
    # measured (why the check used to print `Coverage: -`); `--cov=app.models.x` makes coverage
    # import app.models early, and SQLAlchemy's compiled cache-key code then fails.
    folders = sorted({Path(s.removeprefix("backend/")).parent.as_posix() for s in sources})
    report, junit = tmp / "coverage.json", tmp / "junit.xml"
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"]
    cmd += [t.removeprefix("backend/") for t in tests]
    if folders:
        cmd += [*(f"--cov={f}" for f in folders), f"--cov-report=json:{report}", "--cov-fail-under=0"]
    env = {**os.environ, "COVERAGE_FILE": str(tmp / ".coverage")}  # the person's own .coverage is left alone
    done = subprocess.run(cmd, cwd=backend, capture_output=True, text=True, check=False, env=env)
    measure = Measure(passed=done.returncode == 0)
    if junit.exists():
        measure.failures = _junit_failures(junit, "backend: ")
    if not measure.passed and not measure.failures:
        output = _first_lines((done.stdout + done.stderr)[-2000:])
        measure.failures = [f"pytest s'est terminé avec le code {done.returncode}\n{output}"]
    if report.exists():
        for name, data in json.loads(report.read_text())["files"].items():
            s = data["summary"]
            covered = s["covered_lines"] + s.get("covered_branches", 0)
            total = s["num_statements"] + s.get("num_branches", 0)
            missed = list(data.get("missing_lines", []))
            missed += [branch[0] for branch in data.get("missing_branches", []) if branch[0] not in missed]
            measure.files[f"backend/{name}"] = (covered, total, missed)
    return measure


def _frontend_run(host: Path, tests: list[str], sources: list[str], tmp: Path) -> Measure:
    """One Vitest run: the unit's tests, with the coverage of its source files."""
    frontend = host / "frontend"
    results, cov = tmp / "vitest.json", tmp / "front-coverage"
    cmd = ["npx", "--no-install", "vitest", "run", *(t.removeprefix("frontend/") for t in tests),
           "--reporter=json", f"--outputFile={results}"]  # fmt: skip
    if sources:
        cmd += ["--coverage.enabled", "--coverage.reporter=json", f"--coverage.reportsDirectory={cov}"]
        cmd += [f"--coverage.include={s.removeprefix('frontend/')}" for s in sources]
    done = subprocess.run(cmd, cwd=frontend, capture_output=True, text=True, check=False)
    measure = Measure(passed=done.returncode == 0)
    if results.exists():
        for file in json.loads(results.read_text()).get("testResults", []):
            name = "frontend/" + _relative(file["name"], frontend)
            failed = [a for a in file.get("assertionResults", []) if a.get("status") == "failed"]
            for case in failed:
                body = "\n".join(case.get("failureMessages", []))
                measure.failures.append(f"{name} > {case['fullName']}\n{_first_lines(body)}")
            if file.get("status") == "failed" and not failed:
                measure.failures.append(f"{name}\n{_first_lines(file.get('message', ''))}")
    if not measure.passed and not measure.failures:
        output = _first_lines((done.stdout + done.stderr)[-2000:])
        measure.failures = [f"vitest s'est terminé avec le code {done.returncode}\n{output}"]
    final = cov / "coverage-final.json"
    if final.exists():
        for name, data in json.loads(final.read_text()).items():
            lines: dict[int, int] = {}
            for sid, where in data["statementMap"].items():
                line = where["start"]["line"]
                lines[line] = max(lines.get(line, 0), data["s"][sid])
            missed = [line for line, count in lines.items() if not count]
            measure.files["frontend/" + _relative(name, frontend)] = (len(lines) - len(missed), len(lines), missed)
    return measure


def _relative(name: str, folder: Path) -> str:
    path = Path(name)
    return path.resolve().relative_to(folder.resolve()).as_posix() if path.is_absolute() else path.as_posix()


def part_sources(unit: Unit, part: str, template_root: Path) -> list[str]:
    """The part's own source files (kinds.yml `sources`), as the unit renders them."""
    context = {**unit.answers, "unit": unit}
    items = load(template_root).parts.get(part, {}).get("sources", [])
    return [
        render(file_path(item), context)
        for item in items
        if not isinstance(item, dict) or render_bool(item.get("when", True), context)
    ]


# -- lint ------------------------------------------------------------------------------------------


def _lint(host: Path, unit: Unit) -> list[str]:
    """The host's lint of the unit's files: ruff check + format for Python, mypy --strict of its
    application code (as the host's `make lint`: app/, not the tests), tsc, ESLint if configured."""
    present = [f for f in unit.code_files if (host / f).is_file()]
    problems = []
    python = [f.removeprefix("backend/") for f in present if f.startswith("backend/") and f.endswith(".py")]
    if python:
        for cmd in (["ruff", "check", "--quiet", *python], ["ruff", "format", "--check", "--quiet", *python]):
            done = subprocess.run(
                [sys.executable, "-m", *cmd], cwd=host / "backend", capture_output=True, text=True, check=False
            )
            if done.returncode:
                problems.append(f"le lint échoue ({' '.join(cmd[:2])}) :\n{_first_lines(done.stdout + done.stderr)}")
        problems += _mypy(host / "backend", [f for f in python if f.startswith("app/")])
    typescript = [
        f.removeprefix("frontend/") for f in present if f.startswith("frontend/") and f.endswith((".ts", ".tsx"))
    ]
    if typescript:
        problems += _tsc(host / "frontend", typescript)
        problems += _eslint(host / "frontend", typescript)
    return problems


def _mypy(backend: Path, files: list[str]) -> list[str]:
    """mypy with the host's settings (strict) on the unit's files; only errors in them count (mypy also
    reads the modules they import). Skipped in a host without mypy in its venv (an older host)."""
    if not files or importlib.util.find_spec("mypy") is None:
        return []
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-pretty", "--no-error-summary", *files],
                          cwd=backend, capture_output=True, text=True, check=False)  # fmt: skip
    if not done.returncode:
        return []
    errors = ["backend/" + line for line in done.stdout.splitlines() if line.split(":", 1)[0] in files]
    if not errors and ": error:" not in done.stdout:
        errors = [f"mypy s'est terminé avec le code {done.returncode} : {(done.stdout + done.stderr).strip()[:300]}"]
    return [f"le lint échoue (mypy --strict) :\n{_first_lines(chr(10).join(errors))}"] if errors else []


def _tsc(frontend: Path, files: list[str]) -> list[str]:
    """`tsc --noEmit` of the whole project (the types cross files); only the unit's files' errors count."""
    # Incremental: the next check re-reads only what changed (about half the time); the file is
    # git-ignored by the host (*.tsbuildinfo).
    # By its path: the host's node_modules/.bin/tsc may be ESLint's own TypeScript 6 (see the host's
    # eslint.config.mjs); node_modules/typescript is the project's compiler.
    cmd = ["node", "node_modules/typescript/bin/tsc", "--noEmit", "--pretty", "false", "--incremental",
           "--tsBuildInfoFile", TSC_STATE]  # fmt: skip
    done = subprocess.run(cmd, cwd=frontend, capture_output=True, text=True, check=False)
    if not done.returncode:
        return []
    errors = ["frontend/" + line for line in done.stdout.splitlines() if line.split("(", 1)[0] in files]
    if not errors and not re.search(r"error TS\d+", done.stdout):
        errors = [f"tsc s'est terminé avec le code {done.returncode} : {(done.stdout + done.stderr).strip()[:300]}"]
    return [f"le lint échoue (tsc --noEmit) :\n{_first_lines(chr(10).join(errors))}"] if errors else []


def _eslint(frontend: Path, files: list[str]) -> list[str]:
    configs = ("eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts")
    if not any((frontend / c).exists() for c in configs) or not (frontend / "node_modules/.bin/eslint").exists():
        return []  # the host has no ESLint (yet)
    done = subprocess.run(["npx", "--no-install", "eslint", "--max-warnings", "0", *files], cwd=frontend,
                          capture_output=True, text=True, check=False)  # fmt: skip
    return [f"le lint échoue (eslint) :\n{_first_lines(done.stdout + done.stderr)}"] if done.returncode else []


# -- the check -------------------------------------------------------------------------------------


def check(host: Path, key: str, template_root: Path, say: Say | None = None) -> CheckResult:
    """Every point of the guide's final checklist that a machine can verify, for one unit."""
    say = say or (lambda _text: None)
    host_unit = find(host, key)
    unit = host_unit.unit(template_root)
    problems: list[str] = []

    say(f"==> {key} : log et STATUS.md")
    log = host / unit.log_path
    if not log.is_file():
        problems.append(f"le log d'activité {unit.log_path} est introuvable")
    else:
        text, template = log.read_text(encoding="utf-8"), _log_template(host)
        if problem := _sections_problem(text, template):
            problems.append(problem)
        status = re.search(r"^\*\*Statut:\*\* *(\S+)", text, re.M)
        if not status or status.group(1) not in STATUSES:
            problems.append(f"le **Statut:** du log n'est pas un statut connu ({', '.join(STATUSES)})")
        placeholders = (*LOG_PLACEHOLDERS, *guide_placeholders(template))
        problems += log_problems(text, unit.log_path, placeholders, _steps_not_required(unit, template_root))
    try:  # a damaged STATUS.md (not UTF-8, an entry twice or unterminated) is a problem to report
        entry = upsert.find_block(upsert.read(host / STATUS_FILE), unit.key)
    except upsert.UpsertError as error:
        problems.append(str(error))
    else:
        if entry is None:
            problems.append(
                f"pas d'entrée pour {unit.key} dans {STATUS_FILE} (lancez `copier update` sur l'unité pour la rétablir)"
            )

    tests = [f for f in unit.test_files if (host / f).exists()]
    problems += placeholder_tests(host, tests)
    targets = {part: part_sources(unit, part, template_root) for part in unit.coverage}
    sources = [s for files in targets.values() for s in files if (host / s).is_file()]
    measure = Measure()
    # Lint runs beside the tests (tsc alone takes seconds): the check stays close to the tests' own time.
    say(f"==> {key} : lint (ruff, mypy, tsc, ESLint), en parallèle des tests")
    with ThreadPoolExecutor(max_workers=1) as pool, tempfile.TemporaryDirectory() as tmp:
        lint = pool.submit(_lint, host, unit)
        for side, run in (("backend", _backend_run), ("frontend", _frontend_run)):
            side_tests = [t for t in tests if t.startswith(f"{side}/")]
            if side_tests:
                say(f"==> {key} : tests et couverture ({side} : {len(side_tests)} fichier(s))")
                where = Path(tmp) / side
                where.mkdir()
                measure.add(run(host, side_tests, [s for s in sources if s.startswith(f"{side}/")], where))
        lint_problems = lint.result()
    if measure.failures:
        problems.append("les tests de l'unité échouent :\n" + "\n".join(f"       {f}" for f in measure.failures))
    elif tests and not measure.passed:
        problems.append("les tests de l'unité échouent : " + " ".join(tests))

    coverage: dict[str, float] = {}
    uncovered: dict[str, str] = {}
    for part, target in unit.coverage.items():
        measured = [s for s in targets[part] if s in measure.files and measure.files[s][1]]
        if not measured:
            continue
        covered = sum(measure.files[s][0] for s in measured)
        total = sum(measure.files[s][1] for s in measured)
        coverage[part] = value = 100.0 * covered / total
        missed = {s: ranges(measure.files[s][2]) for s in measured if measure.files[s][2]}
        uncovered.update(missed)
        if value < target:
            lines = "".join(f"\n       {s} : lignes {r}" for s, r in missed.items())
            problems.append(
                f"la couverture de la partie {part} est de {value:.1f} %, sous sa cible de {target} % ;"
                f" lignes non couvertes :{lines}"
            )

    problems += lint_problems
    return CheckResult(unit.key, problems, coverage, measure.passed if tests else None, uncovered)


def refusal(host: Path, key: str, template_root: Path, say: Say | None = None) -> str:
    """Why `make status unit=<key> status=completed` must not mark the unit completed ("" when it may)."""
    result = check(host, key, template_root, say)
    if not result.problems:
        return ""
    listed = "\n".join(f"  - {p}" for p in result.problems)
    return (
        f"l'unité {key} n'est pas terminée, son statut reste donc inchangé :\n{listed}\n"
        f"Corrigez ces points (`make check unit={key}` vérifie à nouveau) ou, si c'est voulu, "
        f"marquez-la terminée quand même :\n"
        f"  make status unit={key} status=completed force=1"
    )


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
