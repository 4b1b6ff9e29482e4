"""Host commands for units of work: list, update, status, update-all, undo, check.

    make units | update unit=K/N | status unit=K/N status=S | update-all | undo [unit=K/N] | check [unit=K/N]

Each command applies whole or not at all: on an error the host is left as it was; a command killed
half way is named by the next one, and `make undo` puts the host back. Commands that write shared
files (STATUS.md, reference docs) wait for each other (a lock in .git/vectra/).

The logic lives in the template this host came from (its extensions/blueprint/lifecycle.py), so it
moves with the template; this file only finds that template and hands over.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import yaml

HOST = Path(__file__).resolve().parent.parent


def template_root(workdir: Path) -> Path:
    """The template checkout: its local folder, or a clone of its repository."""
    project = next((HOST / ".copier-answers").glob("project_*.yml"), None)
    if project is None:
        sys.exit(f"{HOST} n'est pas un hôte VECTRA : pas de .copier-answers/project_*.yml")
    src = str(yaml.safe_load(project.read_text(encoding="utf-8"))["_src_path"])
    if Path(src).expanduser().is_dir():
        return Path(src).expanduser()
    if not re.match(
        r"^(?:[a-z][a-z0-9+.-]*://|gh:|gl:|[\w.-]+@[\w.-]+:)", src, re.I
    ):  # a local path
        sys.exit(
            f"erreur : le template d'où vient cet hôte, `_src_path: {src}` dans {project.relative_to(HOST)}, "
            "n'est pas un dossier vu de l'hôte (un chemin relatif se lit depuis le dossier de l'hôte). Écrivez "
            "le chemin absolu du template ou son URL git comme `_src_path` dans chaque fichier de "
            ".copier-answers/, commitez, et relancez la commande."
        )
    git = shutil.which("git")
    if git is None:
        sys.exit("git n'est pas installé : installez-le, puis relancez la commande.")
    clone = workdir / "template"
    # A fixed command; the URL is the host's own answers file's `_src_path`.
    cloned = subprocess.run(  # noqa: S603
        [git, "clone", "--quiet", "--depth", "1", template_url(src), str(clone)], check=False
    )
    if cloned.returncode:
        sys.exit(
            f"impossible de cloner le template {src} (git a fini avec le code {cloned.returncode}) : vérifiez l'adresse et le réseau."
        )
    return clone


# copier's documented shortcuts, as copier expands them (for a copier without a usable get_repo)
ALIASES = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}


def template_url(src: str) -> str:
    """The git URL of the template `src` (gh:/gl: shortcuts expanded), as copier would clone it.

    copier's own function for it is private (copier._vcs.get_repo), and this script needs it before the
    template (whose extensions/blueprint/copier_private.py guards every other private name) is on the
    machine: so this small guard of its own. A copier where get_repo is gone or takes other parameters
    is not called; the same expansion is done here (VECTRA_BLUEPRINTS_VERBOSE=1 says so, in one line).
    """
    vcs: ModuleType | None
    try:
        vcs = importlib.import_module("copier._vcs")  # copier's private API: checked below
    except ImportError:
        vcs = None
    get_repo = getattr(vcs, "get_repo", None)
    if os.environ.get("VECTRA_BLUEPRINTS_SPEEDUPS", "").strip().lower() != "off" and callable(
        get_repo
    ):
        try:
            fits = list(inspect.signature(get_repo).parameters) == ["url"]
        except (TypeError, ValueError):
            fits = False
        if fits:
            return str(get_repo(src) or src)
    if os.environ.get("VECTRA_BLUEPRINTS_VERBOSE"):
        print("vectra-blueprints: copier._vcs.get_repo not used (changed, or speed-ups off): gh:/gl: "
              "expanded here.", file=sys.stderr)  # fmt: skip
    for alias, base in ALIASES.items():
        if src.startswith(alias):
            path = src[len(alias) :].lstrip("/")
            return base + path + ("" if path.endswith(".git") else ".git")
    return src.removeprefix("git+")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    sub.add_parser("update").add_argument("unit")
    status = sub.add_parser("status")
    status.add_argument("unit")
    status.add_argument("status")
    status.add_argument(
        "--force", action="store_true", help="terminer l'unité même quand `make check` échoue"
    )
    sub.add_parser("update-all")
    sub.add_parser("undo").add_argument("unit", nargs="?")
    sub.add_parser("check").add_argument("unit", nargs="?")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        root = template_root(Path(tmp))
        sys.path.insert(0, str(root / "extensions"))
        from blueprint import completion, lifecycle

        try:
            return run(lifecycle, completion, root, args)
        except lifecycle.UnitError as error:
            print(f"erreur : {error}", file=sys.stderr)
            return 2
        except Exception as error:  # one message, not a traceback (VECTRA_DEBUG=1 shows it)
            if os.environ.get("VECTRA_DEBUG"):
                raise
            print(
                f"erreur : {type(error).__name__} : {error} (VECTRA_DEBUG=1 montre où)",
                file=sys.stderr,
            )
            return 2
        except KeyboardInterrupt:
            print(
                "interrompu : lancez `make units` pour voir si l'hôte a besoin de `make undo`",
                file=sys.stderr,
            )
            return 130


def run(lifecycle: ModuleType, completion: ModuleType, root: Path, args: argparse.Namespace) -> int:
    if args.command == "list":
        list_units(lifecycle)
        interrupted = lifecycle.journal.interrupted(HOST)
        for entry in interrupted:  # e.g. a copy killed after its first file: a partial unit
            print(
                f"{entry.unit or '-':40} {'interrompu':12} {lifecycle.journal.repair_hint(entry)}"
            )
        broken = lifecycle.broken_answers(HOST)
        for line in broken:
            print(f"erreur : {line}", file=sys.stderr)
        return 1 if broken or interrupted else 0
    if args.command == "update-all":
        return int(lifecycle.update_all(HOST))
    if args.command == "check":
        return check(
            lifecycle,
            completion,
            root,
            [args.unit] if args.unit else [u.key for u in lifecycle.units(HOST)],
        )
    if args.command == "undo":
        return int(lifecycle.undo_command(HOST, args.unit, root))
    unit = lifecycle.find(HOST, args.unit)
    if args.command == "status" and args.status == "completed" and not args.force:
        lifecycle.require_clean(HOST)  # before a check of several seconds, not after it
        lifecycle.precheck(
            unit
        )  # a damaged STATUS.md is refused as the status change would refuse it
        if refused := completion.refusal(HOST, unit.key, root, say):
            print(refused, file=sys.stderr)
            return 1
    version_before = unit.answers.get("_commit")
    files = (
        lifecycle.set_status(unit, args.status)
        if args.command == "status"
        else lifecycle.update(unit)
    )
    if files:
        print(lifecycle.conflict_report(unit.key, files), file=sys.stderr)
        return 1
    if args.command == "update" and (same := lifecycle.already_newest(unit, version_before)):
        print(same)
        return 0
    if args.command == "status":
        print(
            f"{unit.key} : statut {args.status} ; commité sous « vectra: status {unit.key} → {args.status} »."
        )
    else:
        print(f"{unit.key} : mise à jour ; relisez `git diff`, puis commitez.")
    return 0


def list_units(lifecycle: ModuleType) -> None:
    """The workflow board's columns (backend/app/workflow/board.py reads the same files as /workflow)."""
    sys.path.insert(0, str(HOST / "backend"))
    try:
        from app.workflow.board import read_board
    except ImportError:  # a host from before the board: the units as their answers record them
        for unit in lifecycle.units(HOST):
            print(f"{unit.key:40} {unit.answers.get('status', '-'):12} {unit.answers_file}")
        return
    board = read_board(HOST)
    rows = [("UNITÉ", "STATUT", "DATE", "PRIORITÉ", "COVERAGE (CIBLE)", "TESTS", "LOG")]
    for unit in board.units:
        coverage = f"{unit.coverage or '-'} ({unit.coverage_target or '-'})" + (
            " ⚠" if unit.below_target else ""
        )
        tests = {"pass": "✅", "fail": "❌", "none": "aucun", "unknown": "-"}[unit.tests]
        rows.append(
            (
                unit.key,
                unit.status,
                unit.date or "-",
                unit.priority or "-",
                coverage,
                tests,
                unit.log_path or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[-1]
        )
    print("  ".join(f"{status}: {count}" for status, count in board.counts.items()))
    for problem in board.problems:  # an unreadable answers file is named by `broken_answers` below
        if not problem.startswith(".copier-answers/"):
            print(f"note: {problem}", file=sys.stderr)


def say(text: str) -> None:
    print(text, flush=True)  # each step as it starts: a check takes seconds


def check(lifecycle: ModuleType, completion: ModuleType, root: Path, keys: list[str]) -> int:
    """Check each unit and write its measures in STATUS.md; commit them if the tree was clean before."""
    try:
        clean = not lifecycle.changes(HOST)
    except lifecycle.UnitError:  # not a git repository: the measures are written, nothing committed
        clean = False
    failed = 0
    for key in keys:
        result = completion.check(HOST, key, root, say)
        completion.record_check(HOST, result, lifecycle.find(HOST, key).unit(root))
        print(f"{'OK    ' if not result.problems else 'ÉCHEC '} {key}")
        for problem in result.problems:
            print(f"     - {problem}")
        failed += bool(result.problems)
    status_file = "docs/workflow/STATUS.md"
    if clean and status_file in lifecycle.changes(HOST):  # only it: a test may leave other files
        lifecycle.git(HOST, "add", "--", status_file)
        lifecycle.git(
            HOST,
            "commit",
            "-q",
            "--no-verify",
            "-m",
            f"vectra: check {', '.join(keys)}",
            "--",
            status_file,
        )
        print(f"Mesures écrites dans {status_file} et commitées.")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
