"""scripts/release.py: `make release version=X` and `make release-tags`, on throwaway git repositories."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import pytest
from helpers.hosts import commit_all, git

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("vectra_release", ROOT / "scripts/release.py")
assert _spec and _spec.loader
release = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(release)

CHANGELOG = """# Changelog

Intro.

## Unreleased

### For hosts

- `make dev` starts the worker too.

### `make update-all`

Safe: only the Makefile changes.

## 0.9.0 (2026-01-01)

### For hosts

- First.

### `make update-all`

Safe.
"""
TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "vectra-blueprints"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "CHANGELOG.md").write_text(CHANGELOG)
    (repo / "copier.yml").write_text("_subdirectory: template\n")
    release.write_recorded(repo, {})
    commit_all(repo, "template")
    return repo


def state(repo: Path) -> tuple[str, str, str, dict[str, bytes]]:
    files = {p.name: p.read_bytes() for p in repo.iterdir() if p.is_file()}
    return git(repo, "rev-parse", "HEAD"), git(repo, "tag", "--list"), git(repo, "status", "--porcelain"), files


def test_a_release_dates_its_changelog_section_tags_it_and_records_it(repo: Path) -> None:
    said = release.record(repo, "1.0.0", today=TODAY)

    tagged = git(repo, "rev-parse", "1.0.0^{commit}").strip()
    assert release.recorded(repo) == {"1.0.0": tagged}
    assert git(repo, "show", "-s", "--format=%s", tagged).strip() == "Release 1.0.0"
    assert git(repo, "rev-parse", "HEAD^").strip() == tagged, "releases.yml is committed right after the release"
    assert not git(repo, "status", "--porcelain")
    at_tag = git(repo, "show", f"{tagged}:CHANGELOG.md")
    assert "## 1.0.0 (2026-12-05)\n\n### For hosts\n\n- `make dev` starts the worker too." in at_tag
    assert at_tag.index("## Unreleased") < at_tag.index("## 1.0.0") < at_tag.index("## 0.9.0"), "newest first"
    assert "Safe: only the Makefile changes." in at_tag
    assert said.startswith("Released 1.0.0: tag 1.0.0 on ") and "git push origin 1.0.0" in said

    # The next release needs its own words: the fresh Unreleased section is empty.
    with pytest.raises(release.ReleaseError, match=r"says nothing under `### For hosts`: say what changes for hosts"):
        release.record(repo, "1.1.0")


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("banana", r"'banana' is not a PEP 440 version"),
        ("", r"'' is not a PEP 440 version"),
        ("v1.0.0", r"write the version as 1.0.0 \(PEP 440's normal form\), not 'v1.0.0'"),
        ("1.0.0-rc1", r"write the version as 1.0.0rc1"),
    ],
)
def test_a_version_that_is_not_pep_440_is_refused(repo: Path, version: str, message: str) -> None:
    before = state(repo)
    with pytest.raises(release.ReleaseError, match=message):
        release.record(repo, version)
    assert state(repo) == before


def test_a_version_not_newer_than_the_last_release_is_refused(repo: Path) -> None:
    release.record(repo, "1.0.0", today=TODAY)
    changelog = repo / "CHANGELOG.md"
    empty = "### For hosts\n\n### `make update-all`\n\n"
    changelog.write_text(
        changelog.read_text().replace(empty, "### For hosts\n\n- x\n\n### `make update-all`\n\nSafe.\n\n", 1)
    )
    commit_all(repo, "notes")
    before = state(repo)
    for older in ("1.0.0", "0.9.9", "1.0.0rc1"):
        with pytest.raises(release.ReleaseError, match=r"is not newer than the last release, 1\.0\.0"):
            release.record(repo, older)
    assert state(repo) == before
    release.record(repo, "1.0.1", today=TODAY)
    assert list(release.recorded(repo)) == ["1.0.0", "1.0.1"]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda text: text.replace("## Unreleased\n", "## Next\n"), r"has no `## Unreleased` section"),
        (lambda text: text.replace("- `make dev` starts the worker too.\n", ""), r"says nothing under `### For hosts`"),
        (lambda text: text.replace("Safe: only the Makefile changes.\n", ""),
         r"says nothing under `### `make update-all``: say whether `make update-all` is safe"),
        (lambda text: text.replace("### `make update-all`\n\nSafe: only", "Safe: only"),
         r"section has no `### `make update-all`` subsection"),
    ],
)  # fmt: skip
def test_a_changelog_that_does_not_say_what_changes_is_refused(repo: Path, spoil: Any, message: str) -> None:
    changelog = repo / "CHANGELOG.md"
    changelog.write_text(spoil(changelog.read_text()))
    commit_all(repo, "changelog")
    before = state(repo)
    with pytest.raises(release.ReleaseError, match=message):
        release.record(repo, "1.0.0")
    assert state(repo) == before


def test_uncommitted_changes_or_an_existing_tag_are_refused(repo: Path) -> None:
    (repo / "copier.yml").write_text("_subdirectory: other\n")
    before = state(repo)
    with pytest.raises(release.ReleaseError, match="uncommitted changes: commit them first"):
        release.record(repo, "1.0.0")
    assert state(repo) == before
    git(repo, "checkout", "--", "copier.yml")
    git(repo, "tag", "1.0.0")
    with pytest.raises(release.ReleaseError, match=r"the tag 1\.0\.0 already exists"):
        release.record(repo, "1.0.0")


def test_a_release_that_fails_half_way_leaves_the_repository_as_it_was(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state(repo)

    def disk_full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(release, "write_recorded", disk_full)  # after the release commit and its tag
    with pytest.raises(OSError, match="No space left"):
        release.record(repo, "1.0.0")
    assert state(repo) == before


def test_the_tags_come_back_from_releases_yml_in_a_clone_without_tags(repo: Path, tmp_path: Path) -> None:
    release.record(repo, "1.0.0", today=TODAY)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--no-tags", str(repo), str(clone))
    assert not git(clone, "tag", "--list")

    assert release.recreate_tags(clone) == "Tags: 1.0.0 created; none already there."
    assert git(clone, "rev-parse", "1.0.0^{commit}") == git(repo, "rev-parse", "1.0.0^{commit}")
    assert release.recreate_tags(clone) == "Tags: none created; 1.0.0 already there."


def test_a_wrong_tag_or_a_missing_commit_is_refused_and_no_tag_is_made(repo: Path) -> None:
    release.record(repo, "1.0.0", today=TODAY)
    git(repo, "tag", "-d", "1.0.0")
    git(repo, "tag", "1.0.0", "HEAD")  # the releases.yml commit, not the release
    with pytest.raises(release.ReleaseError, match=r"the tag 1\.0\.0 points at .*, releases\.yml says"):
        release.recreate_tags(repo)

    git(repo, "tag", "-d", "1.0.0")
    recorded = release.recorded(repo)
    release.write_recorded(repo, {**recorded, "1.1.0": "0" * 40})
    with pytest.raises(release.ReleaseError, match=r"1\.1\.0's commit 000000000000 is not in this clone"):
        release.recreate_tags(repo)
    assert not git(repo, "tag", "--list"), "all the tags or none"


def test_no_release_yet_is_said(repo: Path) -> None:
    assert release.recreate_tags(repo) == "No release recorded in releases.yml yet: nothing to tag."


def test_the_command_line_says_one_line_and_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert release.main(["--repo", str(repo), "record", "1.0"]) == 0
    assert release.main(["--repo", str(repo), "record", "1.1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: CHANGELOG.md's `## Unreleased` section says nothing under") and err.count("\n") == 1
    assert "Nothing was changed." in err and "Traceback" not in err


def test_this_repository_records_its_releases_and_its_changelog_says_what_a_release_must() -> None:
    releases = release.recorded(ROOT)
    assert all(str(release.Version(v)) == v for v in releases)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    start = changelog.index("\n## Unreleased\n")
    section = changelog[start : changelog.index("\n## ", start + 1)]
    if section.replace("### For hosts", "").replace("### `make update-all`", "").strip() != "## Unreleased":
        release.unreleased_section(changelog)  # once written, the next release's section says what it must
    for version in releases:
        assert f"\n## {version} (" in changelog, f"{version} has no section in CHANGELOG.md"
