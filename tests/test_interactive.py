"""A real `copier copy` in a pseudo-terminal: menus, a bad answer explained and asked again, checkboxes.

The result must be the same as the non-interactive copy with the same answers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml
from helpers.hosts import clone_host

COPIER = str(Path(sys.executable).parent / "copier")
DOWN, ENTER, SPACE, BACKSPACE = "\x1b[B", "\r", " ", "\x7f"
ESC_ENTER = "\x1b\r"  # submits a multi-line (YAML) answer
KIND_ORDER = ["feature", "api", "database", "agent", "component", "page", "fix", "test", "project"]


def spawn(template: Path, host: Path, columns: int = 160) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color", "NO_COLOR": "1", "COLUMNS": str(columns), "LINES": "50"}
    child = pexpect.spawn(COPIER, ["copy", "--trust", str(template), str(host)], env=env, encoding="utf-8",
                          timeout=120, dimensions=(50, columns))  # fmt: skip
    return child


def choose(child: pexpect.spawn, question: str, steps_down: int) -> None:
    child.expect(question)
    child.send(DOWN * steps_down + ENTER)


def answer(child: pexpect.spawn, question: str, text: str = "") -> None:
    child.expect(question)
    child.send(text + ENTER)


def start_unit(child: pexpect.spawn, kind_steps: int, name: str) -> None:
    """The questions every unit asks first: its kind and name, the date 2026-01-15, then priority to
    pull request on their defaults."""
    choose(child, "Type de travail", kind_steps)
    answer(child, "Nom de l'unité", name)
    answer(child, "Date de l'unité", BACKSPACE * 10 + "2026-01-15")
    for question in ("Priorité", "Statut", "Objectif", "Référence de l'issue", "la pull request"):
        answer(child, question)


def test_interactive_fix_with_a_bad_name_then_the_same_as_data(
    pristine_host: Path, tmp_path: Path, template_src: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    host = clone_host(pristine_host, tmp_path / "interactive")
    child = spawn(template_src, host)
    choose(child, "Type de travail", KIND_ORDER.index("fix"))  # in a host the menu starts on `feature`
    child.expect("Nom de l'unité")
    child.send("Celery Startup" + ENTER)
    child.expect("n'est pas en kebab-case")  # explained, and asked again
    child.send(BACKSPACE * len("Celery Startup") + "celery-startup" + ENTER)
    answer(child, "Date de l'unité", BACKSPACE * 10 + "2026-01-15")
    choose(child, "Priorité", 2)  # from the default P1, wrapping round to P0
    choose(child, "Statut", 0)
    answer(child, "Objectif", BACKSPACE * 80 + 'Réparer le démarrage de "Celery" {{ 7*7 }}')
    answer(child, "Référence de l'issue", "#42")
    answer(child, "la pull request")
    choose(child, "Où va le test de régression", 1)  # frontend
    child.expect("Unité Fix/Bug 'celery-startup' créée")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    scripted = clone_host(pristine_host, tmp_path / "scripted")
    new_unit(scripted, "fix", "celery-startup", date="2026-01-15", priority="P0", issue="#42",
             objective='Réparer le démarrage de "Celery" {{ 7*7 }}', regression_side="frontend")  # fmt: skip
    assert tree_snapshot(host) == tree_snapshot(scripted)
    log = (host / "docs/workflow/logs/fixes/2026-01-15_fix_celery-startup.md").read_text()
    assert "{{ 7*7 }}" in log and "**Priorité:** P0" in log


def test_a_name_that_would_generate_class_none_is_explained_and_asked_again(
    host: Path, template_src: Path, tree_snapshot: Any
) -> None:
    before = tree_snapshot(host)
    child = spawn(template_src, host)
    choose(child, "Type de travail", KIND_ORDER.index("api"))
    child.expect("Nom de l'unité")
    child.send("none" + ENTER)
    child.expect(r"réservé par Python \(None, sa forme PascalCase\)")  # explained, and asked again
    child.send(BACKSPACE * len("none") + "campaigns" + ENTER)
    child.expect("Date de l'unité")  # accepted: the next question
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert tree_snapshot(host) == before


@pytest.mark.parametrize("kind", ["api", "fix"])
def test_a_unit_kind_outside_a_host_is_explained_and_asked_again(tmp_path: Path, template_src: Path, kind: str) -> None:
    child = spawn(template_src, tmp_path / "not-a-host")
    # Outside a host the menu starts on `project` (the last choice) and wraps round.
    choose(child, "Type de travail", (KIND_ORDER.index(kind) - KIND_ORDER.index("project")) % len(KIND_ORDER))
    child.expect("Type de travail")
    child.expect("n'est pas un hôte VECTRA")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus != 0
    assert not (tmp_path / "not-a-host").exists(), "an interrupted copy leaves nothing behind"


def test_interactive_feature_parts_from_the_checkbox(
    pristine_host: Path, tmp_path: Path, template_src: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    host = clone_host(pristine_host, tmp_path / "interactive")
    child = spawn(template_src, host)
    start_unit(child, 0, "campaign-board")  # feature, the default in a host
    child.expect("Parties de la fonctionnalité")
    # The cursor starts on `database`; untick database, api and component, keep page.
    child.send(SPACE + DOWN + SPACE + DOWN + DOWN + SPACE + ENTER)
    child.expect("Route de la page")
    child.send(ENTER)  # the default route
    child.expect("Unité Feature 'campaign-board' créée")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    scripted = clone_host(pristine_host, tmp_path / "scripted")
    new_unit(scripted, "feature", "campaign-board", date="2026-01-15", parts=["page"])
    assert tree_snapshot(host) == tree_snapshot(scripted)
    assert (host / "frontend/app/campaign-board/page.tsx").is_file()
    assert not (host / "backend/app/api/routes/campaign_board.py").exists()


def test_interactive_api_with_compact_fields_a_bad_one_explained_then_the_same_as_data(
    pristine_host: Path, tmp_path: Path, template_src: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    """The fields on one line (no YAML editor): a wrong type is explained and asked again."""
    fields = "title:string:80:unique budget:numeric?:0.. status:enum(draft,active)=draft"
    host = clone_host(pristine_host, tmp_path / "interactive")
    child = spawn(template_src, host)
    start_unit(child, KIND_ORDER.index("api"), "campaigns")
    for question in ("Créer sa table", "au singulier", "au pluriel", "Ce qu'est la ressource", "Quelles opérations"):
        answer(child, question)
    child.expect("Champs, ex.")
    child.expect("name:string:200 description:text\\?")  # the default, on one line
    child.send(BACKSPACE * 80 + "title:string:80:unique budget:money" + ENTER)
    child.expect(r"champ 2 \(budget\) : type 'money' inconnu ; types : string, text")  # explained, asked again
    child.send(BACKSPACE * 80 + fields + ENTER)
    child.expect("Unité API Endpoint 'campaigns' créée")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    revision = yaml.safe_load((host / ".copier-answers/api_campaigns.yml").read_text())["revision"]
    scripted = clone_host(pristine_host, tmp_path / "scripted")
    new_unit(scripted, "api", "campaigns", date="2026-01-15", fields=fields, revision=revision)
    assert tree_snapshot(host) == tree_snapshot(scripted)


def test_interactive_agent_defaults_from_its_name_and_compact_inputs_then_the_same_as_data(
    pristine_host: Path, tmp_path: Path, template_src: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    """An agent named like a summariser is offered a summariser's purpose; its inputs and outputs
    typed on one line in the YAML editor (Esc, Enter submits), a wrong type explained and asked again."""
    inputs, outputs = 'transcript:str:"Transcription de l\'appel"', "summary:str urgent:bool=false"
    host = clone_host(pristine_host, tmp_path / "interactive")
    child = spawn(template_src, host)
    start_unit(child, KIND_ORDER.index("agent"), "resume-appels")
    child.expect("Que fait l'agent")
    child.expect("[Rr]ésum")  # the default derived from the name, not the BANT qualifier's
    child.send(ENTER)
    child.expect("Entrées, ex.")
    child.send(BACKSPACE * 400 + "transcript:texte" + ESC_ENTER)
    child.expect(r"type 'texte' inconnu")  # explained, asked again
    child.send(BACKSPACE * 400 + inputs + ESC_ENTER)
    child.expect("Sorties, ex.")
    child.send(BACKSPACE * 600 + outputs + ESC_ENTER)
    for question in ("tâche Celery", "Que faire si le LLM", "Délai d'un appel"):
        answer(child, question)
    child.expect("Unité .* 'resume-appels' créée")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    scripted = clone_host(pristine_host, tmp_path / "scripted")
    new_unit(scripted, "agent", "resume-appels", date="2026-01-15", agent_inputs=inputs, agent_outputs=outputs)
    assert tree_snapshot(host) == tree_snapshot(scripted)


def test_interactive_feature_with_compact_fields_a_bad_one_explained_then_the_same_as_data(
    pristine_host: Path, tmp_path: Path, template_src: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    """A whole feature (table, API, component, page) answered in the terminal, its fields on one line."""
    fields = "title:string:80:unique budget:numeric?:0.. status:enum(draft,active)=draft"
    host = clone_host(pristine_host, tmp_path / "interactive")
    child = spawn(template_src, host)
    start_unit(child, 0, "campaign-board")  # feature, the default in a host
    answer(child, "Parties de la fonctionnalité")  # the default: database, api, component, page
    answer(child, "au singulier", BACKSPACE * 40 + "campaign")
    answer(child, "au pluriel", BACKSPACE * 40 + "campaigns")
    for question in ("Ce qu'est la ressource", "Quelles opérations"):
        answer(child, question)
    child.expect("Champs, ex.")
    child.send(BACKSPACE * 80 + "title:string:80 budget:numeric:unique:0..x" + ENTER)
    child.expect(r"champ 2 \(budget\) : ")  # explained (which item, what is wrong), asked again
    child.send(BACKSPACE * 80 + fields + ENTER)
    for question in ("Props du composant", "schéma Zod", "Composant client", "Composant réutilisable"):
        answer(child, question)
    answer(child, "Route de la page", BACKSPACE * 40 + "/campaigns")
    child.expect("Unité Feature 'campaign-board' créée")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    revision = yaml.safe_load((host / ".copier-answers/feature_campaign-board.yml").read_text())["revision"]
    scripted = clone_host(pristine_host, tmp_path / "scripted")
    new_unit(scripted, "feature", "campaign-board", date="2026-01-15", resource_singular="campaign",
             resource_plural="campaigns", fields=fields, route="/campaigns", revision=revision)  # fmt: skip
    assert tree_snapshot(host) == tree_snapshot(scripted)
    assert "budget: Mapped[Decimal | None]" in (host / "backend/app/models/campaigns.py").read_text()


def test_a_feature_over_an_existing_table_is_refused_at_its_plural_and_asked_again(
    host: Path, template_src: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    """Refused at the question that names the table, with the way out a feature has, not after all
    of the questions; the derived plural that names the taken table is not offered as the default
    (copier would stop on it with a traceback)."""
    new_unit(host, "database", "campaigns", date="2026-01-15")  # the table, no route
    before = tree_snapshot(host)
    child = spawn(template_src, host, columns=80)  # a refusal shows on one line: what to do comes first
    start_unit(child, 0, "campaign-board")
    answer(child, "Parties de la fonctionnalité")
    answer(child, "au singulier", BACKSPACE * 40 + "campaign")
    child.expect("au pluriel")
    child.send("campaigns" + ENTER)  # typed: no default to erase
    # A feature's way out (not an api's `-d api_own_model`), within the 80 columns a terminal shows.
    child.expect("la table 'campaigns' existe déjà : un autre pluriel, ou décochez database")
    child.send(BACKSPACE * 40 + "campaign-boards" + ENTER)
    child.expect("Ce qu'est la ressource")  # accepted: the next question
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in child.before
    assert child.exitstatus != 0
    assert tree_snapshot(host) == before
