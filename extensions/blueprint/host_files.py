"""A folder of the host's files as text, each file read again only when it has changed.

Copier checks the answers given so far once per answer, and some checks read a whole folder of the
host (routes, models, migrations): in a host of 100 units that was thousands of reads per copy. A
file is known by its stat (inode, size, modification time in ns): writing it, or replacing it by a
rename, changes that, so a changed file is never served from memory.
"""

from __future__ import annotations

import os
from fnmatch import fnmatch
from pathlib import Path

_read: dict[str, tuple[tuple[int, int, int], str]] = {}


def texts(folder: Path, pattern: str = "*.py") -> dict[Path, str]:
    """The files of `folder` (not its subfolders) whose name matches `pattern`, sorted by name, with
    their UTF-8 text. A file that cannot be read as UTF-8 is left out; no folder, no files."""
    try:
        entries = sorted((e for e in os.scandir(folder) if fnmatch(e.name, pattern)), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    found: dict[Path, str] = {}
    for entry in entries:
        try:
            if not entry.is_file():
                continue
            stat = entry.stat()
            stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            known = _read.get(entry.path)
            if known is None or known[0] != stamp:
                known = _read[entry.path] = (stamp, Path(entry.path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        found[Path(entry.path)] = known[1]
    return found
