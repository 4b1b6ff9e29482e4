"""Compact list answers (issue 19): one line gives exactly what its YAML list gives.

Each unit is generated twice into two copies of the same host, once with the compact line and once
with the YAML list it stands for (parsed, as -d from Python or an answers file gives it, or as YAML
text); every file but the unit's answers file (which keeps the answer as given) is byte-identical.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import copier
import pytest
from blueprint import unit as unit_mod
from helpers import hosts
from helpers.outputs import answers_of

REVISION = "c0ffee000001"


def twins(pristine_host: Path, tmp_path: Path, template_src: Path, kind: str, name: str,
          compact: dict[str, Any], long: dict[str, Any], **common: Any) -> tuple[Path, Path]:  # fmt: skip
    """Two hosts, the unit generated in one with `compact` answers, in the other with `long` ones."""
    made = []
    for label, answers in (("compact", compact), ("yaml", long)):
        host = hosts.clone_host(pristine_host, tmp_path / label)
        hosts.copy_unit(template_src, host, kind=kind, name=name, **common, **answers)
        made.append(host)
    return made[0], made[1]


def same_trees(one: Path, other: Path, tree_snapshot: Any, kind: str, name: str) -> None:
    answers = unit_mod.answers_file(kind, name)
    first, second = tree_snapshot(one), tree_snapshot(other)
    assert first.keys() == second.keys()
    different = [path for path in first if path != answers and first[path] != second[path]]
    assert different == []
    assert answers in first  # the unit was made
    compact_answers, long_answers = answers_of(one, kind, name), answers_of(other, kind, name)
    given = {key for key in compact_answers if compact_answers[key] != long_answers[key]}
    assert given <= {"fields", "columns", "agent_inputs", "agent_outputs", "props"}


FIELDS = (
    "title:string:80:unique budget:numeric?:0.. status:enum(draft,active)=draft starts_on:date? score:integer(0..100)"
)
FIELDS_YAML = [
    {"name": "title", "type": "string", "max_length": 80, "unique": True},
    {"name": "budget", "type": "numeric", "required": False, "min": 0},
    {"name": "status", "type": "enum", "choices": ["draft", "active"], "default": "draft"},
    {"name": "starts_on", "type": "date", "required": False},
    {"name": "score", "type": "integer", "min": 0, "max": 100},
]
FIELDS_YAML_TEXT = (
    "[{name: title, type: string, max_length: 80, unique: true}, {name: budget, type: numeric, required: false, "
    "min: 0}, {name: status, type: enum, choices: [draft, active], default: draft}, {name: starts_on, type: date, "
    "required: false}, {name: score, type: integer, min: 0, max: 100}]"
)


@pytest.mark.parametrize("long", [FIELDS_YAML, FIELDS_YAML_TEXT], ids=["list", "yaml-text"])
def test_api_fields_compact_and_yaml_give_the_same_unit(
    pristine_host: Path, tmp_path: Path, template_src: Path, tree_snapshot: Any, long: Any
) -> None:
    one, other = twins(pristine_host, tmp_path, template_src, "api", "campaigns", {"fields": FIELDS},
                       {"fields": long}, revision=REVISION)  # fmt: skip
    same_trees(one, other, tree_snapshot, "api", "campaigns")
    assert answers_of(one, "api", "campaigns")["fields"] == FIELDS  # kept as typed
    assert "unique=True" not in (one / "backend/app/models/campaigns.py").read_text()  # unique per tenant
    assert "uq_campaigns_tenant_id_title" in (one / "backend/app/models/campaigns.py").read_text()


COLUMNS = "email:string:120:unique owner_id:integer?:fk(owners.id) price:numeric(12,2)=0 seen_at:datetime=now notes"
COLUMNS_YAML = [
    {"name": "email", "type": "string", "length": 120, "nullable": False, "unique": True},
    {"name": "owner_id", "type": "integer", "foreign_key": "owners.id"},
    {"name": "price", "type": "numeric", "precision": 12, "scale": 2, "nullable": False, "default": 0},
    {"name": "seen_at", "type": "datetime", "nullable": False, "default": "now"},
    {"name": "notes", "type": "string", "nullable": False},
]


def test_database_columns_compact_and_yaml_give_the_same_unit(
    pristine_host: Path, tmp_path: Path, template_src: Path, tree_snapshot: Any
) -> None:
    one, other = twins(pristine_host, tmp_path, template_src, "database", "add-leads", {"columns": COLUMNS},
                       {"columns": COLUMNS_YAML}, table="leads", revision=REVISION)  # fmt: skip
    same_trees(one, other, tree_snapshot, "database", "add-leads")
    assert 'sa.ForeignKey("owners.id")' in (one / "backend/app/models/leads.py").read_text()


ALTER = "+score:integer=0 ~description:string?:500 -is_active"
ALTER_YAML = [
    {"name": "score", "type": "integer", "nullable": False, "default": 0, "action": "add"},
    {"name": "description", "type": "string", "length": 500, "nullable": True, "action": "alter"},
    {"name": "is_active", "action": "drop"},
]


def test_alter_table_compact_and_yaml_give_the_same_unit(
    pristine_host: Path, tmp_path: Path, template_src: Path, tree_snapshot: Any
) -> None:
    base = hosts.clone_host(pristine_host, tmp_path / "base")
    # The table, on the defaults (its columns: name, description, is_active).
    hosts.copy_unit(template_src, base, kind="database", name="add-leads", table="leads", revision=REVISION)
    hosts.commit_all(base, "leads")
    one, other = twins(base, tmp_path, template_src, "database", "change-leads", {"columns": ALTER},
                       {"columns": ALTER_YAML}, db_operation="alter_table", table="leads",
                       revision="c0ffee000002")  # fmt: skip
    same_trees(one, other, tree_snapshot, "database", "change-leads")
    model = (one / "backend/app/models/leads.py").read_text()
    assert "score: Mapped[int]" in model and "is_active" not in model and "sa.String(500)" in model


INPUTS = 'company:str:"Nom de l\'entreprise":ex(Acme Industrie) notes:str:"Notes de l\'échange" budget:float(0..)'
INPUTS_YAML = [
    {"name": "company", "type": "str", "description": "Nom de l'entreprise", "example": "Acme Industrie"},
    {"name": "notes", "type": "str", "description": "Notes de l'échange"},
    {"name": "budget", "type": "float", "min": 0},
]
OUTPUTS = "score:int(0..100)=0 tier:enum(hot,cold)=cold reasons:list[str] qualified:bool=false"
OUTPUTS_YAML = [
    {"name": "score", "type": "int", "min": 0, "max": 100, "default": 0},
    {"name": "tier", "type": "enum", "choices": ["hot", "cold"], "default": "cold"},
    {"name": "reasons", "type": "list[str]"},
    {"name": "qualified", "type": "bool", "default": False},
]


def test_agent_inputs_and_outputs_compact_and_yaml_give_the_same_unit(
    pristine_host: Path, tmp_path: Path, template_src: Path, tree_snapshot: Any
) -> None:
    one, other = twins(pristine_host, tmp_path, template_src, "agent", "lead-scorer",
                       {"agent_inputs": INPUTS, "agent_outputs": OUTPUTS},
                       {"agent_inputs": INPUTS_YAML, "agent_outputs": OUTPUTS_YAML})  # fmt: skip
    same_trees(one, other, tree_snapshot, "agent", "lead-scorer")
    assert "Acme Industrie" in (one / "backend/tests/agents/test_lead_scorer_agent.py").read_text()


PROPS = 'title score?:number level:enum(low,high):"Niveau" tags:string[]?'
PROPS_YAML = [
    {"name": "title", "type": "string", "required": True},
    {"name": "score", "type": "number", "required": False},
    {"name": "level", "type": "enum", "values": ["low", "high"], "required": True, "label": "Niveau"},
    {"name": "tags", "type": "string[]", "required": False},
]


def test_component_props_compact_and_yaml_give_the_same_unit(
    pristine_host: Path, tmp_path: Path, template_src: Path, tree_snapshot: Any
) -> None:
    one, other = twins(pristine_host, tmp_path, template_src, "component", "lead-card", {"props": PROPS},
                       {"props": PROPS_YAML})  # fmt: skip
    same_trees(one, other, tree_snapshot, "component", "lead-card")
    assert answers_of(one, "component", "lead-card")["props"] == PROPS  # kept as typed
    assert '"Niveau"' in (one / "frontend/components/LeadCard/LeadCard.tsx").read_text()


def test_a_feature_reads_every_compact_list(
    pristine_host: Path, tmp_path: Path, template_src: Path, tree_snapshot: Any
) -> None:
    one, other = twins(pristine_host, tmp_path, template_src, "feature", "campaign-board",
                       {"fields": FIELDS, "agent_inputs": INPUTS, "agent_outputs": OUTPUTS, "props": PROPS},
                       {"fields": FIELDS_YAML, "agent_inputs": INPUTS_YAML, "agent_outputs": OUTPUTS_YAML,
                        "props": PROPS_YAML},
                       parts=["database", "api", "agent", "component"], revision=REVISION)  # fmt: skip
    same_trees(one, other, tree_snapshot, "feature", "campaign-board")


@pytest.mark.parametrize("fields", [FIELDS, FIELDS_YAML], ids=["compact", "yaml-list"])
def test_update_keeps_a_compact_or_yaml_answer_and_every_file(
    host: Path, git_template: Path, tree_snapshot: Any, fields: Any
) -> None:
    hosts.copy_unit(git_template, host, kind="api", name="campaigns", fields=fields, revision=REVISION)
    hosts.commit_all(host, "campaigns")
    before = tree_snapshot(host)
    answers = unit_mod.answers_file("api", "campaigns")
    copier.run_update(dst_path=host, answers_file=answers, defaults=True, overwrite=True, unsafe=True, quiet=True,
                      vcs_ref=copier.VcsRef.CURRENT)  # fmt: skip
    assert answers_of(host, "api", "campaigns")["fields"] == fields  # as given: text or a YAML list
    after = tree_snapshot(host)
    assert {path for path in after if after[path] != before.get(path)} <= {answers}
