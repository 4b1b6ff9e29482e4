"""`make undo` keeps what a person wrote: files, and entries of STATUS.md and of reference docs (in process)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from blueprint import lifecycle
from blueprint.upsert import find_block
from helpers.hosts import commit_all

API_DOC = "docs/tech/DOC-TECH-002_API_CONTRACTS.md"
STATUS = "docs/workflow/STATUS.md"


def undo(host: Path, key: str, template_src: Path) -> str:
    out = io.StringIO()
    assert lifecycle.undo(host, key, template_src, out=out) == 0
    return out.getvalue()


def api_host(host: Path, new_unit: Any) -> Path:
    new_unit(host, "api", "campaigns", operations=["list", "get"])
    commit_all(host, "api campaigns")
    return host


def test_an_untouched_unit_goes_whole(host: Path, new_unit: Any, template_src: Path) -> None:
    api_host(host, new_unit)
    said = undo(host, "api/campaigns", template_src)
    assert find_block((host / STATUS).read_text(), "api/campaigns") is None
    assert find_block((host / API_DOC).read_text(), "api/campaigns") is None
    assert not (host / "backend/app/services/campaigns.py").exists()
    assert "Gardés" not in said and "Cassés" not in said


def test_an_edited_entry_is_kept_with_its_text_and_listed(host: Path, new_unit: Any, template_src: Path) -> None:
    api_host(host, new_unit)
    status, doc = host / STATUS, host / API_DOC
    status.write_text(status.read_text().replace("### Résumé\n", "### Résumé\nNote non commitée : à revoir.\n", 1))
    said = undo(host, "api/campaigns", template_src)

    entry = find_block(status.read_text(), "api/campaigns")
    assert entry is not None and "Note non commitée : à revoir." in entry.body
    assert f"{STATUS} (entrée api/campaigns, modifiée à la main" in said.split("Gardés")[1]
    assert find_block(doc.read_text(), "api/campaigns") is None, "the untouched entry still goes"
    assert f"{API_DOC} (entrée api/campaigns)" in said.split("Gardés")[0]


def test_an_edited_reference_doc_entry_is_kept(host: Path, new_unit: Any, template_src: Path) -> None:
    api_host(host, new_unit)
    doc = host / API_DOC
    block = find_block(doc.read_text(), "api/campaigns")
    assert block is not None
    text = doc.read_text()
    doc.write_text(text.replace(block.body, block.body + "Contrat validé avec l'équipe front.\n", 1))
    commit_all(host, "my contract note")
    said = undo(host, "api/campaigns", template_src)
    entry = find_block(doc.read_text(), "api/campaigns")
    assert entry is not None and "Contrat validé avec l'équipe front." in entry.body
    assert f"{API_DOC} (entrée api/campaigns, modifiée à la main" in said


def test_a_kept_file_that_imports_a_removed_one_is_listed_as_broken(
    host: Path, new_unit: Any, template_src: Path
) -> None:
    api_host(host, new_unit)
    test_file = host / "backend/tests/unit/test_campaigns_service.py"
    test_file.write_text(test_file.read_text() + "\n\n# My own case comes here.\n")
    said = undo(host, "api/campaigns", template_src)
    assert test_file.exists() and not (host / "backend/app/services/campaigns.py").exists()
    broken = said.split("Cassés")[1]
    assert "backend/tests/unit/test_campaigns_service.py importe" in broken
    assert "backend/app/services/campaigns.py" in broken


def test_a_file_of_the_person_that_imports_a_removed_module_is_listed_as_broken(
    host: Path, new_unit: Any, template_src: Path
) -> None:
    api_host(host, new_unit)
    mine = host / "backend/app/services/reports.py"
    mine.write_text("from app.services.campaigns import CampaignService\n")  # not committed: still seen
    said = undo(host, "api/campaigns", template_src)
    assert "Gardés" not in said
    assert "  - backend/app/services/reports.py importe backend/app/services/campaigns.py" in said.split("Cassés")[1]


def test_a_damaged_entry_stops_undo_before_anything_is_removed(
    host: Path, new_unit: Any, template_src: Path, tree_snapshot: Any
) -> None:
    api_host(host, new_unit)
    doc = host / API_DOC
    doc.write_text(doc.read_text().replace("<!-- /vectra:unit api/campaigns -->", "", 1))
    before = tree_snapshot(host)
    refused = r"DOC-TECH-002_API_CONTRACTS.md : .*n'a pas de marqueur de fin.*rien n'a été retiré"
    with pytest.raises(lifecycle.UnitError, match=refused):
        lifecycle.undo(host, "api/campaigns", template_src, out=io.StringIO())
    assert tree_snapshot(host) == before
