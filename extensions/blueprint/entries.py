"""A unit's entries in the host's shared files (STATUS.md, its reference documents).

Written after every copy and update: copier evaluates the record task's `when` in its own process
(extensions/context.py `record_unit`), and `extensions/tasks/record_unit.py` is the same step as a
script. Idempotent: copier runs tasks three times during an update (copier issue 1422).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import catalog, upsert
from .unit import Unit, build, render_fragment

# Lines of an entry kept current even after a person edited the entry.
REFRESHED = ("**Statut:**",)
# Lines the completion check (`make check`) measures: a re-render keeps its figures.
MEASURED = ("- Coverage:", "- Tests passent:")
# What happened to an entry (upsert's action words), as the report line says it.
SAID = {
    "added": "ajoutée",
    "replaced": "remplacée",
    "refreshed": "rafraîchie",
    "unchanged": "inchangée",
    "removed": "retirée",
}


def precheck(dst: Path, current: Unit) -> None:
    """Refuse, before the first write, a unit whose entries could not be written (upsert.check_writable)."""
    for path in dict.fromkeys([*current.shared_files, *current.dropped_entries]):
        upsert.check_writable(dst / path, current.key)


def record(dst: Path, answers_path: Path, root: Path) -> list[str]:
    """Upsert the entries of the unit whose answers are `answers_path`; one report line per file."""
    text = (dst / answers_path).read_text(encoding="utf-8")
    answers = yaml.load(text, Loader=catalog.SAFE_LOADER)
    current = build({k: v for k, v in answers.items() if not k.startswith("_")}, root)
    report = []
    for entry in current.entries:
        body = render_fragment(entry, current)
        action = upsert.upsert_file(dst / entry.path, current.key, body, refresh=REFRESHED, keep=MEASURED)
        report.append(f"{SAID.get(action, action):>10}  {entry.path}  (entrée {current.key})")
    for path in current.dropped_entries:  # an answer changed on update: its entry goes
        if upsert.remove_from_file(dst / path, current.key):
            report.append(f"{SAID['removed']:>10}  {path}  (entrée {current.key})")
    return report
