"""Every use of copier's private API, in one place: the file to look at when copier changes.

Copier's public API (`run_copy`, `run_update`, `VcsRef`, `errors`) has no way to share a template clone
between runs, nor to tell a template which operation it is rendering for before its tasks. Two things
here reach into copier's private modules for that:

- `template_reuse`: `copier._template.clone` and `copier._template.load_template_config`, replaced for
  the length of a `make update-all` (blueprint/template_reuse.py): one clone per template version.
- `operation`: `copier._main._operation`, the ContextVar copier sets to "copy" or "update"
  (extensions/context.py: a copy refuses an existing unit, an update does not).
- `file_mode_once`: `copier._main.Worker._sync_git_index_executable_bit`, which asks git for
  `core.fileMode` once per rendered file (a process each: a tenth of a feature's copy); wrapped to ask
  once per destination and `.git/config` state, and to do nothing more when it is not `false`, which
  is all copier then does.
- `plain_refusals`: `copier._user_data.Question.validate_answer`, wrapped so that a terminal shows a
  refused answer's reason as the template wrote it (French, what to do first) without copier's English
  "Validation error for question '…': ", which took 50 of the one line a terminal gives a refusal.

At import, each name is looked up on the installed copier and compared with the shape this code was
written for (a function's parameters, a ContextVar). A name that is missing or changed turns off what
needs it: copier then runs plainly, with the same output (`operation()` falls back on public facts),
and a one-line notice goes to stderr when VECTRA_BLUEPRINTS_VERBOSE is set. VECTRA_BLUEPRINTS_SPEEDUPS=off
turns every speed-up off on purpose: these private names and compile_cache.py's Jinja caches (those use
only Jinja's public API on copier's environment; a string copier asks more of than render() gets Jinja's
own template).

Not here: the host's scripts/units.py uses `copier._vcs.get_repo` to find the template before any of
this package exists on the machine (it is what clones it), so it has its own small guard.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPEEDUPS_ENV = "VECTRA_BLUEPRINTS_SPEEDUPS"  # "off": plain copier, no private name used
VERBOSE_ENV = "VECTRA_BLUEPRINTS_VERBOSE"  # set: say which speed-up is off and why (one line)


@dataclass(frozen=True)
class Private:
    """One private name of copier and the shape we rely on: a function's parameter names, or a ContextVar."""

    module: str
    name: str
    parameters: tuple[str, ...] | None = None  # None: a ContextVar

    @property
    def dotted(self) -> str:
        return f"{self.module}.{self.name}"

    def problem(self, found: Any) -> str:
        """What is wrong with what the installed copier has under this name ("" when it fits)."""
        if self.parameters is None:
            return "" if isinstance(found, ContextVar) else f"{self.dotted} is no longer a ContextVar"
        if not callable(found):
            return f"{self.dotted} is no longer a function"
        try:
            names = tuple(inspect.signature(found).parameters)
        except (TypeError, ValueError):
            return f"{self.dotted} has no readable signature"
        if names != self.parameters:
            return f"{self.dotted} takes ({', '.join(names)}), not ({', '.join(self.parameters)})"
        return ""


# What each use needs; all of its names must fit, or it is off.
USES: dict[str, tuple[Private, ...]] = {
    "template_reuse": (
        Private("copier._template", "clone", ("url", "ref", "location")),
        Private("copier._template", "load_template_config", ("conf_path", "quiet")),
    ),
    "operation": (Private("copier._main", "_operation"),),
    "plain_refusals": (Private("copier._user_data", "Question.validate_answer", ("self", "answer")),),
    "file_mode_once": (
        Private("copier._main", "Worker._sync_git_index_executable_bit", ("self", "dst_relpath", "src_mode")),
    ),
}


@dataclass(frozen=True)
class Checked:
    """The installed copier's objects for each use that fits, and why each other one is off."""

    found: Mapping[str, tuple[Any, ...]]
    problems: Mapping[str, str]


def check(
    uses: Mapping[str, tuple[Private, ...]] = USES, import_module: Callable[[str], Any] = importlib.import_module
) -> Checked:
    """Look every private name up on the installed copier (no name is used before it is checked)."""
    found: dict[str, tuple[Any, ...]] = {}
    problems: dict[str, str] = {}
    for use, names in uses.items():
        objects, wrong = [], []
        for private in names:
            try:
                obj = _attribute(import_module(private.module), private.name)
            except (ImportError, AttributeError):
                wrong.append(f"{private.dotted} is missing")
                continue
            if problem := private.problem(obj):
                wrong.append(problem)
            objects.append(obj)
        if wrong:
            problems[use] = "; ".join(wrong)
        else:
            found[use] = tuple(objects)
    return Checked(found, problems)


def _attribute(module: Any, dotted: str) -> Any:
    """`Class.method` or `name` on `module`."""
    return functools.reduce(getattr, dotted.split("."), module)


def _owner(private: Private) -> Any:
    """The module or class that holds `private`'s last name (what to set it on)."""
    module = importlib.import_module(private.module)
    holder = private.name.rpartition(".")[0]
    return _attribute(module, holder) if holder else module


def speedups_on() -> bool:
    """False when VECTRA_BLUEPRINTS_SPEEDUPS=off: copier runs as it would without this template's help."""
    return os.environ.get(SPEEDUPS_ENV, "").strip().lower() != "off"


def private(use: str) -> tuple[Any, ...] | None:
    """What copier has now under the names of `use` (in USES order), or None: do without them."""
    if not speedups_on() or use not in CHECKED.found:
        return None
    return tuple(_attribute(importlib.import_module(p.module), p.name) for p in USES[use])


@contextmanager
def replaced(use: str, *replacements: Any) -> Iterator[None]:
    """Within the block, copier's names for `use` are `replacements` (in USES order); then its own again,
    even after an error. Only for a use that `private(use)` gave."""
    originals = private(use)
    if originals is None or len(replacements) != len(originals):
        raise RuntimeError(f"copier's private names for {use} cannot be replaced here")
    owners = [_owner(p) for p in USES[use]]
    names = [p.name.rpartition(".")[2] for p in USES[use]]
    for owner, name, new in zip(owners, names, replacements, strict=True):
        setattr(owner, name, new)
    try:
        yield
    finally:
        for owner, name, old in zip(owners, names, originals, strict=True):
            setattr(owner, name, old)


def notice(checked: Checked) -> str:
    """The one line said under VECTRA_BLUEPRINTS_VERBOSE ("" when every speed-up is on)."""
    if not speedups_on():
        return f"vectra-blueprints: speed-ups off ({SPEEDUPS_ENV}=off): copier runs as it does on its own."
    if not checked.problems:
        return ""
    off = "; ".join(f"{use} off ({why})" for use, why in checked.problems.items())
    return f"vectra-blueprints: this copier differs from the one we know: {off}. Same output, plainly made."


SAID_ENV = "VECTRA_BLUEPRINTS_NOTICE_SAID"  # the line already said by this process or its parent


def say_notice(checked: Checked) -> None:
    """Under VECTRA_BLUEPRINTS_VERBOSE, the notice once: not again by the second checkout an update
    loads in the same process, nor by the processes a command starts."""
    if os.environ.get(VERBOSE_ENV) and (line := notice(checked)) and os.environ.get(SAID_ENV) != line:
        os.environ[SAID_ENV] = line
        print(line, file=sys.stderr)


def operation(conf: Mapping[str, Any], answers_file: str | None, in_host: Callable[[], bool]) -> str:
    """What copier is running, "copy" or "update", known before its tasks (where it says it publicly).

    Without copier's ContextVar, from public facts: copier updates only with `overwrite`, into the unit's
    answers file (`answers_file`, relative to the destination; None while kind and name are unknown) in
    a host, or into scratch folders (no host) that inherit its settings; anything else is a copy.
    (A `copier copy --overwrite` over an existing unit, or outside a host, is then taken for an update:
    not refused as an existing unit or for the missing host, as the person asked to overwrite.)
    Not `_copier_conf.answers_file`: copier renders it with the hook, which would ask again.
    """
    found = CHECKED.found.get("operation") if speedups_on() else None  # hundreds of calls a copy: no lookup
    if found is not None:
        return "update" if found[0].get(None) == "update" else "copy"
    existing = answers_file is not None and (Path(str(conf["dst_path"])) / answers_file).is_file()
    return "update" if conf["overwrite"] and (existing or not in_host()) else "copy"


REFUSAL_PREFIX = "Validation error for question '{}': "  # copier's words before the validator's own


def show_refusals_plainly() -> None:
    """From now on in this process, a refused answer reads as the template's validator wrote it
    (`plain_refusals` above). Once per process: the second template version an update loads finds
    copier's method already wrapped."""
    found = private("plain_refusals")
    if found is None or getattr(found[0], "vectra_plain", False):
        return
    validate_answer = found[0]

    @functools.wraps(validate_answer)
    def plain(self: Any, answer: Any) -> None:
        try:
            validate_answer(self, answer)
        except ValueError as error:
            message = str(error)
            prefix = REFUSAL_PREFIX.format(getattr(self, "var_name", ""))
            if not message.startswith(prefix):
                raise
            raise ValueError(message.removeprefix(prefix)) from None

    plain.vectra_plain = True  # type: ignore[attr-defined]
    _owner(USES["plain_refusals"][0]).validate_answer = plain


def file_mode_off(root: Path) -> bool:
    """Whether git's `core.fileMode` is false for the repository holding `root` (as copier reads it)."""
    done = subprocess.run(
        ["git", "-C", str(root), "config", "--type=bool", "--get", "core.fileMode"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.returncode == 0 and done.stdout.strip() == "false"


def ask_file_mode_once() -> None:
    """From now on in this process, copier's per-file `core.fileMode` question is asked once per
    destination (`file_mode_once` above); the answer is asked again when `.git/config` changes."""
    found = private("file_mode_once")
    if found is None or getattr(found[0], "vectra_once", False):
        return
    sync = found[0]
    answers: dict[tuple[str, int, int], bool] = {}

    @functools.wraps(sync)
    def once(self: Any, dst_relpath: Path, src_mode: int) -> None:
        root = Path(self.dst_path).absolute()
        config = root / ".git/config"
        state = config.stat() if config.is_file() else None
        key = (str(root), state.st_mtime_ns if state else 0, state.st_size if state else 0)
        if key not in answers:
            answers[key] = file_mode_off(root)
        if answers[key]:  # git ignores modes here: copier writes the executable bit in the index
            sync(self, dst_relpath, src_mode)

    once.vectra_once = True  # type: ignore[attr-defined]
    _owner(USES["file_mode_once"][0])._sync_git_index_executable_bit = once


CHECKED = check()
say_notice(CHECKED)
