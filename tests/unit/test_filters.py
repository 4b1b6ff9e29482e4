"""Free text never breaks what it is pasted into."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
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
    answers = {"_commit": "1.0.0", "objective": 'Hé "X" \\ {{ y }}\nz', "columns": [{"name": "a"}], "flag": True}
    assert filters.answers_yaml(answers) == to_nice_yaml(answers)  # existing answers files do not change


def test_width_counts_columns_as_ruff_does() -> None:
    assert filters.width("") == 0
    assert filters.width("campagne") == 8
    assert filters.width("日本") == 4  # wide
    assert filters.width("ＶＥ") == 4  # fullwidth
    assert filters.width("e\u0301t\u0301e\u0301") == 3  # combining accents take no column


def test_py_str_escapes_what_a_python_literal_cannot_hold() -> None:
    assert filters.py_str("a\tb\rc\nd\\e") == '"a\\tb\\rc\\nd\\\\e"'
    assert filters.py_str("\x00\x1f\x7f") == '"\\x00\\x1f\\x7f"'
    assert filters.py_str("a\u2028b\u2029") == '"a\\u2028b\\u2029"'
    assert filters.py_str("\udc80") == '"\\udc80"'
    assert filters.py_str("é 🚀 {{ x }}") == '"é 🚀 {{ x }}"'
    assert filters.py_str(42) == '"42"'
    # One quote of each: double quotes, the single one as is.
    assert filters.py_str('l\'a "b"') == "'l\\'a \"b\"'"
    assert filters.py_str("\"a\" 'b'") == '"\\"a\\" \'b\'"'


def test_ts_str_escapes_line_separators_and_surrogates_only() -> None:
    assert filters.ts_str("é </script> \u2028\u2029") == '"é <\\/script> \\u2028\\u2029"'
    assert filters.ts_str("\udc80") == '"\\udc80"'
    assert filters.ts_str(7) == '"7"'


def test_md_inline_folds_lines_and_neutralizes_what_opens_markdown() -> None:
    assert filters.md_inline("  Une  ligne\n\tpuis\r\nune autre\x00fin  ") == "Une ligne puis une autre fin"
    assert filters.md_inline("a <!-- b --> c") == "a &lt;!-- b --&gt; c"
    for opener in ("#", ">", "=", "-", "+", "*", "|", "```", "~~~"):
        assert filters.md_inline(f"{opener} x") == f"\\{opener} x"
    assert filters.md_inline("a # b - c") == "a # b - c"  # only the start opens something
    assert filters.md_inline("\u2028# x") == "\\# x"


def test_md_block_keeps_lines_and_escapes_what_would_open_a_block() -> None:
    text = "Titre\r\n# pas un titre\rligne\n    pas du code\n  > pas une citation\n"
    text += "---\n___\n***\n```\n~~~\n| a |\n=\nfin   "
    assert filters.md_block(text) == (
        "Titre\n\\# pas un titre\nligne\npas du code\n  \\> pas une citation\n\\---\n\\___\n\\***\n\\```\n\\~~~\n"
        "\\| a |\n\\=\nfin"
    )
    assert filters.md_block("a - b\n--- x\n-- \n__\n**") == "a - b\n--- x\n\\--\n__\n**"
    assert filters.md_block("\n\nmilieu\x00\n\n") == "milieu"
    assert filters.md_block("  retrait gardé\n    Xavier\nX") == "  retrait gardé\nXavier\nX"
    assert filters.md_block("<!-- x -->") == "&lt;!-- x --&gt;"


def test_md_block_of_nothing_says_it_is_to_be_written() -> None:
    assert filters.md_block("") == "(à préciser)"
    assert filters.md_block(" \n\n  ") == "(à préciser)"


def test_md_cell_is_one_cell_of_a_table() -> None:
    assert filters.md_cell("a | b\nc") == "a \\| b c"
    assert filters.md_cell("# titre") == "\\# titre"
    assert filters.md_cell("") == "-"
    assert filters.md_cell(" \n ") == "-"
    assert filters.md_cell(None) == "None"


def test_py_comment_puts_every_line_behind_a_hash() -> None:
    assert filters.py_comment("une\ndeux\r\ntrois") == "une\n# deux\n# trois"
    assert filters.py_comment("# titre\n<!-- x -->") == "\\# titre\n# &lt;!-- x --&gt;"
    assert filters.py_comment("") == ""
    assert filters.py_comment("seule") == "seule"


@given(ANSWER)
@example("".join(NASTY).replace("\udc80", ""))
def test_py_comment_lines_are_all_comments(text: str) -> None:
    source = "# " + filters.py_comment(text) + "\nx = 1\n"
    assert ast.parse(source).body[0].lineno == source.count("\n")  # nothing but comments before x


def test_the_filters_templates_use() -> None:
    assert {name: function.__name__ for name, function in filters.FILTERS.items()} == {
        name: name
        for name in (
            "answers_yaml", "resolvable_source", "py_str", "ts_str", "md_inline", "md_block", "md_cell", "py_comment"
        )
    }  # fmt: skip


@pytest.mark.parametrize(
    "src", ["gh:vectra/vectra-blueprints", "https://git.example/vectra.git", "git@git.example:vectra/bp.git",
            "file:///srv/vectra-blueprints", "/srv/vectra-blueprints", "../no-such-folder"]
)  # fmt: skip
def test_a_template_source_that_is_not_an_existing_relative_folder_is_kept_as_typed(src: str) -> None:
    answers = {"_src_path": src, "_commit": "1.0.0", "kind": "fix"}
    assert filters.resolvable_source(answers) == answers


def test_a_relative_template_folder_is_recorded_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "vectra-blueprints").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    answers = {"_src_path": "../vectra-blueprints", "kind": "fix", "name": "x"}
    resolved = filters.resolvable_source(answers)
    assert resolved == {**answers, "_src_path": str((tmp_path / "vectra-blueprints").resolve())}
    assert answers["_src_path"] == "../vectra-blueprints", "the caller's dict is not changed"
