"""The feature composite (issue 7): its parts plug into each other.

A feature renders every chosen part under its name, with one log, one STATUS entry and each part's
reference-doc entry. Beside an api part, the page reads that api: its path, a Zod schema of its read
schema (types mapped from the api's fields, nullable ones nullable, `id` and timestamps as the API
returns them; a list takes the page envelope), with the caller's token (lib/api/auth.ts), and a
sample answer (`api-sample.json`) that the page's tests are served and that a generated backend test
checks against the real endpoint.

Fast tests: what is generated for the default feature and for one with every part, every field type
and an item page; routes the api cannot serve are refused; the page part's derived values.
Slow tests: in a real host, `make test` (backend + frontend) and `make lint` pass, the backend passes
on PostgreSQL, and a page/endpoint disagreement (on either side) makes the generated tests fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from blueprint import catalog as catalog_mod
from blueprint import unit as unit_mod
from blueprint.parts import api, page
from blueprint.upsert import find_block
from helpers import hosts
from test_generation import check_log, check_status_entry, generate
from test_refusals import refused_in_process

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
DATE = "2026-01-15"
SPECS = "docs/specs/REALISATION_TECHNIQUE.md"  # WORKFLOW-001: a feature's reference document
DOCS = {
    "database": "docs/tech/DOC-TECH-001_DATABASE_SCHEMA.md",
    "api": "docs/tech/DOC-TECH-002_API_CONTRACTS.md",
    "agent": "docs/tech/DOC-TECH-004_AGENT_PROMPTS.md",
    "component": "docs/ui/DOC-UI-002_COMPONENTS_CATALOG.md",
}
# Every api field type, with constraints the sample values must respect.
ALL_FIELDS: list[dict[str, Any]] = [
    {"name": "title", "type": "string", "max_length": 120},
    {"name": "email", "type": "string", "max_length": 200, "required": False, "unique": True},
    {"name": "notes", "type": "text", "required": False, "max_length": 5000},
    {"name": "score", "type": "integer", "min": 0, "max": 1000, "default": 0, "index": True},
    {"name": "views", "type": "bigint", "required": False},
    {"name": "ratio", "type": "float", "required": False, "min": 0, "max": 1},
    {"name": "budget", "type": "numeric", "required": False, "min": 0},
    {"name": "active", "type": "boolean", "default": True},
    {"name": "starts_on", "type": "date", "required": False},
    {"name": "seen_at", "type": "datetime", "required": False},
    {"name": "ref", "type": "uuid", "required": False},
    {"name": "extra", "type": "json", "required": False},
    {"name": "stage", "type": "enum", "choices": ["new", "won", "lost"], "default": "new"},
]
# What the page expects of each of them: the API's JSON (pydantic v2: a Decimal is a string, an
# aware datetime an ISO string with its offset, a UUID any 8-4-4-4-12 hex), nullable when optional,
# within the api's own bounds (the forms check them before sending).
ALL_ZOD = {
    "title": "z.string().max(120)",
    "email": "z.string().max(200).nullable()",
    "notes": "z.string().max(5000).nullable()",
    "score": "z.number().int().min(0).max(1000)",
    "views": "z.number().int().nullable()",
    "ratio": "z.number().min(0).max(1).nullable()",
    "budget": "z.string().nullable()",
    "active": "z.boolean()",
    "starts_on": "z.iso.date().nullable()",
    "seen_at": "z.iso.datetime({ offset: true }).nullable()",
    "ref": "z.guid().nullable()",
    "extra": "z.json().nullable()",
    "stage": 'z.enum(["new", "won", "lost"])',
}
# The feature of the issue, on defaults; and one with every part, every type and an item page.
FEATURES: dict[str, dict[str, Any]] = {
    "campaign-wizard": {},
    "deal-desk": {
        "parts": ["database", "api", "agent", "component", "page"],
        "fields": ALL_FIELDS,
        "route": "/deals/[dealId]",
    },
    # A list page beside an api with every field type: its screens that write (parts/page.py `_crud`).
    "deal-book": {"parts": ["database", "api", "page"], "fields": ALL_FIELDS, "route": "/deal-book"},
}


def output(done: subprocess.CompletedProcess[str]) -> str:
    return ANSI.sub("", f"exit {done.returncode}\n{done.stdout[-12000:]}\n{done.stderr[-4000:]}")


def read(host: Path, path: str) -> str:
    return (host / path).read_text(encoding="utf-8")


def check_feature(host: Path, unit: unit_mod.Unit, before: dict[str, bytes], after: dict[str, bytes]) -> None:
    """One log listing every file, one STATUS entry, each part's reference-doc entry, nothing else."""
    assert sorted(set(after) - set(before)) == sorted([*unit.code_files, unit.log_path, unit.answers_file])
    docs = [SPECS, *(DOCS[part] for part in unit.parts if part in DOCS)]
    changed = sorted(p for p in before if after[p] != before[p])
    assert changed == sorted(["docs/workflow/STATUS.md", *docs])
    opening = re.compile(rf"^<!-- vectra:unit {re.escape(unit.key)} [0-9a-f]+ -->$", re.M)
    for doc in [*docs, "docs/workflow/STATUS.md"]:
        assert len(opening.findall(read(host, doc))) == 1, f"one entry of {unit.key} in {doc}"
        assert find_block(read(host, doc), unit.key) is not None, doc
    check_status_entry(host, unit)
    log = check_log(host, unit)
    files = log.split("## Fichiers Créés/Modifiés")[1].split("\n## ")[0]
    listed = re.findall(r"^- `([^`]+)`$", files, re.M)
    assert listed == unit.code_files, "the log lists every generated file, in order"
    assert "- [x] Connecter frontend ↔ backend" in log
    # The guide's reference for features: its entry names the parts, the other references and every file.
    spec = find_block(read(host, SPECS), unit.key)
    assert spec is not None and f"— `{unit.key}`" in spec.body and f"**Fichier log:** `{unit.log_path}`" in spec.body
    assert f"- **Parties :** {', '.join(p for p in unit.parts if p != 'log')}" in spec.body
    assert re.findall(r"^  - `([^`]+)`$", spec.body, re.M) == [*docs[1:], *unit.code_files]


# -- what is generated ---------------------------------------------------------------------------------


def test_the_default_feature_page_calls_its_endpoint_through_the_typed_client(
    host: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    before = tree_snapshot(host)
    unit = generate(host, new_unit, "feature", "campaign-wizard", date=DATE)
    assert unit.parts == ["log", "database", "api", "component", "page"]
    folder = "frontend/app/campaign-wizard"
    assert f"{folder}/api-sample.json" in unit.code_files
    assert "backend/tests/api/test_campaign_wizard_page_contract.py" in unit.code_files
    check_feature(host, unit, before, tree_snapshot(host))

    data = read(host, f"{folder}/data.ts")
    assert 'import { accessToken } from "@/lib/api/auth";' in data
    assert 'import { type ApiRequestOptions, apiGet } from "@/lib/api/client";' in data
    assert 'return "/campaign-wizards";' in data, "the api's collection path, not the page's route"
    item_schema = (
        "export const campaignWizardItemSchema = z.object({\n"
        "  id: z.number().int(),\n"
        "  name: z.string().max(200),\n"
        "  description: z.string().max(10000).nullable(),\n"
        "  created_at: z.iso.datetime({ offset: true }),\n"
        "  updated_at: z.iso.datetime({ offset: true }),\n"
        "});"
    )
    # One schema checks the API's answers and the forms' values: schema.ts (no server-only import).
    schema = read(host, f"{folder}/schema.ts")
    assert item_schema in schema and 'import "server-only"' not in schema
    assert 'import { campaignWizardItemSchema, type CampaignWizardItem } from "./schema";' in data
    assert (
        "export const campaignWizardCreateSchema = campaignWizardItemSchema.omit({ id: true, created_at: true, "
        "updated_at: true });"
    ) in schema
    assert "export const campaignWizardUpdateSchema = campaignWizardCreateSchema.partial();" in schema
    envelope = "items: z.array(campaignWizardItemSchema),\n  total: z.number().int(),\n  limit: z.number().int(),"
    assert envelope in data
    assert 'token: await accessToken(),\n    query: { limit: PAGE_SIZE },\n    cache: "no-store",' in data
    assert "return orSignIn(orNotFound(apiGet(campaignWizardApiPath(), campaignWizardDataSchema, options)));" in data
    code = read(host, f"{folder}/page.tsx")
    assert "<Link href={itemHref(item.id)}>{item.name}</Link>" in code, "the title is the first required string"
    assert "<Link href={`${LIST_HREF}/new`}>Créer</Link>" in code
    assert '<dd style={styles.value}>{item.description ?? "—"}</dd>' in code

    sample = json.loads(read(host, f"{folder}/api-sample.json"))
    assert sample["nullable"] == ["description"]
    assert list(sample["item"]) == ["id", "name", "description", "created_at", "updated_at"]
    assert sample["page"] == {"total": 1, "limit": 50, "offset": 0}
    assert "GET /api/v1/campaign-wizards?limit=50" in sample["about"]
    test = read(host, f"{folder}/page.test.tsx")
    assert 'import sample from "./api-sample.json";' in test
    assert "expect(lastFetch(fetchMock).url).toBe(`${API}/campaign-wizards?limit=50`);" in test
    assert 'expect(lastFetch(fetchMock).headers.get("Authorization")).toBe("Bearer token-a");' in test
    contract = read(host, "backend/tests/api/test_campaign_wizard_page_contract.py")
    assert 'SAMPLE = HOST.joinpath("frontend/app/campaign-wizard/api-sample.json")' in contract
    assert "from app.schemas.campaign_wizard import CampaignWizardRead as Read" in contract
    assert 'client.get(URL, params={"limit": 50}, headers=headers_a)' in contract


def test_a_feature_with_every_part_and_an_item_page(host: Path, new_unit: Any, tree_snapshot: Any) -> None:
    before = tree_snapshot(host)
    unit = generate(host, new_unit, "feature", "deal-desk", date=DATE, **FEATURES["deal-desk"])
    assert unit.parts == ["log", "database", "api", "agent", "component", "page"]
    check_feature(host, unit, before, tree_snapshot(host))
    assert "backend/app/agents/deal_desk/agent.py" in unit.code_files

    folder = "frontend/app/deals/[dealId]"
    data = read(host, f"{folder}/data.ts")
    assert "return `/deal-desks/${encodeURIComponent(params.dealId)}`;" in data
    schema = re.search(r"export const dealDeskItemSchema = z\.object\(\{\n(.*?)\n\}\);", data, re.S)
    assert schema is not None
    lines = dict(line.strip().rstrip(",").split(": ", 1) for line in schema.group(1).splitlines())
    instant = "z.iso.datetime({ offset: true })"
    assert lines == {"id": "z.number().int()", **ALL_ZOD, "created_at": instant, "updated_at": instant}
    assert "export const dealDeskDataSchema = dealDeskItemSchema;" in data, "one row: no envelope"
    assert "if (!isItemId(params.dealId)) {\n    notFound();" in data
    assert "query:" not in data

    sample = json.loads(read(host, f"{folder}/api-sample.json"))
    assert sample["nullable"] == [f["name"] for f in ALL_FIELDS if f.get("required") is False]
    assert "page" not in sample
    item = sample["item"]
    assert item["id"] == 42, "the route's sample id, what the page's test asks for"
    # Within each field's constraints: its default when it has one.
    expected = {"title": "Relance des factures impayées", "score": 12, "ratio": 0.5, "budget": "12.5", "active": True,
                "stage": "new", "starts_on": "2026-01-10", "seen_at": "2026-01-10T09:30:00Z",
                "extra": {"n": 1, "tags": ["a"]}}  # fmt: skip
    assert {key: item[key] for key in expected} == expected
    code = read(host, f"{folder}/page.tsx")
    assert "<h1 style={styles.title}>{data.title}</h1>" in code
    assert '<dd style={styles.value}>{data.active ? "Oui" : "Non"}</dd>' in code
    assert '<dd style={styles.value}>{data.extra === null ? "—" : JSON.stringify(data.extra)}</dd>' in code
    # Instants in French (lib/format.ts), not the API's ISO text.
    assert 'import { formatInstant } from "@/lib/format";' in code
    assert "<dd style={styles.value}>{formatInstant(data.created_at)}</dd>" in code
    assert '<dd style={styles.value}>{data.seen_at === null ? "—" : formatInstant(data.seen_at)}</dd>' in code
    test = read(host, f"{folder}/page.test.tsx")
    assert 'expect(shown(main, "Extra")).toBe("{\\"n\\":1,\\"tags\\":[\\"a\\"]}");' in test
    assert 'expect(shown(main, "Créé le")).toBe("10 janvier 2026 à 10:30");' in test
    assert 'expect(shown(main, "Seen at")).toBe("10 janvier 2026 à 10:30");' in test
    assert "expect(lastFetch(fetchMock).url).toBe(`${API}/deal-desks/42`);" in test
    assert 'expect(dealDeskApiPath({ ...params, dealId: "a/b c" })).toBe("/deal-desks/a%2Fb%20c");' in test
    contract = read(host, "backend/tests/api/test_deal_desk_page_contract.py")
    assert 'response = client.get(f"{URL}/{row.id}", headers=headers_a)' in contract


def test_without_an_api_the_page_keeps_its_placeholder(host: Path, new_unit: Any) -> None:
    unit = generate(host, new_unit, "feature", "lead-board", parts=["component", "page"], route="/leads/[leadId]")
    assert not unit.page.api
    assert not unit.page.crud.any, "nothing to write to"
    assert not any(f.endswith(("api-sample.json", "_page_contract.py", "form.tsx")) for f in unit.code_files)
    data = read(host, "frontend/app/leads/[leadId]/data.ts")
    assert "return `/leads/${encodeURIComponent(params.leadId)}`;" in data
    assert "id: z.union([z.string(), z.number()])," in data and "isItemId" not in data
    assert "token: await accessToken()," in data, "every backend endpoint wants the token"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"operations": ["create", "get"], "route": "/wizards"},
         "n'ont pas `list` : ajoutez `list` aux opérations ou une route d'élément"),
        ({"operations": ["list"], "route": "/wizards/[id]"},
         "n'ont pas `get` : ajoutez `get` aux opérations ou une route de liste"),
        ({"operations": ["create"], "route": "/wizards"}, "n'ont pas `list` : ajoutez `list` aux opérations."),
    ],
)  # fmt: skip
def test_a_page_the_api_cannot_serve_is_refused_before_any_write(
    host: Path, template_src: Path, tree_snapshot: Any, answers: dict[str, Any], expected: str
) -> None:
    before = tree_snapshot(host)
    message = refused_in_process(template_src, host, kind="feature", name="wizards", parts=["api", "page"], **answers)
    assert expected in message, message
    assert tree_snapshot(host) == before


def test_a_feature_over_a_table_of_another_unit_is_refused_with_a_feature_s_way_out(
    host: Path, new_unit: Any, template_src: Path, tree_snapshot: Any
) -> None:
    # A database unit `leads` made backend/app/models/leads.py: a feature `leads` would make the same
    # table. Its module is named after the table, as the feature's own would be on an update: the
    # unit's answers file tells them apart.
    new_unit(host, "database", "leads")
    hosts.commit_all(host, "leads")
    before = tree_snapshot(host)
    message = refused_in_process(template_src, host, kind="feature", name="leads")
    assert "la table 'leads' existe déjà : un autre pluriel, ou" in message, message
    assert "définie dans backend/app/models/leads.py, classe Lead" in message, message
    assert "décochez database" in message and "-d model=app.models.leads:Lead" in message, message
    assert "db_operation" not in message, "a feature never asks db_operation"
    assert tree_snapshot(host) == before
    # The way out it gives works: without the database part, the api serves the existing model.
    fields = [{"name": "name", "type": "string", "max_length": 200}]
    new_unit(host, "feature", "leads", parts=["api", "page"], model="app.models.leads:Lead", fields=fields)
    assert (host / "backend/app/api/routes/leads.py").is_file()


CRUD = {
    "schema.ts", "[id]/page.tsx", "new/page.tsx", "[id]/edit/page.tsx", "form.tsx", "delete-button.tsx",
    "actions.ts", "crud.test.tsx",
}  # fmt: skip


@pytest.mark.parametrize(
    ("operations", "expected"),
    [
        (["list"], set()),
        (["list", "get"], {"schema.ts", "[id]/page.tsx", "crud.test.tsx"}),
        (["list", "create"], {"schema.ts", "new/page.tsx", "form.tsx", "actions.ts", "crud.test.tsx"}),
        (["list", "update", "delete"], set()),  # no `get`: no item page to edit nor delete from
        (["list", "get", "delete"], {"schema.ts", "[id]/page.tsx", "delete-button.tsx", "actions.ts",
                                     "crud.test.tsx"}),
        (list(api.OPERATIONS), CRUD),
    ],
)  # fmt: skip
def test_a_list_page_gets_the_screens_of_the_api_s_operations_only(
    host: Path, new_unit: Any, operations: list[str], expected: set[str]
) -> None:
    unit = generate(host, new_unit, "feature", "leads", parts=["database", "api", "page"], operations=operations)
    folder = "frontend/app/leads/"
    made = {f.removeprefix(folder) for f in unit.code_files if f.startswith(folder)}
    assert made & CRUD == expected
    page_code = read(host, folder + "page.tsx")
    assert ("<Link href={`${LIST_HREF}/new`}>Créer</Link>" in page_code) == ("create" in operations)
    assert ("<Link href={itemHref(item.id)}>" in page_code) == ("get" in operations)
    if "actions.ts" in expected:
        actions = read(host, folder + "actions.ts")
        for op, verb in (("create", "apiPost"), ("update", "apiPatch"), ("delete", "apiDelete")):
            served = op in operations and (op == "create" or "get" in operations)
            assert (f"await orSignIn({verb}(" in actions) == served


def test_an_item_route_gets_no_screens_that_write(host: Path, new_unit: Any) -> None:
    unit = generate(host, new_unit, "feature", "deal-desk", date=DATE, **FEATURES["deal-desk"])
    assert not unit.page.crud.any
    pages = [f for f in unit.code_files if f.startswith("frontend/app/")]
    assert not any(f.endswith(("/form.tsx", "/actions.ts", "/schema.ts", "/crud.test.tsx")) for f in pages)


# -- the page part's derived values ---------------------------------------------------------------------


def fake_unit(route: str, parts: list[str], **answers: Any) -> SimpleNamespace:
    unit = SimpleNamespace(name="deal-desk", pascal="DealDesk", camel="dealDesk", snake="deal_desk", kind="feature",
                           parts=parts, answers={"route": route, "parts": parts, **answers}, derived={})  # fmt: skip
    if "api" in parts:
        unit.derived["api"] = SimpleNamespace(**api.derive(unit))
    return unit


def test_sample_values_respect_the_fields_constraints() -> None:
    fields = [
        {"name": "code", "type": "string", "max_length": 3},
        {"name": "debt", "type": "integer", "max": -5},
        {"name": "huge", "type": "bigint", "min": 2**60},
        {"name": "tiny", "type": "float", "min": 0, "max": 0.25},
        {"name": "price", "type": "numeric", "min": "100.5"},
        {"name": "off", "type": "boolean", "default": False},
        {"name": "identifiant", "type": "string", "required": False},
    ]
    derived = page.derive(fake_unit("/deals/[id]", ["database", "api", "page"], fields=fields))
    item, by_name = derived["sample"]["item"], {f.name: f for f in derived["fields"]}
    assert item["code"] == "REF" and item["debt"] == -5 and item["huge"] == 2**60
    assert item["tiny"] == 0.25 and item["price"] == "100.5" and item["off"] is False
    assert by_name["huge"].shows == "1152921504606847000", "what JavaScript prints for 2**60"
    assert by_name["off"].shows == "Non"
    assert by_name["identifiant"].label == "Identifiant (identifiant)", "never the label of the id"
    assert derived["heading"].field.name == "code"


@pytest.mark.parametrize(
    ("number", "text"),
    [(2, "2"), (2.0, "2"), (0.5, "0.5"), (-3.25, "-3.25"), (1e-7, "1e-7"), (1.5e300, "1.5e+300"), (1e21, "1e+21"),
     (123456789012.5, "123456789012.5"), (2**53 + 1, "9007199254740992")],
)  # fmt: skip
def test_numbers_are_shown_as_javascript_prints_them(number: float, text: str) -> None:
    assert page.js_number(number) == text


def test_the_heading_falls_back_to_the_number_of_the_item() -> None:
    fields = [{"name": "amount", "type": "integer"}, {"name": "label", "type": "string", "required": False}]
    derived = page.derive(fake_unit("/deals", ["database", "api", "page"], fields=fields))
    assert derived["heading"].field is None, "an optional string does not title the item"
    assert derived["heading"].jsx("item") == "{`n° ${item.id}`}"
    assert derived["heading_shows"] == "n° 1"
    # On an existing model every read field may be null: a required title then falls back too.
    existing = page.derive(fake_unit("/deals", ["api", "page"], fields=[{"name": "label", "type": "string"}],
                                     model="app.models.deals:Deal"))  # fmt: skip
    assert existing["heading"].jsx("item") == "{item.label ?? `n° ${item.id}`}"
    assert existing["nullable"] == ["label"] and existing["timestamps"] == []


def test_screens_that_write_need_an_api_and_a_list_route_of_its_own() -> None:
    """The item page's links and the form's redirects are plain paths: a route with params gets none."""
    assert page.derive(fake_unit("/deals", ["database", "api", "page"]))["crud"].any
    assert not page.derive(fake_unit("/orgs/[orgId]/deals", ["database", "api", "page"]))["crud"].any
    assert not page.derive(fake_unit("/deals/[id]", ["database", "api", "page"]))["crud"].any
    assert not page.derive(fake_unit("/deals", ["page"]))["crud"].any


REAL_DATA_FIELDS = [
    {"name": "contact_email", "type": "string", "max_length": 120, "unique": True},
    {"name": "title", "type": "string", "max_length": 5, "unique": True},
    {"name": "contact_name", "type": "string"},
    {"name": "nom", "type": "string", "required": False},  # would show the same name as contact_name
    {"name": "website", "type": "text"},
    {"name": "stage", "type": "enum", "choices": ["new", "won", "lost"]},
    {"name": "score", "type": "integer", "min": 10, "max": 20, "unique": True},
    {"name": "budget", "type": "numeric", "min": "1.5", "max": "3"},
    {"name": "signed_on", "type": "date"},
    {"name": "seen_at", "type": "datetime"},
]


def test_sample_values_read_like_real_data_within_the_fields_constraints() -> None:
    """Issue 19: an email looks like one, a title like a title, every value within its field's constraints."""
    derived = page.derive(fake_unit("/deals/[id]", ["database", "api", "page"], fields=REAL_DATA_FIELDS))
    item = derived["sample"]["item"]
    assert item["contact_email"] == "claire.martin@exemple.fr"
    assert item["title"] == "Relan", "a title cut to its max_length 5"
    assert item["contact_name"] == "Claire Martin" and item["nom"] == "Exemple de nom", "each field shows its own text"
    assert item["website"].startswith("https://")
    assert item["stage"] in ("new", "won", "lost") and 10 <= item["score"] <= 20
    assert Decimal("1.5") <= Decimal(item["budget"]) <= 3
    assert dt.date.fromisoformat(item["signed_on"]) and dt.datetime.fromisoformat(item["seen_at"]).tzinfo

    # The api's tests: values(n), one row per n, distinct where the field is unique.
    namespace = {"Decimal": Decimal, "date": dt.date, "datetime": dt.datetime, "timedelta": dt.timedelta,
                 "UTC": dt.UTC, "UUID": uuid.UUID}  # fmt: skip
    fields = {
        f.name: f for f in fake_unit("/deals", ["database", "api"], fields=REAL_DATA_FIELDS).derived["api"].fields
    }
    rows = [{name: eval(api._sample(f), {**namespace, "n": n}) for name, f in fields.items() if f.type != "enum"}
            for n in range(1, 12)]  # fmt: skip
    for name in ("contact_email", "title", "score"):
        assert len({row[name] for row in rows}) == len(rows), f"{name}: unique values repeat"
    for row in rows:
        assert re.fullmatch(r"claire\.martin\.\d+@exemple\.fr", row["contact_email"]), row
        assert len(row["title"]) <= 5 and 10 <= row["score"] <= 20 and Decimal("1.5") <= row["budget"] <= 3
        assert row["contact_name"].startswith("Claire Martin ") and row["website"].startswith("https://")


def test_the_form_s_test_values_and_what_they_send() -> None:
    fields = [{"name": "title", "type": "string", "max_length": 80, "unique": True},
              {"name": "score", "type": "integer", "min": 0, "max": 10, "default": 3},
              {"name": "budget", "type": "numeric", "default": "2.5", "required": False},
              {"name": "seen_at", "type": "datetime"}]  # fmt: skip
    derived = page.derive(fake_unit("/deals", ["database", "api", "page"], fields=fields))
    crud = derived["crud"]
    assert [f.name for f in crud.to_fill] == ["title", "seen_at"], "required, without a default"
    sends_at = 'new Date("2026-01-10T09:30").toISOString()'
    assert (
        crud.creates
        == f'{{ title: "Relance des factures impay\\u00e9es", score: 3, budget: "2.5", seen_at: {sends_at} }}'
    )
    assert crud.defaults == '{ score: 3, budget: "2.5" }'
    assert crud.unique == ["title"]
    assert crud.refusable.name == "title" and crud.refusable.constraint == ("x" * 81, "<=80")
    assert [f.input for f in derived["fields"]] == ["text", "number", "text", "datetime"]


def test_the_parts_order_does_not_matter() -> None:
    """`-d parts=[page,api]`: the page derives the api's values itself when the api comes later."""
    unit = SimpleNamespace(name="deal-desk", pascal="DealDesk", camel="dealDesk", snake="deal_desk", kind="feature",
                           parts=["page", "api"], answers={"route": "/deals"}, derived={})  # fmt: skip
    assert page.derive(unit)["api_path"] == '"/deal-desks"'


# -- in a real host ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feature_host(pristine_host: Path, template_src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A host with the features of FEATURES, committed."""
    host = hosts.clone_host(pristine_host, tmp_path_factory.mktemp("feature-host") / "host")
    for name, answers in FEATURES.items():
        hosts.copy_unit(template_src, host, kind="feature", name=name, **answers)
    hosts.commit_all(host, "features")
    return host


def feature_units(host: Path) -> list[unit_mod.Unit]:
    units = []
    for name in FEATURES:
        stored = yaml.safe_load((host / unit_mod.answers_file("feature", name)).read_text(encoding="utf-8"))
        answers = {k: v for k, v in stored.items() if not k.startswith("_")}
        units.append(unit_mod.build(answers, ROOT))
    return units


@pytest.mark.slow
def test_feature_host_passes_make_test_and_lint(feature_host: Path, host_runtime: hosts.Runtime) -> None:
    # Backend (pytest on SQLite) then frontend (Vitest + tsc); -rp names every passing test.
    done = host_runtime.make(feature_host, "test", PYTEST_ADDOPTS="-rp")
    assert done.returncode == 0, output(done)
    text = ANSI.sub("", done.stdout)
    for unit in feature_units(feature_host):
        for test in unit.test_files:
            if test.startswith("backend/tests/e2e/"):  # browser tests: make test-e2e's (tests/test_e2e.py)
                assert test.removeprefix("backend/") not in text, "make test starts no browser"
                continue
            if test.startswith("backend/"):
                assert f"PASSED {test.removeprefix('backend/')}::" in text, f"{test} did not run and pass\n{text}"
            else:
                assert re.search(rf"✓ {re.escape(test.removeprefix('frontend/'))} \(\d+ tests\)", text), test
    assert re.search(r"✓ lib/api/auth\.test\.ts \(3 tests\)", text), "the host's token helper is tested"

    lint = host_runtime.make(feature_host, "lint")  # ruff check + ruff format --check, tsc
    assert lint.returncode == 0, output(lint)


@pytest.mark.slow
def test_the_pages_tests_cover_70_percent_of_their_files(
    feature_host: Path, host_runtime: hosts.Runtime, catalog: Any, tmp_path: Path
) -> None:
    host = hosts.clone_host(feature_host, tmp_path / "host")
    host_runtime.attach(host)
    units = feature_units(host)
    tests = [t.removeprefix("frontend/") for u in units for t in u.test_files if t.startswith("frontend/app/")]
    cmd = ["npx", "--no-install", "vitest", "run", "--coverage", "--coverage.reporter=json-summary", *tests]
    done = subprocess.run(cmd, cwd=host / "frontend", env=host_runtime.env(CI="1"), capture_output=True, text=True,
                          timeout=600, check=False)  # fmt: skip
    assert done.returncode == 0, output(done)
    summary = json.loads((host / "frontend/coverage/coverage-summary.json").read_text())
    for unit in units:
        context = {**unit.answers, "unit": unit}
        sources = [s for s in catalog.parts["page"]["sources"]
                   if not isinstance(s, dict) or unit_mod.render_bool(s["when"], context)]  # fmt: skip
        files = [str(host / unit_mod.render(catalog_mod.file_path(s), context)) for s in sources]
        assert len(files) == (11 if unit.page.crud.any else 4), files
        for metric in ("lines", "statements", "branches"):
            covered = sum(summary[f][metric]["covered"] for f in files)
            total = sum(summary[f][metric]["total"] for f in files)
            assert 100 * covered / total >= unit.coverage["page"], f"{unit.name}: {metric} {covered}/{total}"


@pytest.mark.slow
def test_feature_host_passes_its_backend_tests_on_postgresql(
    feature_host: Path, host_runtime: hosts.Runtime, postgres_url: str
) -> None:
    # -v cancels the Makefile's -q: the report header says which database the run used.
    done = host_runtime.make(feature_host, "test-backend", VECTRA_TEST_DATABASE_URL=postgres_url, PYTEST_ADDOPTS="-v")
    assert done.returncode == 0, output(done)
    assert "database: fresh PostgreSQL database" in done.stdout, output(done)
    assert re.search(r"^=+ \d+ passed\b", done.stdout, re.M), output(done)


def edit(host: Path, path: str, old: str, new: str) -> None:
    file = host / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    file.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.slow
def test_a_page_endpoint_disagreement_fails_the_generated_tests(
    feature_host: Path, host_runtime: hosts.Runtime, tmp_path: Path
) -> None:
    host = hosts.clone_host(feature_host, tmp_path / "host")
    # Frontend: the page expects `title` where the API sends `name`; another page forgets the
    # caller's token; another shows nothing for an empty value.
    edit(host, "frontend/app/campaign-wizard/schema.ts", "  name: z.string().max(200),\n", "  title: z.string(),\n")
    edit(host, "frontend/app/deals/[dealId]/data.ts", "    token: await accessToken(),\n", "")
    edit(host, "frontend/app/deals/[dealId]/page.tsx", '{data.ratio ?? "—"}', "{data.ratio}")
    # Backend: the API sends `name` as `title`; another makes an optional field non-nullable.
    edit(host, "backend/app/schemas/campaign_wizard.py", "    name: str\n",
         '    name: str = Field(serialization_alias="title")\n')  # fmt: skip
    edit(host, "backend/app/schemas/deal_desk.py", "    ratio: float | None\n", "    ratio: float\n")

    host_runtime.attach(host)
    report = host / "frontend/vitest-report.json"
    vitest = ["npx", "--no-install", "vitest", "run", "--reporter=default", "--reporter=json",
              f"--outputFile.json={report}", "app/campaign-wizard/page.test.tsx", "app/deals"]  # fmt: skip
    done = subprocess.run(vitest, cwd=host / "frontend", env=host_runtime.env(CI="1"), capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode != 0, output(done)
    results = json.loads(report.read_text())
    failed = {t["fullName"] for f in results["testResults"] for t in f["assertionResults"] if t["status"] == "failed"}
    assert failed == {
        "/campaign-wizard loads its items from the backend with the caller's token and lists them",
        "/campaign-wizard says how many items there are in all when it shows only the first ones",
        "/deals/[dealId] loads its item from the backend with the caller's token and shows it",
        "/deals/[dealId] shows a dash for each empty value",
    }, output(done)
    passed = sum(t["status"] == "passed" for f in results["testResults"] for t in f["assertionResults"])
    assert passed >= 15, "every other test of those pages still passes: each break has its own test"

    contracts = ["tests/api/test_campaign_wizard_page_contract.py", "tests/api/test_deal_desk_page_contract.py"]
    pytest_cmd = [str(host_runtime.venv / "bin/python"), "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfp",
                  *contracts]  # fmt: skip
    done = subprocess.run(pytest_cmd, cwd=host / "backend", env=host_runtime.env(), capture_output=True, text=True,
                          timeout=600, check=False)  # fmt: skip
    assert done.returncode != 0, output(done)
    assert set(re.findall(r"^FAILED (\S+)", done.stdout, re.M)) == {
        f"{contracts[0]}::test_the_endpoint_answers_the_samples_shape",
        f"{contracts[1]}::test_the_same_fields_may_be_null",
    }, output(done)
    assert len(re.findall(r"^PASSED ", done.stdout, re.M)) == 4, output(done)


@pytest.mark.slow
def test_a_form_or_an_error_mapping_that_drifts_fails_the_generated_tests(
    feature_host: Path, host_runtime: hosts.Runtime, tmp_path: Path
) -> None:
    host = hosts.clone_host(feature_host, tmp_path / "host")
    # The form's schema forgets the api's max length; the 409 no longer knows the unique field; the
    # 422 no longer knows the fields; the list page lets a 401 through; the item page asks the
    # backend for any id.
    edit(host, "frontend/app/campaign-wizard/schema.ts", "  name: z.string().max(200),\n", "  name: z.string(),\n")
    edit(host, "frontend/app/deal-book/schema.ts", '= ["email"];', "= [];")
    names = "const FIELD_NAMES = dealBookFormFields.map((field) => field.name);"
    edit(host, "frontend/app/deal-book/actions.ts", names, "const FIELD_NAMES: string[] = [];")
    edit(host, "frontend/app/campaign-wizard/data.ts",
         "return orSignIn(orNotFound(apiGet(campaignWizardApiPath(), campaignWizardDataSchema, options)));",
         "return orNotFound(apiGet(campaignWizardApiPath(), campaignWizardDataSchema, options));")  # fmt: skip
    edit(host, "frontend/app/deal-book/data.ts", "  if (!isItemId(id)) {\n    notFound();\n  }\n", "")

    host_runtime.attach(host)
    report = host / "frontend/vitest-report.json"
    vitest = ["npx", "--no-install", "vitest", "run", "--reporter=default", "--reporter=json",
              f"--outputFile.json={report}", "app/campaign-wizard", "app/deal-book"]  # fmt: skip
    done = subprocess.run(vitest, cwd=host / "frontend", env=host_runtime.env(CI="1"), capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode != 0, output(done)
    results = json.loads(report.read_text())
    failed = {t["fullName"] for f in results["testResults"] for t in f["assertionResults"] if t["status"] == "failed"}
    crud = "/campaign-wizard: item, create, edit, delete"
    book = "/deal-book: item, create, edit, delete"
    assert failed == {
        f"{crud} shows the schema's message under the field and sends nothing",
        f"{book} shows the backend's 409 under the unique field",
        f"{book} shows the backend's 422 under the field it names",
        "/campaign-wizard sends the person to /login when the backend answers 401 (no token, or an expired one)",
        f"{book} is a 404 without asking the backend for an id it cannot have (a non-numeric one too)",
    }, output(done)
    passed = sum(t["status"] == "passed" for f in results["testResults"] for t in f["assertionResults"])
    assert passed >= 40, "every other test of those pages still passes: each break has its own test"
