"""The YAML-list answers of the parts (api `fields`, component `props`, agent inputs/outputs, database
`columns`), read and refused the same way.

A list answer arrives parsed (copier casts a `type: yaml` question), as YAML text (`-d props='[...]'`
reaches the early checks before copier parses it) or, for the questions of compact_answers.GRAMMARS,
as one compact line (`title:string:80 budget:numeric?`). `yaml_list` gives the list or raises the
part's own error; `validator` turns a part's parser into a copier validator (see parts/__init__.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from . import compact_answers


def yaml_list(
    value: Any,
    error: type[ValueError],
    *,
    noun: str,
    empty: str,
    at_most: int | None = None,
    default: list[Any] | None = None,
    not_list: str | None = None,
    too_many: str = "",
    compact: str = "",
) -> list[Any]:
    """The answer as a non-empty list of at most `at_most` items, or `error` saying what is wrong.

    `noun` names the items, plural, in the (French) messages ("props", "champs d'entrée"); `empty` is
    said for an empty list (and for no answer without a `default`); `not_list` replaces "les <noun>
    doivent être une liste, pas …"; `too_many` ends the "au plus" message (e.g. " (découpez le composant)");
    `compact` names the question whose one-line form (compact_answers.GRAMMARS) the answer may take.
    """
    if value is None:
        value = default if default is not None else []
    if compact and compact_answers.is_compact(value):
        try:
            value = compact_answers.expand(compact, value)
        except compact_answers.CompactError as problem:
            raise error(str(problem)) from None
    elif isinstance(value, str):
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError as problem:
            where = getattr(problem, "problem", None) or problem
            raise error(f"les {noun} ne sont pas du YAML valide ({where})") from problem
    if value is None:  # YAML text with nothing in it
        raise error(empty)
    if not isinstance(value, list):
        raise error(not_list or f"les {noun} doivent être une liste, pas {value!r}")
    if not value:
        raise error(empty)
    if at_most is not None and len(value) > at_most:
        raise error(f"{len(value)} {noun} : {at_most} au plus{too_many}")
    return value


def validator(parse: Callable[[Any], object], error: type[ValueError], help_text: str) -> Callable[..., str]:
    """A copier validator from a part's parser: "" when `parse` takes the answer, else the parser's
    message and then `help_text` (what a valid answer looks like)."""

    def problem(value: Any, answers: dict[str, Any]) -> str:
        try:
            parse(value)
        except error as refused:
            return f"{str(refused).rstrip('.')}. {help_text}."
        return ""

    return problem
