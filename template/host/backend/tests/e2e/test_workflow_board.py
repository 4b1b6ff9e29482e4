"""The workflow board (/workflow) in a real browser: a unit's status change shows, the filters work,
the log opens. A screenshot of the board is kept in the test's artifacts folder (tableau.png).

`make test-e2e` points the API at a copy of the host's workflow files (VECTRA_E2E_BOARD_ROOT): these
tests add their own units to that copy and change them as `make status` does (answers file, STATUS.md
entry, log), never touching the host.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.settings import E2ESettings

STATUS_FILE = "docs/workflow/STATUS.md"
LABELS = {"in_progress": "En cours", "completed": "Terminé", "blocked": "Bloqué"}


@dataclass(frozen=True)
class ScratchUnit:
    """A fix unit written into the board's copy, as `make new` writes one."""

    root: Path
    name: str
    date: str = "2026-01-15"

    @property
    def key(self) -> str:
        return f"fix/{self.name}"

    @property
    def answers(self) -> Path:
        return self.root / f".copier-answers/fix_{self.name}.yml"

    @property
    def log(self) -> Path:
        return self.root / f"docs/workflow/logs/fixes/{self.date}_fix_{self.name}.md"

    def write(self, status: str) -> None:
        self.answers.parent.mkdir(parents=True, exist_ok=True)
        self.answers.write_text(
            f"kind: fix\nname: {self.name}\ndate: '{self.date}'\npriority: P0\nstatus: {status}\n"
            "issue: '#77'\n",
            encoding="utf-8",
        )
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.log.write_text(
            f"# Fix/Bug - {self.name}\n\n**Date:** {self.date}  \n**Statut:** {status}  \n"
            "**Priorité:** P0\n\n## Objectif\n\nLe worker ne démarre pas.\n\n## Étapes Réalisées\n\n"
            "- [x] Identifier le problème\n- [ ] Corriger le code\n",
            encoding="utf-8",
        )
        status_file = self.root / STATUS_FILE
        status_file.parent.mkdir(parents=True, exist_ok=True)
        text = (
            status_file.read_text(encoding="utf-8")
            if status_file.exists()
            else "# VECTRA - STATUS\n\n"
        )
        status_file.write_text(
            text + f"<!-- vectra:unit {self.key} -->\n## {self.date} - Fix/Bug - {self.name}\n\n"
            f"**Statut:** {status}  \n**Fichier log:** `logs/fixes/{self.log.name}`\n\n"
            "### Tests\n- Coverage: à mesurer (cible : -)\n- Tests passent: à vérifier\n"
            f"<!-- /vectra:unit {self.key} -->\n",
            encoding="utf-8",
        )

    def set_status(self, status: str) -> None:
        """What `make status` changes: the answer, the log's and the entry's « Statut » lines."""
        self.answers.write_text(
            re.sub(
                r"^status: .*$",
                f"status: {status}",
                self.answers.read_text(encoding="utf-8"),
                flags=re.M,
            ),
            encoding="utf-8",
        )
        self.log.write_text(
            re.sub(
                r"^\*\*Statut:\*\* \S+",
                f"**Statut:** {status}",
                self.log.read_text(encoding="utf-8"),
                flags=re.M,
            ),
            encoding="utf-8",
        )
        status_file = self.root / STATUS_FILE
        text = status_file.read_text(encoding="utf-8")
        start = text.index(f"<!-- vectra:unit {self.key} -->")
        end = text.index(f"<!-- /vectra:unit {self.key} -->")
        entry = re.sub(
            r"^\*\*Statut:\*\* \S+", f"**Statut:** {status}", text[start:end], flags=re.M
        )
        status_file.write_text(text[:start] + entry + text[end:], encoding="utf-8")


NewUnit = Callable[[str], ScratchUnit]


@pytest.fixture
def board_root(e2e_settings: E2ESettings) -> Path:
    if e2e_settings.board_root is None:
        pytest.skip(
            "VECTRA_E2E_BOARD_ROOT n'est pas défini : lancez `make test-e2e` (ces tests changent des "
            "unités dans une copie des fichiers du workflow, jamais dans l'hôte)."
        )
    return e2e_settings.board_root


@pytest.fixture
def new_unit(board_root: Path) -> Iterator[NewUnit]:
    """A unit of this test alone in the board's copy (removed afterwards)."""
    units: list[ScratchUnit] = []

    def make(status: str = "in_progress") -> ScratchUnit:
        unit = ScratchUnit(board_root, f"e2e-{secrets.token_hex(4)}")
        unit.write(status)
        units.append(unit)
        return unit

    yield make
    status_file = board_root / STATUS_FILE
    for unit in units:
        unit.answers.unlink(missing_ok=True)
        unit.log.unlink(missing_ok=True)
        text = status_file.read_text(encoding="utf-8")
        start = text.index(f"<!-- vectra:unit {unit.key} -->")
        end_marker = f"<!-- /vectra:unit {unit.key} -->\n"
        status_file.write_text(
            text[:start] + text[text.index(end_marker) + len(end_marker) :], encoding="utf-8"
        )


def row(page: Page, unit: ScratchUnit) -> Locator:
    return page.locator(f'tr[data-unit="{unit.key}"]')


def count(page: Page, status: str) -> int:
    text = (
        page.get_by_role("list", name="Unités par statut")
        .get_by_role("link", name=LABELS[status])
        .inner_text()
    )
    return int(text.rsplit(":", 1)[1])


def test_a_status_change_shows_on_the_board(
    signed_in_page: Page, new_unit, artifacts: Path
) -> None:
    page = signed_in_page
    unit = new_unit("in_progress")

    page.goto("/workflow")
    expect(page.get_by_role("heading", name="Suivi du workflow")).to_be_visible()
    expect(row(page, unit).get_by_role("cell").nth(2)).to_have_text("En cours")
    expect(row(page, unit)).not_to_have_attribute("data-attention", "true")
    blocked_before = count(page, "blocked")

    unit.set_status("blocked")
    page.reload()

    expect(row(page, unit).get_by_role("cell").nth(2)).to_have_text("⛔ Bloqué")
    expect(row(page, unit)).to_have_attribute("data-attention", "true")
    expect(row(page, unit).get_by_role("cell").nth(7)).to_have_text("Issue #77")
    assert count(page, "blocked") == blocked_before + 1
    page.screenshot(path=artifacts / "tableau.png", full_page=True)


def test_the_status_filter_keeps_only_that_status(signed_in_page: Page, new_unit: NewUnit) -> None:
    page = signed_in_page
    blocked, running = new_unit("blocked"), new_unit("in_progress")

    page.goto("/workflow")
    expect(row(page, running)).to_be_visible()
    page.get_by_role("combobox", name="Statut").select_option("blocked")
    page.get_by_role("button", name="Filtrer").click()

    expect(page).to_have_url(re.compile(r"/workflow\?(.*&)?status=blocked"))
    expect(row(page, blocked)).to_be_visible()
    expect(row(page, running)).to_have_count(0)
    statuses = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.status)")
    assert statuses
    assert set(statuses) == {"blocked"}


def test_the_log_link_opens_the_units_log(signed_in_page: Page, new_unit: NewUnit) -> None:
    page = signed_in_page
    unit = new_unit("in_progress")

    page.goto("/workflow")
    row(page, unit).get_by_role("link", name="Journal").click()

    expect(page).to_have_url(re.compile(rf"/workflow/logs/fix/{unit.name}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Journal · Fix/Bug · {unit.name}")
    expect(page.get_by_role("checkbox", name="fait")).to_be_checked()
    expect(page.get_by_text("Le worker ne démarre pas.")).to_be_visible()
