"""Example text values the generated tests and fixtures use (issue 19): they read like real data.

A text field's name hints at its content (`email`, `url`, `phone`, `name`/`nom`, `title`/`titre`…):
it gets a plausible value, else `Exemple de <its name in words>`. A value is cut to the field's
max_length; `numbered` makes one value per n (unique columns need distinct rows).

The texts hold no quote, brace or backslash: the api part pastes them inside an f-string.
"""

from __future__ import annotations

import re

# (pattern matched on the snake_case field name, the value, how a number joins it, what follows the number)
HINTS = (
    (r"e_?mail|courriel|mail", "claire.martin", ".", "@exemple.fr"),
    (r"url|website|site(_web)?|link|lien|homepage", "https://www.exemple.fr/accueil", "-", ""),
    (r"phone|telephone|tel|mobile|portable|fax", "+33 1 23 45 67 89", " poste ", ""),
    (r"first_?name|prenom|given_name", "Claire", " ", ""),
    (r"last_?name|surname|family_name|nom_de_famille", "Martin", " ", ""),
    (r"company|entreprise|societe|organi[sz]ation|customer|client", "Acme Industrie", " ", ""),
    (r"full_?name|name|nom|contact|author|auteur|owner", "Claire Martin", " ", ""),
    (r"title|titre|subject|objet|label|libelle|heading", "Relance des factures impayées", " n° ", ""),
    (r"city|ville", "Lyon", " ", ""),
    (r"country|pays", "France", " ", ""),
    (r"address|adresse|street|rue", "12 rue de la République, 69002 Lyon", " bis ", ""),
    (r"zip|postal_?code|code_postal", "69002", "-", ""),
    (r"ref|reference|code|sku|slug", "REF-2026", "-", ""),
    (r"status|statut|state|etat", "en cours", " ", ""),
    (r"colou?r|couleur", "bleu", " ", ""),
    (
        r"description|notes?|comments?|commentaire|message|body|content|contenu|text|texte|summary|resume|details?",
        "Premier échange avec la cliente : besoin confirmé, devis à envoyer",
        " ",
        "",
    ),
)
_HINTS = [(re.compile(rf"(?:^|_)(?:{pattern})(?:_|$)"), value, join, end) for pattern, value, join, end in HINTS]


def _words(name: str) -> str:
    """A snake_case or camelCase name in snake_case: `contactEmail` -> `contact_email`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _hint(name: str) -> tuple[str, str, str]:
    snake = _words(name)
    for pattern, value, join, end in _HINTS:
        if pattern.search(snake):
            return value, join, end
    return _own(name), " ", ""


def _own(name: str) -> str:
    return f"Exemple de {_words(name).replace('_', ' ').strip()}"


def _cut(text: str, max_length: int | None) -> str:
    """`text` within max_length, without a trailing space (a test reads it back as the page shows it)."""
    return text if not max_length or len(text) <= max_length else text[:max_length].rstrip() or text[:max_length]


def text(name: str, max_length: int | None = None) -> str:
    """A plausible value of the text field `name`."""
    value, _, end = _hint(name)
    return _cut(value + end, max_length)


def numbered(name: str) -> tuple[str, str]:
    """The text of field `name` around a number: (before, after), e.g. ("claire.martin.", "@exemple.fr")."""
    value, join, end = _hint(name)
    return value + join, end


def distinct(name: str, max_length: int | None, taken: set[str]) -> str:
    """`text(name)`, else (another field of the item shows the same) `Exemple de …`, else the name itself."""
    candidates = [text(name, max_length), _cut(_own(name), max_length), _cut(name, max_length)]
    value = next((c for c in candidates if c not in taken), candidates[-1])
    taken.add(value)
    return value
