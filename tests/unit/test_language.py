"""What a VECTRA developer reads in the terminal is French (issue 19): every refusal, error and line
printed by the extensions and the host's scripts. Identifiers, code and comments stay English.

The messages are found in the source: the text of every `…Error(…)`/`print(…)`/`sys.exit(…)` call and
of every `return` of a `…_problem` function (the validators' answers). A message is English when its
prose (code spans, placeholders, quoted values and identifiers removed) has a word only English has.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [
        *(ROOT / "extensions").glob("*.py"),
        *(ROOT / "extensions/blueprint").rglob("*.py"),
        *(ROOT / "extensions/tasks").glob("*.py"),
        *(ROOT / "template/host/scripts").glob("*.py"),
    ]
)
# Programming errors, never shown to a person as the answer to what they did.
INTERNAL = {"RuntimeError", "TypeError", "AssertionError", "FileNotFoundError", "NotImplementedError"}
ENGLISH = {
    "the", "of", "and", "with", "which", "what", "does", "is", "are", "its", "it", "an", "to", "for",
    "from", "each", "when", "this", "that", "or", "yes", "how", "not", "must", "cannot", "be", "was",
    "has", "have", "there", "should", "only", "one", "use", "choose", "give",
}  # fmt: skip
CODE = re.compile(r"`[^`]*`|\{[^}]*\}|'[^']*'|\"[^\"]*\"|\S*[_\[\]<>./:=|()]\S*")
# Diagnostics for the template's own developers (VECTRA_BLUEPRINTS_VERBOSE), not for a host's team.
VERBOSE_ONLY = ("copier._vcs.get_repo not used",)


def _text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{…}" for part in node.values)
    if isinstance(node, ast.BinOp):
        return _text(node.left) + _text(node.right)
    return ""


def messages(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if (name.endswith("Error") and name not in INTERNAL) or name in ("print", "exit", "error"):
                yield from ((node.lineno, _text(arg)) for arg in node.args)
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_problem"):
            returns = (r for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None)
            yield from ((r.lineno, _text(r.value)) for r in returns)


def english_words(message: str) -> set[str]:
    prose = CODE.sub(" ", message).lower()
    return {word for word in re.findall(r"[a-z]+", prose) if word in ENGLISH}


@pytest.mark.parametrize("source", SOURCES, ids=[p.relative_to(ROOT).as_posix() for p in SOURCES])
def test_every_message_is_french(source: Path) -> None:
    english = [
        f"{source.relative_to(ROOT)}:{line}: {message!r} ({', '.join(sorted(words))})"
        for line, message in messages(source)
        if (words := english_words(message)) and not message.startswith(VERBOSE_ONLY, message.find(":") + 2)
    ]
    assert english == [], "English messages:\n" + "\n".join(english)


def test_the_scan_finds_messages_and_tells_english_from_french(tmp_path: Path) -> None:
    # The check above must be able to fail: a module with one message of each language.
    module = tmp_path / "m.py"
    module.write_text(
        "def name_problem(v):\n    return f'the name {v!r} is not valid'\n\n"
        "def run(x):\n    raise UnitError(f\"l'unité {x} n'existe pas : écrivez-la <kind>/<name>\")\n"
        "    print('Stopping the others.')\n"
    )
    found = dict(messages(module))
    assert set(found) == {2, 5, 6}
    assert english_words(found[2]) == {"the", "is", "not"}
    assert english_words(found[5]) == set()
    assert english_words(found[6]) == {"the"}
