"""Every question reads in one pass, in French, in an 80-column terminal (issue 19).

Copier shows a question as `🎤 <help>` and each choice as `   ○ <label>`; a help that wraps or
spans lines is cut by the prompt. The long formats live in the host's docs/workflow/REPONSES.md.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
QUESTION_FILES = sorted((ROOT / "questions").glob("*.yml"))
REFERENCE = "docs/workflow/REPONSES.md"
COLUMNS = 80
QUESTION_PREFIX = 3  # "🎤 ": a wide emoji and a space
CHOICE_PREFIX = 6  # "   ○ " and the pointer's column
# Words that only English has: one of them in a help means a sentence left untranslated.
ENGLISH = {
    "the",
    "of",
    "and",
    "with",
    "which",
    "what",
    "does",
    "is",
    "are",
    "its",
    "it",
    "an",
    "to",
    "for",
    "from",
    "each",
    "when",
    "this",
    "that",
    "or",
    "yes",
    "no",
    "how",
    "new",
}
IDENTIFIER = re.compile(r"`[^`]*`|/\S*|\S*[_\[\]<>.:]\S*")  # code, paths, routes, keys


def _questions() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for file in QUESTION_FILES:
        for name, spec in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items():
            found.append((f"{file.name}:{name}", spec))
    return found


QUESTIONS = _questions()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _english_words(text: str) -> set[str]:
    prose = IDENTIFIER.sub(" ", text.split("—", 1)[-1])  # a choice's value name is an identifier
    return {word for word in re.findall(r"[a-zA-Z]+", prose.lower()) if word in ENGLISH}


def _labels(spec: dict[str, Any]) -> list[str]:
    choices = spec.get("choices") or []
    return list(choices) if isinstance(choices, dict) else [str(c) for c in choices]


def test_every_question_file_is_read() -> None:
    assert len(QUESTION_FILES) >= 9 and len(QUESTIONS) >= 35


@pytest.mark.parametrize(("where", "spec"), QUESTIONS, ids=[where for where, _ in QUESTIONS])
def test_a_help_is_one_french_line_that_fits_80_columns(where: str, spec: dict[str, Any]) -> None:
    help_text = spec.get("help")
    assert isinstance(help_text, str) and help_text.strip(), f"{where}: no help"
    assert "\n" not in help_text.strip(), f"{where}: the prompt shows only the first line"
    width = QUESTION_PREFIX + _width(help_text)
    assert width <= COLUMNS, f"{where}: {width} columns: {help_text!r}"
    assert _english_words(help_text) == set(), f"{where}: English in {help_text!r}"


@pytest.mark.parametrize(("where", "spec"), QUESTIONS, ids=[where for where, _ in QUESTIONS])
def test_every_choice_is_a_french_line_that_fits_80_columns(where: str, spec: dict[str, Any]) -> None:
    for label in _labels(spec):
        assert CHOICE_PREFIX + _width(label) <= COLUMNS, f"{where}: too wide: {label!r}"
        assert _english_words(label) == set(), f"{where}: English in {label!r}"


def test_the_long_formats_the_helps_point_to_exist() -> None:
    reference = (ROOT / "template/host" / REFERENCE).read_text(encoding="utf-8")
    pointing = [where.split(":")[1] for where, spec in QUESTIONS if REFERENCE in str(spec.get("help"))]
    assert pointing, "no help points to the reference"
    for name in pointing:
        assert f"`{name}`" in reference, f"{REFERENCE} has no section for {name}"


def test_the_checks_catch_what_they_look_for() -> None:
    # The two checks above must be able to fail.
    assert _english_words("Name of the unit, kebab-case") == {"of", "the"}
    assert _english_words("Nom de l'unité, en kebab-case (ex. campaign-wizard)") == set()
    assert _width("🎤") == 2
