"""The shared-file upsert: idempotent, atomic, and every foreign byte kept."""

from __future__ import annotations

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
