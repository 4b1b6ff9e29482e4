"""blueprint.host_files: a folder's files read once, and again as soon as one changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from blueprint import host_files


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files read from disk."""
    seen: list[str] = []
    read_text = Path.read_text

    def counting(self: Path, *args: object, **kwargs: object) -> str:
        seen.append(self.name)
        return read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counting)
    return seen


def test_files_are_read_once_until_they_change(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / "b.py").write_text("B = 1\n")
    (tmp_path / "a.py").write_text("A = 1\n")
    (tmp_path / "notes.md").write_text("not python\n")
    (tmp_path / "sub.py").mkdir()

    assert host_files.texts(tmp_path) == {tmp_path / "a.py": "A = 1\n", tmp_path / "b.py": "B = 1\n"}
    assert list(host_files.texts(tmp_path)) == [tmp_path / "a.py", tmp_path / "b.py"]  # sorted by name
    assert reads == ["a.py", "b.py"]

    (tmp_path / "a.py").write_text("A = 22\n")
    assert host_files.texts(tmp_path)[tmp_path / "a.py"] == "A = 22\n"
    assert reads == ["a.py", "b.py", "a.py"]


def test_a_same_size_change_with_the_same_time_is_seen_through_its_new_inode(tmp_path: Path) -> None:
    """Editors and our own upserts replace a file by a rename: same size, maybe the same clock tick."""
    target = tmp_path / "model.py"
    target.write_text("X = 1\n")
    stamp = target.stat().st_mtime_ns
    assert host_files.texts(tmp_path)[target] == "X = 1\n"

    replacement = tmp_path / "model.tmp"
    replacement.write_text("X = 2\n")
    os.utime(replacement, ns=(stamp, stamp))
    os.replace(replacement, target)
    assert host_files.texts(tmp_path)[target] == "X = 2\n"


def test_a_changed_time_alone_is_enough(tmp_path: Path) -> None:
    target = tmp_path / "routes.py"
    target.write_text("P = 1\n")
    assert host_files.texts(tmp_path)[target] == "P = 1\n"
    stamp = target.stat().st_mtime_ns
    with target.open("r+") as file:  # in place: same inode, same size
        file.write("P = 2\n")
    os.utime(target, ns=(stamp + 1_000_000, stamp + 1_000_000))
    assert host_files.texts(tmp_path)[target] == "P = 2\n"


def test_missing_folders_and_unreadable_files_give_nothing(tmp_path: Path) -> None:
    assert host_files.texts(tmp_path / "absent") == {}
    (tmp_path / "latin1.py").write_bytes("É = 1\n".encode("latin-1"))
    (tmp_path / "ok.py").write_text("OK = 1\n")
    assert host_files.texts(tmp_path) == {tmp_path / "ok.py": "OK = 1\n"}
