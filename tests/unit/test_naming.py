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
