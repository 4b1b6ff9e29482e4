"""Copier task: write this unit's entry in STATUS.md and in its reference documents.

Runs in the destination after `copier copy` and `copier update`. During an update copier runs tasks
three times (old render, destination, new render: copier issue 1422), so this is idempotent and does
nothing outside a VECTRA host. Usage: record_unit.py <answers file>
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "extensions"))

from blueprint import checks, unit, upsert  # noqa: E402

# Lines of an entry kept current even after a person edited the entry.
REFRESHED = ("**Statut:**",)
# Lines the completion check (`make check`) measures: a re-render keeps its figures.
MEASURED = ("- Coverage:", "- Tests passent:")


def record(dst: Path, answers_path: Path) -> list[str]:
    answers = yaml.safe_load((dst / answers_path).read_text(encoding="utf-8"))
    current = unit.build({k: v for k, v in answers.items() if not k.startswith("_")}, ROOT)
    report = []
    for entry in current.entries:
        body = unit.render_fragment(entry, current)
        action = upsert.upsert_file(dst / entry.path, current.key, body, refresh=REFRESHED, keep=MEASURED)
        report.append(f"{action:>10}  {entry.path}  (entry {current.key})")
    for path in current.dropped_entries:  # an answer changed on update: its entry goes
        if upsert.remove_from_file(dst / path, current.key):
            report.append(f"{'removed':>10}  {path}  (entry {current.key})")
    return report


def main(argv: list[str]) -> int:
    dst = Path.cwd()
    if not checks.is_host(dst):
        return 0  # one of copier update's scratch renders: there is no host around it
    try:
        for line in record(dst, Path(argv[1])):
            print(line)
    except upsert.UpsertError as error:
        print(f"vectra-blueprints: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
