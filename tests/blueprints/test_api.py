"""The API endpoint blueprint (issue 4): answers checked, names derived, files/log/STATUS/contract entry,
and, in a real host, the generated endpoints at work.

Fast tests: the fields answer and the other answers, the resource names, the fields becoming the
database part's columns, what each operation set and model choice generates, refusals before any
write, hostile descriptions, `copier update` stability.
Slow tests: one host with api units for the operation sets that matter (all five, read-only,
create-only, update+delete) on their own models, one on an existing model and one with the longest
names: its `make test-backend` passes on SQLite and on PostgreSQL, the units are ruff-clean and their
own tests cover ≥ 80% of their files; the generated tests fail when the tenant filter (and other
rules) are broken on purpose; and no request a fuzzer sends makes an endpoint answer 500.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import copier
import pexpect
import pytest
from blueprint import model_source, naming
from blueprint import unit as unit_mod
from blueprint.catalog import declared_default
from blueprint.columns import build_table, numeric_format
from blueprint.filters import FILTERS
from blueprint.parts import api
from blueprint.upsert import find_block
from helpers import hosts
from helpers.outputs import answers_of, output, ruff
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from test_generation import check_log, check_status_entry, generate
from test_refusals import refused_in_process

ROOT = Path(__file__).resolve().parents[2]
HOST_PYPROJECT = ROOT / "template/host/backend/pyproject.toml"
CONTRACTS = "docs/tech/DOC-TECH-002_API_CONTRACTS.md"
SCHEMA_DOC = "docs/tech/DOC-TECH-001_DATABASE_SCHEMA.md"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
NASTY = "Les \"campagnes\" '{{ 7*7 }}' \\ */ </script> <!-- x -->\n## pas un titre\n```\n\u2028 🚀 {% raw %}"

# Every field type, every constraint: the richest unit of the host.
ALL_FIELDS: list[dict[str, Any]] = [
    {"name": "title", "type": "string", "max_length": 120, "description": NASTY},
    {"name": "email", "type": "string", "max_length": 200, "required": False, "unique": True},
    {"name": "items", "type": "text", "required": False, "max_length": 5000},  # a name the code uses too
    {"name": "score", "type": "integer", "min": 0, "max": 1000, "default": 0, "index": True},
    {"name": "total", "type": "bigint", "required": False},
    {"name": "ratio", "type": "float", "required": False, "min": 0, "max": 1},
    {"name": "budget", "type": "numeric", "required": False, "min": 0},
    {"name": "active", "type": "boolean", "default": True},
    {"name": "starts_on", "type": "date", "required": False},
    {"name": "seen_at", "type": "datetime", "required": False},
    {"name": "ref", "type": "uuid", "required": False},
    {"name": "extra", "type": "json", "required": False},
    {"name": "stage", "type": "enum", "choices": ["new", "won", "lost"], "default": "new"},
]
# The existing model of `leads-api`: a table made by a database unit before the api unit.
LEADS_TABLE = {
    "table": "leads",
    "columns": [
        {"name": "name", "type": "string", "length": 150, "nullable": False},
        {"name": "email", "type": "string", "length": 120, "unique": True},
        {"name": "score", "type": "integer", "nullable": False, "default": 0},
        {"name": "stage", "type": "enum", "choices": ["new", "won", "lost"], "default": "new", "nullable": False},
        {"name": "internal_note", "type": "text"},  # a column the api does not expose
    ],
}
LEADS_FIELDS = [
    {"name": "name", "type": "string", "max_length": 150},
    {"name": "email", "type": "string", "max_length": 120, "required": False, "unique": True},
    {"name": "score", "type": "integer", "min": 0, "default": 0},
    {"name": "stage", "type": "enum", "choices": ["new", "won", "lost"], "default": "new"},
]
LONG = "quarterly-revenue-forecast-adjustment-xy"  # 40 characters, the longest name
LONG_FIELD = "estimated_quarterly_revenue_adjustments_"[:-1] + "x"  # 40 characters
UNITS: dict[str, dict[str, Any]] = {
    "campaigns": {"fields": ALL_FIELDS, "api_description": NASTY},  # all five operations
    "lead-notes": {"operations": ["list", "get"]},  # read-only, the default fields
    "pings": {"operations": ["create"], "fields": [{"name": "source", "type": "string", "max_length": 40}]},
    "archive-items": {"operations": ["update", "delete"], "fields": ALL_FIELDS[:4]},
    "leads-api": {
        "api_own_model": False,
        "model": "app.models.leads:Lead",
        "resource_singular": "lead",
        "resource_plural": "leads",
        "fields": LEADS_FIELDS,
    },
    # The longest names everywhere (a constraint name would pass PostgreSQL's 63: no unique here).
    LONG: {
        "resource_singular": LONG,
        "resource_plural": LONG,
        "fields": [
            {"name": LONG_FIELD, "type": "enum", "choices": ["a" * 63, "b" * 63, "c"], "default": "c"},
            {"name": LONG_FIELD[:-1] + "y", "type": "string", "max_length": 3, "description": "x" * 300},
            {
                "name": LONG_FIELD[:-1] + "z",
                "type": "numeric",
                "min": "-99999999999999.9999",
                "max": "99999999999999.9999",
                "required": False,
            },
        ],
    },
}


def sources(unit: unit_mod.Unit, catalog: Any) -> list[str]:
    """kinds.yml `sources` of the api part: the unit's files whose coverage is measured."""
    context = {**unit.answers, "unit": unit}
    return [unit_mod.render(item, context) for item in catalog.parts["api"]["sources"]]


def leads_table(host: Path, template: Path) -> None:
    """The existing model an api unit may use: made by a database unit, committed."""
    hosts.copy_unit(template, host, kind="database", name="add-leads", **LEADS_TABLE)
    hosts.commit_all(host, "leads table")


# -- names and answers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "singular", "plural"),
    [
        ("campaigns", "campaign", "campaigns"),
        ("campaign", "campaign", "campaigns"),
        ("lead-categories", "lead-category", "lead-categories"),
        ("mail-boxes", "mail-box", "mail-boxes"),
        ("status", "status", "statuses"),
        ("addresses", "address", "addresses"),
        ("news-feed", "news-feed", "news-feeds"),
    ],
)
def test_resource_names_are_derived_from_the_unit_name(name: str, singular: str, plural: str) -> None:
    assert api.default_singular(Path("."), {"name": name}) == singular
    assert api.default_plural(Path("."), {"name": name, "resource_singular": singular}) == plural


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ([], "au moins un champ"),
        ("title: string", "champ 1 (title) : type manquant après « : »"),
        (["title"], "chaque champ est un mapping"),
        ([{"name": "Title"}], "pas en snake_case"),
        ([{"name": "a" * 41}], "40 caractères au plus"),
        ([{"name": "tenant_id"}], "les colonnes propres du modèle"),
        ([{"name": "id", "type": "integer"}], "les colonnes propres du modèle"),
        ([{"name": "class"}], "pris par Python"),
        ([{"name": "match"}], "pris par Python"),
        ([{"name": "order"}], "pris par SQL"),
        ([{"name": "json"}], "le BaseModel de pydantic"),
        ([{"name": "model_name"}], "appartiennent à pydantic"),
        ([{"name": "metadata"}], "SQLAlchemy"),
        ([{"name": "a"}, {"name": "a"}], "donné deux fois"),
        ([{"name": "a", "type": "money"}], "choisissez parmi string, text"),
        ([{"name": "a", "colour": "red"}], "clés inconnues colour"),
        ([{"name": "a", "required": "yes"}], "`required` vaut true ou false"),
        ([{"name": "a", "max_length": 0}], "nombre entier de 1 à 10000"),
        ([{"name": "a", "type": "integer", "max_length": 3}], "`max_length` est pour les champs string et text"),
        ([{"name": "a", "type": "string", "min": 1}], "`min` est pour les champs integer"),
        ([{"name": "a", "type": "integer", "min": 5, "max": 1}], "plus grand que `max`"),
        ([{"name": "a", "type": "integer", "max": 2**40}], "ne tient pas dans un champ integer"),
        ([{"name": "a", "type": "integer", "min": 0.5}], "nombre entier pour un champ integer"),
        ([{"name": "a", "type": "float", "max": "inf"}], "nombre fini"),
        ([{"name": "a", "type": "numeric", "min": "1e30"}], "ne tient pas dans la colonne numeric"),
        ([{"name": "a", "type": "numeric", "max": "0.00001"}], "ne tient pas dans la colonne numeric"),
        ([{"name": "a", "type": "enum"}], "enum sans choix"),
        ([{"name": "a", "type": "enum", "choices": ["x y"]}], "pas un simple mot"),
        ([{"name": "a", "type": "enum", "choices": [1]}], "mettez les nombres entre guillemets"),
        ([{"name": "a", "type": "enum", "choices": ["x", "x"]}], "répète un choix"),
        ([{"name": "a", "type": "string", "choices": ["x"]}], "n'est que pour `type: enum`"),
        ([{"name": "a", "type": "boolean", "unique": True}], "prendre au moins 10 valeurs, celui-ci en a 2"),
        ([{"name": "a", "type": "integer", "min": 1, "max": 5, "unique": True}], "celui-ci en a 5"),
        ([{"name": "a", "type": "json", "index": True}], "ne peut être ni unique ni indexé"),
        ([{"name": "a", "type": "text", "unique": True}], "`max_length` de 500 au plus"),
        ([{"name": "a", "type": "string", "max_length": 600, "index": True}], "`max_length` de 500 au plus"),
        ([{"name": "a", "default": "x" * 300}], "255 au plus"),
        ([{"name": "a", "default": "a\x00b"}], "NUL"),
        ([{"name": "a", "type": "date", "default": "2026-01-01"}], "une valeur par défaut est possible pour"),
        ([{"name": "a", "type": "boolean", "default": "yes"}], "doit être true ou false"),
        ([{"name": "a", "type": "integer", "max": 3, "default": 4}], "hors de min/max"),
        ([{"name": "a", "type": "enum", "choices": ["x", "y"], "default": "z"}], "n'est pas l'un des choix"),
        ([{"name": "a", "description": 5}], "`description` est un texte"),
    ],
)
def test_bad_fields_are_refused_with_what_a_good_answer_looks_like(fields: Any, expected: str) -> None:
    message = api.fields_problem(fields, {"api_own_model": False})
    assert expected in message
    assert "Les champs sont une ligne compacte" in message and "ou une liste YAML de champs" in message


def test_other_answers_are_checked() -> None:
    assert api.operations_problem([], {}) == "choisissez au moins une opération parmi list, get, create, update, delete"
    assert "opération(s) inconnue(s) patch" in api.operations_problem(["list", "patch"], {})
    assert api.operations(["delete", "list", "get"]) == ["list", "get", "delete"]
    for bad in ("Campaign", "camp_aign", "-x", "a" * 41, ""):
        assert "n'est pas en kebab-case" in api.singular_problem(bad, {}), bad
    assert api.plural_problem("campaigns", {}) == ""
    for bad in ("campaigns:Campaign", "app.models.campaigns", "app.models.x:lower", "app.models.Bad:X"):
        assert "app.models.<module>:<Class>" in api.model_problem(bad, {"api_own_model": False}), bad
    # The model is not asked (nor checked) when the unit has its own table.
    assert api.model_problem("nonsense", {"api_own_model": True}) == ""
    assert api.model_problem("nonsense", {"parts": ["database", "api"]}) == ""


def test_the_default_answers_agree_with_the_code() -> None:
    assert declared_default(ROOT, "fields") == api.DEFAULT_FIELDS
    assert declared_default(ROOT, "operations") == list(api.OPERATIONS)
    assert declared_default(ROOT, "api_own_model") is True
    # The Decimal bounds of the schemas are the database part's numeric columns.
    assert numeric_format() == (api.NUMERIC_PRECISION, api.NUMERIC_SCALE)


def test_fields_become_the_database_columns() -> None:
    columns = build_table({"fields": ALL_FIELDS, "resource_plural": "campaigns"}, "campaigns", ["api"])
    assert columns.name == "campaigns"
    assert columns.creates
    assert columns.tenant
    by_name = {c.name: c for c in columns.columns}
    assert [c.name for c in columns.columns] == [f["name"] for f in ALL_FIELDS]
    assert by_name["title"].nullable is False and by_name["title"].length == 120
    assert by_name["email"].nullable is True and by_name["email"].unique
    assert by_name["email"].unique_columns == ("tenant_id", "email"), "unique within a tenant, not across"
    assert by_name["score"].default == 0 and by_name["score"].index
    assert by_name["stage"].choices == ("new", "won", "lost")
    assert (by_name["budget"].precision, by_name["budget"].scale) == numeric_format()
    # What the database part refuses in a column is refused in a field of a unit with its own model.
    too_long = [{"name": "x" * 40, "type": "string", "unique": True, "max_length": 10}]
    assert api.fields_problem(too_long, {"name": "a" * 40, "api_own_model": False}) == ""
    assert "PostgreSQL en garde 63" in api.fields_problem(too_long, {"name": "a" * 40, "resource_plural": "b" * 40})


# -- the generated Python, for any answer ---------------------------------------------------------------

API_TEMPLATES = [
    "backend/app/schemas/{{ unit.snake }}.py",
    "backend/app/repositories/{{ unit.snake }}.py",
    "backend/app/services/{{ unit.snake }}.py",
    "backend/app/api/routes/{{ unit.snake }}.py",
    "backend/tests/api/test_{{ unit.snake }}_api.py",
    "backend/tests/unit/test_{{ unit.snake }}_service.py",
]
_env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
_env.filters.update(FILTERS)


def render_api(answers: dict[str, Any], folder: Path) -> list[Path]:
    """The api part's files for these answers, rendered as copier would (same Jinja options), under folder."""
    unit = unit_mod.build(answers, ROOT)
    written = []
    for template in API_TEMPLATES:
        text = (ROOT / "template/units" / f"{template}.jinja").read_text(encoding="utf-8")
        path = folder / template.replace("{{ unit.snake }}", unit.snake)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_env.from_string(text).render({**answers, "unit": unit}), encoding="utf-8")
        written.append(path)
    return written


slugs = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,12}){0,3}", fullmatch=True).filter(
    lambda s: len(s) <= 40 and not naming.name_problem(s)
)
field_names = (
    st.from_regex(r"[a-z][a-z0-9]{0,9}(_[a-z0-9]{1,9}){0,3}", fullmatch=True)
    | st.just(LONG_FIELD)
    | st.sampled_from(["n", "values", "items", "total", "limit", "offset", "session", "data", "body", "change"])
)
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=120) | st.sampled_from([NASTY, "x" * 400])


@st.composite
def field_specs(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(api.TYPES))
    spec: dict[str, Any] = {"name": draw(field_names), "type": kind, "required": draw(st.booleans())}
    if kind == "string":
        spec["max_length"] = draw(st.integers(1, 600))
    if kind in ("integer", "bigint", "float", "numeric") and draw(st.booleans()):
        spec["min"], spec["max"] = sorted(draw(st.lists(st.integers(-(10**9), 10**9), min_size=2, max_size=2)))
    if kind == "enum":
        choices = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}", fullmatch=True)
        spec["choices"] = draw(st.lists(choices, min_size=1, max_size=12, unique=True))
        if draw(st.booleans()):
            spec["default"] = draw(st.sampled_from(spec["choices"]))
    if kind == "boolean" and draw(st.booleans()):
        spec["default"] = draw(st.booleans())
    if draw(st.booleans()):
        spec["unique"] = kind not in ("json", "boolean", "enum", "text")
    if draw(st.booleans()):
        spec["description"] = draw(texts)
    return spec


@st.composite
def api_answers(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(slugs)
    answers: dict[str, Any] = {
        "kind": "api",
        "name": name,
        "resource_singular": draw(slugs | st.just(LONG)),
        "resource_plural": draw(slugs | st.just(LONG)),
        "operations": draw(st.lists(st.sampled_from(api.OPERATIONS), min_size=1, unique=True)),
        "fields": draw(st.lists(field_specs(), min_size=1, max_size=8, unique_by=lambda f: f["name"])),
        "api_description": draw(texts),
        "api_own_model": draw(st.booleans()),
        "revision": "0123456789ab",
        "down_revision": "",
        "date": "2026-01-15",
    }
    if not answers["api_own_model"]:
        answers["model"] = draw(st.sampled_from(["app.models.leads:Lead", f"app.models.{LONG_FIELD}:{'X' * 40}"]))
    return answers


# No shrinking: each try runs ruff twice; the example is printed as drawn.
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # fmt: skip
@given(answers=api_answers())
def test_generated_python_is_ruff_clean_for_any_answers(tmp_path_factory: Any, answers: dict[str, Any]) -> None:
    if api.fields_problem(answers["fields"], answers):
        return  # refused before anything is generated
    folder = tmp_path_factory.mktemp("api-ruff")
    (folder / "backend/pyproject.toml").parent.mkdir(parents=True)
    (folder / "backend/pyproject.toml").write_bytes(HOST_PYPROJECT.read_bytes())
    paths = render_api(answers, folder)
    for path in paths:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    backend = folder / "backend"
    problems = []
    for args in (["check", "--no-cache"], ["format", "--check", "--diff", "--no-cache"]):
        done = subprocess.run([sys.executable, "-m", "ruff", *args, "."], cwd=backend, capture_output=True, text=True)
        if done.returncode:
            problems.append(done.stdout + done.stderr)
    assert not problems, "\n".join(problems)


# -- what a copy generates ---------------------------------------------------------------------------


def test_api_unit_with_its_own_model_renders_its_files_log_status_and_contract(host: Path, new_unit: Any) -> None:
    unit = generate(host, new_unit, "api", "campaigns")

    assert unit.parts == ["log", "api", "database"]
    stored = answers_of(host, "api", "campaigns")
    assert stored["api_own_model"] is True
    assert (stored["resource_singular"], stored["resource_plural"]) == ("campaign", "campaigns")
    assert re.fullmatch(r"[0-9a-f]{12}", stored["revision"])
    # The api's answers give the database part its table: not asked, not stored.
    assert not {"columns", "db_operation", "table", "multi_tenant", "model"} & set(stored)
    expected = [
        "backend/app/schemas/campaigns.py",
        "backend/app/repositories/campaigns.py",
        "backend/app/services/campaigns.py",
        "backend/app/api/routes/campaigns.py",
        "backend/tests/api/test_campaigns_api.py",
        "backend/tests/unit/test_campaigns_service.py",
        "backend/app/models/campaigns.py",
        f"backend/alembic/versions/{stored['revision']}_campaigns.py",
        "backend/tests/db/test_campaigns_db.py",
    ]
    assert sorted(unit.code_files) == sorted(expected)
    check_log(host, unit)
    check_status_entry(host, unit)
    assert unit.log_path.startswith("docs/workflow/logs/api/")
    assert unit.coverage == {"api": 80}

    entry = find_block((host / CONTRACTS).read_text(encoding="utf-8"), "api/campaigns")
    assert entry is not None
    for row in [
        "| GET | `/api/v1/campaigns?limit=20&offset=0` |",
        "| GET | `/api/v1/campaigns/{item_id}` | - | `200` `CampaignRead` | `401`, `404`, `422` |",
        "| POST | `/api/v1/campaigns` | `CampaignCreate` | `201` `CampaignRead` | `401`, `409`, `422` |",
        "| PATCH | `/api/v1/campaigns/{item_id}` | `CampaignUpdate`",
        "| DELETE | `/api/v1/campaigns/{item_id}` | - | `204` |",
        "| `name` | string | oui | 200 caractères max | - |",
        "| `description` | text | non | 10000 caractères max | - |",
        "- **Modèle :** `app.models.campaigns:Campaign` (table créée par cette unité)",
    ]:
        assert row in entry.body, row
    assert find_block((host / SCHEMA_DOC).read_text(encoding="utf-8"), "api/campaigns") is not None
    route = (host / "backend/app/api/routes/campaigns.py").read_text(encoding="utf-8")
    assert 'router = APIRouter(prefix="/campaigns", tags=["campaigns"])' in route
    model = (host / "backend/app/models/campaigns.py").read_text(encoding="utf-8")
    assert "class Campaign(TenantMixin, TimestampMixin, Base):" in model


def test_api_unit_on_an_existing_model_adds_no_table(host: Path, new_unit: Any, template_src: Path) -> None:
    leads_table(host, template_src)
    before = sorted(p.name for p in (host / "backend/alembic/versions").glob("*.py"))

    unit = generate(host, new_unit, "api", "leads-api", **UNITS["leads-api"])

    assert unit.parts == ["log", "api"]
    assert sorted(p.name for p in (host / "backend/alembic/versions").glob("*.py")) == before
    assert not any("models/" in f or "alembic/" in f or "tests/db/" in f for f in unit.code_files)
    assert find_block((host / SCHEMA_DOC).read_text(encoding="utf-8"), "api/leads-api") is None
    stored = answers_of(host, "api", "leads-api")
    assert stored["model"] == "app.models.leads:Lead" and "revision" not in stored
    repository = (host / "backend/app/repositories/leads_api.py").read_text(encoding="utf-8")
    assert "from app.models.leads import Lead" in repository
    entry = find_block((host / CONTRACTS).read_text(encoding="utf-8"), "api/leads-api")
    assert entry is not None and "`app.models.leads:Lead` (existant)" in entry.body
    check_log(host, unit)
    check_status_entry(host, unit)


def test_each_operation_set_generates_only_its_code(host: Path, new_unit: Any) -> None:
    names = ("lead-notes", "pings", "archive-items")
    for name in names:
        generate(host, new_unit, "api", name, **UNITS[name])
    routes = {n: (host / f"backend/app/api/routes/{n.replace('-', '_')}.py").read_text() for n in names}
    schemas = {n: (host / f"backend/app/schemas/{n.replace('-', '_')}.py").read_text() for n in names}

    assert re.findall(r"@router\.(\w+)", routes["lead-notes"]) == ["get", "get"]
    assert "class LeadNoteCreate" not in schemas["lead-notes"] and "class LeadNotePage" in schemas["lead-notes"]
    assert re.findall(r"@router\.(\w+)", routes["pings"]) == ["post"]
    assert "class PingUpdate" not in schemas["pings"] and "class PingPage" not in schemas["pings"]
    assert re.findall(r"@router\.(\w+)", routes["archive-items"]) == ["patch", "delete"]
    contracts = (host / CONTRACTS).read_text(encoding="utf-8")
    pings = find_block(contracts, "api/pings")
    assert pings is not None and "| POST |" in pings.body and "| GET |" not in pings.body


def test_a_default_plural_naming_a_taken_table_is_refused_cleanly(
    host: Path, template_src: Path, tree_snapshot: Any
) -> None:
    # A hand-written model (its module is not named after its table) already maps `prospects`:
    # the api unit `prospect` would default its new table to the same name.
    (host / "backend/app/models/crm.py").write_text(
        "from sqlalchemy.orm import Mapped, mapped_column\n\nfrom app.models.base import Base, TenantMixin\n\n\n"
        'class Prospect(TenantMixin, Base):\n    __tablename__ = "prospects"\n\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    hosts.commit_all(host, "a hand-written model")
    before = tree_snapshot(host)
    args = [str(Path(sys.executable).parent / "copier"), "copy", "--trust", "--defaults", str(template_src), str(host)]
    done = subprocess.run([*args, "-d", "kind=api", "-d", "name=prospect"], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "la table 'prospects' existe déjà" in done.stderr
    assert "-d resource_plural=<valeur>" in done.stderr
    assert tree_snapshot(host) == before


def test_bad_answers_given_with_data_are_refused_before_any_write(
    host: Path, new_unit: Any, template_src: Path, tree_snapshot: Any
) -> None:
    new_unit(host, "api", "campaigns")
    (host / "backend/app/models/latin.py").write_bytes("# modèle\n".encode("latin-1"))  # a person's files
    (host / "backend/app/models/broken.py").write_text("class Broken(:\n")
    hosts.commit_all(host, "campaigns")
    before = tree_snapshot(host)
    refusals = {
        "fields": ({"fields": [{"name": "tenant_id"}]}, "les colonnes propres du modèle"),
        "operations": ({"operations": ["list", "patch"]}, "opération(s) inconnue(s) patch"),
        "plural": ({"resource_plural": "Campaigns"}, "pas en kebab-case"),
        "taken path": (
            {"resource_plural": "campaigns"},
            "déjà servi : choisissez un autre pluriel (servi par backend/app/api/routes/campaigns.py",
        ),
        "model format": ({"api_own_model": False, "model": "Lead"}, "app.models.<module>:<Class>"),
        "missing model": ({"api_own_model": False, "model": "app.models.leads:Lead"}, "n'existe pas"),
        "model not UTF-8": (
            {"api_own_model": False, "model": "app.models.latin:Lead"},
            "latin.py n'est pas du texte UTF-8",
        ),
        "model not Python": (
            {"api_own_model": False, "model": "app.models.broken:Broken"},
            "broken.py n'est pas du Python valide",
        ),
        "table column": (
            {"fields": [{"name": "x" * 40, "type": "string", "max_length": 9, "unique": True}]},
            "PostgreSQL en garde 63",
        ),
    }
    for what, (answers, expected) in refusals.items():
        message = refused_in_process(template_src, host, kind="api", name="campaign-list", **answers)
        assert expected in message, (what, message)
    assert tree_snapshot(host) == before


def test_an_existing_model_must_have_the_fields(host: Path, new_unit: Any, template_src: Path) -> None:
    leads_table(host, template_src)
    (host / "backend/app/models/leads.py").rename(host / "backend/app/models/lead.py")  # a module of another name
    message = refused_in_process(template_src, host, kind="api", name="leads-api", resource_plural="leads")
    assert "la table 'leads' existe déjà : un autre pluriel, ou" in message
    assert "définie dans backend/app/models/lead.py, classe Lead" in message
    assert "-d api_own_model=false -d model=app.models.lead:Lead" in message
    (host / "backend/app/models/lead.py").rename(host / "backend/app/models/leads.py")
    answers = {**UNITS["leads-api"], "fields": [*LEADS_FIELDS, {"name": "budget", "type": "numeric"}]}
    message = refused_in_process(template_src, host, kind="api", name="leads-api", **answers)
    assert "Lead n'a pas de colonne(s) budget" in message
    answers["model"] = "app.models.leads:Leads"
    message = refused_in_process(template_src, host, kind="api", name="leads-api", **answers)
    assert "ne définit pas de classe Leads" in message


def test_a_feature_with_database_and_api_serves_its_own_table(host: Path, new_unit: Any) -> None:
    unit = generate(host, new_unit, "feature", "deals", parts=["database", "api"], fields=LEADS_FIELDS)

    assert {"database", "api"} <= set(unit.parts)
    stored = answers_of(host, "feature", "deals")
    assert "columns" not in stored and "model" not in stored and stored["revision"]
    model = (host / "backend/app/models/deals.py").read_text(encoding="utf-8")
    assert "email: Mapped[str | None]" in model and "uq_deals_tenant_id_email" in model
    assert "from app.models.deals import Deal" in (host / "backend/app/repositories/deals.py").read_text()


def test_hostile_descriptions_stay_text(host: Path, new_unit: Any) -> None:
    fields = [{"name": "title", "type": "string", "description": NASTY}, {"name": "kind", "type": "enum",
              "choices": ["a-b", "c.d", "E_1"], "description": "x" * 250 + '"'}]  # fmt: skip
    unit = generate(host, new_unit, "api", "hostile-api", api_description=NASTY * 3, fields=fields)

    python = [f.removeprefix("backend/") for f in unit.code_files if f.endswith(".py")]
    for path in python:
        compile((host / "backend" / path).read_text(encoding="utf-8"), path, "exec")
    assert ruff(host / "backend", *python) == ""
    route = ast.parse((host / "backend/app/api/routes/hostile_api.py").read_text(encoding="utf-8"))
    [description] = [
        ast.literal_eval(node.value)
        for node in route.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "DESCRIPTION"
    ]
    assert description == NASTY * 3, "the description is the answer, byte for byte"
    schema = (host / "backend/app/schemas/hostile_api.py").read_text(encoding="utf-8")
    assert 'KindChoice = Literal["a-b", "c.d", "E_1"]' in schema
    entry = find_block((host / CONTRACTS).read_text(encoding="utf-8"), "api/hostile-api")
    assert entry is not None and "<!-- x -->" not in entry.body and "\n## pas" not in entry.body


def test_update_keeps_the_revision_and_the_migration(host: Path, git_template: Path) -> None:
    hosts.copy_unit(git_template, host, kind="api", name="campaigns")
    hosts.commit_all(host, "campaigns")
    versions = host / "backend/alembic/versions"
    before = {p.name: p.read_bytes() for p in versions.glob("*.py")}
    stored = answers_of(host, "api", "campaigns")

    answers = unit_mod.answers_file("api", "campaigns")
    copier.run_update(dst_path=host, answers_file=answers, defaults=True, overwrite=True, unsafe=True, quiet=True,
                      vcs_ref=copier.VcsRef.CURRENT, data={"status": "completed"})  # fmt: skip

    now = answers_of(host, "api", "campaigns")
    assert now["status"] == "completed"
    assert (now["revision"], now["down_revision"]) == (stored["revision"], stored["down_revision"])
    assert {p.name: p.read_bytes() for p in versions.glob("*.py")} == before
    assert model_source.heads(versions) == [stored["revision"]]


FIELDS_TYPED = "[{name: title, type: string, max_length: 80}, {name: budget, type: numeric}]"


def test_interactive_copy_asks_resource_operations_fields_and_model(
    pristine_host: Path, tmp_path: Path, template_src: Path, new_unit: Any
) -> None:
    """The questions in a terminal: the plural follows an edited singular, operations are ticked, the
    fields are YAML typed at the one-line prompt (a bad one explained and asked again); same result as --data."""
    host = hosts.clone_host(pristine_host, tmp_path / "interactive")
    env = {**os.environ, "TERM": "xterm-256color", "NO_COLOR": "1", "COLUMNS": "160", "LINES": "50"}
    copier_bin = str(Path(sys.executable).parent / "copier")
    child = pexpect.spawn(copier_bin, ["copy", "--trust", str(template_src), str(host)], env=env, encoding="utf-8",
                          timeout=120, dimensions=(50, 160))  # fmt: skip
    down, enter, space, backspace = "\x1b[B", "\r", " ", "\x7f"
    child.expect("Type de travail")
    child.send(down + enter)  # api, below `feature` (the default in a host)
    child.expect("Nom de l'unité")
    child.send("campaigns" + enter)
    for question in ("Date de l'unité", "Priorité", "Statut", "Objectif", "Référence de l'issue", "la pull request"):
        child.expect(question)
        child.send(enter)
    child.expect("Créer sa table")
    child.send(enter)
    child.expect("La ressource au singulier")
    child.send(backspace * 8 + "campagne" + enter)
    child.expect("La ressource au pluriel")  # its default now follows the singular: campagnes
    child.send(enter)
    child.expect("Ce qu'est la ressource")
    child.send(enter)
    child.expect("Quelles opérations")
    child.send(down * 4 + space + enter)  # untick delete
    child.expect("Champs, ex.")  # one line: YAML is still accepted there
    child.send(backspace * 300 + "[{name: Title}]" + enter)
    child.expect("pas en snake_case")
    child.send(backspace * 300 + FIELDS_TYPED + enter)
    child.expect("Unité API Endpoint 'campaigns' créée")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    answers = answers_of(host, "api", "campaigns")
    expected = {
        "resource_singular": "campagne",
        "resource_plural": "campagnes",
        "api_description": "Campagnes du tenant de l'appelant.",
        "operations": ["list", "get", "create", "update"],
        "api_own_model": True,
        "fields": FIELDS_TYPED,  # kept as typed; read as YAML
    }
    assert {key: answers[key] for key in expected} == expected
    scripted = hosts.clone_host(pristine_host, tmp_path / "scripted")
    new_unit(scripted, "api", "campaigns", **expected, revision=answers["revision"])
    for path in ("schemas", "repositories", "services", "api/routes"):
        file = f"backend/app/{path}/campaigns.py"
        assert (host / file).read_bytes() == (scripted / file).read_bytes(), file


# -- the host's own suites ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_host(pristine_host: Path, template_src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A host with the units of UNITS (and the leads table of `leads-api`), committed."""
    host = hosts.clone_host(pristine_host, tmp_path_factory.mktemp("api-host") / "host")
    leads_table(host, template_src)
    for name, answers in UNITS.items():
        hosts.copy_unit(template_src, host, kind="api", name=name, **answers)
    hosts.commit_all(host, "api units")
    return host


def api_units(host: Path) -> list[unit_mod.Unit]:
    return [unit_mod.build({k: v for k, v in answers_of(host, "api", n).items() if not k.startswith("_")}, ROOT)
            for n in UNITS]  # fmt: skip


def pytest_in_host(
    host: Path, runtime: hosts.Runtime, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [str(runtime.venv / "bin/python"), "-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(
        cmd, cwd=host / "backend", env=runtime.env(**(env or {})), capture_output=True, text=True, timeout=900
    )


@pytest.mark.slow
def test_host_with_api_units_passes_its_tests_lint_and_80_percent_coverage(
    api_host: Path, host_runtime: hosts.Runtime, catalog: Any, tmp_path: Path
) -> None:
    units = api_units(api_host)
    measured = {unit.name: [s.removeprefix("backend/") for s in sources(unit, catalog)] for unit in units}
    modules = sorted({s.removesuffix(".py").replace("/", ".") for files in measured.values() for s in files})
    report = tmp_path / "api-coverage.json"
    cov = " ".join([*(f"--cov={m}" for m in modules), f"--cov-report=json:{report}", "--cov-report="])

    # `make test-backend`, the host's whole suite on SQLite, measuring the units' files on the way.
    done = host_runtime.make(api_host, "test-backend", PYTEST_ADDOPTS=cov)
    assert done.returncode == 0, output(done)
    assert re.search(r"^\d+ passed", done.stdout, re.M), output(done)

    python = sorted({f.removeprefix("backend/") for unit in units for f in unit.code_files if f.endswith(".py")})
    assert ruff(api_host / "backend", *python) == ""

    files = json.loads(report.read_text())["files"]
    for name, paths in measured.items():
        summaries = [files[p]["summary"] for p in paths]
        covered = sum(s["covered_lines"] + s["covered_branches"] for s in summaries)
        total = sum(s["num_statements"] + s["num_branches"] for s in summaries)
        assert covered / total >= 0.80, f"{name}: {covered}/{total} covered, the guide asks 80%"


@pytest.mark.slow
def test_host_with_api_units_passes_its_tests_on_postgresql(
    api_host: Path, host_runtime: hosts.Runtime, postgres_url: str
) -> None:
    done = host_runtime.make(api_host, "test-backend", VECTRA_TEST_DATABASE_URL=postgres_url)
    assert done.returncode == 0, output(done)
    assert re.search(r"^\d+ passed", done.stdout, re.M), output(done)


# The generated code broken on purpose, and the generated tests that must then fail:
# {what: (unit, file, pattern, replacement, tests that must fail)}. File: `<layer>/<module>.py` under app/.
TENANT_FILTER = re.compile(r"return select\((\w+)\)\.where\(tenant_rows\)")
BITES: dict[str, tuple[str, str, re.Pattern[str], Any, list[str]]] = {
    "tenant filter removed": (
        "campaigns", "repositories", TENANT_FILTER, lambda m: f"return select({m.group(1)})",
        ["api::test_tenant_b_cannot_list_tenant_a_rows",
         "api::test_tenant_b_cannot_read_tenant_a_row",
         "api::test_tenant_b_cannot_update_tenant_a_row",
         "api::test_tenant_b_cannot_delete_tenant_a_row",
         "api::test_list_pages_the_callers_rows_in_a_stable_order",
         "service::test_page_counts_the_tenants_rows_and_orders_them_by_id",
         "service::test_get_returns_a_row_of_the_services_tenant_only",
         "service::test_update_of_another_tenants_row_raises_not_found",
         "service::test_delete_removes_a_row_of_the_services_tenant_only"],
    ),
    "tenant filter removed, update and delete only": (
        "archive-items", "repositories", TENANT_FILTER, lambda m: f"return select({m.group(1)})",
        ["api::test_tenant_b_cannot_update_tenant_a_row",
         "api::test_tenant_b_cannot_delete_tenant_a_row",
         "service::test_update_of_another_tenants_row_raises_not_found",
         "service::test_delete_removes_a_row_of_the_services_tenant_only"],
    ),
    "another tenant's row answers 403": (
        "leads-api", "api/routes", re.compile(r"HTTP_404_NOT_FOUND"), lambda m: "HTTP_403_FORBIDDEN",
        ["api::test_tenant_b_cannot_read_tenant_a_row",
         "api::test_tenant_b_cannot_update_tenant_a_row",
         "api::test_tenant_b_cannot_delete_tenant_a_row",
         "api::test_unknown_ids_get_404"],
    ),
    "unstable order": (
        "lead-notes", "repositories", re.compile(r"order_by\((\w+)\.id\)"), lambda m: f"order_by({m[1]}.id.desc())",
        ["api::test_list_pages_the_callers_rows_in_a_stable_order",
         "service::test_page_counts_the_tenants_rows_and_orders_them_by_id"],
    ),
    "new rows get no tenant": (
        "pings", "repositories", re.compile(r"\n\s*item\.tenant_id = self\.tenant_id[^\n]*"), lambda m: "",
        ["api::test_create_stores_the_row_in_the_callers_tenant",
         "api::test_tenant_id_in_a_created_body_is_ignored",
         "service::test_create_stores_a_row_of_the_services_tenant"],
    ),
    # The OpenAPI document (issue 18): what it says a body accepts is what the API accepts.
    "an update's required field documented as nullable": (
        "archive-items", "schemas", re.compile(r", json_schema_extra=_omit_but_not_null"), lambda m: "",
        ["api::test_openapi_says_what_a_body_accepts"],
    ),
    "text fields documented without their NUL rule": (
        "pings", "schemas", re.compile(r'Field\(json_schema_extra=\{"pattern": STORABLE_PATTERN\}\)'),
        lambda m: "Field()",
        ["api::test_openapi_says_what_a_body_accepts"],
    ),
}  # fmt: skip
# Two breaks of one unit never share a run; the others do (a run of the host's pytest costs seconds).
ROUNDS = [
    ["tenant filter removed", "another tenant's row answers 403", "unstable order", "new rows get no tenant",
     "an update's required field documented as nullable"],
    ["tenant filter removed, update and delete only", "text fields documented without their NUL rule"],
]  # fmt: skip
STILL_PASSING = ["api::test_openapi_documents_every_operation", "api::test_requests_without_a_valid_token_get_401"]


@pytest.mark.slow
def test_breaking_the_generated_api_fails_its_tests(
    api_host: Path, host_runtime: hosts.Runtime, tmp_path: Path
) -> None:
    host = hosts.clone_host(api_host, tmp_path / "host")
    snake = {name: name.replace("-", "_") for name in UNITS}
    tests = {name: {"api": f"tests/api/test_{s}_api.py", "service": f"tests/unit/test_{s}_service.py"}
             for name, s in snake.items()}  # fmt: skip
    for bites in ROUNDS:
        originals: dict[Path, str] = {}
        for what in bites:
            name, layer, pattern, replace, _ = BITES[what]
            path = host / f"backend/app/{layer}/{snake[name]}.py"
            source = originals.get(path, path.read_text(encoding="utf-8"))
            broken, count = pattern.subn(replace, path.read_text(encoding="utf-8"))
            assert count, f"{what}: the pattern no longer matches {path.name}"
            originals.setdefault(path, source)
            path.write_text(broken, encoding="utf-8")
        units = {BITES[what][0] for what in bites}
        files = [tests[name][kind] for name in sorted(units) for kind in ("api", "service")]
        try:
            red = pytest_in_host(host, host_runtime, *files, "-q", "-rf")
        finally:
            for path, source in originals.items():
                path.write_text(source, encoding="utf-8")
        text = output(red)
        assert red.returncode == 1, f"{bites}: the generated tests did not fail\n{text}"
        failed = set(re.findall(r"^FAILED (\S+?)(?: - |$)", text, re.M))
        for what in bites:
            name, *_, must_fail = BITES[what]
            expected = {f"{tests[name][t.split('::')[0]]}::{t.split('::')[1]}" for t in must_fail}
            assert expected <= failed, f"{what}: missing {sorted(expected - failed)}\n{text}"
            kept = {f"{tests[name][t.split('::')[0]]}::{t.split('::')[1]}" for t in STILL_PASSING}
            assert not any(f.startswith(tuple(kept)) for f in failed), f"{what}: broke more than it should\n{text}"


@pytest.mark.slow
def test_an_id_beyond_the_columns_range_is_a_missing_row_on_postgresql(
    api_host: Path, host_runtime: hosts.Runtime, postgres_url: str, tmp_path: Path
) -> None:
    # leads-api serves a table whose id is an INTEGER: PostgreSQL refuses 2**63 - 1 in a query (a 500)
    # unless the repository's range guard answers "no such row" first. SQLite's integers are 64-bit.
    host = hosts.clone_host(api_host, tmp_path / "host")
    repository = host / "backend/app/repositories/leads_api.py"
    test = "tests/api/test_leads_api_api.py::test_unknown_ids_get_404"
    env = {"VECTRA_TEST_DATABASE_URL": postgres_url}
    green = pytest_in_host(host, host_runtime, test, "-q", env=env)
    assert green.returncode == 0, output(green)
    guarded, count = re.subn(r"\n\s*if item_id > MAX_ID:\n[^\n]*", "", repository.read_text(encoding="utf-8"))
    assert count == 1, "the repository's range guard is no longer where this test breaks it"
    repository.write_text(guarded, encoding="utf-8")
    red = pytest_in_host(host, host_runtime, test, "-q", env=env)
    assert red.returncode == 1 and "NumericValueOutOfRange" in output(red), output(red)


# -- no request makes an endpoint answer 500 ----------------------------------------------------------

FUZZ_SECRET = secrets.token_urlsafe(48)
FUZZED = {"campaigns": ALL_FIELDS, "leads-api": LEADS_FIELDS}


def token(claims: dict[str, Any], secret: str = FUZZ_SECRET) -> str:
    """An HS256 JWT (what app.core.security signs), made here without PyJWT."""

    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    head = b64(b'{"alg":"HS256","typ":"JWT"}') + b"." + b64(json.dumps(claims).encode())
    return (head + b"." + b64(hmac.new(secret.encode(), head, hashlib.sha256).digest())).decode()


# Tokens are made when the module is imported (collection); a whole-suite run may reach the test
# more than an hour later: a valid token lasts a day.
def claims(tenant: str | None, minutes: int = 24 * 60) -> dict[str, Any]:
    now = int(datetime.now(UTC).timestamp())
    found: dict[str, Any] = {"sub": "fuzzer", "iat": now, "exp": now + minutes * 60}
    return found | ({"tenant_id": tenant} if tenant is not None else {})


AUTHORIZATIONS = {
    "tenant-a": f"Bearer {token(claims('tenant-a'))}",
    "tenant-b": f"Bearer {token(claims('tenant-b'))}",
    "expired": f"Bearer {token(claims('tenant-a', -5))}",
    "forged": f"Bearer {token(claims('tenant-a'), 'not-the-secret-' + 'x' * 40)}",
    "no-tenant": f"Bearer {token(claims(None))}",
    "long-tenant": f"Bearer {token(claims('t' * 65))}",
    "garbage": "Bearer not.a.token",
    "none": "",
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
odd_strings = st.sampled_from(
    ["", "\x00", "\ud800", "a\udfff", "NaN", "1e999999", "-0", "9" * 40, "2026-02-30", "x" * 70_000, "é" * 300,
     "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"]
)  # fmt: skip


# Text a JSON body can carry but no database column stores (NUL, lone surrogates), among plain text.
nasty_text = st.text(st.sampled_from(["a", "é", "🚀", "\n", "\x00", "\ud800", "\udfff"]), min_size=1, max_size=8)


def valid_value(field: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of the field's type (mostly valid, edges included)."""
    kind = field.get("type", "string")
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "string": st.text(max_size=field.get("max_length", 255) + 2),
        "text": st.text(max_size=60),
        "integer": st.integers(-(2**31) - 2, 2**31 + 2),
        "bigint": st.integers(-(2**63) - 2, 2**63 + 2),
        "float": st.floats(),
        "numeric": st.decimals(allow_nan=False).map(str) | st.floats(),
        "boolean": st.booleans(),
        "date": st.dates().map(str),
        "datetime": st.datetimes(timezones=st.timezones() | st.none()).map(lambda d: d.isoformat()),
        "uuid": st.uuids().map(str),
        "json": json_values,
        "enum": st.sampled_from(field.get("choices") or ["x"]),
    }
    return strategies[kind]


@st.composite
def requests(draw: st.DrawFn, ids: list[int]) -> tuple[str, str, dict[str, str], bytes]:
    """A request: `valid`-looking, `odd` (valid but for one odd value in the body), or `any` at all."""
    mode = draw(st.sampled_from(["valid", "odd", "odd", "any"]))
    close = mode != "any"
    unit = draw(st.sampled_from(sorted(FUZZED)))
    fields = FUZZED[unit]
    url = "/api/v1/" + ("leads" if unit == "leads-api" else unit)
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
    method = draw(st.sampled_from(["GET", "POST", "PATCH", "DELETE"] if close else methods))
    on_item = method in ("PATCH", "DELETE") or (method == "GET" and draw(st.booleans()))
    if on_item or (not close and draw(st.booleans())):
        raw_id = draw(st.sampled_from(ids)) if close else draw(st.integers(-(2**70), 2**70) | st.text(max_size=12))
        url += "/" + urllib.parse.quote(str(raw_id), safe="")
    keys = st.sampled_from(["limit", "offset"] if close else ["limit", "offset", "tenant_id", "x"])
    numbers = st.integers(0, 120) if close else st.integers(-(2**70), 2**70)
    query = draw(st.dictionaries(keys, numbers.map(str) | st.text(max_size=12), max_size=0 if close else 3))
    if query:
        url += "?" + urllib.parse.urlencode(query)
    body: Any = {f["name"]: draw(valid_value(f)) for f in fields if draw(st.booleans()) or f is fields[0]}
    body |= draw(st.dictionaries(st.sampled_from(["tenant_id", "id", "created_at", "zz"]), json_values, max_size=2))
    odd = {"valid": 0, "odd": 1, "any": 3}[mode]
    for field in draw(st.lists(st.sampled_from(fields), min_size=min(odd, 1), max_size=odd)):
        body[field["name"]] = draw(nasty_text | odd_strings | json_values)
    if not close and draw(st.integers(0, 9)) == 0:
        body = draw(json_values)
    encoded = json.dumps(body).encode() if close or draw(st.integers(0, 19)) else draw(st.binary(max_size=40))
    content_type = "application/json" if close else draw(st.sampled_from(["application/json", "text/plain"]))
    headers = {"Content-Type": content_type}
    who = draw(st.sampled_from(["tenant-a", "tenant-b"] if close else sorted(AUTHORIZATIONS)))
    if authorization := AUTHORIZATIONS[who]:
        headers["Authorization"] = authorization
    return method, url, headers, encoded


def listening_socket() -> socket.socket:
    """A socket already bound to a free port and listening, for uvicorn (`--fd`): a port found free and
    then let go could be taken by another process (another xdist worker's server) before uvicorn binds it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    return listener


@pytest.fixture
def database_url(request: pytest.FixtureRequest, host_runtime: hosts.Runtime, tmp_path: Path) -> Iterator[str]:
    """SQLite in tmp_path, or a fresh PostgreSQL database (dropped afterwards) for the `postgresql` run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fuzz.db'}"
        return
    server = request.getfixturevalue("postgres_url")
    script = (
        "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.engine import make_url\n"
        "url = make_url(sys.argv[1]); name = sys.argv[2]\n"
        "engine = create_engine(url, isolation_level='AUTOCOMMIT')\n"
        "with engine.connect() as c:\n"
        "    c.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)' if sys.argv[3] == 'drop'"
        " else f'CREATE DATABASE {name}')\n"
        "print(url.set(database=name).render_as_string(hide_password=False))\n"
    )
    name = f"vectra_fuzz_{secrets.token_hex(6)}"
    python = [str(host_runtime.venv / "bin/python"), "-c", script, server, name]
    made = subprocess.run([*python, "create"], capture_output=True, text=True, env=host_runtime.env(), check=True)
    try:
        yield made.stdout.strip()
    finally:
        subprocess.run([*python, "drop"], capture_output=True, text=True, env=host_runtime.env(), check=False)


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_no_request_makes_an_endpoint_answer_500(
    api_host: Path, host_runtime: hosts.Runtime, database_url: str, tmp_path: Path
) -> None:
    """The host's app served by uvicorn, hypothesis sending any method, path, query, token and body."""
    env = host_runtime.env(VECTRA_ENVIRONMENT="test", VECTRA_DATABASE_URL=database_url, VECTRA_JWT_SECRET=FUZZ_SECRET)
    backend = api_host / "backend"
    migrated = subprocess.run([str(host_runtime.venv / "bin/alembic"), "upgrade", "head"], cwd=backend, env=env,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert migrated.returncode == 0, output(migrated)
    listener, log = listening_socket(), tmp_path / "uvicorn.log"
    port = int(listener.getsockname()[1])
    with listener, log.open("w") as sink:
        server = subprocess.Popen(
            [str(host_runtime.venv / "bin/uvicorn"), "app.main:app", "--fd", str(listener.fileno()),
             "--log-level", "warning", "--timeout-keep-alive", "60"],
            cwd=backend, env=env, stdout=sink, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),),
        )  # fmt: skip
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def send(method: str, url: str, headers: dict[str, str], body: bytes) -> http.client.HTTPResponse:
            try:
                connection.request(method, url, body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError, http.client.CannotSendRequest):
                # The server closed the idle keep-alive connection before this request went out (a slow
                # machine pauses between examples): a new connection, as any client would. A failure
                # after the request was sent is not retried: that one is the server's.
                connection.close()
                connection.request(method, url, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.getheader("connection") == "close":
                connection.close()
            return response

        for _ in range(100):  # up in a few seconds
            try:
                if send("GET", "/api/v1/health", {}, b"").status == 200:
                    break
            except OSError:
                connection.close()
                time.sleep(0.1)
        json_type = {"Content-Type": "application/json"}
        a = {"Authorization": AUTHORIZATIONS["tenant-a"]} | json_type
        b = {"Authorization": AUTHORIZATIONS["tenant-b"]} | json_type
        seeded = [{"title": "t", "email": "a@x"}, {"title": "u"}]
        for headers, body in [(a, seeded[0]), (a, seeded[1]), (b, seeded[0])]:
            assert send("POST", "/api/v1/campaigns", headers, json.dumps(body).encode()).status == 201
        assert send("POST", "/api/v1/leads", a, b'{"name": "n"}').status == 201
        statuses: list[int] = []

        @settings(max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(request=requests(ids=[1, 2, 3]))
        def fuzz(request: tuple[str, str, dict[str, str], bytes]) -> None:
            method, url, headers, body = request
            response = send(method, url, headers, body)
            statuses.append(response.status)
            problem = f"{method} {url} {body[:300]!r} -> {response.status}"
            assert response.status < 500, f"{problem}\n{log.read_text()[-3000:]}"

        fuzz()
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log.read_text(), log.read_text()[-4000:]
    # The fuzzer reached the code, not only the checks in front of it.
    assert {200, 201, 401, 404, 405, 422} <= set(statuses), sorted(set(statuses))
