"""The record step as a script: write a unit's entries in STATUS.md and its reference documents.

Copier does this in its own process (copier.yml `_tasks`, blueprint/entries.py); this script runs
the same step by hand, from the host's root, and does nothing outside a VECTRA host.
Usage: record_unit.py <answers file>
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "extensions"))

from blueprint import checks, entries, upsert  # noqa: E402


def main(argv: list[str]) -> int:
    dst = Path.cwd()
    if not checks.is_host(dst):
        return 0
    try:
        for line in entries.record(dst, Path(argv[1]), ROOT):
            print(line)
    except upsert.UpsertError as error:
        print(f"vectra-blueprints : {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
