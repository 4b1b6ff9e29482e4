"""lifecycle.changes(): what `make update` reads from one `git status` (conflicts, a clean tree)."""

from __future__ import annotations

from pathlib import Path

from blueprint import lifecycle
from helpers.hosts import commit_all, git


def test_changes_lists_every_changed_staged_and_untracked_path(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    for name in ("kept.txt", "edited.txt", "moved.txt", "with space.txt"):
        (tmp_path / name).write_text(name)
    commit_all(tmp_path, "start")
    assert lifecycle.changes(tmp_path) == {}

    (tmp_path / "edited.txt").write_text("changed")
    git(tmp_path, "mv", "moved.txt", "renamed.txt")
    (tmp_path / "with space.txt").write_text("changed too")
    (tmp_path / "new/deeper").mkdir(parents=True)
    (tmp_path / "new/deeper/file.txt").write_text("untracked, in a new folder")
    assert lifecycle.changes(tmp_path) == {
        "edited.txt": " M",
        "renamed.txt": "R ",
        "with space.txt": " M",
        "new/deeper/file.txt": "??",
    }


def test_conflicts_are_unmerged_paths_and_files_with_markers(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.txt").write_text("base\n")
    commit_all(tmp_path, "base")
    (tmp_path / "a.txt").write_text("<<<<<<< before updating\nmine\n=======\ntheirs\n>>>>>>> after updating\n")
    (tmp_path / "b.txt").write_text("no markers\n")
    assert lifecycle.conflicts(tmp_path) == ["a.txt"]
