"""`make check` on real hosts: coverage of the unit's own files, failing tests named, tsc, and the
refusal of `make status … status=completed` while the check fails."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from blueprint.upsert import find_block
from helpers.hosts import Runtime, commit_all, git

pytestmark = pytest.mark.slow


def finish_log(host: Path, pattern: str) -> Path:
    """What a person does to the log before completing: tick the steps, write the notes."""
    log = next(host.glob(pattern))
    head, steps = log.read_text().split("## Étapes Réalisées", 1)
    steps, rest = steps.split("## Fichiers", 1)
    rest = rest.replace("[À compléter]", "Le broker était lu à l'import ; il est lu au démarrage.")
    log.write_text(head + "## Étapes Réalisées" + steps.replace("- [ ] ", "- [x] ") + "## Fichiers" + rest)
    return log


def entry(host: Path, key: str) -> str:
    block = find_block((host / "docs/workflow/STATUS.md").read_text(), key)
    assert block is not None, key
    return block.body


def test_api_and_agent_coverage_is_measured_and_uncovered_lines_or_failing_tests_fail_the_check(
    host: Path, new_unit: Any, host_runtime: Runtime
) -> None:
    new_unit(host, "api", "campaigns", objective="Lister les campagnes du tenant.")
    new_unit(host, "agent", "lead-scorer", objective="Noter un lead entrant.")
    finish_log(host, "docs/workflow/logs/api/*_api_campaigns.md")
    finish_log(host, "docs/workflow/logs/agents/*_agent_lead-scorer.md")
    commit_all(host, "two units, their logs filled in")

    done = host_runtime.make(host, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    steps = (
        "log et STATUS.md",
        "tests et couverture (backend",
        "lint (ruff, mypy, tsc, ESLint), en parallèle des tests",
    )
    for step in steps:
        assert f"==> api/campaigns : {step}" in done.stdout
    assert re.search(r"^OK +api/campaigns$", done.stdout, re.M), done.stdout
    api = re.search(r"^- Coverage: api (\d+)% \(cible : 80%\)$", entry(host, "api/campaigns"), re.M)
    agent = re.search(r"^- Coverage: agent (\d+)% \(cible : 85%\)$", entry(host, "agent/lead-scorer"), re.M)
    assert api and int(api.group(1)) >= 80 and agent and int(agent.group(1)) >= 85, done.stdout
    assert git(host, "status", "--porcelain") == "", "the measures were committed (the tree was clean)"
    assert git(host, "log", "-1", "--format=%s").startswith("vectra: check")

    head = git(host, "rev-parse", "HEAD")
    service = host / "backend/app/services/campaigns.py"
    first = len(service.read_text().splitlines()) + 4  # after two blank lines and the `def`
    body = "".join(f"    total += {n}\n" for n in range(199))
    service.write_text(service.read_text() + f"\n\ndef unused_total(total: int) -> int:\n{body}    return total\n")
    tests = host / "backend/tests/unit/test_campaigns_service.py"
    tests.write_text(tests.read_text() + '\n\ndef test_broken() -> None:\n    assert 1 + 1 == 3, "arithmetic is off"\n')

    failed = host_runtime.make(host, "check", "unit=api/campaigns")
    assert failed.returncode != 0
    out = failed.stdout
    assert re.search(r"^ÉCHEC +api/campaigns$", out, re.M), out
    below = r"la couverture de la partie api est de \d+\.\d %, sous sa cible de 80 % ; lignes non couvertes :"
    assert re.search(below, out), out
    assert re.search(rf"backend/app/services/campaigns\.py : lignes (.*, )?{first}-{first + 199}$", out, re.M), out
    assert "backend: tests.unit.test_campaigns_service::test_broken" in out and "arithmetic is off" in out, out
    assert "le lint échoue" not in out, "the added code is clean: only its coverage and the test fail"
    assert "- Tests passent: ❌" in entry(host, "api/campaigns")
    assert git(host, "rev-parse", "HEAD") == head, "the tree was not clean: the measures are written, not committed"
    assert " M docs/workflow/STATUS.md" in git(host, "status", "--porcelain")


def test_a_type_error_and_a_failing_test_of_a_component_are_named(
    host: Path, new_unit: Any, host_runtime: Runtime
) -> None:
    new_unit(host, "component", "lead-card", objective="Carte d'un lead.")
    finish_log(host, "docs/workflow/logs/components/*_component_lead-card.md")
    commit_all(host, "component")
    assert host_runtime.make(host, "check", "unit=component/lead-card").returncode == 0
    assert git(host, "status", "--porcelain") == "", "the check leaves nothing behind but its committed measures"

    types = host / "frontend/components/LeadCard/types.ts"
    types.write_text(types.read_text() + '\nexport const wrong: number = "not a number";\n')
    test = host / "frontend/components/LeadCard/LeadCard.test.tsx"
    test.write_text(test.read_text() + '\nit("is broken on purpose", () => {\n  expect(1 + 1).toBe(3);\n});\n')
    failed = host_runtime.make(host, "check", "unit=component/lead-card")
    assert failed.returncode != 0
    assert "le lint échoue (tsc --noEmit) :" in failed.stdout, failed.stdout
    assert "frontend/components/LeadCard/types.ts(" in failed.stdout, failed.stdout
    assert "frontend/components/LeadCard/LeadCard.test.tsx > is broken on purpose" in failed.stdout, failed.stdout
    assert "expected 2 to be 3" in failed.stdout


REGRESSION_TEST = '''"""Regression test of fix `celery-startup`."""


def test_celery_startup_does_not_come_back() -> None:
    assert "redis://localhost".startswith("redis://")
'''


def test_status_completed_refuses_while_the_check_fails_then_passes_once_the_unit_is_finished(
    host: Path, git_template: Path, host_runtime: Runtime
) -> None:
    for name in ("celery-startup", "lead-flicker"):
        copier.run_copy(str(git_template), host, data={"kind": "fix", "name": name, "objective": "Le worker tombe."},
                        defaults=True, unsafe=True, quiet=True)  # fmt: skip
    commit_all(host, "two fixes")
    answers = host / ".copier-answers/fix_celery-startup.yml"

    refused = host_runtime.make(host, "status", "unit=fix/celery-startup", "status=completed")
    assert refused.returncode != 0
    assert "l'unité fix/celery-startup n'est pas terminée, son statut reste donc inchangé :" in refused.stderr
    assert "test_celery_startup.py:13: le test est encore provisoire (strict xfail)" in refused.stderr
    assert "étape non cochée : Corriger le code" in refused.stderr and "'[À compléter]'" in refused.stderr
    assert "make status unit=fix/celery-startup status=completed force=1" in refused.stderr
    assert "==> fix/celery-startup : tests et couverture" in refused.stdout
    assert yaml.safe_load(answers.read_text())["status"] == "in_progress"
    assert git(host, "status", "--porcelain") == "", "a refusal changes nothing"

    (host / "backend/tests/regression/test_celery_startup.py").write_text(REGRESSION_TEST)
    log = finish_log(host, "docs/workflow/logs/fixes/*_fix_celery-startup.md")
    commit_all(host, "fix written")
    checked = host_runtime.make(host, "check", "unit=fix/celery-startup")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    done = host_runtime.make(host, "status", "unit=fix/celery-startup", "status=completed")
    assert done.returncode == 0, done.stdout + done.stderr
    assert yaml.safe_load(answers.read_text())["status"] == "completed"
    text = log.read_text()
    assert "**Statut:** completed  " in text
    next_steps = text.split("## Prochaines Étapes", 1)[1]
    assert "status=completed" not in next_steps and "Aucune" in next_steps

    assert git(host, "status", "--porcelain") == "", "make status commits its own change"
    assert git(host, "log", "-1", "--format=%s").strip() == "vectra: status fix/celery-startup → completed"
    forced = host_runtime.make(host, "status", "unit=fix/lead-flicker", "status=completed", "force=1")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "==>" not in forced.stdout, "force=1 skips the check"
    assert yaml.safe_load((host / ".copier-answers/fix_lead-flicker.yml").read_text())["status"] == "completed"
