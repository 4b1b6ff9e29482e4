"""The shared-file upsert: idempotent, atomic, and every foreign byte kept."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest
from blueprint import upsert
from hypothesis import given, settings
from hypothesis import strategies as st

BODY = "## 2026-01-15 - Fix/Bug - x\n\n**Statut:** in_progress  \n\n### Résumé\nbody\n"
# Arbitrary text, CRLF, look-alike headings and other units' markers, with or without a final newline.
_pieces = st.text(alphabet=st.characters(blacklist_categories=["Cs"])) | st.sampled_from(
    ["\r\n", "\n", "## 2026-01-15 - Fix/Bug - x\n", "<!-- vectra:unit fix/y -->", "<!-- vectra:unit fix/x"]
)
surrounding = st.lists(_pieces, max_size=8).map("".join)


@given(before=surrounding, after=surrounding)
@settings(max_examples=200)
def test_foreign_bytes_are_kept_and_the_upsert_is_idempotent(before: str, after: str) -> None:
    text = before + after
    new, action = upsert.upsert_text(text, "fix/x", BODY)
    assert action == "added"
    assert new.startswith(text)
    again, action = upsert.upsert_text(new, "fix/x", BODY)
    assert (again, action) == (new, "unchanged")
    changed, action = upsert.upsert_text(new, "fix/x", BODY.replace("in_progress", "completed"))
    assert action == "replaced"
    assert changed.startswith(text) and "**Statut:** completed" in changed


@given(before=surrounding, after=surrounding)
@settings(max_examples=200)
def test_an_entry_between_foreign_text_is_replaced_in_place(before: str, after: str) -> None:
    block = upsert.render_block("fix/x", BODY, "\n")
    text = before + ("\n" if before and not before.endswith("\n") else "") + block + after
    new, _ = upsert.upsert_text(text, "fix/x", BODY.replace("body", "new body"))
    start = text.index(block)
    assert new[:start] == text[:start]
    assert new.endswith(after)
    assert "new body" in new


def test_crlf_files_get_crlf_entries_and_no_final_newline_is_kept() -> None:
    text = "# STATUS\r\n\r\nintro"
    new, _ = upsert.upsert_text(text, "fix/x", BODY)
    assert new.startswith(text) and "\r\n<!-- /vectra:unit fix/x -->\r\n" in new
    assert "\n" not in new.replace("\r\n", "")


def test_a_hand_edited_entry_keeps_its_text_and_gets_its_status_refreshed() -> None:
    new, _ = upsert.upsert_text("", "fix/x", BODY)
    edited = new.replace("body", "body, with my notes")
    refreshed, action = upsert.upsert_text(edited, "fix/x", BODY.replace("in_progress", "completed"), ("**Statut:**",))
    assert action == "refreshed"
    assert "body, with my notes" in refreshed and "**Statut:** completed  " in refreshed


def test_look_alike_headings_and_other_units_are_not_touched() -> None:
    text = "## 2026-01-15 - Fix/Bug - x\n(hand-written, no markers)\n" + upsert.render_block("fix/y", BODY, "\n")
    new, action = upsert.upsert_text(text, "fix/x", BODY)
    assert action == "added" and new.startswith(text)


def test_ambiguous_or_broken_entries_are_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    block = upsert.render_block("fix/x", BODY, "\n")
    for broken in (block + block, block.replace("<!-- /vectra:unit fix/x -->", "")):
        path.write_text(broken)
        with pytest.raises(upsert.UpsertError):
            upsert.upsert_file(path, "fix/x", BODY)
        assert path.read_text() == broken


def test_deleted_entry_comes_back_and_remove_restores_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    path.write_text("# STATUS\n")
    assert upsert.upsert_file(path, "fix/x", BODY) == "added"
    assert upsert.remove_from_file(path, "fix/x")
    assert path.read_text() == "# STATUS\n"
    assert upsert.upsert_file(path, "fix/x", BODY) == "added"


def test_write_is_atomic_no_temp_file_left(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("x\n")
    path.chmod(0o640)
    upsert.upsert_file(path, "fix/x", BODY)
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]
    assert path.stat().st_mode & 0o777 == 0o640


# -- where the block goes and how it is separated from the person's text ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "sep"),
    [
        ("", ""),  # an empty file starts with the block
        ("intro", "\n\n"),  # no final newline: one, then a blank line
        ("intro\n", "\n"),  # a final newline: a blank line
        ("intro\n\n", ""),  # a blank line already there
        ("intro\r\n\r\n", ""),
        ("intro\r\n", "\r\n"),
    ],
)
def test_a_new_block_is_separated_from_the_text_before_by_one_blank_line(text: str, sep: str) -> None:
    newline = "\r\n" if "\r\n" in text else "\n"
    new, action = upsert.upsert_text(text, "fix/x", BODY)
    assert (new, action) == (text + sep + upsert.render_block("fix/x", BODY, newline), "added")


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("a\r\nb\r\n", "\r\n"),
        ("a\r\nb\n", "\r\n"),  # as many CRLF as LF: CRLF
        ("a\r\nb\nc\n", "\n"),  # more LF than CRLF: LF
        ("a\nb\n", "\n"),
        ("no newline at all", "\n"),
    ],
)
def test_the_block_takes_the_files_dominant_line_ending(text: str, newline: str) -> None:
    new, _ = upsert.upsert_text(text, "fix/x", BODY)
    assert new.endswith(upsert.render_block("fix/x", BODY, newline))


def test_render_block_strips_only_blank_lines_around_the_body() -> None:
    body = "\n\n  Xavier's notes  \nlast line  X\n\n"
    block = upsert.render_block("fix/x", body, "\r\n")
    kept = "  Xavier's notes  \nlast line  X\n"
    assert block == (
        f"<!-- vectra:unit fix/x {upsert.digest(kept)} -->\r\n  Xavier's notes  \r\nlast line  X\r\n"
        "<!-- /vectra:unit fix/x -->\r\n"
    )


def test_a_replaced_block_at_the_end_of_a_file_without_final_newline_keeps_none() -> None:
    text = "# STATUS\n\n" + upsert.render_block("fix/x", BODY, "\n").rstrip("\n")
    new, action = upsert.upsert_text(text, "fix/x", BODY.replace("body", "new body"))
    assert action == "replaced"
    assert new == "# STATUS\n\n" + upsert.render_block("fix/x", BODY.replace("body", "new body"), "\n").rstrip("\n")


def test_a_stray_end_marker_before_the_block_is_foreign_text() -> None:
    stray = "<!-- /vectra:unit fix/x -->\n(a copy pasted above)\n\n"
    text = stray + upsert.render_block("fix/x", BODY, "\n")
    new, action = upsert.upsert_text(text, "fix/x", BODY.replace("body", "new body"))
    assert (new, action) == (stray + upsert.render_block("fix/x", BODY.replace("body", "new body"), "\n"), "replaced")


# -- refusals ---------------------------------------------------------------------------------------------------------


def test_refusals_say_what_is_wrong_and_how_to_repair_it(tmp_path: Path) -> None:
    block = upsert.render_block("fix/x", BODY, "\n")
    with pytest.raises(upsert.UpsertError, match=r"^l'entrée de fix/x apparaît 2 fois ; gardez-en une et réessayez$"):
        upsert.upsert_text(block + block, "fix/x", BODY)
    unterminated = "^l'entrée de fix/x n'a pas de marqueur de fin `<!-- /vectra:unit fix/x -->`$"
    with pytest.raises(upsert.UpsertError, match=unterminated):
        upsert.upsert_text(block.replace("<!-- /vectra:unit fix/x -->\n", "more\n"), "fix/x", BODY)
    # The start marker on the last line, without a newline after it.
    with pytest.raises(upsert.UpsertError, match=unterminated):
        upsert.upsert_text("# STATUS\n" + block.splitlines()[0], "fix/x", BODY)
    path = tmp_path / "STATUS.md"
    path.write_bytes(b"# STATUS \xe9t\xe9\n")
    with pytest.raises(
        upsert.UpsertError,
        match=rf"^{re.escape(str(path))} n'est pas un texte UTF-8 ; il n'a pas été modifié : "
        "enregistrez-le en UTF-8 et réessayez$",
    ):
        upsert.upsert_file(path, "fix/x", BODY)
    assert path.read_bytes() == b"# STATUS \xe9t\xe9\n"


# -- a hand-edited entry ----------------------------------------------------------------------------------------------

REFRESH = ("**Statut:**",)


def hand_edited(newline: str = "\n") -> str:
    block = upsert.render_block("fix/x", BODY, newline)
    return "# STATUS" + newline + newline + block.replace("body", "my own words")


def test_a_hand_edited_entry_is_kept_line_for_line_and_only_its_status_refreshed() -> None:
    text = hand_edited()
    new, action = upsert.upsert_text(text, "fix/x", BODY.replace("in_progress", "completed"), REFRESH)
    assert action == "refreshed"
    assert new == text.replace("**Statut:** in_progress", "**Statut:** completed")


def test_a_hand_edited_crlf_entry_stays_crlf() -> None:
    text = hand_edited("\r\n")
    new, action = upsert.upsert_text(text, "fix/x", BODY.replace("in_progress", "completed"), REFRESH)
    assert action == "refreshed"
    assert new == text.replace("**Statut:** in_progress", "**Statut:** completed")


def test_a_hand_edited_entry_without_a_status_line_keeps_it_out() -> None:
    text = hand_edited().replace("**Statut:** in_progress  \n", "")
    new, action = upsert.upsert_text(text, "fix/x", BODY.replace("in_progress", "completed"), REFRESH)
    assert (new, action) == (text, "unchanged")


def test_an_entry_a_person_emptied_stays_empty() -> None:
    text = "# STATUS\n\n<!-- vectra:unit fix/x 000000000000 -->\n<!-- /vectra:unit fix/x -->\n"
    assert upsert.upsert_text(text, "fix/x", BODY, REFRESH) == (text, "unchanged")


def test_an_entry_whose_markers_a_person_wrote_is_refreshed_and_still_found(tmp_path: Path) -> None:
    # The start marker's digest is optional: without it, the entry is the person's (never replaced whole).
    text = (
        "# STATUS\n\n<!-- vectra:unit fix/x -->\nmy own words\n**Statut:** in_progress  \n<!-- /vectra:unit fix/x -->\n"
    )
    new, action = upsert.upsert_text(text, "fix/x", BODY.replace("in_progress", "completed"), REFRESH)
    assert (new, action) == (text.replace("in_progress", "completed"), "refreshed")
    assert upsert.upsert_text(new, "fix/x", BODY.replace("in_progress", "completed"), REFRESH) == (new, "unchanged")
    path = tmp_path / "STATUS.md"
    path.write_text(new)
    assert upsert.set_lines(path, "fix/x", {"**Statut:**": "**Statut:** blocked"})
    assert path.read_text() == text.replace("in_progress  ", "blocked")


# -- lines another command owns (the completion check's measures) -----------------------------------------------------

KEEP = ("- Coverage:",)
MEASURED_BODY = BODY + "- Coverage: à mesurer\n"


def test_a_re_render_keeps_the_measured_lines_of_an_entry(tmp_path: Path) -> None:
    path = tmp_path / "docs" / "workflow" / "STATUS.md"  # folders made on the way
    assert upsert.upsert_file(path, "fix/x", MEASURED_BODY, REFRESH, KEEP) == "added"
    assert upsert.set_lines(path, "fix/x", {"- Coverage:": "- Coverage: 83%"})
    changed = MEASURED_BODY.replace("body", "new body")
    assert upsert.upsert_file(path, "fix/x", changed, REFRESH, KEEP) == "replaced"
    assert path.read_text() == upsert.render_block("fix/x", changed.replace("à mesurer", "83%"), "\n")


def test_a_measured_line_the_new_body_no_longer_has_is_not_brought_back() -> None:
    text = upsert.render_block("fix/x", MEASURED_BODY.replace("à mesurer", "83%"), "\n")
    new, action = upsert.upsert_text(text, "fix/x", BODY, REFRESH, KEEP)
    assert (new, action) == (upsert.render_block("fix/x", BODY, "\n"), "replaced")


# -- files: written only when something changed, atomically, with their mode -----------------------------------------


def test_a_new_file_is_created_with_the_entry_and_mode_644(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    assert upsert.upsert_file(path, "fix/x", BODY) == "added"
    assert path.read_text() == upsert.render_block("fix/x", BODY, "\n")
    assert path.stat().st_mode & 0o777 == 0o644


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    upsert.upsert_file(path, "fix/x", BODY)
    inode = path.stat().st_ino
    assert upsert.upsert_file(path, "fix/x", BODY) == "unchanged"
    assert not upsert.remove_from_file(path, "fix/y")
    assert not upsert.set_lines(path, "fix/y", {"**Statut:**": "**Statut:** completed"})
    assert upsert.set_lines(path, "fix/x", {"**Statut:**": "**Statut:** in_progress  "})  # already so
    assert path.stat().st_ino == inode  # a rewrite renames a new file over it


def test_the_write_goes_through_a_hidden_temp_file_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "STATUS.md"
    renamed: list[tuple[Path, Path]] = []
    replace = upsert.os.replace
    monkeypatch.setattr(
        upsert.os, "replace", lambda src, dst: (renamed.append((Path(src), Path(dst))), replace(src, dst))
    )
    upsert.upsert_file(path, "fix/x", BODY)
    [(tmp, target)] = renamed
    assert target == path and tmp.parent == path.parent
    assert tmp.name.startswith(".STATUS.md.") and tmp.name.endswith(".tmp")


def test_a_failed_write_leaves_the_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "STATUS.md"
    path.write_text("# STATUS\n")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(upsert.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        upsert.upsert_file(path, "fix/x", BODY)
    assert [p.name for p in tmp_path.iterdir()] == ["STATUS.md"]
    assert path.read_text() == "# STATUS\n"


# -- remove ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_remove_restores_the_bytes_before_the_entry_was_added(newline: str) -> None:
    text = f"# STATUS{newline}{newline}notes{newline}"
    added, _ = upsert.upsert_text(text, "fix/x", BODY)
    after = added + f"{newline}<!-- a person's comment -->{newline}"
    assert upsert.remove_text(after, "fix/x") == (text + f"{newline}<!-- a person's comment -->{newline}", True)
    assert upsert.remove_text(added, "fix/x") == (text, True)


def test_removing_an_entry_that_is_not_there_leaves_the_file_alone(tmp_path: Path) -> None:
    text = "# STATUS\n\n" + upsert.render_block("fix/y", BODY, "\n")
    assert upsert.remove_text(text, "fix/x") == (text, False)
    path = tmp_path / "STATUS.md"
    assert not upsert.remove_from_file(path, "fix/x")
    assert not path.exists()


# -- set_lines: the completion check writes its measures --------------------------------------------------------------


def test_set_lines_on_an_untouched_entry_keeps_it_ours_to_replace(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    path.write_bytes(b"# STATUS\r\n\r\n")
    upsert.upsert_file(path, "fix/x", MEASURED_BODY)
    assert upsert.set_lines(path, "fix/x", {"- Coverage:": "- Coverage: 83%", "**Statut:**": "**Statut:** done"})
    measured = MEASURED_BODY.replace("à mesurer", "83%").replace("**Statut:** in_progress  ", "**Statut:** done")
    assert path.read_bytes().decode() == "# STATUS\r\n\r\n" + upsert.render_block("fix/x", measured, "\r\n")
    # Its digest followed: the next update replaces it whole.
    assert upsert.upsert_file(path, "fix/x", BODY) == "replaced"


def test_set_lines_on_a_hand_edited_entry_keeps_it_the_persons(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    text = hand_edited("\r\n").replace("body", "body\r\n- Coverage: à mesurer")
    path.write_bytes(text.encode())
    assert upsert.set_lines(path, "fix/x", {"- Coverage:": "- Coverage: 83%"})
    assert path.read_bytes().decode() == text.replace("à mesurer", "83%")
    # Still the person's: an update refreshes its status only.
    assert upsert.upsert_file(path, "fix/x", BODY.replace("in_progress", "completed"), REFRESH) == "refreshed"
    assert "my own words" in path.read_text()


def test_an_entry_written_before_the_measured_lines_existed_gets_them() -> None:
    text = upsert.render_block("fix/x", BODY, "\n")
    assert upsert.upsert_text(text, "fix/x", MEASURED_BODY, REFRESH, KEEP) == (
        upsert.render_block("fix/x", MEASURED_BODY, "\n"),
        "replaced",
    )


def test_a_hand_edited_entry_keeps_its_status_line_when_the_new_body_has_none() -> None:
    text = hand_edited()
    assert upsert.upsert_text(text, "fix/x", BODY.replace("**Statut:** in_progress  \n", ""), REFRESH) == (
        text,
        "unchanged",
    )


# -- an end marker without its start ----------------------------------------------------------------------------------

ORPHAN = (
    "^l'entrée de fix/x a perdu son marqueur de début `<!-- vectra:unit fix/x -->` \\(son marqueur de fin est toujours "
    "là\\) : remettez la ligne de début au-dessus de l'entrée, ou supprimez l'entrée en entier, et réessayez$"
)


def test_an_orphan_end_marker_is_refused_where_an_entry_would_be_added(tmp_path: Path) -> None:
    # The start line deleted by hand, the end marker on a later line: adding would leave two entries.
    text = "# STATUS\n\n## 2026-01-15 - Fix/Bug - x\nbody\n<!-- /vectra:unit fix/x -->\n"
    with pytest.raises(upsert.UpsertError, match=ORPHAN):
        upsert.upsert_text(text, "fix/x", BODY)
    path = tmp_path / "STATUS.md"
    path.write_text(text)
    with pytest.raises(upsert.UpsertError, match=ORPHAN):
        upsert.upsert_file(path, "fix/x", BODY)
    assert path.read_text() == text
    # Another unit's end marker, or the marker quoted inside a line, is foreign text.
    for foreign in ("<!-- /vectra:unit fix/y -->\n", "see `<!-- /vectra:unit fix/x -->`\n"):
        assert upsert.upsert_text(foreign, "fix/x", BODY)[1] == "added"


# -- check_writable: refused before anything is written ---------------------------------------------------------------


def as_owner(monkeypatch: pytest.MonkeyPatch) -> None:
    """os.access as for a non-root owner (the suite may run as root, which may write anything)."""
    monkeypatch.setattr(upsert.os, "access", lambda p, mode: (os.stat(p).st_mode >> 6) & mode == mode)


def test_check_writable_takes_a_missing_file_a_new_folder_and_a_sound_entry(tmp_path: Path) -> None:
    upsert.check_writable(tmp_path / "STATUS.md", "fix/x")
    upsert.check_writable(tmp_path / "docs" / "workflow" / "STATUS.md", "fix/x")
    assert list(tmp_path.iterdir()) == []  # nothing written, no folder made
    path = tmp_path / "STATUS.md"
    # A sound entry beside a stray end marker pasted above it: the upsert replaces the entry.
    text = "<!-- /vectra:unit fix/x -->\n\n" + upsert.render_block("fix/x", BODY, "\n")
    path.write_text(text)
    upsert.check_writable(path, "fix/x")
    assert path.read_text() == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"# STATUS \xe9t\xe9\n",
            "{path} n'est pas un texte UTF-8 ; il n'a pas été modifié : enregistrez-le en UTF-8 et réessayez",
        ),
        (
            (upsert.render_block("fix/x", BODY, "\n") * 2).encode(),
            "l'entrée de fix/x apparaît 2 fois ; gardez-en une et réessayez",
        ),
        (
            upsert.render_block("fix/x", BODY, "\n").replace("<!-- /vectra:unit fix/x -->\n", "").encode(),
            "l'entrée de fix/x n'a pas de marqueur de fin `<!-- /vectra:unit fix/x -->`",
        ),
        (b"# STATUS\n\nbody\n<!-- /vectra:unit fix/x -->\n", None),
    ],
    ids=["not-utf8", "twice", "unterminated", "orphan-end"],
)
def test_check_writable_refuses_a_damaged_file_and_leaves_it_byte_identical(
    tmp_path: Path, data: bytes, message: str | None
) -> None:
    path = tmp_path / "STATUS.md"
    path.write_bytes(data)
    pattern = ORPHAN if message is None else "^" + re.escape(message.format(path=path)) + "$"
    with pytest.raises(upsert.UpsertError, match=pattern):
        upsert.check_writable(path, "fix/x")
    assert path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["STATUS.md"]


def test_check_writable_refuses_what_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "STATUS.md"
    folder.mkdir()
    with pytest.raises(
        upsert.UpsertError,
        match=rf"^{re.escape(str(folder))} est illisible \(Is a directory\) ; il n'a pas été modifié$",
    ):
        upsert.check_writable(folder, "fix/x")
    device = tmp_path / "DOC.md"
    device.symlink_to("/dev/null")  # reads as an empty text, but no file to rename over
    with pytest.raises(
        upsert.UpsertError, match=rf"^{re.escape(str(device))} n'est pas un fichier ; déplacez-le et réessayez$"
    ):
        upsert.check_writable(device, "fix/x")


def test_check_writable_refuses_a_read_only_file_or_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_owner(monkeypatch)
    path = tmp_path / "docs" / "STATUS.md"
    path.parent.mkdir()
    path.write_text("# STATUS\n")
    upsert.check_writable(path, "fix/x")
    refused = (
        rf"^{re.escape(str(path))} ne peut pas être écrit \(permissions\) ; rendez-le accessible en écriture et "
        "réessayez$"
    )
    path.chmod(0o444)
    with pytest.raises(upsert.UpsertError, match=refused):
        upsert.check_writable(path, "fix/x")
    path.chmod(0o644)
    path.parent.chmod(0o555)  # the file writable, but no temp file can be renamed into its folder
    try:
        with pytest.raises(upsert.UpsertError, match=refused):
            upsert.check_writable(path, "fix/x")
        # A file still to make, in folders still to make: the nearest folder that exists decides.
        deep = path.parent / "a" / "b.md"
        with pytest.raises(upsert.UpsertError, match=rf"^{re.escape(str(deep))} ne peut pas être écrit"):
            upsert.check_writable(deep, "fix/x")
        path.parent.chmod(0o666)  # writable but not searchable: nothing can be made in it either
        with pytest.raises(upsert.UpsertError, match=rf"^{re.escape(str(deep))} ne peut pas être écrit"):
            upsert.check_writable(deep, "fix/x")
    finally:
        path.parent.chmod(0o755)
    upsert.check_writable(path.parent / "a" / "b.md", "fix/x")
    assert path.read_text() == "# STATUS\n"


# -- entry_state and remove_unedited (a unit removed: its entries go unless a person edited them) --------------------


def test_remove_unedited_removes_an_entry_as_we_wrote_it(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    path.write_bytes(b"# STATUS\r\n\r\nnotes\r\n")
    upsert.upsert_file(path, "fix/x", BODY)
    upsert.upsert_file(path, "fix/y", BODY)
    assert (upsert.entry_state(path, "fix/x"), upsert.entry_state(path, "fix/z")) == ("ours", "absent")
    assert upsert.remove_unedited(path, "fix/x") == "removed"
    assert path.read_bytes().decode() == "# STATUS\r\n\r\nnotes\r\n\r\n" + upsert.render_block("fix/y", BODY, "\r\n")
    assert upsert.entry_state(path, "fix/x") == "absent"
    assert upsert.remove_unedited(path, "fix/x") == "absent"
    missing = tmp_path / "NONE.md"
    assert (upsert.entry_state(missing, "fix/x"), upsert.remove_unedited(missing, "fix/x")) == ("absent", "absent")
    assert not missing.exists()


def test_remove_unedited_keeps_an_edited_entry_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    text = hand_edited()
    path.write_text(text)
    inode = path.stat().st_ino
    assert upsert.entry_state(path, "fix/x") == "edited"
    assert upsert.remove_unedited(path, "fix/x") == "edited"
    assert path.read_text() == text and path.stat().st_ino == inode
    # Markers a person wrote (no digest): theirs too.
    path.write_text("<!-- vectra:unit fix/x -->\nmine\n<!-- /vectra:unit fix/x -->\n")
    assert upsert.remove_unedited(path, "fix/x") == "edited"


def test_entry_state_refuses_a_damaged_entry(tmp_path: Path) -> None:
    path = tmp_path / "STATUS.md"
    block = upsert.render_block("fix/x", BODY, "\n")
    path.write_text(block + block)
    with pytest.raises(upsert.UpsertError, match="apparaît 2 fois"):
        upsert.entry_state(path, "fix/x")
    with pytest.raises(upsert.UpsertError, match="apparaît 2 fois"):
        upsert.remove_unedited(path, "fix/x")
    assert path.read_text() == block + block


# -- the temp file of a write lives in the git dir, never in the work tree ---------------------------------------------


def record_renames(monkeypatch: pytest.MonkeyPatch, fail: int | None = None) -> list[Path]:
    """Record the temp file of every os.replace; `fail`: the errno of a rename out of the git dir."""
    sources: list[Path] = []
    replace = upsert.os.replace

    def recording(src: str, dst: str) -> None:
        sources.append(Path(src))
        if fail is not None and ".git" in Path(src).parts:
            raise OSError(fail, os.strerror(fail))
        replace(src, dst)

    monkeypatch.setattr(upsert.os, "replace", recording)
    return sources


def test_a_write_in_a_host_leaves_no_temp_file_in_the_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    sources = record_renames(monkeypatch)
    path = tmp_path / "docs" / "STATUS.md"
    assert upsert.upsert_file(path, "fix/x", BODY) == "added"
    [tmp] = sources
    assert tmp.parent == tmp_path / ".git" / "vectra" / "tmp"
    assert tmp.name.startswith(".STATUS.md.") and tmp.name.endswith(".tmp") and not tmp.exists()
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if ".git" not in p.parts) == [
        "docs",
        "docs/STATUS.md",
    ]
    assert path.read_text() == upsert.render_block("fix/x", BODY, "\n")


def test_a_git_dir_on_another_disk_falls_back_beside_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    sources = record_renames(monkeypatch, fail=errno.EXDEV)
    path = tmp_path / "STATUS.md"
    upsert.write_bytes_atomic(path, b"data\n", 0o600)
    assert [p.parent for p in sources] == [tmp_path / ".git" / "vectra" / "tmp", tmp_path]
    assert path.read_bytes() == b"data\n" and path.stat().st_mode & 0o777 == 0o600
    assert list((tmp_path / ".git" / "vectra" / "tmp").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "STATUS.md"]


def test_any_other_write_error_is_raised_and_leaves_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    sources = record_renames(monkeypatch, fail=errno.ENOSPC)
    path = tmp_path / "STATUS.md"
    path.write_text("# STATUS\n")
    with pytest.raises(OSError, match="No space left"):
        upsert.write_atomic(path, "new\n")
    assert len(sources) == 1 and path.read_text() == "# STATUS\n"
    assert list((tmp_path / ".git" / "vectra" / "tmp").iterdir()) == []


def test_outside_a_git_repo_a_cross_disk_error_is_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "STATUS.md"
    calls: list[str] = []

    def cross_disk(src: str, dst: str) -> None:
        calls.append(src)
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(upsert.os, "replace", cross_disk)
    with pytest.raises(OSError, match="cross-device"):
        upsert.write_atomic(path, "x\n")
    assert len(calls) == 1 and not path.exists() and list(tmp_path.iterdir()) == []
