"""Free text never breaks what it is pasted into."""

from __future__ import annotations

import ast
import json
import re

import yaml
from blueprint import filters
from hypothesis import example, given
from hypothesis import strategies as st
from jinja2_ansible_filters.core_filters import to_nice_yaml

NASTY = ['"', "'''", '"""', "\\", "trailing\\", "{{ 7*7 }}", "{% if %}", "${x}", "`cmd`", "*/", "</script>",
         "<!-- x -->", "line\n## Heading", "\r\n", "emoji 🚀", "עברית", "\u2028", "\x00", "\udc80"]  # fmt: skip


@given(st.text())
@example("".join(NASTY))
def test_py_str_is_a_literal_of_the_same_text(text: str) -> None:
    literal = filters.py_str(text)
    assert ast.literal_eval(literal) == text
    assert "\n" not in literal
    literal.encode("utf-8")  # writable to a UTF-8 file


def test_py_str_prefers_the_quote_ruff_format_keeps() -> None:
    assert filters.py_str('say "hi"') == "'say \"hi\"'"
    assert filters.py_str("it's") == '"it\'s"'


@given(st.text())
@example("".join(NASTY))
def test_ts_str_is_json_of_the_same_text_and_closes_no_tag(text: str) -> None:
    literal = filters.ts_str(text)
    assert json.loads(literal) == text
    assert "</" not in literal and "\n" not in literal
    literal.encode("utf-8")  # writable to a UTF-8 file


@given(st.text())
@example("".join(NASTY))
def test_md_inline_is_one_line_that_opens_nothing(text: str) -> None:
    line = filters.md_inline(text)
    assert "\n" not in line and "\r" not in line
    assert "<!--" not in line and "-->" not in line
    assert not line.startswith(("#", ">", "```"))


@given(st.text())
@example("".join(NASTY))
def test_md_block_opens_no_heading_fence_or_comment(text: str) -> None:
    block = filters.md_block(text)
    for line in block.split("\n"):
        assert not re.match(r"\s{0,3}(#|```|~~~|>|=+\s*$|-+\s*$)", line), line
        assert "<!--" not in line and "-->" not in line
    assert block.strip()


ANSWER = st.text(st.characters(blacklist_categories=["Cs"]))  # an answer file holds text, not lone surrogates


@given(st.dictionaries(ANSWER.filter(bool), ANSWER | st.integers() | st.lists(ANSWER, max_size=3)))
@example({"objective": "\x85"})  # PyYAML's own dumper writes a NEL that its reader folds into a space
@example({"objective": "a\u2028b\u2029"})
def test_answers_yaml_reads_back_every_answer_as_given(answers: dict[str, object]) -> None:
    assert yaml.safe_load(filters.answers_yaml(answers)) == answers


def test_answers_yaml_writes_what_to_nice_yaml_writes_for_ordinary_answers() -> None:
    answers = {"_commit": "1.0.0", "objective": 'Hé "x" \\ {{ y }}\nz', "columns": [{"name": "a"}], "flag": True}
    assert filters.answers_yaml(answers) == to_nice_yaml(answers)  # existing answers files do not change
