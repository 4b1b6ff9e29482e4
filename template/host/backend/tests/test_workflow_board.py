"""The workflow board: what it reads of answers files, STATUS.md entries and logs, and its routes.

Each test builds a small host in its own folder (answers, STATUS.md, logs as the workflow writes
them), then damages or hand-edits it the way a person might: the board shows what can be read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.config import DEFAULT_HOST_ROOT, get_settings
from app.workflow.board import load_kinds, read_board, read_log

STATUS_HEAD = "# VECTRA - STATUS\n\nSuivi de toutes les unités de travail.\n\n"


def entry(
    kind: str,
    name: str,
    label: str,
    *,
    status: str = "in_progress",
    coverage: str = "à mesurer (cible : 80%)",
    tests: str = "à vérifier",
    folder: str = "api",
    marked: bool = True,
) -> str:
    body = (
        f"## 2026-12-01 - {label} - {name}\n\n"
        f"**Statut:** {status}  \n"
        f"**Fichier log:** `logs/{folder}/2026-12-01_{kind}_{name}.md`\n\n"
        "### Résumé\nUn objectif.\n\n"
        f"### Tests\n- Coverage: {coverage}\n- Tests passent: {tests}\n"
    )
    if not marked:
        return body + "\n"
    return f"<!-- vectra:unit {kind}/{name} 0123456789ab -->\n{body}<!-- /vectra:unit {kind}/{name} -->\n\n"


def log(
    label: str, name: str, *, status: str = "in_progress", priority: str = "P1", issue: str = "-"
) -> str:
    return (
        f"# {label} - {name}\n\n**Date:** 2026-12-01  \n**Statut:** {status}  \n**Priorité:** {priority}\n\n"
        f"## Objectif\n\nUn objectif.\n\n## Références\n\n- Issue/Ticket: {issue}\n- PR: -\n"
    )


def answers(kind: str, name: str, **values: str) -> str:
    data = {
        "kind": kind,
        "name": name,
        "date": "2026-12-01",
        "priority": "P1",
        "status": "in_progress",
        **values,
    }
    return "".join(f"{key}: {value}\n" for key, value in data.items())


@pytest.fixture
def workflow_host(tmp_path: Path) -> Path:
    """A host with an api unit (measured below its target, tests failing) and a fix unit."""
    host = tmp_path / "host"
    (host / ".copier-answers").mkdir(parents=True)
    (host / "docs/workflow/logs/api").mkdir(parents=True)
    (host / "docs/workflow/logs/fixes").mkdir(parents=True)
    (host / ".copier-answers/project_demo.yml").write_text("kind: project\nname: demo\n")
    (host / ".copier-answers/api_campaigns.yml").write_text(
        answers("api", "campaigns", priority="P0", issue="'#12'")
    )
    (host / ".copier-answers/fix_celery-startup.yml").write_text(
        answers("fix", "celery-startup", status="blocked")
    )
    (host / "docs/workflow/STATUS.md").write_text(
        STATUS_HEAD
        + entry("api", "campaigns", "API Endpoint", coverage="api 62% (cible : 80%)", tests="❌")
        + entry(
            "fix",
            "celery-startup",
            "Fix/Bug",
            status="blocked",
            coverage="à mesurer (cible : -)",
            folder="fixes",
            tests="✅",
        )
    )
    (host / "docs/workflow/logs/api/2026-12-01_api_campaigns.md").write_text(
        log("API Endpoint", "campaigns")
    )
    (host / "docs/workflow/logs/fixes/2026-12-01_fix_celery-startup.md").write_text(
        log("Fix/Bug", "celery-startup")
    )
    return host


def row(host: Path, key: str):
    return next(unit for unit in read_board(host).units if unit.key == key)


def test_units_show_what_answers_entries_and_logs_record(workflow_host: Path) -> None:
    board = read_board(workflow_host)

    assert [unit.key for unit in board.units] == ["api/campaigns", "fix/celery-startup"]
    api = board.units[0]
    assert (api.label, api.status, api.priority, api.date, api.issue) == (
        "API Endpoint",
        "in_progress",
        "P0",
        "2026-12-01",
        "#12",
    )
    assert (api.coverage, api.coverage_target, api.below_target, api.tests) == (
        "api 62%",
        "80%",
        True,
        "fail",
    )
    assert api.log_path == "docs/workflow/logs/api/2026-12-01_api_campaigns.md"
    assert api.sources == ["answers", "status", "log"]
    fix = board.units[1]
    assert (fix.status, fix.tests, fix.coverage_target, fix.below_target) == (
        "blocked",
        "pass",
        None,
        False,
    )
    assert board.counts == {"in_progress": 1, "completed": 0, "blocked": 1}
    assert board.kinds["fix"] == "Fix/Bug"
    assert board.priorities == ["P0", "P1", "P2"]
    assert board.problems == []


def test_a_measure_at_or_above_its_target_does_not_stand_out(workflow_host: Path) -> None:
    status = workflow_host / "docs/workflow/STATUS.md"
    status.write_text(status.read_text().replace("api 62% (cible : 80%)", "api 80% (cible : 80%)"))
    assert row(workflow_host, "api/campaigns").below_target is False
    status.write_text(
        status.read_text().replace("api 80% (cible : 80%)", "api 79.5% (cible : 80%)")
    )
    assert row(workflow_host, "api/campaigns").below_target is True


def test_a_status_change_in_the_answers_file_shows_at_once(workflow_host: Path) -> None:
    path = workflow_host / ".copier-answers/api_campaigns.yml"
    path.write_text(path.read_text().replace("status: in_progress", "status: completed"))
    board = read_board(workflow_host)
    assert board.units[0].status == "completed"
    assert board.counts == {"in_progress": 0, "completed": 1, "blocked": 1}


def test_hand_edited_entries_and_entries_without_markers_are_read(workflow_host: Path) -> None:
    status = workflow_host / "docs/workflow/STATUS.md"
    text = status.read_text().replace(
        "- Tests passent: ❌", "- Tests passent: oui, vérifié à la main"
    )
    text = text.replace("<!-- /vectra:unit fix/celery-startup -->\n", "")  # its end marker deleted
    text += entry(
        "agent",
        "lead-scorer",
        "Agent IA",
        status="**Completed** ✅",
        coverage="agent 90% (cible : 85%)",
        folder="agents",
        marked=False,
    )
    text += "## Notes de l'équipe\n\nRien à signaler.\n"
    status.write_text(text)

    board = read_board(workflow_host)

    assert [unit.key for unit in board.units] == [
        "agent/lead-scorer",
        "api/campaigns",
        "fix/celery-startup",
    ]
    agent = board.units[0]
    assert (agent.label, agent.status, agent.coverage, agent.below_target) == (
        "Agent IA",
        "completed",
        "agent 90%",
        False,
    )
    assert agent.sources == ["status"]
    assert agent.log_path is None
    assert board.units[1].tests == "pass"
    assert board.units[2].status == "blocked"
    assert board.problems == []


def test_an_unknown_section_title_is_named_and_skipped(workflow_host: Path) -> None:
    status = workflow_host / "docs/workflow/STATUS.md"
    status.write_text(
        status.read_text() + "## 2026-12-02 - Réunion - sprint-3\n\n**Statut:** completed\n"
    )
    board = read_board(workflow_host)
    assert len(board.units) == 2
    assert board.problems == [
        "docs/workflow/STATUS.md : section « 2026-12-02 - Réunion - sprint-3 » sans type reconnu, ignorée"
    ]


def test_a_status_file_that_is_not_utf8_still_shows_every_unit(workflow_host: Path) -> None:
    status = workflow_host / "docs/workflow/STATUS.md"
    text = status.read_text().replace("❌", "non").replace("✅", "oui")
    status.write_bytes(
        text.replace("Un objectif.", "Un objectif \xe9crit en latin-1.").encode("latin-1")
    )

    board = read_board(workflow_host)

    assert [unit.key for unit in board.units] == ["api/campaigns", "fix/celery-startup"]
    assert board.units[0].coverage == "api 62%"
    assert board.problems == [
        "docs/workflow/STATUS.md n'est pas en UTF-8 : les caractères illisibles sont remplacés par �"
    ]


def test_an_answers_file_that_is_not_yaml_keeps_its_unit_from_the_other_sources(
    workflow_host: Path,
) -> None:
    (workflow_host / ".copier-answers/api_campaigns.yml").write_text(
        "kind: api\nstatus: [unclosed\n"
    )

    board = read_board(workflow_host)

    api = board.units[0]
    assert (api.key, api.status, api.priority, api.issue) == (
        "api/campaigns",
        "in_progress",
        "P1",
        None,
    )
    assert api.sources == ["status", "log"]
    assert board.problems == [
        ".copier-answers/api_campaigns.yml n'est pas du YAML valide ligne 3 : ses réponses sont ignorées"
    ]


def test_a_log_a_person_rewrote_or_renamed_is_still_found(workflow_host: Path) -> None:
    logs = workflow_host / "docs/workflow/logs"
    (logs / "api/2026-12-01_api_campaigns.md").write_text("Tout réécrit, sans aucun champ.\n")
    (logs / "fixes/2026-12-01_fix_celery-startup.md").rename(
        logs / "fixes/2026-11-30_fix_celery-startup.md"
    )
    (logs / "fixes/2026-11-28_fix_orphan-log.md").write_text(
        log("Fix/Bug", "orphan-log", status="blocked")
    )

    board = read_board(workflow_host)

    keys = [unit.key for unit in board.units]
    assert keys == ["api/campaigns", "fix/celery-startup", "fix/orphan-log"]
    rewritten = read_log(workflow_host, "api", "campaigns")
    assert rewritten is not None
    assert rewritten.content == "Tout réécrit, sans aucun champ.\n"
    assert board.units[1].log_path == "docs/workflow/logs/fixes/2026-11-30_fix_celery-startup.md"
    orphan = board.units[2]
    assert (orphan.status, orphan.date, orphan.sources) == ("blocked", "2026-12-01", ["log"])


def test_a_log_path_leading_out_of_the_logs_is_never_read(workflow_host: Path) -> None:
    (workflow_host / "secret.md").write_text("VECTRA_JWT_SECRET=x\n")
    (workflow_host / "docs/workflow/logs/fixes/2026-12-01_fix_celery-startup.md").unlink()
    (workflow_host / "docs/workflow/logs/fixes/2026-12-01_fix_linked.md").symlink_to(
        workflow_host / "secret.md"
    )
    status = workflow_host / "docs/workflow/STATUS.md"
    status.write_text(
        status.read_text().replace("logs/fixes/2026-12-01_fix_celery-startup.md", "../../secret.md")
    )

    assert row(workflow_host, "fix/celery-startup").log_path is None
    assert read_log(workflow_host, "fix", "celery-startup") is None
    assert read_log(workflow_host, "fix", "linked") is None
    assert read_log(workflow_host, "..", "secret") is None


def test_a_host_without_workflow_files_has_an_empty_board(tmp_path: Path) -> None:
    board = read_board(tmp_path)
    assert board.units == []
    assert board.problems == []
    assert board.counts == {"in_progress": 0, "completed": 0, "blocked": 0}


def test_kinds_come_from_the_rendered_kinds_json() -> None:
    kinds = load_kinds()
    assert kinds["kinds"]["api"] == {
        "label": "API Endpoint",
        "log_folder": "api",
        "coverage": {"api": 80},
    }
    assert kinds["statuses"] == ["in_progress", "completed", "blocked"]


def test_the_default_host_root_is_this_host() -> None:
    assert (DEFAULT_HOST_ROOT / "backend/app/core/config.py").is_file()
    assert (DEFAULT_HOST_ROOT / "docs/workflow/STATUS.md").is_file()


# --------------------------------------------------------------------------- routes


@pytest.fixture
def board_client(
    client: TestClient, workflow_host: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setenv("VECTRA_HOST_ROOT", str(workflow_host))
    get_settings.cache_clear()
    yield client
    get_settings.cache_clear()


def test_units_route_lists_the_board_for_a_signed_in_user(
    board_client: TestClient, headers_a: dict[str, str]
) -> None:
    response = board_client.get("/api/v1/workflow/units", headers=headers_a)
    assert response.status_code == 200
    body = response.json()
    assert [unit["key"] for unit in body["units"]] == ["api/campaigns", "fix/celery-startup"]
    assert body["units"][0]["below_target"] is True
    assert body["counts"]["blocked"] == 1


def test_log_route_returns_the_units_log(
    board_client: TestClient, headers_a: dict[str, str]
) -> None:
    response = board_client.get("/api/v1/workflow/logs/api/campaigns", headers=headers_a)
    assert response.status_code == 200
    body = response.json()
    assert body["path"] == "docs/workflow/logs/api/2026-12-01_api_campaigns.md"
    assert body["content"].startswith("# API Endpoint - campaigns\n")
    assert body["label"] == "API Endpoint"


@pytest.mark.parametrize("path", ["/api/v1/workflow/units", "/api/v1/workflow/logs/api/campaigns"])
def test_the_board_needs_a_signed_in_user(board_client: TestClient, path: str) -> None:
    assert board_client.get(path).status_code == 401
    assert board_client.get(path, headers={"Authorization": "Bearer forged"}).status_code == 401


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/api/v1/workflow/logs/api/unknown", 404),
        ("/api/v1/workflow/logs/api/..%2F..%2Fsecret", 404),
        ("/api/v1/workflow/logs/API/campaigns", 422),
        ("/api/v1/workflow/logs/api/.hidden", 422),
    ],
)
def test_the_log_route_serves_known_units_only(
    board_client: TestClient, headers_a: dict[str, str], path: str, code: int
) -> None:
    response = board_client.get(path, headers=headers_a)
    assert response.status_code == code
    assert "secret" not in response.text.replace("..%2F..%2Fsecret", "")


def test_the_board_is_read_only(
    board_client: TestClient, headers_a: dict[str, str], workflow_host: Path
) -> None:
    before = {p: p.read_bytes() for p in workflow_host.rglob("*") if p.is_file()}
    for method in ("post", "put", "patch", "delete"):
        assert (
            board_client.request(method, "/api/v1/workflow/units", headers=headers_a).status_code
            == 405
        )
    board_client.get("/api/v1/workflow/units", headers=headers_a)
    assert {p: p.read_bytes() for p in workflow_host.rglob("*") if p.is_file()} == before
