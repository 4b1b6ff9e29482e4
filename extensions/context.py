"""Copier's entry point into our Python: puts `unit` in every render and refuses bad units early.

Loaded by copier-template-extensions from this file's path. The `blueprint` package beside it is
loaded under a name unique to this checkout, because `copier update` renders two versions of the
template in one process and each must use its own code.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import hashlib
import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from typing import Any

import yaml
from copier.errors import UserMessageError
from copier_template_extensions import ContextHook
from jinja2 import Environment
from jinja2.ext import Extension

ROOT = Path(__file__).resolve().parent.parent


def _load_blueprint() -> Any:
    package_dir = Path(__file__).resolve().parent / "blueprint"
    name = "vectra_blueprint_" + hashlib.sha1(str(package_dir).encode()).hexdigest()[:10]
    if name not in sys.modules:
        # compile_cache first, on its own: it makes every other module compile once per version.
        _exec_module(f"{name}.compile_cache", package_dir / "compile_cache.py").compile_python_once(package_dir)
        _exec_module(name, package_dir / "__init__.py", package=package_dir)
    return sys.modules[name]


def _exec_module(name: str, file: Path, package: Path | None = None) -> Any:
    locations = [str(package)] if package else None
    spec = spec_from_file_location(name, file, submodule_search_locations=locations)
    assert spec and spec.loader
    module = module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


blueprint = _load_blueprint()
blueprint.copier_private.show_refusals_plainly()  # a refusal on one terminal line: the template's words only
blueprint.copier_private.ask_file_mode_once()  # git's core.fileMode once per copy, not once per file


class ContextUpdater(ContextHook):
    """Adds `unit`, `today` and the question helpers; refuses a bad unit before anything is written."""

    _units: dict[str, Any] = {}  # noqa: RUF012 - a cache shared by every render of this process
    _last_phase: str | None = None

    def hook(self, context: dict[str, Any]) -> None:
        conf = context["_copier_conf"]
        dst = Path(str(conf["dst_path"]))
        phase = str(context.get("_copier_phase", ""))
        checks = blueprint.checks

        context["today"] = dt.date.today().isoformat()
        context["default_kind"] = lambda: "feature" if checks.is_host(dst) else "project"  # `kind`'s default
        context["asks"] = lambda question: checks.asks(ROOT, context, question)
        context["kind_problem"] = lambda kind: checks.kind_problem(
            ROOT, dst, kind, copying=self._copying(conf, context)
        )
        context["name_problem"] = lambda kind, name: checks.unit_problem(
            ROOT, dst, kind, name, copying=self._copying(conf, {"kind": kind, "name": name})
        )
        context["date_problem"] = checks.date_problem
        context["problem"] = lambda question, value: checks.answer_problem(ROOT, question, value, context)
        # A list question's type: `yaml` for a YAML list already given (-d, answers file), else `str`.
        context["list_answer_type"] = lambda question: blueprint.compact_answers.answer_type(context.get(question))
        context["computed"] = lambda question: self._computed(conf, dst, question, context)
        context["record_unit"] = lambda: self._record(conf, context.get("unit"))
        context["finish_copy"] = lambda: self._finish_copy(conf)

        # Answers given with --data/--defaults are refused here with a clean message (a validator
        # would print a traceback); interactive answers meet the same checks as validators.
        if phase == "prompt":
            if problem := checks.cast_given_text(ROOT, context):
                raise UserMessageError(problem)
            if self._copying(conf, context):
                self._refuse_interrupted(conf, dst)
            if "kind" in context and (problem := self._prompt_problem(conf, dst, context)):
                raise UserMessageError(problem)

        first_render = phase == "render" and ContextUpdater._last_phase != "render"
        ContextUpdater._last_phase = phase
        if phase != "prompt" and "name" in context and "kind" in context:
            unit = self._unit(context)
            context["unit"] = unit
            if first_render and self._copying(conf, context):
                self._refuse_interrupted(conf, dst)
                if not conf["overwrite"] and (problem := checks.files_problem(dst, unit)):
                    raise UserMessageError(problem)
                self._begin_copy(conf, dst, unit)

    _checked: tuple[str, str] = ("", "")  # (state, problem) of the last check: prompts render a lot

    def _prompt_problem(self, conf: Any, dst: Path, context: dict[str, Any]) -> str:
        """The kind, name and every answer given so far, checked once per state: copier renders
        hundreds of strings while it asks, nearly all with the same answers in the same host. The
        host's answers folder changes (mtime) whenever a unit is added or removed."""
        answers = [(q, context[q]) for q in blueprint.catalog.questions(ROOT) if q in context]
        # repr, not JSON: as exact (True is not 1) at a fraction of the cost, hundreds of times a copy.
        state = repr((str(dst), blueprint.checks.host_state(dst), self._copying(conf, context), answers))
        if ContextUpdater._checked[0] != state:
            checks, kind = blueprint.checks, context["kind"]
            if "name" in context:
                problem = checks.unit_problem(ROOT, dst, kind, context["name"], copying=self._copying(conf, context))
                if not problem and "date" in context:  # a -d date= that copier would refuse with a traceback
                    problem = checks.date_problem(context["date"])
            else:
                problem = checks.kind_problem(ROOT, dst, kind, copying=self._copying(conf, context))
            ContextUpdater._checked = (state, problem or checks.answers_problem(ROOT, context))
        return ContextUpdater._checked[1]

    @staticmethod
    def _computed(conf: Any, dst: Path, question: str, context: dict[str, Any]) -> Any:
        """A computed default. Copier validates a default before it asks and prints a traceback when
        the default is refused: with --defaults it is the answer, so a refused one stops here with a
        clean message; in a terminal a refused one (the derived plural is another unit's table or
        URL, the derived model does not exist) is not offered, and the question is asked empty."""
        checks = blueprint.checks
        if "UNSET" in context and not checks.asks(ROOT, context, question):
            return context["UNSET"]  # no answer for an unasked question (see catalog.UNASKED_GUARD)
        value = checks.computed_default(ROOT, dst, question, context)
        if value is None or (not conf["defaults"] and "UNSET" not in context):
            return value  # not copier's render of the default: nothing to check
        answer = value  # as copier will cast it: a `yaml` question's default is YAML text
        if (
            isinstance(value, str)
            and blueprint.catalog.answer_types(ROOT).get(question) == "yaml"
            and not blueprint.compact_answers.is_compact(value)
        ):
            answer = yaml.load(value, Loader=blueprint.catalog.SAFE_LOADER)
        if not (problem := checks.answer_problem(ROOT, question, answer, context)):
            return value
        if not conf["defaults"]:
            return context["UNSET"]  # asked with no default; the refusal shows if it is typed
        hint = f"C'était la valeur par défaut de {question} : donnez-en une avec -d {question}=<valeur>."
        raise UserMessageError(f"{problem.rstrip('.')}.\n{hint}")

    # The copy in progress in this process: its journal and, from the record step on, the host lock.
    _journal: Any = None
    _lock: Any = None
    _exit_registered = False

    @classmethod
    def _begin_copy(cls, conf: Any, dst: Path, unit: Any) -> None:
        """Before a copy writes its first file: refuse it if an interrupted command left the host half
        changed or if an entry could not be written, then journal every file it may write, so a copy
        that fails or is killed can be undone whole (blueprint/journal.py). Not under --pretend, and
        only in a git host (update's scratch renders and undo's pristine render are neither)."""
        journal = blueprint.journal
        if conf["pretend"] or conf["skip_tasks"] or not blueprint.checks.is_host(dst) or not journal.git_dir(dst):
            return
        cls._abandon(restore=True)  # an earlier copy of this process that failed half way
        # The host lock from the first file to the last task: a `make status` at the same moment
        # must neither commit nor clean away files of this copy.
        cls._lock = journal.HostLock(dst)
        try:
            cls._refuse_interrupted(conf, dst)  # again, under the lock
            blueprint.entries.precheck(dst, unit)
        except blueprint.upsert.UpsertError as error:
            cls._abandon()
            raise UserMessageError(f"vectra-blueprints : rien n'a été écrit : {error}") from error
        except UserMessageError:
            cls._abandon()
            raise
        files = [*unit.files, unit.answers_file, *unit.shared_files, *unit.dropped_entries]
        if "database" in unit.parts and unit.database.alters:  # the model it changes in place
            models = dst / blueprint.parts.database.MODELS_DIR
            files += sorted(p.relative_to(dst).as_posix() for p in models.glob("*.py"))
        cls._journal = journal.begin(dst, f"copier copy {unit.key}", unit=unit.key, files=files)
        if not cls._exit_registered:
            atexit.register(cls._undo_unfinished)
            cls._exit_registered = True

    @staticmethod
    def _refuse_interrupted(conf: Any, dst: Path) -> None:
        """A command killed half way (a partial unit, a half update) is repaired before any copy."""
        journal = blueprint.journal
        if blueprint.checks.is_host(dst) and (stale := journal.interrupted(dst)):
            where = "" if conf["pretend"] else "rien n'a été écrit : "
            raise UserMessageError(f"vectra-blueprints : {where}{journal.repair_hint(stale[0])}.")

    @classmethod
    def _record(cls, conf: Any, unit: Any) -> bool:
        """The record task, in copier's process (see copier.yml `_tasks`): returns false, so copier
        starts no process for it. Skipped like a task under --pretend; a no-op outside a host
        (update's scratch renders); a refused upsert undoes the copy and stops copier with its message.
        Takes the host lock, held until the copy's last task (`_finish_copy`)."""
        dst = Path(str(conf["dst_path"]))
        if conf["pretend"] or not blueprint.checks.is_host(dst) or unit is None or not unit.has_log:
            return False
        if cls._lock is None:
            cls._lock = blueprint.journal.HostLock(dst)
        try:
            report = blueprint.entries.record(dst, Path(str(conf["answers_file"])), ROOT)
        except blueprint.upsert.UpsertError as error:
            undone = " Rien n'a changé : la copie a été défaite." if cls._journal is not None else ""
            cls._abandon(restore=True)
            raise UserMessageError(f"vectra-blueprints : {error}.{undone}") from error
        if not conf["quiet"]:
            print("\n".join(report), file=sys.stderr)
        return False

    @classmethod
    def _finish_copy(cls, conf: Any) -> bool:
        """The copy's last task: every file is written, the journal goes and the host lock is freed."""
        if not conf["pretend"]:
            cls._abandon()
        return False

    @classmethod
    def _undo_unfinished(cls) -> None:
        """At exit, a copy that never reached its last task (a task failed, Ctrl-C): undone whole."""
        if cls._journal is not None:
            key = cls._journal.unit
            with contextlib.suppress(Exception):
                cls._abandon(restore=True)
                print(f"vectra-blueprints : la copie de {key} n'a pas fini ; elle a été défaite, l'hôte est tel "
                      "qu'avant.", file=sys.stderr)  # fmt: skip

    @classmethod
    def _abandon(cls, restore: bool = False) -> None:
        if cls._journal is not None:
            cls._journal.restore() if restore else cls._journal.drop()
            cls._journal = None
        if cls._lock is not None:
            cls._lock.release()
            cls._lock = None

    @staticmethod
    def _copying(conf: Any, answers: dict[str, Any]) -> bool:
        """copy or update: copier tells templates only in _tasks/_exclude, we need it earlier."""
        known = "kind" in answers and "name" in answers  # without copier's word: the unit's answers file…
        answers_file = blueprint.unit.answers_file(answers["kind"], answers["name"]) if known else None
        in_host = functools.partial(blueprint.checks.is_host, Path(str(conf["dst_path"])))  # …and the host say
        return blueprint.copier_private.operation(conf, answers_file, in_host) != "update"

    def _unit(self, context: dict[str, Any]) -> Any:
        answers = {k: v for k, v in context["_copier_answers"].items() if not k.startswith("_")}
        answers.update({k: context[k] for k in ("kind", "name") if k in context})
        key = repr([str(ROOT), answers])  # see _prompt_problem
        if key not in self._units:
            self._units[key] = blueprint.unit.build(answers, ROOT)
        return self._units[key]


class Filters(Extension):
    """The escaping filters for free text (see blueprint/filters.py)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(blueprint.filters.FILTERS)


class CompileOnce(Extension):
    """Jinja compiled once, not once per render (see blueprint/compile_cache.py)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        if not blueprint.copier_private.speedups_on():  # VECTRA_BLUEPRINTS_SPEEDUPS=off: Jinja as copier has it
            return
        environment.from_string = blueprint.compile_cache.memoised_from_string(environment)  # type: ignore[method-assign]
        if environment.bytecode_cache is None:
            environment.bytecode_cache = blueprint.compile_cache.bytecode_cache(environment)
