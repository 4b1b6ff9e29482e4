"""A unit's life after `copier copy`: update, status, update-all and undo (the check: completion.py).

The host runs these through `scripts/units.py` (its Makefile: `make update|status|update-all|undo|check`),
which loads this module from the template the host came from. Everything runs in one process:
copier is imported once, whatever the number of units.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import entries, imports, journal, upsert
from .checks import is_host
from .template_reuse import reused_template
from .unit import ANSWERS_DIR, Unit, build

TEMPLATE_ROOT = Path(__file__).resolve().parents[2]  # the checkout this module was loaded from
CONFLICT_MARKER = re.compile(r"^(<{7}|>{7}) ", re.M)
RESTORED = "Rien n'a changé : l'hôte est tel qu'avant la commande."
STATUSES = ("in_progress", "completed", "blocked")


class UnitError(Exception):
    """A command cannot run as asked; the message says why and what to do."""


@dataclass(frozen=True)
class HostUnit:
    """One unit of a host, as its answers file records it."""

    host: Path
    answers_file: str  # relative to the host

    @property
    def answers(self) -> dict[str, Any]:
        return yaml.safe_load((self.host / self.answers_file).read_text(encoding="utf-8")) or {}

    @property
    def key(self) -> str:
        return f"{self.answers['kind']}/{self.answers['name']}"

    def unit(self, template_root: Path) -> Unit:
        return build({k: v for k, v in self.answers.items() if not k.startswith("_")}, template_root)


def units(host: Path) -> list[HostUnit]:
    """Every unit of the host, oldest first (the answers file names are stable).

    An answers file that cannot be read is left out (`broken_answers` names it): the other units
    keep working."""
    found = []
    for path in (host / ANSWERS_DIR).glob("*.yml"):
        if path.name.startswith("project_"):
            continue
        candidate = HostUnit(host, path.relative_to(host).as_posix())
        if not _answers_problem(candidate):
            found.append(candidate)
    return sorted(found, key=lambda u: (str(u.answers.get("date", "")), u.answers_file))


def skeleton(host: Path) -> HostUnit | None:
    """The host itself as a unit (`project/<name>`): its skeleton (Makefile, settings, shared code)
    follows template versions with `make update unit=project/<name>` and `make update-all`."""
    project = next(iter(sorted((host / ANSWERS_DIR).glob("project_*.yml"))), None)
    if project is None:
        return None
    candidate = HostUnit(host, project.relative_to(host).as_posix())
    return None if _answers_problem(candidate) else candidate


def _answers_problem(host_unit: HostUnit) -> str:
    """What makes an answers file unusable ("" when it is fine)."""
    try:
        answers = host_unit.answers
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" line {mark.line + 1}" if mark else ""
        return f"{host_unit.answers_file}{where} : YAML invalide ({error.problem or error})"
    except yaml.YAMLError as error:
        return f"{host_unit.answers_file} : YAML invalide ({error})"
    except (OSError, UnicodeDecodeError) as error:
        return f"{host_unit.answers_file} : illisible ({error})"
    if not isinstance(answers, dict) or not answers.get("kind") or not answers.get("name"):
        return f"{host_unit.answers_file} : ce ne sont pas les réponses d'une unité (ni kind ni name)"
    return ""


def broken_answers(host: Path) -> list[str]:
    """One line per answers file that cannot be read, with what to do."""
    return [
        f"{problem} ; corrigez-le (ou restaurez-le : `git checkout -- {host_unit.answers_file}`)"
        for path in sorted((host / ANSWERS_DIR).glob("*.yml"))
        if not path.name.startswith("project_")
        and (problem := _answers_problem(host_unit := HostUnit(host, path.relative_to(host).as_posix())))
    ]


def find(host: Path, key: str) -> HostUnit:
    if not is_host(host):
        raise UnitError(f"{host} n'est pas un hôte VECTRA (pas de {ANSWERS_DIR}/project_*.yml)")
    for candidate in [*filter(None, [skeleton(host)]), *units(host)]:
        if candidate.key == key:
            return candidate
    for entry in journal.interrupted(host):  # a copy killed half way: a partial unit
        if entry.unit == key:
            raise UnitError(journal.repair_hint(entry))
    known = ", ".join(u.key for u in units(host)) or "aucune pour l'instant"
    if (own := skeleton(host)) is not None:
        known += f" ; l'hôte lui-même : {own.key}"
    broken = "".join(f"\nNote : {line}" for line in broken_answers(host))
    raise UnitError(f"pas d'unité {key!r} dans cet hôte (unités : {known}) ; écrivez-la <kind>/<name>{broken}")


def refuse_interrupted(host: Path) -> None:
    """A command killed half way left a journal: nothing runs on a half-changed host."""
    if stale := journal.interrupted(host):
        raise UnitError(journal.repair_hint(stale[0]))


def repair(host: Path, key: str | None, out: Any = sys.stdout) -> bool:
    """Restore what interrupted commands (of unit `key`, or all) left half done; False when none did."""
    with journal.host_lock(host):
        journal.sweep(host)
        stale = [j for j in journal.interrupted(host) if key is None or j.unit == key or not j.unit]
        for entry in stale:
            done = entry.restore()
            print(f"Hôte remis tel qu'avant la commande interrompue {entry.describe()} :", file=out)
            print(*(f"  - {line}" for line in done or ["rien n'avait encore changé"]), sep="\n", file=out)
    return bool(stale)


def undo_command(host: Path, key: str | None, template_root: Path, out: Any = sys.stdout) -> int:
    """`make undo`: first what an interrupted command left (a partial copy, a half update), else the unit."""
    if repair(host, key, out):
        return 0
    if key is None:
        raise UnitError("rien n'a été interrompu ; pour retirer une unité : make undo unit=<kind>/<name>")
    if journal.git_dir(host) is None:  # nowhere to journal outside git: undo as it always did
        return undo(host, key, template_root, out)
    if key.startswith("project/"):
        raise UnitError(f"{key} est l'hôte lui-même : `make undo` retire des unités de travail, pas l'hôte")
    with journal.host_lock(host):
        host_unit = find(host, key)
        unit = host_unit.unit(template_root)
        files = [*unit.files, host_unit.answers_file, *unit.shared_files]
        entry = journal.begin(host, f"make undo unit={key}", unit=key, files=files)
        try:
            result = undo(host, key, template_root, out)
        except BaseException:
            entry.restore()
            raise
        entry.drop()
        return result


def git(host: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=host, capture_output=True, text=True, check=False)
    if check and done.returncode:
        raise UnitError(f"git {' '.join(args)} a échoué : {done.stderr.strip()}")
    return done.stdout


# `git status --porcelain` codes of a path git could not merge.
UNMERGED = {"DD", "AU", "UD", "UA", "DU", "AA", "UU"}


def changes(host: Path) -> dict[str, str]:
    """Changed, staged and untracked paths -> their `git status` code (one git call)."""
    found: dict[str, str] = {}
    fields = iter(git(host, "status", "--porcelain=v1", "-z", "--untracked-files=all").split("\0"))
    for field in fields:
        if len(field) > 3:
            found[field[3:]] = field[:2]
            if field[0] in "RC":  # a rename or copy: its source path follows
                next(fields, None)
    return found


def conflicts(host: Path) -> list[str]:
    """Files copier left with conflict markers (it exits 0 when it does: we don't)."""
    changed = changes(host)
    unmerged = {path for path, code in changed.items() if code in UNMERGED}
    for path in changed:
        file = host / path
        small = file.is_file() and file.stat().st_size < 2_000_000
        if small and CONFLICT_MARKER.search(file.read_text(encoding="utf-8", errors="replace")):
            unmerged.add(path)
    return sorted(unmerged)


def require_clean(host: Path) -> None:
    if changes(host):
        raise UnitError("l'hôte a des changements non commités : commitez-les (copier update veut un arbre git propre)")


def update(
    host_unit: HostUnit,
    *,
    vcs_ref: str | None = None,
    data: dict[str, Any] | None = None,
    checked: bool = False,
    commit: str = "",
) -> list[str]:
    """`copier update` of one unit; returns the files left in conflict (empty when the merge was clean).

    `vcs_ref=":current:"` re-renders at the unit's own template version (new answers only).
    `checked`: the caller holds the host lock and has just seen a clean tree (update_all, set_status).
    `commit`: commit a clean merge with this message. All or nothing: any failure puts the tree back
    as it was (see `_transaction`).
    """
    import copier

    host = host_unit.host
    with journal.host_lock(host):
        if not checked:
            refuse_interrupted(host)
            require_clean(host)
        if why := not_updatable(host_unit):
            raise UnitError(f"{why}. Rien n'a changé.")
        precheck(host_unit)
        ref: Any = copier.VcsRef.CURRENT if vcs_ref == ":current:" else vcs_ref
        with _transaction(host, commit or f"copier update {host_unit.key}", host_unit.key):
            with reused_template():  # an update clones each of its two versions once, not five times in all
                copier.run_update(
                    dst_path=host,
                    answers_file=host_unit.answers_file,
                    data=data or {},
                    vcs_ref=ref,
                    defaults=True,
                    overwrite=True,
                    unsafe=True,
                    quiet=True,
                )
            files = conflicts(host)
            if commit and not files and changes(host):
                git(host, "add", "-A")
                git(host, "commit", "-q", "--no-verify", "-m", commit)
    return files


def not_updatable(host_unit: HostUnit) -> str:
    """Why copier cannot update this unit ("" when it can): it was made from a template folder that is
    not a git repository, so its answers record no version (`_commit`) to merge from."""
    if host_unit.answers.get("_commit"):
        return ""
    return (
        f"{host_unit.key} vient d'un dossier de template qui n'est pas un dépôt git (pas de `_commit` dans "
        f"{host_unit.answers_file}) : copier n'a pas de version d'où fusionner. Refaites-la depuis le dépôt git "
        "du template, ou reportez à la main les changements du template"
    )


def precheck(host_unit: HostUnit) -> None:
    """Refuse, before anything is written, a unit whose shared files (STATUS.md, reference docs)
    could not take its entries: not UTF-8, an entry twice, a lost marker, not writable."""
    try:
        entries.precheck(host_unit.host, host_unit.unit(TEMPLATE_ROOT))
    except upsert.UpsertError as error:
        raise UnitError(f"{error}. Rien n'a changé.") from error
    except (KeyError, ValueError, TypeError):  # answers this checkout cannot read: copier will say why
        pass


@contextlib.contextmanager
def _transaction(host: Path, command: str, key: str) -> Iterator[None]:
    """Run a command that starts on a clean tree: on any failure (or Ctrl-C) the tree goes back to HEAD,
    ignored files untouched; killed, it leaves a journal that `make undo` restores from."""
    entry = journal.begin(host, command, unit=key, head=git(host, "rev-parse", "HEAD").strip())
    try:
        yield
    except BaseException as error:
        entry.restore()
        if not isinstance(error, Exception):  # Ctrl-C: restored, and it goes on
            raise
        said = str(error) if isinstance(error, UnitError) else f"{command} a échoué : {str(error).strip() or error!r}"
        raise UnitError(f"{said}\n{RESTORED}") from error
    entry.drop()


def already_newest(host_unit: HostUnit, commit_before: Any) -> str:
    """After a clean update: what to say when it changed nothing (the unit was at the newest version), else ""."""
    if host_unit.answers.get("_commit") != commit_before or changes(host_unit.host):
        return ""
    version = f" ({commit_before})" if commit_before else ""
    return f"{host_unit.key} est déjà à la dernière version du template{version} : rien à mettre à jour."


def set_status(host_unit: HostUnit, status: str) -> list[str]:
    """Change a unit's status and commit it ("vectra: status K/N → S"): two at once both land."""
    if host_unit.key.startswith("project/"):
        key = host_unit.key
        raise UnitError(f"{key} est l'hôte lui-même : il n'a pas de statut (`make update unit={key}` le met à jour)")
    if status not in STATUSES:
        raise UnitError(f"statut inconnu {status!r} : choisissez parmi {', '.join(STATUSES)}")
    host = host_unit.host
    with journal.host_lock(host):  # the second of two waits here, then finds the first one committed
        refuse_interrupted(host)
        require_clean(host)
        return update(
            host_unit,
            vcs_ref=":current:",
            data={"status": status},
            checked=True,
            commit=f"vectra: status {host_unit.key} → {status}",
        )


def conflict_report(key: str, files: list[str]) -> str:
    listed = "\n".join(f"    {f}" for f in files)
    return (
        f"CONFLITS pendant la mise à jour de {key} : copier n'a pas pu fusionner les changements du template avec\n"
        f"les vôtres dans\n{listed}\n"
        "Ouvrez chaque fichier, gardez le bon côté de chaque bloc <<<<<<< / ======= / >>>>>>>, retirez les\n"
        "marqueurs, puis `git add` des fichiers et commit (voir le README de l'hôte : « Conflits de mise à jour »)."
    )


def update_all_conflict_report(key: str, files: list[str], done: list[str], rest: list[HostUnit]) -> str:
    """Where update-all stopped: the conflicted unit and files, what is committed and what is not, how to go on."""
    listed = "\n".join(f"    {f}" for f in files)
    later = ", ".join(u.key for u in rest) or "aucune"
    return (
        f"CONFLITS pendant la mise à jour de {key} : update-all s'est arrêté là ; copier n'a pas pu fusionner\n"
        f"les changements du template avec les vôtres dans\n{listed}\n"
        f"Mises à jour et commitées : {', '.join(done) or 'aucune'}{' (un commit chacune)' if done else ''}\n"
        f"Mise à jour mais pas commitée : {key} (sa mise à jour est dans votre copie de travail, conflits compris)\n"
        f"Pas mises à jour : {later}\n"
        "Pour continuer :\n"
        "  1. dans chaque fichier ci-dessus, gardez le bon côté de chaque bloc <<<<<<< / ======= / >>>>>>>\n"
        "     et retirez les marqueurs (`git diff` les montre ; README de l'hôte : « Conflits de mise à jour ») ;\n"
        f"  2. git add -A && git commit -m 'vectra: update {key}'\n"
        f"  3. make update-all    # reprend les unités pas encore mises à jour ({later}) ; les autres sont sautées"
    )


def update_all(host: Path, *, vcs_ref: str | None = None, out: Any = sys.stdout) -> int:
    """Update the host's skeleton, then every unit, one by one, committing each; stop at the first conflict.

    The skeleton goes first: a later template's units may rely on what its skeleton brings (a Makefile
    target, a shared module), and its Makefile is what the team runs the next command with.

    Git is asked as little as it takes: on a slow disk a git call costs as much as the Python
    start-up that running every update in this one process saves; each template version is
    cloned once for all the units (template_reuse)."""
    with journal.host_lock(host):
        refuse_interrupted(host)
        require_clean(host)
        own = skeleton(host)
        if own is not None and (why := not_updatable(own)):  # the units can still follow their template
            print(f"Pas mise à jour : {why}", file=out)
            own = None
        code = _update_each(host, [*filter(None, [own]), *units(host)], vcs_ref, out)
    for line in broken_answers(host):  # the other units were updated; this one could not be
        print(f"Pas mise à jour : {line}", file=out)
        code = code or 1
    return code


def _update_each(host: Path, todo: list[HostUnit], vcs_ref: str | None, out: Any) -> int:
    done: list[str] = []
    with reused_template():
        for position, host_unit in enumerate(todo):
            try:
                files = update(host_unit, vcs_ref=vcs_ref, checked=True)
            except UnitError as error:  # that unit was put back as it was; the ones before stay committed
                print(f"erreur pendant la mise à jour de {host_unit.key} : {error}", file=out)
                print(f"Mises à jour et commitées : {', '.join(done) or 'aucune'}", file=out)
                print(f"Pas mises à jour : {', '.join(u.key for u in todo[position:])}", file=out)
                return 1
            if files:
                print(update_all_conflict_report(host_unit.key, files, done, todo[position + 1 :]), file=out)
                return 1
            if changes(host):
                git(host, "add", "-A")
                git(host, "commit", "-q", "--no-verify", "-m", f"vectra: update {host_unit.key}")
                done.append(host_unit.key)
                print(f"mise à jour {host_unit.key}", file=out)
            else:
                print(f"à jour {host_unit.key}", file=out)
    host_too = bool(todo) and todo[0].key.startswith("project/")
    counted = f"L'hôte et ses {len(todo) - 1} unité(s) sont" if host_too else f"Les {len(todo)} unités sont"
    print(f"{counted} à jour ({len(done)} mise(s) à jour, un commit chacune).", file=out)
    return 0


def pristine_render(host_unit: HostUnit, into: Path) -> Path:
    """The unit's files as the template renders them today from its recorded answers and version."""
    import copier

    answers = host_unit.answers
    project = next((host_unit.host / ANSWERS_DIR).glob("project_*.yml"))
    (into / ANSWERS_DIR).mkdir(parents=True)
    shutil.copy2(project, into / ANSWERS_DIR / project.name)  # so the render sees a host
    copier.run_copy(
        str(answers["_src_path"]),
        into,
        data={k: v for k, v in answers.items() if not k.startswith("_")},
        vcs_ref=answers.get("_commit"),
        defaults=True,
        unsafe=True,
        quiet=True,
        skip_tasks=True,
    )
    return into


def undo(host: Path, key: str, template_root: Path, out: Any = sys.stdout) -> int:
    """Remove a unit: its files and entries nobody changed, its answers file; keep and list the rest.

    A file or an entry a person changed (committed or not) is kept: its words exist nowhere else.
    A file of the host that imports a removed one no longer works: it is listed as broken.
    """
    host_unit = find(host, key)
    unit = host_unit.unit(template_root)
    for shared in unit.shared_files:  # a damaged entry stops undo before anything is removed
        try:
            upsert.entry_state(host / shared, unit.key)
        except upsert.UpsertError as error:
            raise UnitError(f"{shared} : {error} ; rien n'a été retiré") from error
    removed, kept, removed_files = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        pristine = pristine_render(host_unit, Path(tmp) / "render")
        for path in unit.files:
            mine, theirs = host / path, pristine / path
            if not mine.exists():
                continue
            if theirs.is_file() and mine.read_bytes() == theirs.read_bytes():
                mine.unlink()
                removed.append(path)
                removed_files.append(path)
                _prune_empty_dirs(mine.parent, host)
            else:
                kept.append(path)
    for shared in unit.shared_files:
        what = upsert.remove_unedited(host / shared, unit.key)
        if what == "removed":
            removed.append(f"{shared} (entrée {unit.key})")
        elif what == "edited":
            kept.append(
                f"{shared} (entrée {unit.key}, modifiée à la main : retirez-la vous-même, "
                f"de `<!-- vectra:unit {unit.key} …-->` à `<!-- /vectra:unit {unit.key} -->`)"
            )
    (host / host_unit.answers_file).unlink()
    removed.append(host_unit.answers_file)
    print(f"Unité {key} retirée :", *(f"  - {p}" for p in removed), sep="\n", file=out)
    if kept:
        print("Gardés, car modifiés depuis leur génération (supprimez-les vous-même si vous voulez) :", file=out)
        print(*(f"  - {p}" for p in kept), sep="\n", file=out)
    if broken := imports.broken(_sources(host), removed_files):
        print("Cassés : ces fichiers importent un fichier retiré (corrigez-les ou supprimez-les) :", file=out)
        print(*(f"  - {path} importe {', '.join(gone)}" for path, gone in broken.items()), sep="\n", file=out)
    return 0


SKIPPED_DIRS = {"node_modules", ".venv", "venv", "__pycache__", ".next", ".git", ".pytest_cache", ".ruff_cache"}


def _sources(host: Path) -> dict[str, str]:
    """The host's Python and TypeScript files -> their text (installed packages and caches left out)."""
    found: dict[str, str] = {}
    for top in (imports.BACKEND, imports.FRONTEND):
        for folder, dirs, files in os.walk(host / top):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
            for name in files:
                if name.endswith((".py", *imports.TS_SUFFIXES)):
                    file = Path(folder) / name
                    found[file.relative_to(host).as_posix()] = file.read_text(encoding="utf-8", errors="replace")
    return found


def _prune_empty_dirs(folder: Path, host: Path) -> None:
    while folder != host and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
