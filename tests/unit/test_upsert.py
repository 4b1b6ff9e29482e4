"""The shared-file upsert: idempotent, atomic, and every foreign byte kept."""

from __future__ import annotations

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
    with pytest.raises(upsert.UpsertError, match=r"^the entry of fix/x appears 2 times; keep one and retry$"):
        upsert.upsert_text(block + block, "fix/x", BODY)
    unterminated = "^the entry of fix/x has no end marker `<!-- /vectra:unit fix/x -->`$"
    with pytest.raises(upsert.UpsertError, match=unterminated):
        upsert.upsert_text(block.replace("<!-- /vectra:unit fix/x -->\n", "more\n"), "fix/x", BODY)
    # The start marker on the last line, without a newline after it.
    with pytest.raises(upsert.UpsertError, match=unterminated):
        upsert.upsert_text("# STATUS\n" + block.splitlines()[0], "fix/x", BODY)
    path = tmp_path / "STATUS.md"
    path.write_bytes(b"# STATUS \xe9t\xe9\n")
    with pytest.raises(
        upsert.UpsertError,
        match=rf"^{re.escape(str(path))} is not UTF-8 text; it was left untouched: save it as UTF-8 and retry$",
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
