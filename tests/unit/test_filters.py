"""Free text never breaks what it is pasted into."""

from __future__ import annotations

import ast
import json
import re

from blueprint import filters
from hypothesis import example, given
from hypothesis import strategies as st

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
