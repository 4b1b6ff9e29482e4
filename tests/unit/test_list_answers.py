"""The YAML-list answers of the parts, read and refused by one helper (blueprint.list_answers)."""

from __future__ import annotations

from typing import Any

import pytest
from blueprint.list_answers import validator, yaml_list
from blueprint.parts import agent, api, component, database


class Refused(ValueError):
    pass


def read(value: Any, **options: Any) -> list[Any]:
    return yaml_list(value, Refused, noun="props", empty="give at least one prop", at_most=2, **options)


def test_a_list_given_parsed_or_as_yaml_text_is_the_same_list() -> None:
    assert read([{"name": "a"}]) == read("[{name: a}]") == [{"name": "a"}]
    assert read(None, default=["d"]) == ["d"]


@pytest.mark.parametrize(
    ("value", "options", "message"),
    [
        ("[a, b", {}, "les props ne sont pas du YAML valide (expected ',' or ']', but got '<stream end>')"),
        ("title", {}, "les props doivent être une liste, pas 'title'"),
        ({"a": 1}, {"not_list": "a list, please"}, "a list, please"),
        ([], {}, "give at least one prop"),
        (None, {}, "give at least one prop"),
        ("", {}, "give at least one prop"),
        (["a", "b", "c"], {}, "3 props : 2 au plus"),
        (["a", "b", "c"], {"too_many": " (split it)"}, "3 props : 2 au plus (split it)"),
    ],
)
def test_what_is_wrong_is_said_with_the_parts_own_error(value: Any, options: dict[str, Any], message: str) -> None:
    with pytest.raises(Refused) as refused:
        read(value, **options)
    assert str(refused.value) == message


def test_a_validator_says_the_parsers_message_then_what_a_good_answer_looks_like() -> None:
    def parse(value: Any) -> list[Any]:
        return read(value)

    check = validator(parse, Refused, "The props are a YAML list")
    assert check(["a"], {}) == ""
    assert check([], {}) == "give at least one prop. The props are a YAML list."
    with pytest.raises(ZeroDivisionError):  # only the part's own error is an answer's problem
        validator(lambda value: 1 / 0, Refused, "help")(["a"], {})


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        (
            lambda v: agent.fields_problem(output=False)(v, {}),
            "les champs d'entrée doivent être une liste, pas 5. Les champs d'entrée",
        ),
        (
            lambda v: api.fields_problem(v, {}),
            "les champs doivent être une liste, pas 5. Les champs sont une ligne compacte",
        ),
        (
            lambda v: component.props_problem(v, {}),
            "les props doivent être une liste, pas 5. Les props sont une ligne compacte",
        ),
        (lambda v: database.columns_problem(v, {"kind": "database"}), "une liste YAML non vide"),
    ],
)
def test_every_part_reads_its_list_answer_with_it(problem: Any, expected: str) -> None:
    assert expected in problem(5)
