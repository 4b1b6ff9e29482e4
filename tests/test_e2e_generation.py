"""What the e2e browser tests are generated from: a feature's list page, and a `test` unit's target."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import yaml
from blueprint import unit as unit_mod

PAGES_TEST = "backend/tests/e2e/test_campaign_wizard_pages.py"


def answers(host: Path, kind: str, name: str) -> dict[str, Any]:
    return yaml.safe_load((host / unit_mod.answers_file(kind, name)).read_text())


def test_a_feature_s_list_page_gets_its_browser_test_an_item_page_none(host: Path, new_unit: Any) -> None:
    new_unit(host, "feature", "campaign-wizard")
    source = (host / PAGES_TEST).read_text()
    ast.parse(source)
    assert 'ROUTE = "/campaign-wizard"' in source and 'API_PATH = "/campaign-wizards"' in source
    assert '"Name": "Claire Martin",' in source, "the form's required field, typed as the page's Vitest tests do"
    assert 'page.get_by_role("button", name="Créer", exact=True).click()' in source
    assert "xfail" not in source and "NotImplementedError" not in source

    new_unit(host, "feature", "deal-desk", route="/deals/[dealId]")
    assert not (host / "backend/tests/e2e/test_deal_desk_pages.py").exists(), "no list page: no browser test"


def test_an_e2e_test_unit_drives_the_feature_it_targets(host: Path, new_unit: Any) -> None:
    new_unit(host, "feature", "campaign-wizard")
    for name, target in (("by-name", "campaign-wizard"), ("by-key", "feature/campaign-wizard"),
                         ("by-route", "/campaign-wizard")):  # fmt: skip
        new_unit(host, "test", name, test_type="e2e", target=target)
        stored = answers(host, "test", name)["e2e_target"]
        assert stored["unit"] == "feature/campaign-wizard" and stored["route"] == "/campaign-wizard", stored
        assert stored["writes"] is True and stored["fill"] == [
            {"label": "Name", "select": False, "value": "Claire Martin"}
        ]
        source = (host / f"backend/tests/e2e/test_{name.replace('-', '_')}.py").read_text()
        ast.parse(source)
        assert f"def test_{name.replace('-', '_')}(signed_in_page: Page, api: httpx.Client, artifacts: Path)" in source
        assert 'expect(page).to_have_url(re.compile(re.escape(ROUTE) + r"/\\d+$"))' in source


def test_an_e2e_test_unit_without_a_page_to_drive_tests_the_sign_in(host: Path, new_unit: Any) -> None:
    new_unit(host, "test", "smoke", test_type="e2e", target="BantService.qualify")
    assert answers(host, "test", "smoke")["e2e_target"] == {}
    source = (host / "backend/tests/e2e/test_smoke.py").read_text()
    ast.parse(source)
    assert 'TARGET = "BantService.qualify"' in source
    assert 'expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()' in source
    assert "xfail" not in source
