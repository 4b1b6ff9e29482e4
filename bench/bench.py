"""`make bench`: speed ratios, each measured against its baseline in the same run (not a timed test).

1. `copier copy` of each kind vs copier copying a trivial one-file template   (goal <= 1.3x)
   (and, for the record, that template in a repository as big as ours: the clone's share)
2. `copier update` of one unit in a host of 100 units vs a host of 1 unit      (goal <= 1.5x)
3. update-all of N units vs N separate `copier update` runs, to a new release (goal <= 0.7x)
4. a host's own `make test` with --suite-units units of every kind (goal <= 30 s for 20), and
   `make check` of one api unit vs running that unit's own tests directly  (goal <= 1.3x)

Usage: python bench/bench.py [--repeat 3] [--units 100] [--suite-units 20] [--skip-suites | --suites-only]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "extensions"))

from helpers.hosts import Runtime, bootstrap, commit_all, git, snapshot_template  # noqa: E402

COPIER = str(Path(sys.executable).parent / "copier")
# Answers a kind needs besides its defaults ({n}: each copy's own number, so no route is taken twice).
KIND_DATA = {"page": ["route=/campaigns-{n}/[id]"], "test": ["test_type=unit-service"]}


def cli_seconds(*args: str) -> float:
    start = time.perf_counter()
    cli(*args)
    return time.perf_counter() - start


def timed(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def cli(*args: str, cwd: Path | None = None) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run([COPIER, *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"copier {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def trivial_template(where: Path, ballast: Path | None = None) -> Path:
    """One question, one file, in a git repository at a tag: copier's own cost, as ours is measured.
    With `ballast`, the repository also holds a copy of that folder, which copier clones but never
    reads: copier's cost for a repository of that size."""
    (where / "template").mkdir(parents=True)
    (where / "copier.yml").write_text("_subdirectory: template\nname:\n  type: str\n  default: x\n")
    (where / "template/README.md.jinja").write_text("# {{ name }}\n")
    if ballast:
        shutil.copytree(ballast, where / "ballast", ignore=shutil.ignore_patterns(".git"))
    git(where, "init", "-q", "-b", "main")
    commit_all(where, "trivial")
    git(where, "tag", "1.0.0")
    git(where, "gc", "-q")
    return where


def bench_copy(src: Path, work: Path, repeat: int, kinds: list[str]) -> dict[str, float]:
    """Each round copies the trivial template, the same in a repository of our size, then one unit
    of each kind: a machine that slows down or speeds up during the run weighs on both sides of
    every ratio alike. Medians of the rounds, by kind ("" the trivial template, "sized" the other)."""
    baselines = {"": trivial_template(work / "trivial"), "sized": trivial_template(work / "sized", ballast=src)}
    host = bootstrap(src, work / "copy-host")
    samples: dict[str, list[float]] = {kind: [] for kind in [*baselines, *kinds]}
    for n in range(repeat):
        for key, baseline in baselines.items():
            samples[key].append(cli_seconds("copy", "--defaults", str(baseline), str(work / f"t{key}{n}")))
        for kind in kinds:
            data = [f"kind={kind}", f"name=bench-{kind}-{n}", *(d.format(n=n) for d in KIND_DATA.get(kind, []))]
            args = ["copy", "--trust", "--defaults", str(src), str(host), *[x for d in data for x in ("-d", d)]]
            samples[kind].append(cli_seconds(*args))
    return {kind: statistics.median(times) for kind, times in samples.items()}


def host_with_units(src: Path, where: Path, count: int) -> Path:
    host = bootstrap(src, where)
    import copier

    for n in range(count):
        copier.run_copy(
            str(src), host, data={"kind": "fix", "name": f"fix-{n:03d}"}, defaults=True, unsafe=True, quiet=True
        )
    commit_all(host, f"{count} units")
    return host


def bench_update(src: Path, work: Path, repeat: int, units: int) -> tuple[float, float]:
    def update(host: Path) -> Callable[[], None]:
        def run() -> None:
            cli(
                "update",
                "--trust",
                "--defaults",
                "--vcs-ref=:current:",
                "-a",
                ".copier-answers/fix_fix-000.yml",
                cwd=host,
            )
            git(host, "reset", "-q", "--hard")

        return run

    one = host_with_units(src, work / "one", 1)
    many = host_with_units(src, work / "many", units)
    return timed(update(many), repeat), timed(update(one), repeat)


def host_with_every_kind(src: Path, where: Path, count: int, kinds: list[str]) -> tuple[Path, dict[str, list[str]]]:
    """A host with `count` units, the kinds taken in turn (bench_copy's names and answers), one commit
    each; and the files each unit added, by its key."""
    host = bootstrap(src, where)
    added: dict[str, list[str]] = {}
    for n in range(count):
        kind, round_ = kinds[n % len(kinds)], n // len(kinds)
        data = [f"kind={kind}", f"name=bench-{kind}-{round_}", *(d.format(n=round_) for d in KIND_DATA.get(kind, []))]
        cli("copy", "--trust", "--defaults", str(src), str(host), *[x for d in data for x in ("-d", d)])
        git(host, "add", "-A")
        added[f"{kind}/bench-{kind}-{round_}"] = git(host, "diff", "--cached", "--name-only").split()
        git(host, "commit", "-q", "-m", f"{kind} {round_}")
    return host, added


def bench_suites(src: Path, work: Path, count: int, kinds: list[str]) -> None:
    """The host's `make test` with `count` units, and `make check` of an api unit against the same
    unit's tests run directly (pytest on its test files, as a developer would)."""
    host, added = host_with_every_kind(src, work / "suites", count, kinds)
    runtime = Runtime.prepare(ROOT / ".cache", host)
    runtime.make(host, "test")  # a first run fills the caches (bytecode, Vite's transforms)
    for target in ("test-backend", "test-frontend", "test"):
        start = time.perf_counter()
        done = runtime.make(host, target)
        label = f"host make {target}, {count} units" + (" (goal <= 30 s for 20)" if target == "test" else "")
        print(f"{label:58} {time.perf_counter() - start:7.2f}s {'':>8} {'':>7} exit {done.returncode}")
    unit = "api/bench-api-0"
    tests = [f.removeprefix("backend/") for f in added[unit] if f.startswith("backend/tests/") and f.endswith(".py")]

    def direct() -> None:
        cmd = [str(runtime.venv / "bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
        subprocess.run(cmd, cwd=host / "backend", env=runtime.env(), capture_output=True, check=True)

    def check() -> None:
        runtime.make(host, "check", f"unit={unit}")
        git(host, "reset", "-q", "--hard")  # make check writes STATUS.md's figures

    ours, base = timed(check, 3), timed(direct, 3)
    label = f"make check {unit} vs its tests run directly"
    print(f"{label:58} {ours:7.2f}s {base:7.2f}s {ours / base:6.2f}x <= 1.3x")


def new_template_version(src: Path, tag: str) -> None:
    """A release that changes every fix unit's file, so each update below has a merge to do."""
    regression = src / "template/units/backend/tests/regression/test_{{ unit.snake }}.py.jinja"
    regression.write_text(regression.read_text(encoding="utf-8") + f"\n\n# template {tag}\n", encoding="utf-8")
    commit_all(src, f"release {tag}")
    git(src, "tag", tag)
    git(src, "gc", "-q")


def bench_update_all(src: Path, work: Path, count: int) -> tuple[float, float]:
    """In the order together, separate, separate, together (four copies of one host): a machine
    that drifts during the run weighs on both sides alike."""
    from blueprint import lifecycle

    host = host_with_units(src, work / "all", count)
    new_template_version(src, "1.1.0")

    def together(copy: Path) -> float:
        start = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            lifecycle.update_all(copy, out=quiet)
        return time.perf_counter() - start

    def separate(copy: Path) -> float:
        start = time.perf_counter()
        own = lifecycle.skeleton(copy)  # update-all updates the host's skeleton first: so do these
        host_too = [own] if own is not None and not lifecycle.not_updatable(own) else []
        for unit in [*host_too, *lifecycle.units(copy)]:
            cli("update", "--trust", "--defaults", "-a", unit.answers_file, cwd=copy)
            if git(copy, "status", "--porcelain").strip():
                commit_all(copy, unit.key)
        return time.perf_counter() - start

    ways = {"together": together, "separate": separate}
    spent = dict.fromkeys(ways, 0.0)
    for n, name in enumerate(["together", "separate", "separate", "together"]):
        copy = work / f"update-all-{n}"
        shutil.copytree(host, copy, symlinks=True)
        spent[name] += ways[name](copy)
        files = list((copy / "backend/tests/regression").glob("test_fix_*.py"))  # every unit took the release
        assert len(files) == count and all("# template 1.1.0" in f.read_text() for f in files), copy
    return spent["together"] / 2, spent["separate"] / 2


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--update-all", type=int, default=10)
    parser.add_argument("--suite-units", type=int, default=20)
    parser.add_argument("--skip-suites", action="store_true")
    parser.add_argument("--suites-only", action="store_true", help="only the host's suites and make check")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # A template repository at a tag, as a team would use it (copier update needs git).
        src = snapshot_template(ROOT, work / "template")
        git(src, "init", "-q", "-b", "main")
        commit_all(src, "bench")
        git(src, "tag", "1.0.0")
        git(src, "gc", "-q")  # packed, as a cloned repository is
        from blueprint import catalog

        kinds = catalog.load(ROOT).unit_kinds()
        print(f"{'measure':58} {'ours':>8} {'base':>8} {'ratio':>7} goal")
        if not args.suites_only:
            copies = bench_copy(src, work, args.repeat, kinds)
            base, sized = copies[""], copies["sized"]
            for kind in kinds:
                label = f"copier copy {kind} vs a one-file template"
                print(f"{label:58} {copies[kind]:7.2f}s {base:7.2f}s {copies[kind] / base:6.2f}x <= 1.3x"
                      f"  ({copies[kind] / sized:.2f}x sized)")  # fmt: skip
            label = "  (sized: the one-file template in a repo of our size)"
            print(f"{label:58} {sized:7.2f}s {base:7.2f}s {sized / base:6.2f}x")
            many, one = bench_update(src, work, args.repeat, args.units)
            label = f"copier update, host of {args.units} units vs of 1 unit"
            print(f"{label:58} {many:7.2f}s {one:7.2f}s {many / one:6.2f}x <= 1.5x")
            together, separate = bench_update_all(src, work, args.update_all)
            label = f"update-all of {args.update_all} units vs {args.update_all} copier updates"
            print(f"{label:58} {together:7.2f}s {separate:7.2f}s {together / separate:6.2f}x <= 0.7x")
        if not args.skip_suites:
            bench_suites(src, work, args.suite_units, kinds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
