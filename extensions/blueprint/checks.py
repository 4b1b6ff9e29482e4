"""Refusals and question helpers: every check runs before copier writes a single byte."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import yaml
from jinja2 import UndefinedError

from . import catalog, compact_answers, naming, parts
from .unit import ANSWERS_DIR, Unit, answers_file, render

BOOTSTRAP = "copier copy --trust <template> <new-folder> -d kind=project -d name=<host-name>"


def host_state(dst: Path) -> int | None:
    """Changes whenever a unit is added to or removed from `dst` (its answers folder's mtime)."""
    try:
        return os.stat(dst / ANSWERS_DIR).st_mtime_ns
    except OSError:
        return None


def is_host(dst: Path) -> bool:
    """A VECTRA host is a folder bootstrapped by this template (it keeps the project's answers)."""
    if (stamp := host_state(dst)) is None:
        return False
    # Copier renders hundreds of strings per copy, each asking this: a folder's mtime changes when
    # an entry is added, removed or renamed, so (folder, mtime) keys the answer safely.
    key = str(dst)
    if _hosts.get(key, (None, False))[0] != stamp:
        _hosts[key] = (stamp, any((dst / ANSWERS_DIR).glob("project_*.yml")))
    return _hosts[key][1]


_hosts: dict[str, tuple[int, bool]] = {}


def cast_given_text(root: Path, context: dict[str, Any]) -> str:
    """Answers given as text on the command line (`-d fields='[{name: title}]'`, `-d zod=false`),
    cast in place as copier will cast them: copier casts an answer only when it reaches its question,
    and the checks of every answer run from the first render on. Returns why one cannot be, or ""."""
    for question, kind in catalog.answer_types(root).items():
        value = context.get(question)
        if not isinstance(value, str):
            continue
        if kind == "bool":
            context[question] = _copier_bool(value)
        elif kind in ("int", "float"):
            with contextlib.suppress(ValueError):  # left as text: the question's own check says why
                context[question] = int(value) if kind == "int" else float(value)
        elif problem := _cast_yaml(root, question, kind, value, context):
            return problem
    return ""


def _copier_bool(text: str) -> bool:
    """How copier reads a bool answer given as text (copier's cast_to_bool): a number is false when
    zero; "", n, no, f, false, off, ~, null, none are false; anything else is true."""
    try:
        return bool(float(text))
    except ValueError:
        return text.strip().lower() not in {"", "n", "no", "f", "false", "off", "~", "null", "none"}


def _cast_yaml(root: Path, question: str, kind: str, text: str, context: dict[str, Any]) -> str:
    spec = catalog.questions(root)[question]
    if question in compact_answers.GRAMMARS and compact_answers.is_compact(text):
        return ""  # one compact line: the part reads it (copier keeps it as text)
    try:
        parsed = yaml.load(text, Loader=catalog.SAFE_LOADER)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f", line {where.line + 1} column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or "unreadable"
        return f"la réponse {question} n'est pas du YAML valide ({problem}{at}). {spec.get('help', '')}".strip()
    if kind == "multiselect":
        if not isinstance(parsed, list):
            choices = spec.get("choices") or {}
            example = ", ".join(map(str, (choices.values() if isinstance(choices, dict) else choices)))
            return f"la réponse {question} n'est pas une liste YAML : donnez-en une, ex. -d {question}='[{example}]'."
        parsed = [str(item) for item in parsed]
    context[question] = parsed
    return ""


def chosen_parts(root: Path, context: dict[str, Any]) -> list[str]:
    """The unit's parts as far as the answers given so far tell: a composite's answer, or the kind's
    parts rendered with those answers (an item that needs a later answer is left out for now)."""
    spec = catalog.load(root).kinds.get(context.get("kind", ""))
    if spec is None:
        return []
    if parts_question := spec.get("parts_question"):
        return list(context.get(parts_question) or [])
    chosen = []
    for item in spec.get("parts", []):
        try:
            rendered = render(item, context)
        except UndefinedError:  # e.g. `{{ 'database' if api_own_model else '' }}` before that answer
            continue
        if rendered:
            chosen.append(rendered)
    return chosen


def asks(root: Path, context: dict[str, Any], question: str) -> bool:
    """Whether `question` matters for the kind (and parts) chosen so far: copier's `when`.

    A part's `supplies` (kinds.yml) are questions of another part that it answers itself: the api
    part's `fields` give the database part its columns, so `columns` is not asked beside it.
    """
    cat = catalog.load(root)
    spec = cat.kinds.get(context.get("kind", ""))
    if spec is None:
        return False
    if question in cat.unit_questions:
        return bool(spec.get("log_folder"))
    if question in spec.get("questions", []):
        return True
    parts = [cat.parts.get(p, {}) for p in chosen_parts(root, context)]
    if any(question in part.get("supplies", []) for part in parts):
        return False
    return any(question in part.get("questions", []) for part in parts)


def kind_problem(root: Path, dst: Path, kind: Any, *, copying: bool) -> str:
    """Why a unit of this kind cannot be generated into `dst`, or "" when it can."""
    cat = catalog.load(root)
    if kind not in cat.kinds:
        return f"type inconnu {kind!r} : choisissez parmi {', '.join(cat.kinds)}"
    if not copying:
        return ""
    if kind == "project":
        if is_host(dst):
            host_name = next((dst / ANSWERS_DIR).glob("project_*.yml")).stem.removeprefix("project_")
            return (
                f"{dst} est déjà un hôte VECTRA. Générez les unités à l'intérieur "
                f"(ex. -d kind=feature -d name=<nom>), ou mettez à jour son squelette avec "
                f"`make update unit=project/{host_name}`."
            )
        return ""
    if not is_host(dst):
        return (
            f"{dst} n'est pas un hôte VECTRA (pas de {ANSWERS_DIR}/project_*.yml). Créez-en un d'abord "
            f"avec `{BOOTSTRAP}`, puis générez l'unité {kind} à l'intérieur. Rien n'a été écrit."
        )
    return ""


def unit_problem(root: Path, dst: Path, kind: Any, name: Any, *, copying: bool) -> str:
    """Why this kind and name cannot be generated into `dst`, or "" when they can."""
    if problem := naming.name_problem(name) or kind_problem(root, dst, kind, copying=copying):
        return problem
    answers = answers_file(kind, name)
    if copying and kind != "project" and (dst / answers).exists():
        return (
            f"l'unité {kind} {name!r} existe déjà ({answers}). Rien n'a été écrit. Pour la changer, "
            f"mettez-la à jour : `copier update --trust -a {answers}` (nouvelles réponses : ajoutez "
            f"`--vcs-ref=:current: -d status=completed`, par exemple), ou choisissez un autre nom."
        )
    return ""


def files_problem(dst: Path, unit: Unit) -> str:
    """Files this copy would overwrite: refused (a person's file is never replaced silently)."""
    taken = [f for f in [*unit.files, unit.answers_file] if (dst / f).exists() or (dst / f).is_symlink()]
    if not taken:
        return ""
    shown = "\n  ".join(taken[:10]) + (f"\n  … et {len(taken) - 10} de plus" if len(taken) > 10 else "")
    return (
        f"l'unité {unit.kind} {unit.name!r} écraserait des fichiers qui existent déjà dans {dst} :\n  {shown}\n"
        "Rien n'a été écrit. Choisissez un autre nom, déplacez ces fichiers, ou passez --overwrite "
        "pour les remplacer exprès."
    )


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_problem(value: Any) -> str:
    text = str(value)
    try:
        if _DATE.fullmatch(text):
            dt.date.fromisoformat(text)
            return ""
    except ValueError:
        pass
    return f"la date {text!r} n'est pas une date AAAA-MM-JJ valide (ex. {dt.date.today().isoformat()})"


def answer_problem(root: Path, question: str, value: Any, answers: dict[str, Any]) -> str:
    """A part's own validation of one answer (extensions/blueprint/parts/<part>.py VALIDATORS): the
    modules of the parts that ask it (importing every part's was most of the first check's time)."""
    every = catalog.load(root).parts
    owners = [part for part, spec in every.items() if question in spec.get("questions", [])]
    check = parts.validators(owners or list(every)).get(question)
    return check(value, answers) if check else ""


def answers_problem(root: Path, answers: dict[str, Any]) -> str:
    """The first invalid answer among those given (for --data: refused before any write)."""
    for question, check in parts.validators(chosen_parts(root, answers)).items():
        if question in answers and asks(root, answers, question) and (problem := check(answers[question], answers)):
            return problem
    return ""


def computed_default(root: Path, dst: Path, question: str, answers: dict[str, Any]) -> Any:
    """A part's computed default for `question` (extensions/blueprint/parts/<part>.py DEFAULTS).

    A question this unit does not ask gets None without computing it (no part module imported, no
    host file read); copier's own render of its default gets UNSET (extensions/context.py)."""
    if not asks(root, answers, question):
        return None
    compute = parts.defaults(chosen_parts(root, answers))[question]
    return compute(dst, answers)
