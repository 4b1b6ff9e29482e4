"""`make mutation`: mutation testing of the core modules by mutmut, against the fast tests (tests/unit, not slow).

Usage: python scripts/mutation.py [module ...]   (default: naming upsert checks entries filters)
Prints killed/total per module and the names of the surviving mutants; MUTATION_DIFF=1 prints their diffs too,
MUTATION_KEEP=1 keeps the stages (then `mutmut show <name>` or `mutmut browse` there).

mutmut names a mutant after its file's path (src/ stripped) and only switches it on when the function's module
has that name; our modules live in extensions/blueprint/ and are imported as `blueprint.*` (tests/conftest.py
puts extensions/ on sys.path). So each run works on a stage, a temporary copy laid out as mutmut expects:
src/blueprint/ (the package), tests/, the template's data files, and extensions/blueprint/ as a link to the
mutated package (the same module names, whichever path imports them). The working tree is never mutated; an
interrupted run leaves at most its temporary folder behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).parent / "mutmut"
MODULES = ["naming", "upsert", "checks", "entries", "filters"]
# Left out: tests that test none of the mutated modules and cannot run inside mutmut's test process:
# test_compile_cache (its disk cache of compiled modules is not written there) and test_host_dev (the
# host's `make dev` supervisor it starts never sees the signals the test sends it there), and
# test_release (scripts/release.py and CHANGELOG.md are not in the copy).
TESTS = [
    "tests/unit",
    "--ignore=tests/unit/test_compile_cache.py",
    "--ignore=tests/unit/test_host_dev.py",
    "--ignore=tests/unit/test_release.py",
]
# What the fast tests read besides the package and tests/ (the catalog, the template's own files, the
# architecture map test_architecture checks).
# extensions/ is copied without blueprint/: mutants/extensions/blueprint is a link to the mutated copy.
DATA = ["kinds.yml", "copier.yml", "questions", "fragments", "template", "extensions", "docs"]
# mutmut's exit codes (mutmut.stats.status_by_exit_code) that mean "a test noticed the mutant".
KILLED = {1, 3, 36, -24, 24, 152, 255, -11, -9}
IGNORE = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache", "mutants")
DATA_IGNORE = shutil.ignore_patterns("__pycache__", "blueprint")


def stage(module: str, folder: Path) -> None:
    """Lay out `folder` as mutmut expects, with only `module` to mutate."""
    shutil.copytree(ROOT / "extensions" / "blueprint", folder / "src" / "blueprint", ignore=IGNORE)
    shutil.copytree(ROOT / "tests", folder / "tests", ignore=IGNORE)
    for name in DATA:
        source, target = ROOT / name, folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=DATA_IGNORE if name == "extensions" else IGNORE)
        elif source.exists():
            shutil.copy2(source, target)
    settings = {
        "source_paths": ["src"],
        "only_mutate": [f"src/blueprint/{module}.py"],
        "also_copy": DATA,
        "pytest_add_cli_args_test_selection": [*TESTS, "-m", "not slow"],
        "pytest_add_cli_args": ["-p", "no:cacheprovider"],
        # A stage is new every run: mutmut's change detection has nothing to compare with.
        "use_git_change_detection": False,
    }
    # Where tests/conftest.py and copier look for the package, a link to the mutated copy (mutmut makes
    # mutants/ from the rest and leaves it there): the same module names, whichever path imports them.
    (folder / "mutants" / "extensions").mkdir(parents=True)
    (folder / "mutants" / "extensions" / "blueprint").symlink_to(Path("..") / "src" / "blueprint")
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (folder / "pyproject.toml").write_text(pyproject + "\n[tool.mutmut]\n" + "\n".join(lines) + "\n", encoding="utf-8")


def results(folder: Path, module: str) -> dict[str, int | None]:
    meta = folder / "mutants" / "src" / "blueprint" / f"{module}.py.meta"
    return json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]


def run(module: str, workdir: Path) -> tuple[int, int, list[str]]:
    folder = workdir / module
    stage(module, folder)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([str(MUTMUT), "run"], cwd=folder, env=env, capture_output=True, text=True)
    # mutmut stops early when no selected test reaches the module: then none of its mutants is killed.
    uncovered = "could not find any test case" in done.stdout
    if done.returncode != 0 and not uncovered:
        output = done.stdout[-3000:] + done.stderr[-3000:]
        sys.exit(f"mutmut failed on {module} (exit {done.returncode}); its output:\n{output}")
    codes = results(folder, module)
    survivors = sorted(name for name, code in codes.items() if code not in KILLED)
    if os.environ.get("MUTATION_DIFF") == "1":
        for name in survivors:
            shown = subprocess.run([str(MUTMUT), "show", name], cwd=folder, env=env, capture_output=True, text=True)
            print(shown.stdout.rstrip())
    return len(codes) - len(survivors), len(codes), survivors


def main(argv: list[str]) -> int:
    modules = argv or MODULES
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        print(f"Unknown module(s): {', '.join(unknown)}; choose among: {' '.join(MODULES)}", file=sys.stderr)
        return 2
    if not MUTMUT.exists():
        print(f"{MUTMUT} is missing: run `make venv` (mutmut is pinned in requirements.txt)", file=sys.stderr)
        return 2
    keep = os.environ.get("MUTATION_KEEP") == "1"
    workdir = Path(tempfile.mkdtemp(prefix="vectra-mutation-"))
    figures = []
    try:
        for module in modules:
            start = time.monotonic()
            killed, total, survivors = run(module, workdir)
            seconds = time.monotonic() - start
            figures.append((module, killed, total))
            print(f"{module}.py: {killed}/{total} killed ({100 * killed / max(total, 1):.0f} %) in {seconds:.0f} s")
            for name in survivors:
                print(f"  survived: {name}")
    finally:
        if keep:
            print(f"Stages kept in {workdir} (cd there/<module> && {MUTMUT} show <mutant>)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("Mutants killed by the fast tests:")
    for module, killed, total in figures:
        print(f"  {module + '.py':12} {killed:4}/{total:<4} {100 * killed / max(total, 1):5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
