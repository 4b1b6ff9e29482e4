"""The page blueprint (issue 6): the route checked, the page's folder at frontend/app/<route>/ (dynamic
segments included), its log and STATUS entry, and an update that keeps it.

The generated pages run in a real host with the components: tests/blueprints/test_component.py
(`test_host_with_components_and_pages_…` and `test_breaking_…`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from blueprint import unit as unit_mod
from blueprint.parts import page
from helpers.hosts import commit_all, git
from test_generation import check_log, check_status_entry, generate
from test_refusals import cli, refused_in_process

# No loading.tsx: Next would answer 200 before the page can say 404 or 500.
PAGE_FILES = ["page.tsx", "data.ts", "error.tsx", "not-found.tsx", "page.test.tsx"]


@pytest.mark.parametrize(
    "route", ["/campaigns", "/campaigns/[id]", "/orgs/[orgId]/campaigns/[campaign_id]", "/a/b/c/d/e/f", "/2026-q1"]
)
def test_good_routes(route: str) -> None:
    assert page.route_problem(route, {}) == ""


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("campaigns", "ne commence pas par `/`"),
        ("/", "la page d'accueil de l'hôte"),
        ("/campaigns/", "segment vide"),
        ("//campaigns", "segment vide"),
        ("/campaigns/../admin", "ni un mot kebab-case"),
        ("/campaigns/./x", "ni un mot kebab-case"),
        ("/Campaigns", "ni un mot kebab-case"),
        ("/campaigns/{id}", "ni un mot kebab-case"),
        ("/campaigns/[Id]", "ni un mot kebab-case"),
        ("/campaigns/[...slug]", "ni un mot kebab-case"),
        ("/campaigns/[id]/x/[id]", "apparaît deux fois"),
        ("/campaigns/[class]", "mot réservé de TypeScript"),
        ("/a/b/c/d/e/f/g", "6 au plus"),
        ("/campaigns\\x", "ni un mot kebab-case"),
        ("/campaigns?x=1", "ni un mot kebab-case"),
        (42, "ne commence pas par `/`"),
    ],
)
def test_bad_routes_are_refused_with_what_a_good_one_looks_like(route: Any, expected: str) -> None:
    problem = page.route_problem(route, {})
    assert expected in problem, problem
    assert "ex. `/campaigns` ou `/campaigns/[id]`" in problem


def test_a_bad_route_given_with_data_is_refused_before_any_write(
    host: Path, template_src: Path, tree_snapshot: Any
) -> None:
    before = tree_snapshot(host)
    assert "segment vide" in refused_in_process(template_src, host, kind="page", name="campaigns", route="/x//y")
    done = cli(template_src, host, "kind=page", "name=campaigns", "route=/campaigns/../../etc")
    assert done.returncode != 0 and "ni un mot kebab-case" in done.stderr and "Traceback" not in done.stderr
    assert tree_snapshot(host) == before


def test_the_issue_s_command_line(host: Path, template_src: Path) -> None:
    done = cli(template_src, host, "kind=page", "name=campaign-detail", "route=/campaigns/[id]")
    assert done.returncode == 0, done.stderr
    assert "fichier :  frontend/app/campaigns/[id]/page.tsx" in done.stderr + done.stdout
    assert sorted(p.name for p in (host / "frontend/app/campaigns/[id]").iterdir()) == sorted(PAGE_FILES)


def test_a_dynamic_page_lands_in_its_route_folder_and_nothing_else_changes(
    host: Path, new_unit: Any, tree_snapshot: Any
) -> None:
    before = tree_snapshot(host)
    unit = generate(host, new_unit, "page", "campaign-detail", route="/campaigns/[id]", date="2026-01-15")
    folder = "frontend/app/campaigns/[id]"
    assert unit.code_files == [f"{folder}/{name}" for name in PAGE_FILES]
    after = tree_snapshot(host)
    added = sorted(set(after) - set(before))
    assert added == sorted([*unit.code_files, unit.log_path, unit.answers_file])
    changed = sorted(p for p in before if after[p] != before[p])
    assert changed == ["docs/workflow/STATUS.md"], "a page adds no catalog entry"
    assert unit.log_path == "docs/workflow/logs/components/2026-01-15_page_campaign-detail.md"
    log = check_log(host, unit)
    assert "- [x] Créer la page (`/create-page /campaigns/[id]`)" in log
    check_status_entry(host, unit)
    assert unit.coverage == {"page": 70}

    data = (host / folder / "data.ts").read_text()
    assert "export interface CampaignDetailParams {\n  id: string;\n}" in data
    assert "return `/campaigns/${encodeURIComponent(params.id)}`;" in data
    assert 'import "server-only";' in data
    code = (host / folder / "page.tsx").read_text()
    assert "params: Promise<CampaignDetailParams>;" in code
    assert "export default async function CampaignDetailPage({ params }: CampaignDetailPageProps)" in code
    assert "use client" not in code
    assert (host / folder / "error.tsx").read_text().startswith('"use client";\n'), "error boundaries are client"
    test = (host / folder / "page.test.tsx").read_text()
    assert 'describe("/campaigns/[id]", () => {' in test
    assert "expect(lastFetch(fetchMock).url).toBe(`${API}/campaigns/42`);" in test


def test_static_and_dynamic_pages_side_by_side_and_a_route_taken_twice(
    host: Path, new_unit: Any, template_src: Path
) -> None:
    listing = generate(host, new_unit, "page", "campaigns")  # route defaults to /<name>
    assert listing.answers["route"] == "/campaigns" and not listing.page.detail and not listing.page.params
    detail = generate(host, new_unit, "page", "campaign-detail", route="/campaigns/[id]")
    assert detail.page.detail
    for unit in (listing, detail):
        assert all((host / f).is_file() for f in unit.code_files)
    code = (host / "frontend/app/campaigns/page.tsx").read_text()
    assert "export default async function CampaignsPage() {" in code and "params" not in code
    assert 'return "/campaigns";' in (host / "frontend/app/campaigns/data.ts").read_text()

    message = refused_in_process(template_src, host, kind="page", name="campaigns-again", route="/campaigns")
    assert "écraserait des fichiers qui existent déjà" in message and "frontend/app/campaigns/page.tsx" in message


def test_a_feature_with_a_component_and_a_page(host: Path, new_unit: Any) -> None:
    unit = generate(host, new_unit, "feature", "lead-board", parts=["component", "page"], route="/leads/[leadId]")
    assert unit.parts == ["log", "component", "page"]
    assert "frontend/components/LeadBoard/LeadBoard.tsx" in unit.code_files
    assert "frontend/app/leads/[leadId]/page.tsx" in unit.code_files
    assert all((host / f).is_file() for f in unit.code_files)
    check_log(host, unit)
    check_status_entry(host, unit)


def test_derived_names_and_paths() -> None:
    class FakeUnit:
        name, pascal, camel = "org-campaign", "OrgCampaign", "orgCampaign"

        def __init__(self, route: str) -> None:
            self.answers = {"route": route}

    derived = page.derive(FakeUnit("/orgs/[org_id]/campaigns/[campaignId]"))
    assert derived["route_dir"] == "orgs/[org_id]/campaigns/[campaignId]"
    assert derived["params"] == ["org_id", "campaignId"]
    assert derived["api_path"] == (
        "`/orgs/${encodeURIComponent(params.org_id)}/campaigns/${encodeURIComponent(params.campaignId)}`"
    )
    assert derived["sample_api_path"] == "/orgs/org_id-1/campaigns/42"
    assert derived["encoded_api_path"] == "/orgs/org_id-1/campaigns/a%2Fb%20c"
    assert derived["detail"] is True
    listing = page.derive(FakeUnit("/orgs/[orgId]/campaigns"))
    assert listing["detail"] is False and listing["encoded_api_path"] == "/orgs/a%2Fb%20c/campaigns"


def test_updating_a_dynamic_page_keeps_its_files(host: Path, template_src: Path, tmp_path: Path) -> None:
    """`make status` (copier update, same template version) on a page whose folder is `[id]`."""
    template = tmp_path / "template"
    shutil.copytree(template_src, template)
    git(template, "init", "-q", "-b", "main")
    commit_all(template, "template")
    copier.run_copy(str(template), host, data={"kind": "page", "name": "campaign-detail", "route": "/campaigns/[id]"},
                    defaults=True, unsafe=True, quiet=True)  # fmt: skip
    commit_all(host, "page")
    answers = ".copier-answers/page_campaign-detail.yml"
    stored = yaml.safe_load((host / answers).read_text())
    unit = unit_mod.build({k: v for k, v in stored.items() if not k.startswith("_")}, template)
    before = {f: (host / f).read_bytes() for f in unit.code_files}

    copier.run_update(host, answers_file=answers, data={"status": "completed"}, defaults=True, overwrite=True,
                      unsafe=True, quiet=True, vcs_ref=copier.VcsRef.CURRENT)  # fmt: skip
    assert git(host, "ls-files", "-u") == "", "no conflict"
    assert {f: (host / f).read_bytes() for f in unit.code_files} == before
    assert "**Statut:** completed  " in (host / unit.log_path).read_text()
    untracked = git(host, "status", "--porcelain", "--untracked-files=all")
    assert all(
        line[3:].strip('"') in {unit.log_path, answers, "docs/workflow/STATUS.md"} for line in untracked.splitlines()
    ), untracked
