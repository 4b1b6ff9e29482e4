"""The completion check's reading of a log and of test files (no host, no test run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from blueprint import completion, guide
from blueprint.unit import build

LOG = "docs/workflow/logs/fixes/2026-12-04_fix_x.md"
TEXT = """# Fix/Bug - x

**Statut:** in_progress

## Objectif

fix x: objectif à préciser

## Étapes Réalisées

### 1. Analyse
- [x] Identifier le problème
- [ ] Corriger le code
- [ ] Créer les hooks (si nécessaire) : aucun hook ici

## Tests

- [ ] Tests E2E créés (si applicable)

## Notes

### Cause

[À compléter]

## Prochaines Étapes

1. Corriger le code [À compléter]
"""


def test_log_problems_name_each_placeholder_and_unticked_required_step_with_its_line() -> None:
    problems = completion.log_problems(
        TEXT, LOG, completion.LOG_PLACEHOLDERS, not_required={"Créer les hooks (si nécessaire)"}
    )
    assert problems == [
        f"{LOG}:7: le texte du modèle 'objectif à préciser' est toujours là dans « Objectif »",
        f"{LOG}:13: étape non cochée : Corriger le code",
        f"{LOG}:24: le texte du modèle '[À compléter]' est toujours là dans « Notes »",
    ]


def test_a_finished_log_has_no_problem() -> None:
    done = TEXT.replace("- [ ] Corriger", "- [x] Corriger").replace("[À compléter]", "Lu trop tôt.")
    done = done.replace("fix x: objectif à préciser", "Le worker démarre sans REDIS_URL.")
    assert completion.log_problems(done, LOG, completion.LOG_PLACEHOLDERS, {"Créer les hooks (si nécessaire)"}) == []


def test_the_guide_s_own_placeholders_are_found_but_not_its_checkboxes() -> None:
    found = completion.guide_placeholders(guide.log_template())
    assert "[Description claire de ce qui est créé/modifié]" in found and "[Action 1]" in found
    assert "[x]" not in found and "[ ]" not in found
    problems = completion.log_problems("## Objectif\n\n[Description claire de ce qui est créé/modifié]\n", LOG,
                                       tuple(found), set())  # fmt: skip
    assert problems == [
        f"{LOG}:3: le texte du modèle '[Description claire de ce qui est créé/modifié]' "
        "est toujours là dans « Objectif »"
    ]


def test_placeholder_tests_are_strict_xfails_and_it_fails_with_their_line(tmp_path: Path) -> None:
    (tmp_path / "backend").mkdir()
    (tmp_path / "backend/test_a.py").write_text(
        "import pytest\n\n\n@pytest.mark.xfail(strict=True, reason='x')\ndef test_a() -> None: ...\n"
    )
    (tmp_path / "backend/test_done.py").write_text(
        "def test_done() -> None:\n    assert True  # no xfail marker here\n"
    )
    (tmp_path / "a.test.ts").write_text(
        'describe("a", () => {\n  it.fails("to write", () => {});\n  test.fails("b", () => {});\n});\n'
    )
    found = completion.placeholder_tests(
        tmp_path, ["backend/test_a.py", "backend/test_done.py", "a.test.ts", "gone.py"]
    )
    assert found == [
        "backend/test_a.py:4: le test est encore provisoire (strict xfail) : écrivez-le, puis retirez le marqueur",
        "a.test.ts:2: le test est encore provisoire (it.fails) : écrivez-le, puis retirez le marqueur",
        "a.test.ts:3: le test est encore provisoire (it.fails) : écrivez-le, puis retirez le marqueur",
    ]


@pytest.mark.parametrize(("lines", "text"), [([], ""), ([7], "7"), ([9, 3, 4, 5, 12, 13], "3-5, 9, 12-13")])
def test_uncovered_lines_read_as_ranges(lines: list[int], text: str) -> None:
    assert completion.ranges(lines) == text


def test_steps_not_required_are_the_optional_ones_and_those_ticked_on_completion(root: Path) -> None:
    unit = build({"kind": "database", "name": "leads", "status": "in_progress"}, root)
    free = completion._steps_not_required(unit, root)
    assert "Mettre à jour le log" in free, "ticked by `make status ... completed` itself"
    assert "Mettre à jour les repositories (si nécessaire)" in free, "optional in kinds.yml"
    assert "Consulter `docs/tech/DOC-TECH-001_DATABASE_SCHEMA.md`" not in free


def test_a_feature_without_backend_does_not_owe_the_backend_steps(root: Path) -> None:
    unit = build({"kind": "feature", "name": "lead-board", "parts": ["component"]}, root)
    free = completion._steps_not_required(unit, root)
    assert {"Créer les repositories", "Créer les endpoints API", "Connecter frontend ↔ backend"} <= free
    assert "Tester le flow complet" not in free


def test_a_completed_unit_s_next_steps_do_not_ask_to_complete_it(root: Path) -> None:
    open_unit = build({"kind": "fix", "name": "x", "regression_side": "backend", "status": "in_progress"}, root)
    assert any("status=completed" in step for step in open_unit.next_steps)
    done = build({"kind": "fix", "name": "x", "regression_side": "backend", "status": "completed"}, root)
    assert not any("status=completed" in step or "Corriger" in step for step in done.next_steps)
    assert "status=completed" not in done.after_copy
