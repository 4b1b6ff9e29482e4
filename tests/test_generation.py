"""Every kind, rendered into a host: its log and STATUS entry checked against WORKFLOW-001 line by line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from blueprint import catalog as catalog_mod
from blueprint import guide
from blueprint import unit as unit_mod
from blueprint.upsert import find_block
from helpers import hosts

# The supported answer combinations of the foundation's kinds (blueprints add theirs in their tests).
COMBINATIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("fix", "celery-startup", {}),
    ("fix", "lead-card-flicker", {"regression_side": "frontend", "priority": "P0"}),
    *[("test", f"bant-{t}", {"test_type": t, "target": "BantService.qualify"}) for t in (
        "unit-service", "unit-agent", "integration-api", "integration-db", "component", "e2e")],
]  # fmt: skip


def unit_kinds(catalog: Any) -> list[str]:
    return catalog.unit_kinds()


def generate(host: Path, new_unit: Any, kind: str, name: str, **answers: Any) -> unit_mod.Unit:
    new_unit(host, kind, name, **answers)
    stored = yaml.safe_load((host / unit_mod.answers_file(kind, name)).read_text())
    return unit_mod.build({k: v for k, v in stored.items() if not k.startswith("_")}, Path(__file__).parents[1])


def check_log(host: Path, unit: unit_mod.Unit) -> str:
    table = guide.type_table()
    path = host / unit.log_path
    assert path.is_file(), f"no log at {unit.log_path}"
    folder = {"page": "components"}.get(unit.kind)
    if unit.label in table:
        folder, reference = table[unit.label]
        assert unit.reference == reference, "the reference document differs from the guide's table"
    assert unit.log_path == f"docs/workflow/logs/{folder or unit.log_dir}/{unit.date}_{unit.kind}_{unit.name}.md"

    text = path.read_text(encoding="utf-8")
    expected, actual = guide.Shape.of(guide.log_template()), guide.Shape.of(text)
    assert actual.sections == expected.sections
    assert actual.fields == expected.fields
    for section in ("Références", "Tests"):
        assert actual.bullets[section][: len(expected.bullets[section])] == expected.bullets[section]
    lines = text.splitlines()
    assert lines[0] == f"# {unit.label} - {unit.name}"
    assert f"**Date:** {unit.date}  " in lines
    assert f"**Statut:** {unit.status}  " in lines
    assert f"**Priorité:** {unit.priority}" in lines
    assert f"- Doc technique: `{unit.reference}`" in lines if unit.reference else "- Doc technique: -" in lines

    steps = section_of(text, "Étapes Réalisées")
    for number, step in enumerate(unit.steps, 1):
        assert f"### {number}. {step.title}" in steps
        for item, done in step.items:
            assert f"- [{'x' if done else ' '}] {item}" in steps
    assert "[x]" in steps and "[ ]" in steps, "some steps are the generator's, some the person's"

    files = section_of(text, "Fichiers Créés/Modifiés")
    for generated in unit.code_files:
        assert f"- `{generated}`" in files
        assert (host / generated).is_file(), f"{generated} is listed in the log but was not generated"
    for section in unit.notes_sections:
        assert f"### {section}" in section_of(text, "Notes")
    assert re.search(r"^1\. ", section_of(text, "Prochaines Étapes"), re.M)
    return text


def section_of(markdown: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    assert match, f"no section {title!r}"
    return match.group(1)


def check_status_entry(host: Path, unit: unit_mod.Unit) -> str:
    text = (host / "docs/workflow/STATUS.md").read_text(encoding="utf-8")
    block = find_block(text, unit.key)
    assert block is not None, f"no STATUS.md entry for {unit.key}"
    expected, actual = guide.Shape.of(guide.status_template()), guide.Shape.of(block.body)
    assert actual.fields == expected.fields
    assert actual.bullets.get(list(actual.bullets)[-1]) == ["Coverage", "Tests passent"]
    lines = block.body.splitlines()
    assert lines[0] == f"## {unit.date} - {unit.label} - {unit.name}"
    assert f"**Statut:** {unit.status}  " in lines
    assert f"**Fichier log:** `logs/{unit.log_dir}/{unit.log_file}`" in lines
    assert [line for line in lines if line.startswith("### ")] == ["### Résumé", "### Fichiers Modifiés", "### Tests"]
    for generated in unit.code_files:
        assert f"- `{generated}`" in lines
    return block.body


@pytest.mark.parametrize(("kind", "name", "answers"), COMBINATIONS, ids=[c[1] for c in COMBINATIONS])
def test_foundation_kinds_render_their_files_log_and_status(
    host: Path, new_unit: Any, kind: str, name: str, answers: dict[str, Any]
) -> None:
    unit = generate(host, new_unit, kind, name, **answers)
    assert unit.code_files, "a fix or a test unit generates a test file"
    check_log(host, unit)
    check_status_entry(host, unit)


def test_every_unit_kind_renders_on_defaults(host: Path, new_unit: Any, catalog: Any) -> None:
    """`--defaults -d kind=K -d name=N` works for every kind, in one host, side by side."""
    for number, kind in enumerate(catalog.unit_kinds()):
        before = dt.date.today().isoformat()
        unit = generate(host, new_unit, kind, f"defaults-{kind}-{number}")
        assert unit.date in {before, dt.date.today().isoformat()}  # a run across midnight passes too
        assert (unit.status, unit.priority) == ("in_progress", "P1")
        check_log(host, unit)
        check_status_entry(host, unit)
    status = (host / "docs/workflow/STATUS.md").read_text()
    assert len(re.findall(r"^<!-- vectra:unit ", status, re.M)) == len(catalog.unit_kinds())


def test_a_copy_carries_answers_only_to_the_questions_it_asks(
    host: Path, new_unit: Any, catalog: Any, root: Path, tmp_path: Path
) -> None:
    """Copier computes the default of every question, asked or not, and carries it through each of
    the hundreds of renders of a copy: an unasked question's default renders to UNSET instead
    (catalog.UNASKED_GUARD), so the answers copier carries are exactly those the unit records."""

    def check(kind: str, name: str, **answers: Any) -> unit_mod.Unit:
        worker = new_unit(host, kind, name, **answers)
        stored = yaml.safe_load((host / unit_mod.answers_file(kind, name)).read_text())
        carried = {q for q in catalog_mod.questions(root) if q in worker.answers.combined}
        assert carried == {q for q in stored if not q.startswith("_")}, kind
        return unit_mod.build({k: v for k, v in stored.items() if not k.startswith("_")}, root)

    made = {kind: check(kind, f"carried-{kind}") for kind in catalog.unit_kinds()}
    model = f"app.models.{made['api'].database.model_module}:{made['api'].database.model_class}"
    assert "model" in check("api", "carried-api-served", api_own_model=False, model=model).answers
    worker = new_unit(tmp_path / "new-host", "project", "new-host")
    assert {q for q in catalog_mod.questions(root) if q in worker.answers.combined} == {"kind", "name"}


def test_answers_file_per_unit_records_what_update_needs(host: Path, new_unit: Any, template_src: Path) -> None:
    generate(host, new_unit, "fix", "celery-startup", date="2026-01-15", issue="#12")
    stored = yaml.safe_load((host / ".copier-answers/fix_celery-startup.yml").read_text())
    # A plain-folder template has no version to record: `_src_path` only.
    assert stored["_src_path"] == str(template_src) and "_commit" not in stored
    assert stored["date"] == "2026-01-15" and stored["issue"] == "#12"
    assert not (host / ".copier-answers.yml").exists(), "a root answers file would leak into other copies"
    assert (host / "docs/workflow/logs/fixes/2026-01-15_fix_celery-startup.md").is_file()


def test_a_unit_from_a_git_template_records_its_version(host: Path, git_template: Path) -> None:
    hosts.copy_unit(git_template, host, kind="fix", name="celery-startup")
    stored = yaml.safe_load((host / ".copier-answers/fix_celery-startup.yml").read_text())
    version = hosts.git(git_template, "describe", "--tags", "--always").strip()
    assert stored["_src_path"] == str(git_template)
    assert stored["_commit"] == version, "copier update needs the version the unit was made from"


def test_status_entry_keeps_every_foreign_byte(host: Path, new_unit: Any) -> None:
    status = host / "docs/workflow/STATUS.md"
    before = status.read_bytes() + "## Notes à la main\r\nligne sans fin de ligne".encode()
    status.write_bytes(before)
    generate(host, new_unit, "fix", "celery-startup")
    after = status.read_bytes()
    assert after.startswith(before), "the text before the new entry changed"
    assert after.count(b"<!-- vectra:unit fix/celery-startup ") == 1


def test_record_task_is_idempotent(host: Path, new_unit: Any, root: Path) -> None:
    import subprocess
    import sys

    generate(host, new_unit, "test", "bant-service")
    status, plan = host / "docs/workflow/STATUS.md", host / "docs/tech/DOC-TECH-006_TEST_PLAN.md"
    before = status.read_bytes(), plan.read_bytes()
    task = [sys.executable, str(root / "extensions/tasks/record_unit.py"), ".copier-answers/test_bant-service.yml"]
    for _ in range(3):  # copier runs tasks three times during an update
        done = subprocess.run(task, cwd=host, capture_output=True, text=True, check=True)
        assert "inchangée  docs/workflow/STATUS.md  (entrée test/bant-service)" in done.stdout
    assert (status.read_bytes(), plan.read_bytes()) == before


def test_regression_placeholder_is_a_strict_xfail_naming_the_log(host: Path, new_unit: Any) -> None:
    unit = generate(host, new_unit, "fix", "celery-startup")
    source = (host / "backend/tests/regression/test_celery_startup.py").read_text()
    assert "@pytest.mark.xfail(strict=True" in source
    assert unit.log_path in source
    compile(source, "test_celery_startup.py", "exec")
