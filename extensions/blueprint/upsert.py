"""Idempotent, atomic upsert of one unit's entry in a shared Markdown file (STATUS.md, reference docs).

The file belongs to the person; a unit owns one block of it:

    <!-- vectra:unit api/campaigns 1a2b3c4d5e6f -->
    ...entry...
    <!-- /vectra:unit api/campaigns -->

The hex is a digest of the entry as we last wrote it. When the block still matches it, nobody
touched it and it is replaced whole. When a person edited it, their text is kept and only the lines
we must keep current (e.g. `**Statut:**`) are refreshed. Every byte outside the block is kept, line
endings included; a missing block is appended at the end; the write is atomic (temp file + rename).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import journal


class UpsertError(Exception):
    """The file cannot be updated safely; it was left untouched."""


@dataclass(frozen=True)
class Block:
    start: int  # offset of the start marker line
    end: int  # offset just after the end marker line (and its newline)
    digest: str
    body: str  # as in the file, newlines normalized to \n


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def find_block(text: str, key: str) -> Block | None:
    """Locate the block of `key`; refuse ambiguous or unterminated ones."""
    start_re = re.compile(rf"^<!-- vectra:unit {re.escape(key)}(?: ([0-9a-f]{{12}}))? -->\r?$", re.M)
    end_re = re.compile(rf"^<!-- /vectra:unit {re.escape(key)} -->(\r?\n|$)", re.M)
    starts = list(start_re.finditer(text))
    if not starts:
        return None
    if len(starts) > 1:
        raise UpsertError(f"l'entrée de {key} apparaît {len(starts)} fois ; gardez-en une et réessayez")
    start = starts[0]
    body_from = text.index("\n", start.start()) + 1 if "\n" in text[start.start() :] else len(text)
    end = end_re.search(text, body_from)
    if end is None:
        raise UpsertError(f"l'entrée de {key} n'a pas de marqueur de fin `<!-- /vectra:unit {key} -->`")
    body = text[body_from : end.start()].replace("\r\n", "\n")
    return Block(start.start(), end.end(), start.group(1) or "", body)


def _start_marker(key: str, digest: str) -> str:
    # A person may write the markers without the digest (find_block takes them): keep it absent, or the
    # marker no longer matches and the next upsert appends a second entry.
    return f"<!-- vectra:unit {key} {digest} -->" if digest else f"<!-- vectra:unit {key} -->"


def refuse_orphan_end(text: str, key: str) -> None:
    """An end marker without its start: adding a block would leave the old entry beside a new one."""
    if re.search(rf"^<!-- /vectra:unit {re.escape(key)} -->", text, re.M):
        raise UpsertError(
            f"l'entrée de {key} a perdu son marqueur de début `<!-- vectra:unit {key} -->` (son marqueur de fin "
            "est toujours là) : remettez la ligne de début au-dessus de l'entrée, ou supprimez l'entrée en entier, "
            "et réessayez"
        )


def render_block(key: str, body: str, newline: str) -> str:
    body = body.strip("\n") + "\n"
    lines = [f"<!-- vectra:unit {key} {digest(body)} -->", *body.splitlines(), f"<!-- /vectra:unit {key} -->"]
    return newline.join(lines) + newline


def _refresh_lines(old_body: str, new_body: str, prefixes: tuple[str, ...]) -> str:
    """Keep a hand-edited body; replace only the lines that start with one of `prefixes`."""
    fresh = {p: line for line in new_body.splitlines() for p in prefixes if line.startswith(p)}
    out = []
    for line in old_body.splitlines():
        prefix = next((p for p in prefixes if line.startswith(p)), None)
        out.append(fresh.get(prefix, line) if prefix else line)
    return "\n".join(out) + ("\n" if old_body.endswith("\n") else "")


def _keep_lines(old_body: str, new_body: str, prefixes: tuple[str, ...]) -> str:
    """The new body, but lines starting with `prefixes` as they are in the old one (if there)."""
    return _refresh_lines(new_body, old_body, prefixes)


def upsert_text(
    text: str, key: str, body: str, refresh: tuple[str, ...] = (), keep: tuple[str, ...] = ()
) -> tuple[str, str]:
    """Return (new text, what happened: added | replaced | refreshed | unchanged).

    `refresh`: lines we keep current even in a hand-edited entry (e.g. the status).
    `keep`: lines another command owns once written (e.g. the measured coverage), kept on replace.
    """
    newline = _newline(text) if text else "\n"
    block = find_block(text, key)
    if block is not None and keep:
        body = _keep_lines(block.body, body, keep)
    if block is None:
        refuse_orphan_end(text, key)
        if not text or text.endswith(("\n\n", "\r\n\r\n")):
            sep = ""
        else:  # one blank line between the person's text and our block
            sep = newline if text.endswith("\n") else newline * 2
        return text + sep + render_block(key, body, newline), "added"
    if block.digest == digest(block.body):
        new_block = render_block(key, body, newline)
        action = "replaced"
    else:  # edited by hand: keep the person's words, refresh only what we must keep current
        kept = _refresh_lines(block.body, body, refresh).replace("\n", newline)
        new_block = _start_marker(key, block.digest) + newline + kept + f"<!-- /vectra:unit {key} -->" + newline
        action = "refreshed"
    new_text = text[: block.start] + new_block + text[block.end :]
    if block.end == len(text) and not text.endswith(("\n", "\r")):
        new_text = new_text.rstrip("\r\n")  # the file had no final newline: keep it that way
    return new_text, action if new_text != text else "unchanged"


def remove_text(text: str, key: str) -> tuple[str, bool]:
    """Remove the block of `key` (and the blank line we put before it)."""
    block = find_block(text, key)
    if block is None:
        return text, False
    before = text[: block.start]
    for blank in ("\r\n\r\n", "\n\n"):
        if before.endswith(blank):
            before = before[: -len(blank) // 2]
            break
    return before + text[block.end :], True


def write_atomic(path: Path, text: str) -> None:
    """Write through a temp file and rename it over `path`: a reader sees the old file or the new one.

    The temp file lives in the host's git dir (same disk, never picked up by `git add -A`, even when
    the write is killed half way); outside a git repo, beside `path`."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    folder = journal.temp_dir(path) or path.parent
    try:
        _replace_with(path, data, mode, folder)
    except OSError as error:
        if error.errno != errno.EXDEV or folder == path.parent:
            raise
        _replace_with(path, data, mode, path.parent)  # the git dir is on another disk


def _replace_with(path: Path, data: bytes, mode: int, folder: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8") if path.exists() else ""
    except UnicodeDecodeError as error:
        raise UpsertError(
            f"{path} n'est pas un texte UTF-8 ; il n'a pas été modifié : enregistrez-le en UTF-8 et réessayez"
        ) from error
    except OSError as error:
        raise UpsertError(f"{path} est illisible ({error.strerror}) ; il n'a pas été modifié") from error


def check_writable(path: Path, key: str) -> None:
    """Refuse, before anything is written, a file the upsert of `key` could not write: not UTF-8, the
    entry twice, without its end (or start) marker, or a file or folder that cannot be written."""
    text = read(path)
    if find_block(text, key) is None:
        refuse_orphan_end(text, key)
    if path.exists() and not path.is_file():
        raise UpsertError(f"{path} n'est pas un fichier ; déplacez-le et réessayez")
    folder = next((p for p in [path.parent, *path.parent.parents] if p.exists()), path.parent)
    if (path.exists() and not os.access(path, os.W_OK)) or not os.access(folder, os.W_OK | os.X_OK):
        raise UpsertError(
            f"{path} ne peut pas être écrit (permissions) ; rendez-le accessible en écriture et réessayez"
        )


def upsert_file(path: Path, key: str, body: str, refresh: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> str:
    """Upsert the entry of `key` in `path`; return what happened."""
    with journal.lock_for(path):  # read-modify-write of a shared file: one writer at a time
        text = read(path)
        new_text, action = upsert_text(text, key, body, refresh, keep)
        if action != "unchanged":
            write_atomic(path, new_text)
    return action


def remove_from_file(path: Path, key: str) -> bool:
    with journal.lock_for(path):
        text = read(path)
        new_text, removed = remove_text(text, key)
        if removed:
            write_atomic(path, new_text)
    return removed


def entry_state(path: Path, key: str) -> str:
    """absent | ours (as we last wrote it) | edited (a person changed it); UpsertError when damaged."""
    block = find_block(read(path), key)
    if block is None:
        return "absent"
    return "ours" if block.digest == digest(block.body) else "edited"


def remove_unedited(path: Path, key: str) -> str:
    """Remove the entry of `key` unless a person edited it (its digest no longer matches).

    Returns what happened: removed | edited (left as it is) | absent.
    """
    state = entry_state(path, key)
    if state != "ours":
        return state
    write_atomic(path, remove_text(read(path), key)[0])
    return "removed"


def set_lines(path: Path, key: str, lines: dict[str, str]) -> bool:
    """Replace the lines of `key`'s entry that start with each prefix; an untouched entry stays untouched.

    Used by commands that own a few lines of an entry (the completion check's measures): the
    entry's digest follows, so a later update still sees the entry as ours to replace.
    """
    with journal.lock_for(path):
        return _set_lines(path, key, lines)


def _set_lines(path: Path, key: str, lines: dict[str, str]) -> bool:
    text = read(path)
    block = find_block(text, key)
    if block is None:
        return False
    pristine = block.digest == digest(block.body)
    body = (
        "\n".join(
            next((new for prefix, new in lines.items() if line.startswith(prefix)), line)
            for line in block.body.splitlines()
        )
        + "\n"
    )
    newline = _newline(text)
    if pristine:
        new_block = render_block(key, body, newline)
    else:
        kept = body.replace("\n", newline)
        new_block = f"{_start_marker(key, block.digest)}{newline}{kept}<!-- /vectra:unit {key} -->{newline}"
    new_text = text[: block.start] + new_block + text[block.end :]
    if new_text != text:
        write_atomic(path, new_text)
    return True
