"""Reads the units of work of a host: answers files, STATUS.md entries and activity logs.

Sources, most trusted first, field by field:

- `.copier-answers/<kind>_<name>.yml`: kind, name, date, priority, status, issue, PR (what
  `make new` and `make status` record);
- the unit's entry in `docs/workflow/STATUS.md`, between its `<!-- vectra:unit <kind>/<name> … -->`
  markers, or a hand-written `## <date> - <type> - <name>` section without markers: status,
  the log path, and the measures `make check` writes (« Coverage », « Tests passent »);
- the activity log `docs/workflow/logs/<folder>/<date>_<kind>_<name>.md`: date, status,
  priority, issue and PR when the other two lack them.

The guide's type labels, log folders and coverage targets come from kinds.json, which the template
renders from its kinds.yml. A file that cannot be read (not UTF-8, not YAML, missing) never stops
the board: its unit is shown with what the other sources say, and `problems` says what was skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

ANSWERS_DIR = ".copier-answers"
STATUS_FILE = "docs/workflow/STATUS.md"
LOGS_DIR = "docs/workflow/logs"
KINDS_FILE = Path(__file__).with_name("kinds.json")

SLUG = r"[a-z0-9][a-z0-9-]*"
SLUG_RE = re.compile(rf"^{SLUG}$")
_START = re.compile(rf"^<!-- vectra:unit ({SLUG})/({SLUG})(?: [0-9a-f]{{12}})? -->\s*$", re.M)
_END = re.compile(rf"^<!-- /vectra:unit ({SLUG})/({SLUG}) -->\s*$", re.M)
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*$", re.M)
_HEADING_PARTS = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})\s+-\s+)?(.+?)\s+-\s+(\S+)$")
_ANSWERS_NAME = re.compile(rf"^({SLUG}?)_({SLUG})\.yml$")
_LOG_NAME = re.compile(rf"^(\d{{4}}-\d{{2}}-\d{{2}})_([a-z]+)_({SLUG})\.md$")
_PERCENT = re.compile(r"(?:([a-z][a-z0-9-]*)\s+)?(\d+(?:[.,]\d+)?)\s*%", re.I)


def _field(name: str) -> re.Pattern[str]:
    """`**Name:** value` (or `**Name :**`, `**Name**:`) on one line."""
    return re.compile(rf"^\s*\*\*{name}\s*:?\s*\*\*\s*:?\s*(.*?)\s*$", re.M | re.I)


_STATUT = _field("Statut")
_PRIORITE = _field("Priorit[ée]")
_DATE = _field("Date")
_LOG_FILE = _field("Fichier log")
_COVERAGE = re.compile(r"^\s*-\s*Coverage\s*:\s*(.*?)\s*$", re.M | re.I)
_TESTS = re.compile(r"^\s*-\s*Tests passent\s*:\s*(.*?)\s*$", re.M | re.I)
_ISSUE = re.compile(r"^\s*-\s*Issue(?:/Ticket)?\s*:\s*(.*?)\s*$", re.M | re.I)
_PR = re.compile(r"^\s*-\s*PR\s*:\s*(.*?)\s*$", re.M | re.I)

TestsState = Literal["pass", "fail", "none", "unknown"]


class UnitRow(BaseModel):
    """One unit of work, as the board shows it."""

    key: str
    kind: str
    label: str
    name: str
    status: str
    priority: str | None = None
    date: str | None = None
    objective: str | None = None
    coverage: str | None = Field(None, description="as `make check` recorded it, e.g. `api 85%`")
    coverage_target: str | None = None
    below_target: bool = False
    tests: TestsState = "unknown"
    issue: str | None = None
    pr: str | None = None
    log_path: str | None = Field(
        None, description="relative to the host root; None: no readable log"
    )
    sources: list[str] = Field(default_factory=list, description="answers, status, log")
    problems: list[str] = Field(default_factory=list)


class Board(BaseModel):
    units: list[UnitRow]
    counts: dict[str, int] = Field(description="number of units per status")
    statuses: list[str]
    priorities: list[str]
    kinds: dict[str, str] = Field(description="kind -> the guide's type label")
    problems: list[str] = Field(default_factory=list)


class LogPage(BaseModel):
    key: str
    kind: str
    name: str
    label: str
    path: str
    content: str
    problems: list[str] = Field(default_factory=list)


@dataclass
class _Found:
    kind: str
    name: str
    values: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def offer(self, key: str, value: object) -> None:
        """Keeps the first source's value: sources are read most trusted first."""
        if value not in (None, "", "-") and self.values.get(key) in (None, ""):
            self.values[key] = value


@lru_cache(maxsize=4)
def load_kinds(path: Path = KINDS_FILE) -> dict[str, Any]:
    """kinds.json: {"kinds": {kind: {label, log_folder, coverage}}, "statuses": [...], "priorities": [...]}."""
    kinds: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return kinds


def read_text(path: Path, problems: list[str], host: Path) -> str | None:
    """The file's text; a file that is not UTF-8 is read with � for what cannot be decoded."""
    where = _rel(path, host)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        problems.append(f"{where} illisible ({error.strerror or error}) : ignoré")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(
            f"{where} n'est pas en UTF-8 : les caractères illisibles sont remplacés par �"
        )
        return data.decode("utf-8", errors="replace")


def _rel(path: Path, host: Path) -> str:
    try:
        return path.relative_to(host).as_posix()
    except ValueError:
        return str(path)


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip().strip("`*_").strip()
    return text or None


def normalize_status(value: object, statuses: list[str]) -> str | None:
    """`completed`, `Completed ✅`, `**blocked**` → the guide's status; other text is kept as written."""
    text = _clean(value)
    if text is None:
        return None
    low = text.lower().replace(" ", "_")
    return next((status for status in statuses if low.startswith(status)), text)


def percents(text: str | None) -> dict[str, float]:
    """`api 85%, component 70%` → {"api": 85, "component": 70}; `85%` → {"": 85}."""
    return {
        (part or "").lower(): float(value.replace(",", "."))
        for part, value in _PERCENT.findall(text or "")
    }


def is_below(measured: dict[str, float], target: dict[str, float]) -> bool:
    """Some measure lower than its target (the same part's, else the single or lowest target)."""
    if not measured or not target:
        return False
    fallback = target[""] if "" in target else min(target.values())
    return any(value < target.get(part, fallback) for part, value in measured.items())


def split_coverage(line: str | None) -> tuple[str | None, str | None]:
    """`api 85% (cible : 80%)` → ("api 85%", "80%"); `à mesurer (cible : 70%)` → (None, "70%")."""
    if not line:
        return None, None
    target = None
    if match := re.search(r"\(\s*cible\s*:?\s*([^)]*)\)", line, re.I):
        target = match.group(1).strip() or None
        line = line[: match.start()] + line[match.end() :]
    measured = line.strip()
    return (measured if percents(measured) else None), target


def tests_state(line: str | None) -> TestsState:
    """What `make check` wrote (✅, ❌, « aucun test généré »), or a person's oui/non."""
    text = (line or "").strip().lower()
    if text.startswith("✅") or re.match(r"(oui|yes|ok|pass)\b", text):
        return "pass"
    if text.startswith("❌") or re.match(r"(non|no|fail|échec)\b", text):
        return "fail"
    if "aucun test" in text:
        return "none"
    return "unknown"


# --------------------------------------------------------------------------- the three sources


def _from_answers(host: Path, units: dict[str, _Found], problems: list[str]) -> None:
    folder = host / ANSWERS_DIR
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        if path.name.startswith("project_"):
            continue
        where = _rel(path, host)
        text = read_text(path, problems, host)
        data: Any = None
        if text is not None:
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                line = f" ligne {mark.line + 1}" if mark is not None else ""
                problems.append(
                    f"{where} n'est pas du YAML valide{line} : ses réponses sont ignorées"
                )
        if not isinstance(data, dict):
            data = {}
        kind, name = _clean(data.get("kind")), _clean(data.get("name"))
        if not (kind and name) and (match := _ANSWERS_NAME.match(path.name)):
            kind, name = match.group(1), match.group(2)
        if not (kind and name and SLUG_RE.match(kind) and SLUG_RE.match(name)):
            problems.append(f"{where} : unité sans kind/name lisibles, ignorée")
            continue
        found = units.setdefault(f"{kind}/{name}", _Found(kind, name))
        if data:
            found.sources.append("answers")
        for key in ("date", "priority", "status", "objective", "issue", "pr"):
            found.offer(key, _clean(data.get(key)))


def _entries(text: str) -> list[tuple[str | None, str]]:
    """(key or None, body) of every entry: marked blocks, then `## ` sections outside them."""
    found: list[tuple[str | None, str]] = []
    outside: list[str] = []
    pos = 0
    starts = list(_START.finditer(text))
    for index, start in enumerate(starts):
        if start.start() < pos:
            continue
        outside.append(text[pos : start.start()])
        key = f"{start.group(1)}/{start.group(2)}"
        limit = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        end = next(
            (
                m
                for m in _END.finditer(text, start.end(), limit)
                if f"{m.group(1)}/{m.group(2)}" == key
            ),
            None,
        )
        if end is None:
            # An end marker lost by hand: the entry runs to the end of its first `## ` section.
            first = _HEADING.search(text, start.end(), limit)
            following = _HEADING.search(text, first.end(), limit) if first else None
            stop = following.start() if following else limit
        else:
            stop = end.end()
        found.append((key, text[start.end() : end.start() if end else stop]))
        pos = stop
    outside.append(text[pos:])
    rest = _END.sub("", "".join(outside))
    headings = list(_HEADING.finditer(rest))
    for index, heading in enumerate(headings):
        stop = headings[index + 1].start() if index + 1 < len(headings) else len(rest)
        found.append((None, rest[heading.start() : stop]))
    return found


def _from_status(
    host: Path, units: dict[str, _Found], kinds: dict[str, Any], problems: list[str]
) -> None:
    text = read_text(host / STATUS_FILE, problems, host)
    if text is None:
        return
    by_label = {str(spec["label"]).lower(): kind for kind, spec in kinds.items()}
    for key, body in _entries(text):
        heading = _HEADING.search(body)
        parts = _HEADING_PARTS.match(heading.group(1).strip()) if heading else None
        if key is None:  # a section a person wrote without markers: `## <date> - <type> - <name>`
            if parts is None:
                continue
            label = parts.group(2).strip().lower()
            kind = by_label.get(label) or (label if label in kinds else None)
            name = parts.group(3).strip().strip("`")
            if kind is None or not SLUG_RE.match(name):
                problems.append(
                    f"{STATUS_FILE} : section « {parts.group(0)} » sans type reconnu, ignorée"
                )
                continue
            key = f"{kind}/{name}"
        kind, name = key.split("/", 1)
        found = units.setdefault(key, _Found(kind, name))
        found.sources.append("status")
        if parts:
            found.offer("date", parts.group(1))
        found.offer("status", _first(_STATUT, body))
        found.offer("status_log", _first(_LOG_FILE, body))
        coverage, target = split_coverage(_first(_COVERAGE, body))
        found.offer("coverage", coverage)
        found.offer("coverage_target", target)
        found.offer("tests_line", _first(_TESTS, body))


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    """The first match's value, Markdown escapes (`\\#12`) undone."""
    match = pattern.search(text)
    return _clean(re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", match.group(1))) if match else None


def _log_candidates(host: Path, found: _Found, kinds: dict[str, Any]) -> list[Path]:
    folder = kinds.get(found.kind, {}).get("log_folder")
    candidates: list[Path] = []
    if folder and found.values.get("date"):
        candidates.append(
            host / LOGS_DIR / folder / f"{found.values['date']}_{found.kind}_{found.name}.md"
        )
    if status_log := found.values.get("status_log"):  # relative to docs/workflow, as the entry says
        candidates.append(host / "docs/workflow" / status_log)
    if folder:
        candidates += sorted((host / LOGS_DIR / folder).glob(f"*_{found.kind}_{found.name}.md"))
    return candidates


def safe_log(host: Path, path: Path) -> Path | None:
    """`path` when it is a file inside docs/workflow/logs (symlinks resolved), else None."""
    logs = (host / LOGS_DIR).resolve()
    try:
        real = path.resolve()
    except OSError:
        return None
    if not real.is_relative_to(logs) or not real.is_file() or real.suffix != ".md":
        return None
    return real


def _from_logs(
    host: Path, units: dict[str, _Found], kinds: dict[str, Any], problems: list[str]
) -> None:
    folders = {spec.get("log_folder") for spec in kinds.values() if spec.get("log_folder")}
    for folder in sorted(folders):  # logs whose unit has neither answers nor entry
        for path in sorted((host / LOGS_DIR / folder).glob("*.md")):
            if (match := _LOG_NAME.match(path.name)) and match.group(2) in kinds:
                found = units.setdefault(
                    f"{match.group(2)}/{match.group(3)}", _Found(match.group(2), match.group(3))
                )
                found.offer("log_date", match.group(1))
    for found in units.values():
        logs = (safe_log(host, candidate) for candidate in _log_candidates(host, found, kinds))
        log = next((path for path in logs if path is not None), None)
        if log is None:
            continue
        found.values["log_path"] = _rel(log, host.resolve())
        text = read_text(log, found.problems, host.resolve())
        if text is None:
            continue
        found.sources.append("log")
        found.offer("date", _first(_DATE, text) or found.values.get("log_date"))
        found.offer("status", _first(_STATUT, text))
        found.offer("priority", _first(_PRIORITE, text))
        found.offer("issue", _first(_ISSUE, text))
        found.offer("pr", _first(_PR, text))


# --------------------------------------------------------------------------- the board


def read_board(host: Path, kinds_file: Path = KINDS_FILE) -> Board:
    """Every unit of `host`, oldest first; never raises for a file a person damaged."""
    catalog = load_kinds(kinds_file)
    kinds: dict[str, Any] = catalog["kinds"]
    statuses: list[str] = list(catalog["statuses"])
    problems: list[str] = []
    units: dict[str, _Found] = {}
    _from_answers(host, units, problems)
    _from_status(host, units, kinds, problems)
    _from_logs(host, units, kinds, problems)

    rows = []
    for key, found in units.items():
        values = found.values
        spec = kinds.get(found.kind, {})
        target = values.get("coverage_target") or _target_label(spec.get("coverage") or {})
        status = normalize_status(values.get("status"), statuses) or "inconnu"
        rows.append(
            UnitRow(
                key=key,
                kind=found.kind,
                label=str(spec.get("label") or found.kind),
                name=found.name,
                status=status,
                priority=values.get("priority"),
                date=values.get("date"),
                objective=values.get("objective"),
                coverage=values.get("coverage"),
                coverage_target=target,
                below_target=is_below(percents(values.get("coverage")), percents(target)),
                tests=tests_state(values.get("tests_line")),
                issue=values.get("issue"),
                pr=values.get("pr"),
                log_path=values.get("log_path"),
                sources=list(dict.fromkeys(found.sources)),
                problems=found.problems,
            )
        )
    rows.sort(key=lambda row: (row.date or "", row.key))
    counts = dict.fromkeys(statuses, 0)
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return Board(
        units=rows,
        counts=counts,
        statuses=statuses,
        priorities=list(catalog["priorities"]),
        kinds={kind: str(spec["label"]) for kind, spec in kinds.items()},
        problems=problems,
    )


def _target_label(targets: dict[str, Any]) -> str | None:
    values = {part: value for part, value in targets.items() if value is not None}
    if not values:
        return None
    if len(set(values.values())) == 1:
        return f"{next(iter(values.values()))}%"
    return ", ".join(f"{part} {value}%" for part, value in values.items())


def read_log(host: Path, kind: str, name: str, kinds_file: Path = KINDS_FILE) -> LogPage | None:
    """The activity log of `kind/name`, or None when the unit or its log is unknown or unreadable."""
    if not (SLUG_RE.match(kind) and SLUG_RE.match(name)):
        return None
    board = read_board(host, kinds_file)
    row = next((row for row in board.units if row.kind == kind and row.name == name), None)
    if row is None or row.log_path is None:
        return None
    path = safe_log(host, host / row.log_path)
    if path is None:
        return None
    problems: list[str] = []
    content = read_text(path, problems, host.resolve())
    if content is None:
        return None
    return LogPage(
        key=row.key,
        kind=kind,
        name=name,
        label=row.label,
        path=row.log_path,
        content=content,
        problems=problems,
    )
