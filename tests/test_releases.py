"""Template releases as a host lives them: the upgrade test, the host's skeleton following the template,
`make new` and tags, a relative template path, and the Claude commands' `make new` lines run for real.

Tags are made only in temporary copies of the template, never in this repository.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from helpers.hosts import TEMPLATE_PARTS, Runtime, commit_all, git, snapshot_template

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
COPIER = str(Path(sys.executable).parent / "copier")
HOST_NAME = "upgraded-host"


def _script(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"vectra_{name}", ROOT / f"scripts/{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


demo, release = _script("demo"), _script("release")


def output(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def answers(host: Path, stem: str) -> dict[str, Any]:
    return yaml.safe_load((host / f".copier-answers/{stem}.yml").read_text(encoding="utf-8"))


def tagged_template(root: Path, where: Path, version: str) -> Path:
    """A temporary git repository of the template (what the working tree holds), tagged `version`."""
    repo = snapshot_template(root, where / "vectra-blueprints")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, f"template {version}")
    git(repo, "tag", version)
    return repo


def previous_release(root: Path, where: Path) -> tuple[Path, str]:
    """The template's previous release, tagged in a git repository of the test's own: the newest one
    releases.yml records (a clone of `root`, its tags made again from releases.yml), or, while there is
    none, the working tree tagged 1.0.0."""
    recorded = release.recorded(root)
    if not recorded:
        return tagged_template(root, where, "1.0.0"), "1.0.0"
    repo = where / "vectra-blueprints"
    where.mkdir(parents=True, exist_ok=True)
    git(where, "clone", "-q", str(root), str(repo))
    release.recreate_tags(repo)
    return repo, max(recorded, key=release.Version)


def head_on_top(root: Path, repo: Path, previous: str) -> str:
    """The working tree as the repository's next commit (nothing to do when it is the previous release
    itself); returns the version the next release will be tagged with."""
    fresh = snapshot_template(root, repo.parent / "working-tree")
    for name in TEMPLATE_PARTS:
        target = repo / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        shutil.move(fresh / name, target)
    shutil.rmtree(fresh)
    if git(repo, "status", "--porcelain"):
        commit_all(repo, "the working tree")
    version = release.Version(previous)
    return f"{version.major}.{version.minor}.{version.micro + 1}"


def conflict_markers(host: Path) -> list[str]:
    tracked = git(host, "ls-files").splitlines()
    marker = re.compile(r"^(<{7}|>{7}) ", re.M)
    return [p for p in tracked if marker.search((host / p).read_text(encoding="utf-8", errors="replace"))]


# -- the upgrade test: a host of every kind, from the previous release to HEAD -------------------------


def test_update_all_takes_a_host_of_every_kind_from_the_previous_release_to_head(
    root: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    repo, previous = previous_release(root, tmp_path)
    host = tmp_path / "host"
    copier.run_copy(str(repo), host, data={"kind": "project", "name": HOST_NAME}, defaults=True, unsafe=True,
                    quiet=True, vcs_ref=previous)  # fmt: skip
    git(host, "init", "-q", "-b", "main")
    commit_all(host, "VECTRA host")
    for kind, name, data in demo.UNITS:
        given = dict(item.split("=", 1) for item in data)
        copier.run_copy(str(repo), host, data={"kind": kind, "name": name, **given}, defaults=True, unsafe=True,
                        quiet=True, vcs_ref=previous)  # fmt: skip
        commit_all(host, f"{kind}: {name}")
    assert {a["_commit"] for a in map(yaml.safe_load, map(Path.read_text, host.glob(".copier-answers/*.yml")))} == {
        previous
    }

    # The team's edits: a host file (the Makefile), a unit's file, a shared document.
    makefile = host / "Makefile"
    makefile.write_text(makefile.read_text() + "\nstaging-smoke: ## Our own target\n\t@echo smoke-ok\n")
    regression = host / "backend/tests/regression/test_celery_startup.py"
    edit(
        regression,
        "    # Reproduce the bug",
        "    # Our analysis: the broker URL was read too early.\n    # Reproduce the bug",
    )
    status = host / "docs/workflow/STATUS.md"
    edit(status, "# VECTRA - STATUS", "# VECTRA - STATUS (équipe A)")
    commit_all(host, "the team's work")

    # HEAD (the working tree) as the next release, with changes to host files (the skeleton) and one
    # unit template.
    new = head_on_top(root, repo, previous)
    edit(repo / "template/host/Makefile", "help: ## This list\n",
         f"help: ## This list\n\t@echo 'VECTRA host (template {new})'\n")  # fmt: skip
    (repo / "template/host/docs/workflow/UPGRADE.md").write_text(f"# Nouveautés {new}\n\nUn nouveau fichier d'hôte.\n")
    edit(repo / "template/units/backend/tests/regression/test_{{ unit.snake }}.py.jinja", "import pytest\n",
         f"import pytest\n\n# Template {new}: run it alone with `pytest -k regression`.\n")  # fmt: skip
    commit_all(repo, f"template {new}")
    git(repo, "tag", new)

    done = host_runtime.make(host, "update-all")
    assert done.returncode == 0, output(done)
    lines = done.stdout.splitlines()
    assert lines[0] == f"mise à jour project/{HOST_NAME}", "the host's skeleton goes first"
    unit_keys = [f"{kind}/{name}" for kind, name, _ in demo.UNITS]
    each = [re.fullmatch(r"(?:mise à jour|à jour) (\S+)", line) for line in lines[1:-1]]
    assert sorted(m.group(1) for m in each if m) == sorted(unit_keys), output(done)
    assert lines[-1].startswith(f"L'hôte et ses {len(unit_keys)} unité(s) sont à jour")
    assert not git(host, "ls-files", "-u") and not conflict_markers(host) and not git(host, "status", "--porcelain")
    assert {a["_commit"] for a in map(yaml.safe_load, map(Path.read_text, host.glob(".copier-answers/*.yml")))} == {new}

    # Host files changed between the versions arrived; the team's edits are kept.
    text = makefile.read_text()
    assert f"\t@echo 'VECTRA host (template {new})'" in text and "staging-smoke: ## Our own target" in text
    assert (host / "docs/workflow/UPGRADE.md").is_file()
    assert f"Template {new}: run it alone" in regression.read_text()
    assert "Our analysis: the broker URL was read too early." in regression.read_text()
    assert status.read_text().startswith("# VECTRA - STATUS (équipe A)")
    said = host_runtime.make(host, "help")
    assert said.stdout.startswith(f"VECTRA host (template {new})\n"), output(said)
    assert host_runtime.make(host, "staging-smoke").stdout == "smoke-ok\n"

    # Nothing more to do, and the host's own suites still pass.
    again = host_runtime.make(host, "update-all")
    assert again.returncode == 0 and "mise à jour " not in again.stdout, output(again)
    tests = host_runtime.make(host, "test")
    assert tests.returncode == 0, output(tests)


def test_a_conflict_in_the_host_skeleton_stops_update_all_before_any_unit(
    root: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    repo = tagged_template(root, tmp_path, "1.0.0")
    host = tmp_path / "host"
    copier.run_copy(str(repo), host, data={"kind": "project", "name": HOST_NAME}, defaults=True, unsafe=True,
                    quiet=True)  # fmt: skip
    git(host, "init", "-q", "-b", "main")
    commit_all(host, "VECTRA host")
    copier.run_copy(str(repo), host, data={"kind": "fix", "name": "celery-startup"}, defaults=True, unsafe=True,
                    quiet=True)  # fmt: skip
    commit_all(host, "fix")
    edit(host / "Makefile", "help: ## This list", "help: ## OUR list")
    commit_all(host, "our Makefile")
    edit(repo / "template/host/Makefile", "help: ## This list", "help: ## THEIR list")
    commit_all(repo, "template 1.1.0")
    git(repo, "tag", "1.1.0")

    done = host_runtime.make(host, "update-all")
    assert done.returncode != 0
    assert f"CONFLITS pendant la mise à jour de project/{HOST_NAME}" in done.stdout and "    Makefile\n" in done.stdout
    assert "Pas mises à jour : fix/celery-startup" in done.stdout, output(done)
    assert answers(host, "fix_celery-startup")["_commit"] == "1.0.0"


def test_the_previous_release_is_the_newest_one_releases_yml_records(root: Path, tmp_path: Path) -> None:
    """Once the repository records releases, the upgrade test starts from the newest (its tag made
    again in a clone, as a CI clone may have none); the working tree goes on top as the next one."""
    recorder = tmp_path / "recorder"
    git(tmp_path, "clone", "-q", str(root), str(recorder))
    changelog = recorder / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## Unreleased\n\n### For hosts\n\n- x\n\n### `make update-all`\n\nSafe.\n")
    commit_all(recorder, "notes")
    release.record(recorder, "2.3.0")
    commit = release.recorded(recorder)["2.3.0"]
    git(recorder, "tag", "-d", "2.3.0")  # as a clone without tags

    repo, previous = previous_release(recorder, tmp_path / "upgrade")
    assert previous == "2.3.0" and git(repo, "rev-parse", "2.3.0^{commit}").strip() == commit
    assert head_on_top(root, repo, previous) == "2.3.1"
    assert (repo / "kinds.yml").read_bytes() == (root / "kinds.yml").read_bytes()
    assert git(repo, "show", "2.3.0:CHANGELOG.md").startswith("# Changelog\n\n## Unreleased")


# -- make new and tags ---------------------------------------------------------------------------------


def test_make_new_takes_head_while_the_template_has_no_tag_then_its_newest_tag(
    git_template: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    repo = tmp_path / "vectra-blueprints"
    shutil.copytree(git_template, repo)
    host = tmp_path / "host"
    copier.run_copy(str(repo), host, data={"kind": "project", "name": HOST_NAME}, defaults=True, unsafe=True,
                    quiet=True, vcs_ref="HEAD")  # fmt: skip
    git(host, "init", "-q", "-b", "main")
    commit_all(host, "VECTRA host")

    done = host_runtime.make(host, "new", "kind=fix", "name=no-tag-yet")
    assert done.returncode == 0, output(done)
    assert "No git tags found" not in done.stdout + done.stderr and "--vcs-ref=HEAD" in done.stdout
    assert answers(host, "fix_no-tag-yet")["_commit"] == git(repo, "describe", "--tags", "--always").strip()
    commit_all(host, "fix")

    git(repo, "tag", "1.0.0")
    edit(repo / "template/host/Makefile", "help: ## This list", "help: ## This list (after 1.0.0)")
    commit_all(repo, "after the release")  # an untagged commit: copier keeps to the newest tag
    done = host_runtime.make(host, "new", "kind=fix", "name=tagged")
    assert done.returncode == 0, output(done)
    assert "--vcs-ref=HEAD" not in done.stdout and answers(host, "fix_tagged")["_commit"] == "1.0.0"


# -- a relative template path --------------------------------------------------------------------------


def test_a_relative_template_path_is_recorded_absolute_and_the_host_updates(
    git_template: Path, tmp_path: Path, host_runtime: Runtime
) -> None:
    repo = tmp_path / "templates/vectra-blueprints"
    shutil.copytree(git_template, repo)
    work = tmp_path / "work"
    work.mkdir()
    args = [COPIER, "copy", "--trust", "--defaults", "-r", "HEAD", "../templates/vectra-blueprints", "my-host"]
    done = subprocess.run([*args, "-d", "kind=project", "-d", f"name={HOST_NAME}"], cwd=work, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, output(done)
    host = work / "my-host"
    assert answers(host, f"project_{HOST_NAME}")["_src_path"] == str(repo.resolve())
    git(host, "init", "-q", "-b", "main")
    commit_all(host, "VECTRA host")

    done = host_runtime.make(host, "new", "kind=fix", "name=from-a-relative-path")
    assert done.returncode == 0, output(done)
    assert answers(host, "fix_from-a-relative-path")["_src_path"] == str(repo.resolve())
    commit_all(host, "fix")
    for unit in (f"project/{HOST_NAME}", "fix/from-a-relative-path"):
        done = host_runtime.make(host, "update", f"unit={unit}")
        assert done.returncode == 0 and "déjà à la dernière version du template" in done.stdout, output(done)

    # A host made before the fix, with the path as typed: one message naming the file, no traceback.
    project = host / f".copier-answers/project_{HOST_NAME}.yml"
    edit(project, f"_src_path: {repo.resolve()}", "_src_path: ../templates/vectra-blueprints")
    commit_all(host, "an old host")
    done = host_runtime.make(host, "update", f"unit=project/{HOST_NAME}")
    assert done.returncode != 0 and "Traceback" not in done.stderr, output(done)
    assert f"`_src_path: ../templates/vectra-blueprints` dans .copier-answers/project_{HOST_NAME}.yml" in done.stderr
    assert "Écrivez le chemin absolu du template ou son URL git" in done.stderr


# -- the Claude commands' `make new` lines, run as written ---------------------------------------------

PLACEHOLDERS = {  # what a person (or Claude) writes in place of each <…>, per command file
    "create-endpoint": {"$ARGUMENTS": "deals"},
    "create-agent": {"$ARGUMENTS": "lead-scorer"},
    "create-component": {"$ARGUMENTS": "deal-card"},
    "create-migration": {"<description-en-kebab-case>": "add-partners", "<table>": "partners"},
    "create-page": {"<nom-kebab>": "partners-id", "$ARGUMENTS": "/partners/[partnerId]"},
    "write-test": {"<target-en-kebab-case>": "deal-service", "<type>": "unit-service", "<target>": "DealService"},
    "debug": {"<symptome-en-kebab-case>": "worker-stalls"},
}


def test_every_command_file_s_make_new_line_runs_without_a_terminal(host: Path, host_runtime: Runtime) -> None:
    commands = host / ".claude/commands"
    assert set(PLACEHOLDERS) | {"run-tests", "deploy"} == {p.stem for p in commands.glob("*.md")}
    for name, values in PLACEHOLDERS.items():
        block = re.search(r"```bash\n(.*?)```", (commands / f"{name}.md").read_text(encoding="utf-8"), re.S)
        assert block is not None, name
        line = block.group(1).replace("\\\n", " ").strip()
        for placeholder, value in values.items():
            line = line.replace(placeholder, value)
        line = re.sub(r"'<[^'>]*>'", "'Texte de test'", line)  # a sentence in place of each <…> answer
        assert "<" not in line and "$ARGUMENTS" not in line, f"{name}: {line}"
        host_runtime.attach(host)
        env = host_runtime.env(VENV=str(host_runtime.venv))
        done = subprocess.run(["bash", "-c", line], cwd=host, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=600, check=False)  # fmt: skip
        assert done.returncode == 0, f"{name}: {line}\n{output(done)}"
        commit_all(host, name)
    made = {u.split()[0] for u in host_runtime.make(host, "units").stdout.splitlines()}
    assert {"api/deals", "agent/lead-scorer", "component/deal-card", "database/add-partners",
            "page/partners-id", "test/deal-service", "fix/worker-stalls"} <= made  # fmt: skip
    assert answers(host, "database_add-partners")["table"] == "partners"
    assert answers(host, "fix_worker-stalls")["objective"] == "Texte de test"
    assert os.path.exists(host / "frontend/app/partners/[partnerId]/page.tsx")
