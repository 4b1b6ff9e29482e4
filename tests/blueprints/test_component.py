"""The component blueprint (issue 6): props checked, files and catalog entry per option, and, in a real
host, the generated components pass their Vitest tests and tsc with ≥ 70% coverage, and their tests bite.

The host suite here also holds pages (tests/blueprints/test_page.py checks them on their own), so
the frontend runs once for both parts.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pexpect
import pytest
from blueprint import unit as unit_mod
from blueprint.catalog import declared_default
from blueprint.parts import component
from helpers.hosts import Runtime, clone_host
from test_generation import check_log, check_status_entry, generate
from test_interactive import BACKSPACE, ENTER, KIND_ORDER, answer, choose, spawn
from test_refusals import cli, refused_in_process

ROOT = Path(__file__).resolve().parents[2]
CATALOG = "docs/ui/DOC-UI-002_COMPONENTS_CATALOG.md"
CLEAR_LINE = "\x15"  # Ctrl-U: the prompt starts with the default props
HOSTILE_LABEL = 'Montant "€" </script> {{ x }} `y` \\ */'

# One host, every option: zod on/off, client on/off, reusable on/off, every prop type, both syntaxes.
COMPONENTS: dict[str, dict[str, Any]] = {
    "lead-card": {},  # the defaults: zod, server component, reusable; title + description
    "deal-panel": {
        "client": True,
        "objective": "Panneau d'une affaire | <!-- pas un commentaire --> {{ x }}",
        "props": [
            {"name": "title", "type": "string", "required": True},
            {"name": "amount", "type": "number", "label": HOSTILE_LABEL},
            {"name": "status", "type": "enum", "values": ["new", "won", 'it\'s "lost"']},
            {"name": "tags", "type": "string[]", "required": False},
            {"name": "closesOn", "type": "date", "required": False},
            {"name": "active", "type": "boolean", "required": False, "label": "Actif"},
        ],
    },
    "score-badge": {"zod": False, "client": True, "props": [{"score": "number"}, {"level?": "low | high"}]},
    "plain-tag": {"zod": False, "props": ["label"]},  # the heading only: no details
    "flag-only": {"reusable": False, "props": [{"active?": "boolean"}]},  # nothing required, no heading prop
}
PAGES = {"campaigns": "/campaigns", "campaign-detail": "/campaigns/[id]", "org-campaigns": "/orgs/[orgId]/campaigns"}


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def output(done: subprocess.CompletedProcess[str]) -> str:
    return ANSI.sub("", f"exit {done.returncode}\n{done.stdout[-8000:]}\n{done.stderr[-4000:]}")


def sources(unit: unit_mod.Unit, part: str, catalog: Any) -> list[str]:
    """kinds.yml `sources` of a part: the unit's files whose coverage is measured."""
    context = {**unit.answers, "unit": unit}
    found = []
    for item in catalog.parts[part]["sources"]:
        if isinstance(item, dict) and not unit_mod.render_bool(item.get("when", True), context):
            continue
        found.append(unit_mod.render(item if isinstance(item, str) else item["path"], context))
    return found


def vitest(host: Path, runtime: Runtime, *args: str) -> subprocess.CompletedProcess[str]:
    runtime.attach(host)
    cmd = ["npx", "--no-install", "vitest", "run", *args]
    return subprocess.run(
        cmd, cwd=host / "frontend", env=runtime.env(CI="1"), capture_output=True, text=True, timeout=600
    )


# -- the props answer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ([], "au moins une prop"),
        ("{title: string}", "doivent être une liste"),
        ("title:strin", "type 'strin' inconnu ; types : string, number"),
        ("[title: string", "ne sont pas du YAML valide"),
        ([{"name": "Title", "type": "string"}], "identifiant camelCase"),
        ([{"name": "lead_id", "type": "string"}], "identifiant camelCase"),
        ([{"name": "class", "type": "string"}], "mot réservé de TypeScript"),
        ([{"name": "children", "type": "string"}], "a un sens propre"),
        ([{"name": "toString", "type": "string"}], "a un sens propre"),
        ([{"name": "onClick", "type": "string"}], "callbacks d'événements"),
        ([{"name": "title"}, {"name": "title"}], "donnée deux fois"),
        ([{"name": "title", "type": "str"}], "types : string, number"),
        ([{"name": "title", "type": "enum"}], "enum sans valeurs"),
        ([{"name": "title", "type": "enum", "values": ["a", "a"]}], "répète une valeur"),
        ([{"name": "title", "type": "string", "values": ["a"]}], "n'est que pour `type: enum`"),
        ([{"name": "title", "type": "string", "required": "yes"}], "vaut true ou false"),
        ([{"name": "title", "type": "string", "colour": "red"}], "clés inconnues colour"),
        ([{"name": "a", "label": "Same"}, {"name": "b", "label": "same"}], "déjà celui d'une autre prop"),
        ([{"name": "a", "label": "two\nlines"}], "sur une ligne"),
        ([{"name": f"p{i}"} for i in range(21)], "20 au plus"),
    ],
)
def test_bad_props_are_refused_with_what_a_good_answer_looks_like(answer: Any, expected: str) -> None:
    problem = component.props_problem(answer, {})
    assert expected in problem, problem
    assert "Les props sont une ligne compacte" in problem


def test_props_shorthand_and_full_forms_agree() -> None:
    short = component.parse(
        ["title", {"description?": "string"}, {"status": "new | 'won'"}, {"score": "optional number"}]
    )
    full = component.parse([
        {"name": "title", "type": "string"},
        {"name": "description", "type": "string", "required": False},
        {"name": "status", "type": "enum", "values": ["new", "won"]},
        {"name": "score", "type": "number", "required": False},
    ])  # fmt: skip
    assert [(p.name, p.type, p.required, p.label, p.values) for p in short] == [
        (p.name, p.type, p.required, p.label, p.values) for p in full
    ]
    assert [p.label for p in component.parse([{"closesOn": "date"}])] == ["Closes on"]


def test_the_questions_default_props_are_the_python_default(root: Path) -> None:
    assert declared_default(root, "props") == component.DEFAULT_PROPS
    assert component.props_problem(component.DEFAULT_PROPS, {}) == ""
    assert {q: declared_default(root, q) for q in ("zod", "client", "reusable")} == {
        "zod": True, "client": False, "reusable": True}  # fmt: skip


def test_bad_props_given_with_data_are_refused_before_any_write(
    host: Path, template_src: Path, tree_snapshot: Any
) -> None:
    before = tree_snapshot(host)
    message = refused_in_process(template_src, host, kind="component", name="lead-card", props=[{"name": "class"}])
    assert "mot réservé de TypeScript" in message
    done = cli(
        template_src, host, "kind=component", "name=lead-card", "props=[title: string, onClick: optional string]"
    )
    assert done.returncode != 0 and "callbacks d'événements" in done.stderr and "Traceback" not in done.stderr
    assert tree_snapshot(host) == before


def test_props_typed_at_the_terminal_in_the_short_form(host: Path, template_src: Path) -> None:
    done = cli(
        template_src,
        host,
        "kind=component",
        "name=lead-card",
        "props=[title: string, score: optional number, level: low | high]",
    )
    assert done.returncode == 0, output(done)
    types = (host / "frontend/components/LeadCard/types.ts").read_text()
    assert "  title: string;\n  score?: number;\n  level: LeadCardLevel;\n" in types
    assert 'export const leadCardLevelValues = ["low", "high"] as const;' in types


PROPS = "title score?:number level:enum(low,high)"


def test_props_at_the_terminal_a_bad_one_explained_and_asked_again(
    pristine_host: Path, tmp_path: Path, template_src: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    host = clone_host(pristine_host, tmp_path / "interactive")
    child = spawn(template_src, host)
    choose(child, "Type de travail", KIND_ORDER.index("component"))
    answer(child, "Nom de l'unité", "lead-card")
    answer(child, "Date de l'unité", BACKSPACE * 10 + "2026-01-15")
    for question in ("Priorité", "Statut"):
        choose(child, question, 0)
    for question in ("Objectif", "Référence de l'issue", "la pull request"):
        answer(child, question)
    child.expect("Props du composant")
    child.expect("title description\\?")  # the default, on one line
    child.send(CLEAR_LINE + "title onClick?" + ENTER)
    child.expect("callbacks d'événements")  # explained, and asked again
    child.send(CLEAR_LINE + PROPS + ENTER)
    for question, key in (
        ("Valider les props avec un schéma Zod", "n"),
        ("Composant client", "y"),
        ("Composant réutilisable", "n"),
    ):
        child.expect(question)
        child.send(key)  # a confirm takes the key alone
    child.expect("Unité Component 'lead-card' créée")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    scripted = clone_host(pristine_host, tmp_path / "scripted")
    new_unit(scripted, "component", "lead-card", date="2026-01-15", props=PROPS, zod=False, client=True, reusable=False)
    assert (
        "  title: string;\n  score?: number;\n  level: LeadCardLevel;\n"
        in (host / "frontend/components/LeadCard/types.ts").read_text()
    )
    assert tree_snapshot(host) == tree_snapshot(scripted)


# -- what is generated for each option --------------------------------------------------------------


def test_each_option_selects_its_files_its_catalog_entry_and_its_markup(host: Path, new_unit: Any) -> None:
    units = {name: generate(host, new_unit, "component", name, **answers) for name, answers in COMPONENTS.items()}
    catalog_doc = (host / CATALOG).read_text()
    for name, unit in units.items():
        c, folder = unit.component, host / f"frontend/components/{unit.pascal}"
        expected = {f"{unit.pascal}.tsx", "types.ts", "index.ts", f"{unit.pascal}.test.tsx"} | (
            {"schema.ts"} if c.zod else set()
        )
        assert {p.name for p in folder.iterdir()} == expected, name
        code = (folder / f"{unit.pascal}.tsx").read_text()
        assert code.startswith('"use client";\n') == c.client, name
        assert ("useState" in code) == c.client and ("<details>" in code) != c.client, name
        assert "aria-labelledby={headingId}" in code and "cssVar(" in code, name
        assert (f"{c.schema}.safeParse(props)" in code) == c.zod, name
        assert (f"<!-- vectra:unit component/{name} " in catalog_doc) == c.reusable, name
        assert (CATALOG in unit.shared_files) == c.reusable
        log = check_log(host, unit)
        assert (f"`{CATALOG}` (entrée `component/{name}`)" in log) == c.reusable
        check_status_entry(host, unit)
        assert unit.coverage == {"component": 70}

    # The catalog entry says how to use the component; free text cannot break the document.
    assert "| `active` | `boolean` | non | Active |" not in catalog_doc, "flag-only is not reusable"
    entry = catalog_doc.split("<!-- vectra:unit component/deal-panel ")[1].split("<!-- /vectra:unit")[0]
    assert f"| `amount` | `number` | oui | {HOSTILE_LABEL} |" in entry
    assert '| `status` | enum : new / won / it\'s "lost" | oui | Status |' in entry
    assert "\nPanneau d'une affaire | &lt;!-- pas un commentaire --&gt; {{ x }}\n" in entry
    entry = catalog_doc.split("<!-- vectra:unit component/score-badge ")[1].split("<!-- /vectra:unit")[0]
    assert '`import { ScoreBadge } from "@/components/ScoreBadge";`' in entry
    assert "| `level` | enum : low / high | non | Level |" in entry
    assert "| `onToggle` | `(expanded: boolean) => void` | non | - |" in entry
    assert "composant client" in entry and "types TypeScript seulement" in entry

    # A label or an enum value with quotes, `</script>`, `{{ }}`, `*/` stays one TypeScript string.
    deal = host / "frontend/components/DealPanel"
    assert 'label={"Montant \\"€\\" <\\/script> {{ x }} `y` \\\\ */"}' in (deal / "DealPanel.tsx").read_text()
    assert '"it\'s \\"lost\\""] as const;' in (deal / "types.ts").read_text()


# -- in a real host ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_host_with_components_and_pages_passes_vitest_and_tsc_with_70_percent_coverage(
    host: Path, new_unit: Any, host_runtime: Runtime, catalog: Any
) -> None:
    units = [generate(host, new_unit, "component", name, **answers) for name, answers in COMPONENTS.items()]
    units += [generate(host, new_unit, "page", name, route=route) for name, route in PAGES.items()]

    done = host_runtime.make(host, "test-frontend")  # vitest (every test of the host) + tsc --noEmit
    assert done.returncode == 0, output(done)
    for unit in units:
        test_file = next(f for f in unit.test_files)
        assert re.search(rf"✓ {re.escape(test_file.removeprefix('frontend/'))} \(\d+ tests?\)", output(done)), (
            f"{test_file} did not run and pass\n{output(done)}"
        )

    # Coverage of each unit's own files by its own tests (the guide's 70%).
    tests = [unit.test_files[0].removeprefix("frontend/") for unit in units]
    report = vitest(host, host_runtime, "--coverage", "--coverage.reporter=json-summary", *tests)
    assert report.returncode == 0, output(report)
    summary = json.loads((host / "frontend/coverage/coverage-summary.json").read_text())
    for unit in units:
        part = unit.parts[-1]
        files = [str(host / f) for f in sources(unit, part, catalog)]
        assert files and all(f in summary for f in files), (unit.name, files, list(summary)[:5])
        for metric in ("lines", "statements", "branches"):
            covered = sum(summary[f][metric]["covered"] for f in files)
            total = sum(summary[f][metric]["total"] for f in files)
            percent = 100 * covered / total if total else 100
            assert percent >= unit.coverage[part], f"{unit.name}: {metric} {percent:.1f}% < {unit.coverage[part]}%"


@pytest.mark.slow
def test_breaking_a_generated_component_or_page_fails_its_tests(
    pristine_host: Path, tmp_path: Path, new_unit: Any, host_runtime: Runtime
) -> None:
    host = clone_host(pristine_host, tmp_path / "host")
    for name in ("lead-card", "deal-panel"):
        new_unit(host, "component", name, **COMPONENTS[name])
    new_unit(host, "page", "campaign-detail", route="/campaigns/[id]")

    def edit(path: str, old: str, new: str) -> None:
        file = host / path
        text = file.read_text()
        assert text.count(old) == 1, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new))

    # The card no longer shows its description; the panel's button no longer opens the details;
    # the page shows an error instead of its not-found page for a missing item.
    edit("frontend/components/LeadCard/LeadCard.tsx", "{data.description}", "{null}")
    edit("frontend/components/DealPanel/DealPanel.tsx", "    setExpanded(next);\n", "")
    edit(
        "frontend/app/campaigns/[id]/data.ts",
        "orNotFound(apiGet(",
        "(apiGet(",
    )
    report = host / "frontend/vitest-report.json"
    done = vitest(
        host, host_runtime, "--reporter=default", "--reporter=json", f"--outputFile.json={report}",
        "components/LeadCard", "components/DealPanel", "app/campaigns",
    )  # fmt: skip
    assert done.returncode != 0, output(done)
    results = json.loads(report.read_text())
    failed = {t["fullName"] for f in results["testResults"] for t in f["assertionResults"] if t["status"] == "failed"}
    assert failed == {
        "LeadCard shows every prop it is given",
        "DealPanel shows and hides its details with the toggle button",
        "DealPanel toggles without an onToggle callback",
        "/campaigns/[id] is a 404 (not-found.tsx) when the backend answers 404",
    }, output(done)
    for name in failed:
        assert name.split(" ", 1)[1] in output(done)
    passed = sum(t["status"] == "passed" for f in results["testResults"] for t in f["assertionResults"])
    assert passed >= 15, "the other tests of those files still pass: each break is caught by its own test"
