"""An agent's first answers come from its name (issue 19): a summariser for `resume-appels`, a
classifier for `tri-tickets`, a generic one for a name that says nothing recognisable."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from blueprint import agent_defaults
from blueprint.parts import agent as agent_part

INTENTS = {
    "bant-qualifier": "qualifier",
    "qualification-des-leads-entrants-par-ia": "qualifier",
    "lead-summary": "qualifier",  # the first word that names an intent decides
    "resume-appels": "summariser",
    "call-summarizer": "summariser",
    "synthese-reunions": "summariser",
    "classification-tickets": "classifier",
    "tri-des-mails": "classifier",
    "email-categorizer": "classifier",
    "extraction-factures": "extractor",
    "invoice-extractor": "extractor",
    "scoring-candidats": "scorer",
    "note-fournisseurs": "scorer",
    "traduction-fiches": "translator",
    "translate-docs": "translator",
    "deal-guard": "generic",
    "trimestre-rapport": "generic",  # `tri` is a whole word, not a prefix
    "notes-internes": "generic",
}


@pytest.mark.parametrize(("name", "intent"), INTENTS.items())
def test_the_name_says_what_kind_of_work_the_agent_does(name: str, intent: str) -> None:
    assert agent_defaults.intent_for(name).key == intent


def test_a_features_objective_tells_when_its_name_does_not() -> None:
    answers = {"kind": "feature", "name": "support-inbox", "objective": "Résumer chaque e-mail reçu"}
    assert agent_defaults.outputs(answers)[0]["name"] == "summary"
    # An agent's own objective is not read (its default repeats the name).
    assert agent_defaults.outputs({**answers, "kind": "agent"})[0]["name"] == "result"


def test_the_summariser_and_the_fallback() -> None:
    summariser = {"kind": "agent", "name": "resume-appels"}
    assert [f["name"] for f in agent_defaults.inputs(summariser)] == ["text"]
    assert [(f["name"], f["type"]) for f in agent_defaults.outputs(summariser)] == [
        ("summary", "str"),
        ("key_points", "list[str]"),
    ]
    assert agent_defaults.purpose(summariser).startswith("Résumer")
    generic = {"kind": "agent", "name": "deal-guard"}
    assert agent_defaults.purpose(generic).startswith("Traiter « deal guard »")
    assert [(f["name"], f["type"]) for f in agent_defaults.inputs(generic)] == [("text", "str")]
    assert [(f["name"], f["type"]) for f in agent_defaults.outputs(generic)] == [("result", "str")]
    bant = agent_defaults.purpose({"name": "bant-qualifier"})
    assert "BANT" in bant and "BANT" not in agent_defaults.purpose(summariser)


@pytest.mark.parametrize("name", [*INTENTS, "x" * 40])
def test_every_default_is_a_valid_answer(name: str) -> None:
    answers = {"kind": "agent", "name": name}
    check = agent_part.VALIDATORS
    for question, compute in agent_defaults.DEFAULTS.items():
        text = compute(Path("."), answers)
        answer = yaml.safe_load(text) if question != "agent_purpose" else text
        assert answer == agent_defaults.value(question, answers)
        assert check[question](answer, answers) == "", (question, text)
