from __future__ import annotations

import pytest
from blueprint import naming

VALID = ["a", "lead-card", "campaign-wizard", "bant-qualifier", "add-lead-enrichment", "v2-api-client", "x" * 40]
HOSTILE = [
    "", "../etc", "../../outside", "/abs/path", "a/b", "a\\b", "a;rm -rf", "a$(id)", "`id`", "a b", "a|b",
    "Lead-Card", "LEAD", "lead_card", "-lead", "lead-", "lead--card", "1lead", "x" * 41,
    "café", "lеad",  # the second has a Cyrillic е
    "class", "import", "async", "match", "interface", "function", "select", "table", "user", "order",
    "app", "tests", ".", "..", "a.b", "a\nb", "a\x00b",
    "none", "true", "false", "na-n", "infinity", "global-this",  # derived forms: None, True, NaN, globalThis…
]  # fmt: skip


@pytest.mark.parametrize("name", VALID)
def test_valid_names(name: str) -> None:
    assert naming.name_problem(name) == ""


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_refused_with_what_a_valid_name_looks_like(name: str) -> None:
    problem = naming.name_problem(name)
    assert problem, f"{name!r} was accepted"
    assert "kebab-case" in problem


def test_derived_names() -> None:
    assert (naming.snake("lead-card"), naming.pascal("lead-card"), naming.camel("lead-card")) == (
        "lead_card", "LeadCard", "leadCard")  # fmt: skip
    assert naming.title("add-lead-enrichment") == "Add lead enrichment"


@pytest.mark.parametrize("name", [None, 42, ["lead"], ""])
def test_a_missing_or_non_text_name_is_refused_as_empty(name: object) -> None:
    assert naming.name_problem(name) == f"le nom est vide : {naming.VALID_NAME_HELP}"


def test_a_refusal_shows_the_name_escaped_and_says_why() -> None:
    long = "x" * 41
    assert naming.name_problem(long) == f"le nom '{long}' fait 41 caractères : {naming.VALID_NAME_HELP}"
    # ascii(): a look-alike letter or a control character is visible in the message.
    assert naming.name_problem("lеad").startswith("le nom 'l\\u0435ad' n'est pas en kebab-case : ")
    assert naming.name_problem("a\nb").startswith("le nom 'a\\nb' n'est pas en kebab-case : ")


@pytest.mark.parametrize(
    ("name", "label", "word"),
    [
        ("class", "Python", "class"),
        ("match", "Python", "match"),  # a soft keyword
        ("interface", "TypeScript", "interface"),
        ("type-of", "TypeScript", "typeof, sa forme sans tiret"),  # reserved once its hyphen is dropped
        ("key-of", "TypeScript", "keyof, sa forme sans tiret"),
        ("select", "SQL", "select"),
        ("session", "SQL", "session"),
        ("conftest", "l'hôte", "conftest"),
        ("app", "l'hôte", "app"),
    ],
)
def test_a_reserved_name_says_who_reserves_it_and_which_word(name: str, label: str, word: str) -> None:
    assert naming.name_problem(name) == (
        f"le nom '{name}' est réservé par {label} ({word}) : choisissez-en un autre ; {naming.VALID_NAME_HELP}"
    )


@pytest.mark.parametrize("name", ["type-script", "key-card", "lead-user", "app-shell", "class-room"])
def test_a_name_that_only_contains_a_reserved_word_is_valid(name: str) -> None:
    assert naming.name_problem(name) == ""


@pytest.mark.parametrize(
    ("name", "snake", "pascal", "camel", "title"),
    [
        ("a", "a", "A", "a", "A"),
        ("add-lead-enrichment", "add_lead_enrichment", "AddLeadEnrichment", "addLeadEnrichment", "Add lead enrichment"),
        ("v2-api-client", "v2_api_client", "V2ApiClient", "v2ApiClient", "V2 api client"),
    ],
)
def test_derived_names_of_one_and_many_words(name: str, snake: str, pascal: str, camel: str, title: str) -> None:
    assert naming.snake(name) == snake
    assert naming.pascal(name) == pascal
    assert naming.camel(name) == camel
    assert naming.title(name) == title


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("none", "réservé par Python (None, sa forme PascalCase)"),
        ("true", "réservé par Python (True, sa forme PascalCase)"),
        ("na-n", "réservé par TypeScript (NaN, sa forme PascalCase)"),
        ("global-this", "réservé par TypeScript (globalThis, sa forme camelCase)"),
        ("infinity", "réservé par TypeScript (Infinity, sa forme PascalCase)"),
    ],
)
def test_a_name_whose_derived_form_is_a_keyword_or_constant_says_which(name: str, said: str) -> None:
    assert said in naming.name_problem(name)


@pytest.mark.parametrize("name", VALID)
def test_no_derived_form_of_a_valid_name_is_reserved(name: str) -> None:
    for form in (f for f in naming.derived_forms(name) if "-" not in f):  # the kebab form is no identifier
        assert form.isidentifier() and form not in naming.PYTHON_RESERVED | naming.TS_RESERVED


@pytest.mark.parametrize("value", ["none", "true", "false", "class", "na-n", "global-this"])
def test_resource_names_are_held_to_the_same_identifiers(value: str) -> None:
    from blueprint.parts import api

    problem = api.resource_problem(value)
    assert "est réservé par" in problem and "kebab-case" in problem
    assert api.resource_problem("campaign") == ""
