"""Free text may contain anything; it never breaks the generated code, the log, STATUS.md, nor reaches a shell."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml
from blueprint import guide
from blueprint.upsert import find_block
from copier.errors import UserMessageError
from helpers.hosts import clone_host
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

NASTY = ('"""\'\'\' \\ {{ 7*7 }} {% raw %} ${x} `id` */ </script> <!-- x --> -->\n## Pas un titre\n'
         "```\n# comment\r\n---\nemoji 🚀 עברית \u2028 \x85 trailing\\")  # fmt: skip
# \x85 (NEL): PyYAML writes it raw and reads it back as a space (answers files use answers_yaml).
# Free-text questions of every kind (the blueprints' own descriptions are added by their parts).
FREE_TEXT = ("objective", "issue", "pr")
KIND_EXTRA: dict[str, dict[str, str]] = {"test": {"target": NASTY}, "page": {"route": "/hostile"}}
free_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60) | st.sampled_from([NASTY, "\\", "\n"])


def ruff(paths: list[Path], host: Path) -> str:
    """The host's own lint (`make lint`): ruff run in backend/ with its pyproject.toml."""
    backend = host / "backend"
    rel = [str(p.relative_to(backend)) for p in paths if backend in p.parents]
    for cmd in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        done = subprocess.run([sys.executable, "-m", "ruff", *cmd, *rel], cwd=backend,
                              capture_output=True, text=True, check=False)  # fmt: skip
        if done.returncode:
            return done.stdout + done.stderr
    return ""


def check_unit(host: Path, kind: str, name: str, texts: dict[str, str]) -> None:
    answers = yaml.safe_load((host / f".copier-answers/{kind}_{name}.yml").read_text())
    for key, value in texts.items():
        assert answers[key] == value, f"{key} was not stored as given"
    log = next(host.glob(f"docs/workflow/logs/*/*_{kind}_{name}.md"))
    text = log.read_text()
    expected = guide.Shape.of(guide.log_template())
    assert guide.Shape.of(text).sections == expected.sections, "free text changed the log's sections"
    assert not re.search(r"^<!--|-->\s*$", text, re.M)
    status = (host / "docs/workflow/STATUS.md").read_text()
    assert find_block(status, f"{kind}/{name}") is not None
    assert len(re.findall(r"^<!-- vectra:unit ", status, re.M)) == len(re.findall(r"^<!-- /vectra:unit ", status, re.M))
    python = [p for p in host.rglob("*.py") if name.replace("-", "_") in p.name or name.replace("-", "_") in str(p)]
    for path in python:
        compile(path.read_text(), str(path), "exec")
    if python:
        assert ruff(python, host) == ""


@pytest.mark.parametrize("kind", ["fix", "test", "database", "api", "agent", "component", "page", "feature"])
@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(text=free_text)
@example(text=NASTY)
def test_free_text_never_breaks_a_unit(kind: str, text: str, pristine_host: Path, new_unit: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        host = clone_host(pristine_host, Path(tmp) / "host")
        texts = {key: text for key in FREE_TEXT}
        new_unit(host, kind, "hostile-text", **texts, **KIND_EXTRA.get(kind, {}))
        check_unit(host, kind, "hostile-text", texts)
        if "{{ 7*7 }}" in text:  # answers are data: never rendered as templates
            log = next(host.glob("docs/workflow/logs/*/*_hostile-text.md")).read_text()
            assert "{{ 7*7 }}" in log


def test_no_answer_reaches_a_shell(host: Path, new_unit: Any, root: Path, tmp_path: Path) -> None:
    tasks = yaml.safe_load((root / "copier.yml").read_text().split("\n---")[0])["_tasks"]
    assert all(isinstance(task["command"], list) for task in tasks), "tasks use the list form (no shell)"
    canary = tmp_path / f"pwned-{uuid.uuid4().hex}"
    payloads = [
        f"$(touch {canary})",
        f"`touch {canary}`",
        f"; touch {canary}",
        f"| touch {canary}",
        f"&& touch {canary}",
    ]
    for number, payload in enumerate(payloads):
        new_unit(host, "test", f"shell-{number}", objective=payload, issue=payload, pr=payload, target=payload)
        new_unit(host, "fix", f"shell-fix-{number}", objective=payload, issue=payload, pr=payload)
    assert not canary.exists(), "an answer was run by a shell"


def test_a_refused_record_step_leaves_shared_files_untouched(host: Path, new_unit: Any, tree_snapshot: Any) -> None:
    """The STATUS.md upsert refuses an ambiguous file: copier stops with the reason before its first
    write (issue 15: it used to leave the unit's code, log and answers behind), not one byte changes."""
    status = host / "docs/workflow/STATUS.md"
    broken = status.read_text() + "<!-- vectra:unit fix/celery-startup 000000000000 -->\nno end marker\n"
    status.write_text(broken)
    before = tree_snapshot(host)
    with pytest.raises(UserMessageError, match="fix/celery-startup n'a pas de marqueur de fin"):
        new_unit(host, "fix", "celery-startup")
    assert tree_snapshot(host) == before
    assert not (host / ".copier-answers/fix_celery-startup.yml").exists()


def test_ctrl_c_during_the_questions_writes_nothing(host: Path, template_src: Path, tree_snapshot: Any) -> None:
    before = tree_snapshot(host)
    copier = str(Path(sys.executable).parent / "copier")
    # A bare environment, but the suite's isolation kept: its temp folder, caches and settings, not the person's.
    kept = ("TMPDIR", "VECTRA_BLUEPRINTS_CACHE", "COPIER_SETTINGS_PATH", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")
    env = {"TERM": "xterm", "PATH": "/usr/bin:/bin", **{k: os.environ[k] for k in kept if k in os.environ}}
    child = pexpect.spawn(copier, ["copy", "--trust", str(template_src), str(host)],
                          env=env, encoding="utf-8", timeout=120)  # fmt: skip
    child.expect("Type de travail")
    child.send("\x1b[B" * 6 + "\r")  # fix
    child.expect("Nom de l'unité")
    child.send("celery-startup\r")
    child.expect("Date de l'unité")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus != 0
    assert tree_snapshot(host) == before
