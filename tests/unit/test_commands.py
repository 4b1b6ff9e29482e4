"""The host's Claude commands (.claude/commands): the guide's list, and the answers each one passes.

A command runs without a terminal, so `make new` takes the default of every question not given with
`-d`: each command file passes the answers its guide section asks for (kinds.yml `command.answers`).
tests/test_releases.py runs every command file's `make new` line in a host.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from blueprint import catalog as catalog_mod

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ROOT / "template/host/.claude/commands"
GUIDE = ROOT / "template/host/docs/workflow/WORKFLOW-001.md"
CATALOG = catalog_mod.load(ROOT)
WITH_COMMAND = {kind: spec["command"] for kind, spec in CATALOG.kinds.items() if "command" in spec}


def make_new_lines(text: str) -> list[list[str]]:
    """Each `make new …` of the file's bash blocks, as the shell splits it (line continuations joined)."""
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    lines = [line.strip() for block in blocks for line in block.replace("\\\n", " ").splitlines()]
    return [shlex.split(line) for line in lines if line.startswith("make new ")]


def given(words: list[str]) -> dict[str, str]:
    """The answers a `make new` line gives: kind=, name= and every `-d key=value` inside DATA."""
    answers = dict(w.split("=", 1) for w in words[2:] if not w.startswith("DATA="))
    data = next((w.removeprefix("DATA=") for w in words if w.startswith("DATA=")), "")
    items = shlex.split(data)
    assert items[::2] == ["-d"] * len(items[::2]), f"DATA holds only -d key=value pairs: {data}"
    answers.update(item.split("=", 1) for item in items[1::2])
    return answers


def test_every_command_the_guide_names_has_its_file() -> None:
    guide = GUIDE.read_text(encoding="utf-8").split("## 📝 COMMANDES CLAUDE DISPONIBLES")[1].split("\n---")[0]
    named = set(re.findall(r"^- `/([a-z-]+)", guide, re.M))
    assert {"deploy", "debug", "create-endpoint", "write-test", "run-tests"} <= named
    assert named == {p.stem for p in COMMANDS.glob("*.md")}


@pytest.mark.parametrize("kind", sorted(WITH_COMMAND))
def test_a_command_passes_the_answers_its_guide_section_asks_for(kind: str) -> None:
    command = WITH_COMMAND[kind]
    text = (COMMANDS / f"{command['name']}.md").read_text(encoding="utf-8")
    [words] = [w for w in make_new_lines(text) if f"kind={kind}" in w]
    answers = given(words)
    assert answers["kind"] == kind and answers["name"]
    assert set(command["answers"]) <= set(answers), f"missing -d: {set(command['answers']) - set(answers)}"
    known = set(catalog_mod.questions(ROOT))
    assert set(answers) <= known, f"not questions of the template: {set(answers) - known}"
    for key, value in answers.items():  # a list answer is YAML text, as copier reads it
        if value.startswith(("[", "{")):
            assert isinstance(yaml.safe_load(value), list | dict), key
    assert "pose les questions" not in text, "a command run without a terminal cannot answer questions"


def test_the_kinds_answers_are_their_questions() -> None:
    """kinds.yml's `command.answers` name real questions (a renamed question fails here, not in a host)."""
    known = set(catalog_mod.questions(ROOT))
    for kind, command in WITH_COMMAND.items():
        assert set(command["answers"]) <= known, kind
        assert (COMMANDS / f"{command['name']}.md").is_file(), kind


def test_deploy_and_debug_say_what_to_run() -> None:
    deploy = (COMMANDS / "deploy.md").read_text(encoding="utf-8")
    for step in ("make check", "make lint", "make test", "alembic upgrade head", "npm run build", "get_settings()"):
        assert step in deploy, step
    debug = (COMMANDS / "debug.md").read_text(encoding="utf-8")
    [words] = make_new_lines(debug)
    assert given(words)["kind"] == "fix" and "regression_side" in given(words)
