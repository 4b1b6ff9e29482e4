"""The first answers an agent is offered, from its name (issue 19): what kind of work it does.

An agent named `resume-appels` is offered a summariser's purpose and fields, `tri-tickets` a
classifier's, a name that says nothing recognisable a generic one built from the name. The intent is
found from the words of the kebab-case name (then, for a feature, of its objective), French or
English, accents ignored: the first word that matches an intent decides. Everything here is data;
questions/agent.yml reaches it through `computed(...)` (the agent part's DEFAULTS).

Every default is a valid answer whose generated tests pass in a host (tests/blueprints/test_agent.py).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEXT_INPUT = {
    "name": "text",
    "type": "str",
    "description": "Texte à traiter (message, e-mail, compte rendu)",
    "example": "Bonjour, notre facture de mars est erronée : 1 200 € facturés au lieu de 950 €. "
    "Pouvez-vous envoyer un avoir avant la fin du mois ? Merci, Claire Martin (Acme Industrie).",
}


@dataclass(frozen=True)
class Intent:
    """A kind of work: the words that name it and the answers it is offered."""

    key: str
    words: str  # a regex a whole word of the name must match (accents removed)
    purpose: str  # `{title}`: the name in words (`resume appels`)
    inputs: tuple[dict[str, Any], ...]
    outputs: tuple[dict[str, Any], ...]


INTENTS = (
    Intent(
        key="qualifier",
        words=r"qualif\w*|leads?|prospects?",
        purpose="Qualifier un lead selon la grille BANT (budget, autorité, besoin, calendrier) et dire s'il mérite "
        "un rendez-vous commercial.",
        inputs=(
            {
                "name": "company",
                "type": "str",
                "description": "Nom de l'entreprise du lead",
                "example": "Acme Industrie",
            },
            {
                "name": "contact_role",
                "type": "str",
                "description": "Fonction de l'interlocuteur",
                "example": "Directrice administrative et financière",
            },
            {
                "name": "notes",
                "type": "str",
                "description": "Notes de l'échange commercial (appel, e-mail, formulaire)",
                "example": "Budget de 50 k€ validé pour 2026 ; c'est elle qui signe ; veut automatiser la relance des "
                "impayés ; décision avant septembre.",
            },
        ),
        outputs=(
            {
                "name": "budget",
                "type": "enum",
                "choices": ["confirmed", "probable", "unknown"],
                "description": "Budget identifié pour le projet",
                "default": "unknown",
                "example": "confirmed",
            },
            {
                "name": "authority",
                "type": "bool",
                "description": "L'interlocuteur décide ou signe l'achat",
                "default": False,
                "example": True,
            },
            {
                "name": "need",
                "type": "str",
                "description": "Besoin exprimé, en une phrase",
                "default": "",
                "example": "Automatiser la relance des factures impayées",
            },
            {
                "name": "timeline",
                "type": "str",
                "description": "Échéance de décision annoncée, vide si inconnue",
                "default": "",
                "example": "avant septembre 2026",
            },
            {
                "name": "score",
                "type": "int",
                "min": 0,
                "max": 100,
                "description": "Score de qualification BANT, de 0 à 100",
                "default": 0,
                "example": 85,
            },
            {
                "name": "qualified",
                "type": "bool",
                "description": "Le lead mérite un rendez-vous commercial",
                "default": False,
                "example": True,
            },
            {
                "name": "reasons",
                "type": "list[str]",
                "description": "Raisons du score, une par critère BANT",
                "default": [],
                "example": [
                    "Budget de 50 k€ confirmé",
                    "La DAF signe",
                    "Besoin clair : relance des impayés",
                    "Décision avant septembre",
                ],
            },
        ),
    ),
    Intent(
        key="summariser",
        words=r"resum\w*|summar\w*|synthe\w*",
        purpose="Résumer le texte reçu en quelques phrases fidèles et en dégager les points clés.",
        inputs=({**TEXT_INPUT, "description": "Texte à résumer (message, e-mail, compte rendu d'appel)"},),
        outputs=(
            {
                "name": "summary",
                "type": "str",
                "description": "Résumé en deux ou trois phrases",
                "default": "",
                "example": "La cliente conteste la facture de mars (1 200 € au lieu de 950 €) et demande un avoir "
                "avant la fin du mois.",
            },
            {
                "name": "key_points",
                "type": "list[str]",
                "description": "Points clés, un par élément",
                "default": [],
                "example": ["Facture de mars erronée", "Écart de 250 €", "Avoir demandé avant la fin du mois"],
            },
        ),
    ),
    Intent(
        key="classifier",
        words=r"classif\w*|categor\w*|tri|trier|triage|tris",
        purpose="Classer le texte reçu dans une catégorie et dire pourquoi en une phrase.",
        inputs=({**TEXT_INPUT, "description": "Texte à classer (message, e-mail, ticket)"},),
        outputs=(
            {
                "name": "category",
                "type": "enum",
                "choices": ["other", "billing", "support", "sales"],
                "description": "Catégorie du texte (other si aucune ne convient)",
                "default": "other",
                "example": "billing",
            },
            {
                "name": "reason",
                "type": "str",
                "description": "Pourquoi cette catégorie, en une phrase",
                "default": "",
                "example": "La cliente conteste le montant d'une facture.",
            },
        ),
    ),
    Intent(
        key="extractor",
        words=r"extract\w*|extrai\w*",
        purpose="Extraire du texte reçu les informations utiles (personnes, entreprises, montants, dates), "
        "sans rien inventer.",
        inputs=({**TEXT_INPUT, "description": "Texte d'où extraire les informations"},),
        outputs=(
            {
                "name": "people",
                "type": "list[str]",
                "description": "Personnes nommées",
                "default": [],
                "example": ["Claire Martin"],
            },
            {
                "name": "companies",
                "type": "list[str]",
                "description": "Entreprises nommées",
                "default": [],
                "example": ["Acme Industrie"],
            },
            {
                "name": "amounts",
                "type": "list[float]",
                "description": "Montants cités, en euros",
                "default": [],
                "example": [1200.0, 950.0],
            },
            {
                "name": "found",
                "type": "bool",
                "description": "Le texte contenait au moins une information utile",
                "default": False,
                "example": True,
            },
        ),
    ),
    Intent(
        key="scorer",
        words=r"scor\w*|note|noter|notation|evalu\w*|rating",
        purpose="Noter le texte reçu de 0 à 100 selon son intérêt et justifier la note en une phrase.",
        inputs=({**TEXT_INPUT, "description": "Texte à noter"},),
        outputs=(
            {
                "name": "score",
                "type": "int",
                "min": 0,
                "max": 100,
                "description": "Note de 0 à 100",
                "default": 0,
                "example": 72,
            },
            {
                "name": "rationale",
                "type": "str",
                "description": "Justification de la note, en une phrase",
                "default": "",
                "example": "Demande précise et chiffrée d'une cliente existante, à traiter rapidement.",
            },
        ),
    ),
    Intent(
        key="translator",
        words=r"tradu\w*|translat\w*",
        purpose="Traduire le texte reçu dans la langue demandée, fidèlement et sans rien ajouter.",
        inputs=(
            {**TEXT_INPUT, "description": "Texte à traduire"},
            {
                "name": "target_language",
                "type": "enum",
                "choices": ["en", "fr", "de", "es", "it"],
                "description": "Langue de la traduction (code ISO 639-1)",
                "example": "en",
            },
        ),
        outputs=(
            {
                "name": "translation",
                "type": "str",
                "description": "Texte traduit",
                "default": "",
                "example": "Hello, our March invoice is wrong: €1,200 billed instead of €950. Could you send a credit "
                "note before the end of the month? Thank you, Claire Martin (Acme Industrie).",
            },
            {
                "name": "source_language",
                "type": "str",
                "description": "Langue du texte reçu (code ISO 639-1), vide si inconnue",
                "default": "",
                "example": "fr",
            },
        ),
    ),
)

GENERIC = Intent(
    key="generic",
    words="",
    purpose="Traiter « {title} » : lire le texte reçu et en tirer le résultat attendu (mission à préciser).",
    inputs=({**TEXT_INPUT, "description": "Texte à traiter"},),
    outputs=(
        {
            "name": "result",
            "type": "str",
            "description": "Résultat du traitement, en une phrase",
            "default": "",
            "example": "Avoir de 250 € à émettre pour la facture de mars d'Acme Industrie.",
        },
    ),
)
_MATCHERS = [(re.compile(intent.words), intent) for intent in INTENTS]


def words(text: str) -> list[str]:
    """The lower-case words of `text`, accents removed (`Résumé des appels` -> resume, des, appels)."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", plain.lower())


def intent_for(name: str, objective: str = "") -> Intent:
    """The intent of the first word of the name, then of the objective, that names one; else GENERIC."""
    for word in [*words(name), *words(objective)]:
        for matcher, intent in _MATCHERS:
            if matcher.fullmatch(word):
                return intent
    return GENERIC


def _intent(answers: dict[str, Any]) -> Intent:
    # A feature's objective may tell what its agent does; an agent's own is `<kind> <name>: …`.
    objective = answers.get("objective") if answers.get("kind") == "feature" else ""
    return intent_for(str(answers.get("name") or ""), str(objective or ""))


def purpose(answers: dict[str, Any]) -> str:
    title = " ".join(words(str(answers.get("name") or ""))) or "la demande"
    return _intent(answers).purpose.format(title=title)


def inputs(answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(f) for f in _intent(answers).inputs]


def outputs(answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(f) for f in _intent(answers).outputs]


def value(question: str, answers: dict[str, Any]) -> Any:
    """The default of `question` as its answer (a list for the fields), for a unit's derived values."""
    return {"agent_purpose": purpose, "agent_inputs": inputs, "agent_outputs": outputs}[question](answers)


def _as_yaml(question: str) -> Any:
    # One field a line, each a JSON object (JSON is YAML): the text a person edits at the prompt.
    return lambda dst, answers: "\n".join(f"- {json.dumps(f, ensure_ascii=False)}" for f in value(question, answers))


def _purpose_default(dst: Path, answers: dict[str, Any]) -> str:
    return purpose(answers)


DEFAULTS = {
    "agent_purpose": _purpose_default,
    "agent_inputs": _as_yaml("agent_inputs"),
    "agent_outputs": _as_yaml("agent_outputs"),
}
