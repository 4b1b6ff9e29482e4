"""WORKFLOW-001 read as data: the log template and the STATUS format, straight from the guide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# The guide as the template ships it; a host has the same file at docs/workflow/WORKFLOW-001.md.
GUIDE = Path(__file__).resolve().parents[2] / "template/host/docs/workflow/WORKFLOW-001.md"


def _block_after(text: str, marker: str) -> str:
    start = text.index(marker)
    match = re.compile(r"```markdown\n(.*?)\n```", re.S).search(text, start)
    assert match, f"no markdown block after {marker!r} in the guide"
    return match.group(1)


@dataclass(frozen=True)
class Shape:
    """The structure a document must keep: its headings and bold fields, in order."""

    sections: list[str]  # `## ` headings
    fields: list[str]  # `**Field:**` labels
    bullets: dict[str, list[str]]  # section -> its bullet labels before any `:` or `(`

    @classmethod
    def of(cls, markdown: str) -> Shape:
        sections, fields, bullets, current = [], [], {}, ""
        for line in markdown.splitlines():
            if line.startswith("## "):
                current = line[3:].strip()
                sections.append(current)
            elif m := re.match(r"\*\*([^*]+):\*\*", line):
                fields.append(m.group(1))
            elif m := re.match(r"- (?:\[[ x]\] )?([^:`(\[]+)", line):
                bullets.setdefault(current, []).append(m.group(1).strip())
        return cls(sections, fields, bullets)


def text(guide: Path = GUIDE) -> str:
    return guide.read_text(encoding="utf-8")


def log_template(guide: Path = GUIDE) -> str:
    return _block_after(text(guide), "**Template de log :**")


def status_template(guide: Path = GUIDE) -> str:
    return _block_after(text(guide), "## 📊 MISE À JOUR DU STATUT")


def type_table(guide: Path = GUIDE) -> dict[str, tuple[str, str]]:
    """`| **Feature** | `logs/features/` | `docs/specs/…` |` -> {"Feature": ("features", "docs/specs/…")}."""
    rows = re.findall(r"^\| \*\*([^*]+)\*\* \| `logs/([a-z]+)/` \| (`([^`]+)`|-) \|", text(guide), re.M)
    return {label: (folder, ref or "") for label, folder, _, ref in rows}
