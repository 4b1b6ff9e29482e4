"""Bad input is refused with a message that names the problem and the fix, and not one byte changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from copier.errors import UserMessageError
from unit.test_naming import HOSTILE

BIN = Path(sys.executable).parent


def cli(template: Path, dst: Path, *data: str) -> subprocess.CompletedProcess[str]:
    args = [str(BIN / "copier"), "copy", "--trust", "--defaults", str(template), str(dst)]
    for item in data:
        args += ["--data", item]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=600, check=False)


def refused_in_process(template: Path, dst: Path, **data: Any) -> str:
    with pytest.raises(UserMessageError) as refusal:
        copier.run_copy(str(template), dst, data=data, defaults=True, unsafe=True, quiet=True)
    return str(refusal.value)


def test_hostile_names_are_refused_for_every_kind_and_nothing_changes(
    host: Path, template_src: Path, catalog: Any, tree_snapshot: Any
) -> None:
    before = tree_snapshot(host)
    for kind in catalog.kinds:
        for name in HOSTILE:
            message = refused_in_process(template_src, host, kind=kind, name=name)
            assert "kebab-case" in message, (kind, name, message)
    assert tree_snapshot(host) == before


def test_cli_refusal_is_a_clean_message_and_a_nonzero_exit(host: Path, template_src: Path, tree_snapshot: Any) -> None:
    before = tree_snapshot(host)
    done = cli(template_src, host, "kind=fix", "name=../../etc/passwd")
    assert done.returncode != 0
    assert "n'est pas en kebab-case" in done.stderr and "ex. `campaign-wizard`" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_snapshot(host) == before


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (["name=none"], "le nom 'none' est réservé par Python (None, sa forme PascalCase)"),
        (["name=campaigns", "resource_singular=none"], "le nom de ressource 'none' est réservé par Python (None"),
        (["name=campaigns", "resource_plural=true"], "le nom de ressource 'true' est réservé par Python (True"),
    ],
)
def test_a_name_that_would_generate_class_none_is_refused_at_its_question(
    host: Path, template_src: Path, tree_snapshot: Any, data: list[str], said: str
) -> None:
    before = tree_snapshot(host)
    done = cli(template_src, host, "kind=api", *data)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert said in done.stderr and "kebab-case" in done.stderr
    assert tree_snapshot(host) == before


def test_an_existing_unit_is_refused_and_points_to_update(
    host: Path, template_src: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    new_unit(host, "fix", "celery-startup")
    log = next((host / "docs/workflow/logs/fixes").glob("*_fix_celery-startup.md"))
    log.write_text(log.read_text() + "\nmes notes\n")
    before = tree_snapshot(host)
    done = cli(template_src, host, "kind=fix", "name=celery-startup", "objective=autre chose")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "existe déjà" in done.stderr
    assert "copier update --trust -a .copier-answers/fix_celery-startup.yml" in done.stderr
    assert tree_snapshot(host) == before


def test_a_unit_outside_a_host_is_refused_with_how_to_bootstrap(tmp_path: Path, template_src: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "README.md").write_text("not a host\n")
    done = cli(template_src, plain, "kind=api", "name=campaigns")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "n'est pas un hôte VECTRA" in done.stderr and "-d kind=project" in done.stderr
    assert [p.name for p in plain.iterdir()] == ["README.md"]
    missing = tmp_path / "missing"
    assert cli(template_src, missing, "kind=fix", "name=x").returncode != 0
    assert not missing.exists(), "a folder copier created for a refused unit must not stay behind"


def test_a_project_into_an_existing_host_is_refused(host: Path, template_src: Path, tree_snapshot: Any) -> None:
    before = tree_snapshot(host)
    message = refused_in_process(template_src, host, kind="project", name="other-host")
    assert "déjà un hôte VECTRA" in message and "make update unit=project/demo-host" in message
    assert tree_snapshot(host) == before


def test_files_that_would_be_overwritten_are_refused_before_any_write(
    host: Path, template_src: Path, tree_snapshot: Any
) -> None:
    mine = host / "backend/tests/regression/test_celery_startup.py"
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("# my own test\n")
    before = tree_snapshot(host)
    message = refused_in_process(template_src, host, kind="fix", name="celery-startup")
    assert "backend/tests/regression/test_celery_startup.py" in message and "Rien n'a été écrit" in message
    assert tree_snapshot(host) == before


@pytest.mark.parametrize("date", ["2026-13-01", "15/01/2026", "2026-1-5", "tomorrow", "2026-02-30"])
def test_an_invalid_date_is_refused(host: Path, template_src: Path, date: str, tree_snapshot: Any) -> None:
    before = tree_snapshot(host)
    done = cli(template_src, host, "kind=fix", "name=celery-startup", f"date={date}")
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert f"la date '{date}' n'est pas une date AAAA-MM-JJ valide" in done.stderr
    assert tree_snapshot(host) == before


# Each answer copier casts from text, as a person types it after -d on the command line (kind,
# question, text, other answers, what copier stores). `{model}`: a model of the host.
TEXT_ANSWERS: list[tuple[str, str, str, list[str], Any]] = [
    ("feature", "parts", "[page]", [], ["page"]),
    ("api", "operations", "[list, get]", [], ["list", "get"]),
    ("api", "fields", "[{name: title, type: string, max_length: 80}]", [],
     [{"name": "title", "type": "string", "max_length": 80}]),
    ("api", "api_own_model", "false",
     ["model={model}", "resource_plural=leads", "fields=[{name: email, type: string}]"], False),
    ("component", "props", "[{name: title, type: string}]", [], [{"name": "title", "type": "string"}]),
    ("component", "zod", "no", [], False),
    ("component", "client", "true", [], True),
    ("component", "reusable", "off", [], False),
    ("database", "columns", "[{name: email, type: string}]", [], [{"name": "email", "type": "string"}]),
    ("database", "multi_tenant", "false", [], False),
    ("agent", "agent_inputs", "[{name: text, type: str, description: Le texte}]", [],
     [{"name": "text", "type": "str", "description": "Le texte"}]),
    ("agent", "agent_outputs", "[{name: score, type: int, description: Le score, example: 7}]", [],
     [{"name": "score", "type": "int", "description": "Le score", "example": 7}]),
    ("agent", "agent_async", "0", [], False),
    ("agent", "agent_timeout", "35", [], 35.0),
]  # fmt: skip


def test_every_answer_copier_casts_is_accepted_as_text_on_the_command_line(
    host: Path, template_src: Path, root: Path, new_unit: Any
) -> None:
    """`-d fields='[...]'` or `-d zod=false` reaches our checks as text (copier casts it only at its
    question): they read it as copier will, so a list is not refused as "not a list", nor is "false"
    taken for a true answer."""
    from blueprint import catalog as catalog_mod
    from blueprint import unit as unit_mod

    computed = {q for q, spec in catalog_mod.questions(root).items() if spec.get("ask") is False}
    assert {q for _, q, _, _, _ in TEXT_ANSWERS} == set(catalog_mod.answer_types(root)) - computed
    new_unit(host, "database", "leads", columns=[{"name": "email", "type": "string"}])
    stored = yaml.safe_load((host / ".copier-answers/database_leads.yml").read_text(encoding="utf-8"))
    database = unit_mod.build({k: v for k, v in stored.items() if not k.startswith("_")}, root).database
    # Its module renamed: an api that took "false" for true would want a new `leads` table, and be
    # refused because lead.py maps it already.
    models = host / "backend/app/models"
    (models / f"{database.model_module}.py").rename(models / "lead.py")
    model = f"app.models.lead:{database.model_class}"
    for number, (kind, question, text, others, expected) in enumerate(TEXT_ANSWERS):
        name = f"typed-{number}"
        data = [f"kind={kind}", f"name={name}", f"{question}={text}", *(o.replace("{model}", model) for o in others)]
        done = cli(template_src, host, *data)
        assert done.returncode == 0, (question, done.stderr[-3000:])
        stored = yaml.safe_load((host / f".copier-answers/{kind}_{name}.yml").read_text(encoding="utf-8"))
        assert stored[question] == expected and type(stored[question]) is type(expected), question


def test_yaml_text_that_is_not_yaml_or_not_a_list_is_refused_cleanly(
    host: Path, template_src: Path, tree_snapshot: Any
) -> None:
    before = tree_snapshot(host)
    done = cli(template_src, host, "kind=api", "name=campaigns", "fields=[{name: title")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "la réponse fields n'est pas du YAML valide" in done.stderr and "docs/workflow/REPONSES.md" in done.stderr
    done = cli(template_src, host, "kind=feature", "name=board", "parts=page")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "la réponse parts n'est pas une liste YAML : donnez-en une, ex. -d parts='[database, api" in done.stderr
    assert tree_snapshot(host) == before
