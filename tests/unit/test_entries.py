"""A unit's entries in the host's shared files, as `record` writes them after a copy or an update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from blueprint import entries, upsert
from blueprint.unit import Unit, build

STATUS = "docs/workflow/STATUS.md"
CATALOG = "docs/ui/DOC-UI-002_COMPONENTS_CATALOG.md"
ANSWERS = Path(".copier-answers/component_lead-card.yml")
KEY = "component/lead-card"


def write_answers(dst: Path, **changes: Any) -> Path:
    answers = {
        "_commit": "v1.0.0",  # copier's own keys are not answers
        "_src_path": "gh:vectra/vectra-blueprints",
        "kind": "component",
        "name": "lead-card",
        "date": "2026-01-15",
        "status": "in_progress",
        "objective": "Afficher un lead",
        "reusable": True,
        "zod": True,
        "props": [{"name": "title", "type": "string", "required": True}],
        **changes,
    }
    (dst / ANSWERS).parent.mkdir(parents=True, exist_ok=True)
    (dst / ANSWERS).write_text(yaml.safe_dump(answers), encoding="utf-8")
    return ANSWERS


def line(action: str, path: str) -> str:
    return f"{action:>10}  {path}  (entrée {KEY})"


def test_a_new_unit_gets_one_entry_per_shared_file_and_a_report_line_each(tmp_path: Path, root: Path) -> None:
    (tmp_path / "docs/workflow").mkdir(parents=True)
    (tmp_path / STATUS).write_text("# STATUS\n\nmes notes\n", encoding="utf-8")
    report = entries.record(tmp_path, write_answers(tmp_path), root)
    assert report == [line("ajoutée", STATUS), line("ajoutée", CATALOG)]
    status = (tmp_path / STATUS).read_text(encoding="utf-8")
    assert status.startswith("# STATUS\n\nmes notes\n\n<!-- vectra:unit component/lead-card ")
    assert "## 2026-01-15 - Component - lead-card" in status and "Afficher un lead" in status
    assert "### LeadCard" in (tmp_path / CATALOG).read_text(encoding="utf-8")


def test_recording_again_changes_nothing(tmp_path: Path, root: Path) -> None:
    answers = write_answers(tmp_path)
    entries.record(tmp_path, answers, root)
    before = {path: (tmp_path / path).read_bytes() for path in (STATUS, CATALOG)}
    assert entries.record(tmp_path, answers, root) == [line("inchangée", STATUS), line("inchangée", CATALOG)]
    assert {path: (tmp_path / path).read_bytes() for path in (STATUS, CATALOG)} == before


def test_a_hand_edited_entry_keeps_its_words_and_gets_its_status_refreshed(tmp_path: Path, root: Path) -> None:
    entries.record(tmp_path, write_answers(tmp_path), root)
    status = tmp_path / STATUS
    status.write_text(status.read_text(encoding="utf-8").replace("Afficher un lead", "Mes mots à moi"), "utf-8")
    report = entries.record(tmp_path, write_answers(tmp_path, status="completed", objective="Autre"), root)
    assert report[0] == line("rafraîchie", STATUS)
    text = status.read_text(encoding="utf-8")
    assert "Mes mots à moi" in text and "Autre" not in text
    assert "**Statut:** completed  " in text and "in_progress" not in text


def test_a_re_render_keeps_the_lines_the_completion_check_measured(tmp_path: Path, root: Path) -> None:
    entries.record(tmp_path, write_answers(tmp_path), root)
    measured = {"- Coverage:": "- Coverage: 83% (cible : 70%)", "- Tests passent:": "- Tests passent: oui (2026-01-16)"}
    assert upsert.set_lines(tmp_path / STATUS, KEY, measured)
    report = entries.record(tmp_path, write_answers(tmp_path, objective="Afficher un lead, mieux"), root)
    assert report[0] == line("remplacée", STATUS)
    text = (tmp_path / STATUS).read_text(encoding="utf-8")
    assert "Afficher un lead, mieux" in text
    assert "- Coverage: 83% (cible : 70%)\n- Tests passent: oui (2026-01-16)\n" in text
    assert "à mesurer" not in text and "à vérifier" not in text


def test_an_entry_whose_condition_turned_false_is_removed_once(tmp_path: Path, root: Path) -> None:
    entries.record(tmp_path, write_answers(tmp_path), root)
    (tmp_path / CATALOG).write_text("# Catalogue\n\n" + (tmp_path / CATALOG).read_text(encoding="utf-8"), "utf-8")
    not_reusable = write_answers(tmp_path, reusable=False)
    assert entries.record(tmp_path, not_reusable, root) == [line("remplacée", STATUS), line("retirée", CATALOG)]
    assert (tmp_path / CATALOG).read_text(encoding="utf-8") == "# Catalogue\n"
    # Already gone (or never there): nothing to remove, nothing reported, the file untouched.
    assert entries.record(tmp_path, not_reusable, root) == [line("inchangée", STATUS)]
    assert (tmp_path / CATALOG).read_text(encoding="utf-8") == "# Catalogue\n"


def test_a_crlf_status_file_gets_a_crlf_entry_and_stays_crlf(tmp_path: Path, root: Path) -> None:
    (tmp_path / "docs/workflow").mkdir(parents=True)
    (tmp_path / STATUS).write_bytes(b"# STATUS\r\n\r\nmes notes\r\n")
    answers = write_answers(tmp_path)
    entries.record(tmp_path, answers, root)
    data = (tmp_path / STATUS).read_bytes()
    assert data.startswith(b"# STATUS\r\n\r\nmes notes\r\n\r\n<!-- vectra:unit component/lead-card ")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert entries.record(tmp_path, answers, root)[0] == line("inchangée", STATUS)
    assert (tmp_path / STATUS).read_bytes() == data


# -- precheck: a unit whose entries could not be written is refused before the first write ---------------------------


def unit_of(dst: Path, root: Path, **changes: Any) -> Unit:
    answers = yaml.safe_load((dst / write_answers(dst, **changes)).read_text(encoding="utf-8"))
    return build({k: v for k, v in answers.items() if not k.startswith("_")}, root)


def twice(path: Path) -> bytes:
    """Damage `path`: the unit's entry written twice."""
    block = upsert.render_block(KEY, "x\n", "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"# notes\n\n" + block + block)
    return path.read_bytes()


def test_precheck_takes_sound_or_missing_files_and_writes_nothing(tmp_path: Path, root: Path) -> None:
    current = unit_of(tmp_path, root)
    assert current.shared_files == [STATUS, CATALOG]
    entries.precheck(tmp_path, current)
    assert not (tmp_path / "docs").exists()
    entries.record(tmp_path, ANSWERS, root)
    before = {path: (tmp_path / path).read_bytes() for path in (STATUS, CATALOG)}
    entries.precheck(tmp_path, current)
    assert {path: (tmp_path / path).read_bytes() for path in (STATUS, CATALOG)} == before


@pytest.mark.parametrize("damaged", [STATUS, CATALOG])
def test_precheck_refuses_a_damaged_shared_file_of_the_unit(tmp_path: Path, root: Path, damaged: str) -> None:
    data = twice(tmp_path / damaged)
    with pytest.raises(upsert.UpsertError, match=rf"^l'entrée de {KEY} apparaît 2 fois ; gardez-en une et réessayez$"):
        entries.precheck(tmp_path, unit_of(tmp_path, root))
    assert (tmp_path / damaged).read_bytes() == data


def test_precheck_refuses_a_damaged_file_of_a_dropped_entry(tmp_path: Path, root: Path) -> None:
    current = unit_of(tmp_path, root, reusable=False)
    assert (current.shared_files, current.dropped_entries) == ([STATUS], [CATALOG])
    data = twice(tmp_path / CATALOG)
    with pytest.raises(upsert.UpsertError, match=rf"^l'entrée de {KEY} apparaît 2 fois"):
        entries.precheck(tmp_path, current)
    assert (tmp_path / CATALOG).read_bytes() == data
    assert not (tmp_path / STATUS).exists()
