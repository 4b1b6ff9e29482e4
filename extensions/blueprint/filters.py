"""Jinja filters that turn free text (titles, objectives, help) into safe literals.

Answers are data: a template pastes them only through one of these filters, so quotes,
backslashes, `{{ }}`, `*/` or newlines in an answer never break the generated code or the log.
Jinja renders a template once; an answer's own `{{ }}` is never evaluated.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_PY_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def width(text: str) -> int:
    """Columns of `text` as ruff counts them (wide East Asian characters take two)."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def py_str(value: object) -> str:
    """A Python string literal, quoted the way `ruff format` keeps it (double unless that adds escapes)."""
    text = str(value)
    quote = "'" if text.count('"') > text.count("'") else '"'

    def escape(char: str) -> str:
        if char in _PY_ESCAPES:
            return _PY_ESCAPES[char]
        if char == quote:
            return "\\" + char
        if _CONTROL.fullmatch(char):
            return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
        return char

    body = "".join(escape(c) for c in text)
    # Lone surrogates cannot be written to a UTF-8 file: escape them too.
    body = body.encode("utf-8", "backslashreplace").decode("utf-8")
    return quote + body + quote


def ts_str(value: object) -> str:
    """A TypeScript/JavaScript string literal (JSON is a subset); `</script>` cannot close a tag."""
    text = json.dumps(str(value), ensure_ascii=False).replace("</", "<\\/")
    # Line separators and lone surrogates are escaped: the file stays valid UTF-8 on one line.
    return _TS_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_TS_ESCAPED = re.compile("[\u2028\u2029\ud800-\udfff]")


def _neutralize_comments(text: str) -> str:
    # Our entries are delimited by HTML comments: free text may not open or close one.
    return text.replace("<!--", "&lt;!--").replace("-->", "--&gt;")


def md_inline(value: object) -> str:
    """One Markdown line: newlines folded, no heading, no HTML comment."""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    text = _neutralize_comments(text)
    if text.startswith(("#", ">", "=", "-", "+", "*", "|", "```", "~~~")):
        text = "\\" + text
    return text


# Heading, quote, setext underline, thematic break, fence, table row.
_BLOCK_OPENERS = re.compile(r"^(\s*)(#|>|=|-+\s*$|_{3,}|\*{3,}|```|~~~|\|)")


def md_block(value: object) -> str:
    """A Markdown paragraph: keeps its lines, but none can open a heading, a fence or a table."""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for line in lines:
        line = _neutralize_comments(_CONTROL.sub(" ", line)).rstrip()
        # Four leading spaces would open a code block; the text is prose.
        line = line.lstrip(" ") if line.startswith("    ") else line
        line = _BLOCK_OPENERS.sub(lambda m: m.group(1) + "\\" + m.group(2), line, count=1)
        out.append(line)
    text = "\n".join(out).strip("\n")
    return text or "(à préciser)"


def md_cell(value: object) -> str:
    """One Markdown table cell."""
    return md_inline(value).replace("|", "\\|") or "-"


def py_comment(value: object) -> str:
    """Free text as `#` comment lines (no leading `# `; the template writes it)."""
    return "\n# ".join(md_inline(line) for line in str(value).splitlines() or [""])


class _AnswersDumper(yaml.Dumper):
    """to_nice_yaml's dumper, except for strings holding a YAML 1.1 line break (NEL, LS, PS)."""


def _represent_str(dumper: yaml.Dumper, data: str) -> yaml.ScalarNode:
    # PyYAML writes such a string raw inside quotes, and its reader folds a NEL into a space: the
    # answer would change on the way back. Double quotes escape them (`\N`), so they round-trip.
    style = '"' if any(char in data for char in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_AnswersDumper.add_representer(str, _represent_str)


def answers_yaml(value: Any) -> str:
    """The answers file's YAML: copier's `to_nice_yaml`, with every string read back as written."""
    return str(yaml.dump(value, Dumper=_AnswersDumper, indent=4, allow_unicode=True, default_flow_style=False))


# A template source that is not a local path: a URL (https://, file://, git+ssh://…), an scp-like
# address (git@host:org/repo) or one of copier's shortcuts (gh:, gl:).
_REMOTE_SOURCE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|gh:|gl:|[\w.-]+@[\w.-]+:)", re.I)


def resolvable_source(answers: Any) -> Any:
    """The answers with a relative local `_src_path` made absolute (against the folder copier runs in,
    as copier resolved it): every later `copier update` runs from the host, where the path typed at
    copy (`../vectra-blueprints`) would name another folder or none."""
    if not isinstance(answers, dict):
        return answers
    src = answers.get("_src_path")
    if not isinstance(src, str) or not src or _REMOTE_SOURCE.match(src):
        return answers
    local = Path(src).expanduser()
    if local.is_absolute() or not local.exists():
        return answers
    return {**answers, "_src_path": str(local.resolve())}


FILTERS = {
    "answers_yaml": answers_yaml,
    "resolvable_source": resolvable_source,
    "py_str": py_str,
    "ts_str": ts_str,
    "md_inline": md_inline,
    "md_block": md_block,
    "md_cell": md_cell,
    "py_comment": py_comment,
}
