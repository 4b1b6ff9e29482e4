"""The one-line list answers (blueprint.compact_answers): what a line expands to, and each refusal."""

from __future__ import annotations

from typing import Any

import pytest
from blueprint import compact_answers
from blueprint.columns import TYPES as COLUMN_TYPES
from blueprint.compact_answers import CompactError, answer_type, expand, expanded, is_compact
from blueprint.parts import agent, api, component


@pytest.mark.parametrize(
    ("question", "line", "expected"),
    [
        ("fields", "title", [{"name": "title", "type": "string", "required": True}]),
        ("fields", "title:string:80:unique budget?:numeric:0..", [
            {"name": "title", "type": "string", "required": True, "max_length": 80, "unique": True},
            {"name": "budget", "type": "numeric", "required": False, "min": 0}]),
        ("fields", 'status:enum(draft, active)=draft note:text?:"Une note : libre"', [
            {"name": "status", "type": "enum", "choices": ["draft", "active"], "required": True, "default": "draft"},
            {"name": "note", "type": "text", "required": False, "description": "Une note : libre"}]),
        ("fields", 'n:integer(..10)=3 s:string="a b"', [
            {"name": "n", "type": "integer", "required": True, "max": 10, "default": 3},
            {"name": "s", "type": "string", "required": True, "default": "a b"}]),
        ("columns", "email:string:120:index owner_id:integer?:fk(owners.id) p:numeric(12,2)=1.5", [
            {"name": "email", "type": "string", "nullable": False, "length": 120, "index": True},
            {"name": "owner_id", "type": "integer", "nullable": True, "foreign_key": "owners.id"},
            {"name": "p", "type": "numeric", "nullable": False, "precision": 12, "scale": 2, "default": 1.5}]),
        ("columns", "+a:text? ~b:bigint ~c! -d", [
            {"name": "a", "action": "add", "type": "text", "nullable": True},
            {"name": "b", "action": "alter", "type": "bigint"},
            {"name": "c", "action": "alter", "nullable": False},
            {"name": "d", "action": "drop"}]),
        ("agent_outputs", "score:int(0..100)=0 tags:list[str]=[] ok:bool=true", [
            {"name": "score", "type": "int", "min": 0, "max": 100, "default": 0},
            {"name": "tags", "type": "list[str]", "default": []},
            {"name": "ok", "type": "bool", "default": True}]),
        ("agent_inputs", 'company notes:str:"Notes de l\'appel"', [
            {"name": "company", "type": "str"},
            {"name": "notes", "type": "str", "description": "Notes de l'appel"}]),
        ("agent_inputs", 'company:str:"Nom":ex(Acme SA) n:int(0..9):ex(3) t:list[str]:ex([a, b]) c:str:ex("7")', [
            {"name": "company", "type": "str", "description": "Nom", "example": "Acme SA"},
            {"name": "n", "type": "int", "min": 0, "max": 9, "example": 3},
            {"name": "t", "type": "list[str]", "example": ["a", "b"]},
            {"name": "c", "type": "str", "example": "7"}]),
        ("props", 'title description? status:enum(new,won):"Statut" tags:string[]? score:number', [
            {"name": "title", "type": "string", "required": True},
            {"name": "description", "type": "string", "required": False},
            {"name": "status", "type": "enum", "values": ["new", "won"], "required": True, "label": "Statut"},
            {"name": "tags", "type": "string[]", "required": False},
            {"name": "score", "type": "number", "required": True}]),
    ],
)  # fmt: skip
def test_a_line_expands_to_its_yaml_list(question: str, line: str, expected: list[dict[str, Any]]) -> None:
    assert expand(question, line) == expected


@pytest.mark.parametrize(
    ("question", "line", "message"),
    [
        ("fields", "title budget:money", "champ 2 (budget) : type 'money' inconnu ; types : string, text, integer"),
        ("fields", "title: string", "champ 1 (title) : type manquant après « : » (pas d'espace après « : »)"),
        ("fields", "n:integer:80", "champ 1 (n) : une longueur (80) ne va qu'aux types string, text, pas integer"),
        ("fields", "s:string:0..9", "champ 1 (s) : des bornes (0..9) ne vont qu'aux types integer, bigint, float"),
        ("fields", "s:string:wat", "champ 1 (s) : modificateur 'wat' inconnu ; modificateurs : une longueur"),
        ("fields", "s:string:unique:unique", "champ 1 (s) : « unique » donné deux fois"),
        ("fields", "s:enum", "champ 1 (s) : un enum donne ses choix : enum(draft,active)"),
        ("fields", "s:enum(a,)", "champ 1 (s) : choix vide dans enum(a,)"),
        ("fields", "s:string(3)", "champ 1 (s) : « string(3) » : parenthèses inattendues"),
        ("fields", "s:string=", 'champ 1 (s) : valeur par défaut vide après « = » ; un texte vide s\'écrit =""'),
        ("fields", "s?:string?", "champ 1 (s) : un seul « ? » ou « ! » par élément"),
        ("fields", "-s", "champ 1 (s) : « - » devant le nom ne sert qu'aux colonnes d'un alter_table"),
        ("fields", ":string", "champ 1 : nom manquant dans « :string »"),
        ("fields", 's:string:"open', "la réponse : un guillemet \" n'est pas refermé"),
        ("fields", "s:enum(a,b", "la réponse : une parenthèse n'est pas refermée"),
        ("columns", "-d:text", "colonne 1 (d) : une colonne supprimée ne prend que son nom : « -d »"),
        ("columns", "a:integer:0..3", "colonne 1 (a) : modificateur '0..3' inconnu"),
        ("agent_inputs", "a:str=x", "entrée 1 (a) : « =valeur » ne sert qu'aux sorties"),
        ("agent_outputs", "a?:str", "sortie 1 (a) : « ? » ne sert pas ici"),
        ("agent_inputs", "a:str:ex()", "entrée 1 (a) : exemple vide dans ex()"),
        ("agent_outputs", "a:int:ex(1):ex(2)", "sortie 1 (a) : `example` donné deux fois"),
        ("fields", "a:string:ex(x)", "champ 1 (a) : modificateur 'ex(x)' inconnu"),
        ("props", "title n:integer", "prop 2 (n) : type 'integer' inconnu ; types : string, number, boolean, date"),
        ("props", "title=x", "prop 1 (title) : « =valeur » : une prop n'a pas de valeur par défaut"),
        ("props", "title:string:80", "prop 1 (title) : modificateur '80' inconnu ; modificateurs : \"un libellé\""),
    ],
)
def test_each_mistake_names_the_item_and_what_is_allowed(question: str, line: str, message: str) -> None:
    with pytest.raises(CompactError) as refused:
        expand(question, line)
    assert str(refused.value).startswith(message)


def test_yaml_stays_yaml_and_copier_keeps_a_yaml_list_as_yaml() -> None:
    assert [is_compact(v) for v in ("a:string", "-a", "[{name: a}]", "- {name: a}", "{a: 1}", "", [])] == [
        True, True, False, False, False, False, False]  # fmt: skip
    types = [answer_type(v) for v in (None, "a:string", [{"name": "a"}], "[{name: a}]")]
    assert types == ["str", "str", "yaml", "yaml"]
    assert expanded("fields", "a:money") == "a:money"  # the part's check says why
    assert expanded("fields", [{"name": "a"}]) == [{"name": "a"}]


def test_the_grammars_know_the_parts_types() -> None:
    grammars = compact_answers.GRAMMARS
    assert grammars["fields"].types == api.TYPES
    assert grammars["columns"].types == tuple(COLUMN_TYPES)
    assert grammars["agent_inputs"].types == grammars["agent_outputs"].types == agent.TYPES
    assert grammars["props"].types == component.TYPES


def test_a_part_says_the_compact_mistake_and_what_a_good_answer_looks_like() -> None:
    problem = api.fields_problem("title budget:money", {})
    assert problem.startswith("champ 2 (budget) : type 'money' inconnu ; types : string, text")
    assert "Les champs sont une ligne compacte" in problem


def test_compact_props_read_as_the_props_they_stand_for_and_a_mistake_is_named() -> None:
    props = component.parse('title description? level:enum(low,high):"Niveau"')
    assert [(p.name, p.type, p.required, p.label, p.values) for p in props] == [
        ("title", "string", True, "Title", []),
        ("description", "string", False, "Description", []),
        ("level", "enum", True, "Niveau", ["low", "high"]),
    ]
    assert component.props_problem("title onClick?", {}).startswith("la prop 'onClick' : les noms `on…`")
    assert component.props_problem("title n:integer", {}).startswith("prop 2 (n) : type 'integer' inconnu")


def test_a_list_typed_as_yaml_text_at_the_prompt_is_read_as_its_list() -> None:
    assert compact_answers.as_list("fields", "[{name: a}]") == [{"name": "a"}]
    assert compact_answers.as_list("fields", "a:integer?") == [{"name": "a", "type": "integer", "required": False}]
    assert compact_answers.as_list("fields", "{a: 1}") == "{a: 1}"
