"""A unit of work: its answers plus kinds.yml, and everything derived from them.

Copier's context (extensions/context.py) and the record task (extensions/tasks/record_unit.py) both
build a `Unit` from the same answers, so templates, STATUS.md entries and checks never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from . import catalog as catalog_mod
from . import compile_cache, naming, parts
from .filters import FILTERS
from .naming import ANSWERS_DIR, answers_file  # noqa: F401 (ANSWERS_DIR: lifecycle imports it from here)

STATUS_FILE = "docs/workflow/STATUS.md"
_GLOB_CHARS = re.compile(r"[\\\[\]*?]")
# Same options as copier.yml's _envops, so a fragment reads like a template file.
_env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
_env.filters.update(FILTERS)
_env.from_string = compile_cache.memoised_from_string(_env)  # type: ignore[method-assign]
_env.bytecode_cache = compile_cache.bytecode_cache(_env)  # fragments compile once per version


def _compiled(text: str) -> Any:
    return _env.from_string(text)  # copier's hook renders the same few strings thousands of times


def render(text: Any, context: dict[str, Any]) -> str:
    """Render one kinds.yml value (answers are passed as data, never rendered themselves)."""
    return _compiled(str(text)).render(context) if "{" in str(text) else str(text)


def render_bool(text: Any, context: dict[str, Any]) -> bool:
    if isinstance(text, bool):
        return text
    return render(text, context).strip().lower() in {"true", "yes", "1", "on"}


@dataclass(frozen=True)
class Step:
    title: str
    items: list[tuple[str, bool]]  # (text, done by the generator)
    optional: frozenset[str] = frozenset()  # texts of the items kinds.yml marks `optional` (make check skips them)


@dataclass(frozen=True)
class Entry:
    path: str  # shared host file
    fragment: Path  # fragments/<path>.jinja


@dataclass
class Unit:
    """Everything a template needs to know about the unit being generated."""

    kind: str
    name: str
    answers: dict[str, Any]
    spec: dict[str, Any]
    parts: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    dropped_entries: list[str] = field(default_factory=list)  # entries whose `when` is now false
    derived: dict[str, Any] = field(default_factory=dict)  # part -> parts/<part>.py derive()
    test_levels: set[str] = field(default_factory=set)  # unit / integration / e2e (kinds.yml `tests`)
    coverage: dict[str, int] = field(default_factory=dict)  # part -> target % (WORKFLOW-001)

    def __getattr__(self, name: str) -> Any:
        """`unit.<part>`: the values derived by that part's module (extensions/blueprint/parts/)."""
        derived = self.__dict__.get("derived", {})
        if name in derived:
            return derived[name]
        raise AttributeError(name)

    # -- names -----------------------------------------------------------------------------------
    snake = property(lambda self: naming.snake(self.name))
    pascal = property(lambda self: naming.pascal(self.name))
    camel = property(lambda self: naming.camel(self.name))
    title = property(lambda self: naming.title(self.name))
    key = property(lambda self: f"{self.kind}/{self.name}")
    label = property(lambda self: self.spec["label"])

    # -- answers every unit has ------------------------------------------------------------------
    date = property(lambda self: str(self.answers.get("date", "")))
    status = property(lambda self: self.answers.get("status", "in_progress"))
    priority = property(lambda self: self.answers.get("priority", "P1"))
    objective = property(lambda self: self.answers.get("objective", ""))
    issue = property(lambda self: self.answers.get("issue", ""))
    pr = property(lambda self: self.answers.get("pr", ""))

    # -- where it is written ---------------------------------------------------------------------
    has_log = property(lambda self: bool(self.spec.get("log_folder")))
    log_dir = property(lambda self: self.spec.get("log_folder") or "")
    log_file = property(lambda self: f"{self.date}_{self.kind}_{self.name}.md" if self.has_log else "")
    log_path = property(lambda self: f"docs/workflow/logs/{self.log_dir}/{self.log_file}")
    status_log_path = property(lambda self: f"logs/{self.log_dir}/{self.log_file}")
    reference = property(lambda self: self.spec.get("reference") or "")
    answers_file = property(lambda self: answers_file(self.kind, self.name))
    notes_sections = property(lambda self: list(self.spec.get("notes_sections", [])))

    @property
    def code_files(self) -> list[str]:
        """Generated files other than the log."""
        return [f for f in self.files if f != self.log_path]

    @property
    def shared_files(self) -> list[str]:
        """Shared host files this unit adds its entry to."""
        return list(dict.fromkeys(e.path for e in self.entries))

    @property
    def test_files(self) -> list[str]:
        return [f for f in self.code_files if "/tests/" in f or ".test." in f or "/test_" in f]

    has_backend = property(lambda self: any(f.startswith("backend/") for f in self.code_files))
    has_frontend = property(lambda self: any(f.startswith("frontend/") for f in self.code_files))

    def part_specs(self, catalog: catalog_mod.Catalog) -> list[dict[str, Any]]:
        return [catalog.parts.get(p, {}) for p in self.parts]

    @property
    def template_tree(self) -> str:
        """The tree copier renders (`_subdirectory`): the host skeleton's, or the units' parts'."""
        return catalog_mod.HOST_TREE if "host" in self.parts else catalog_mod.UNITS_TREE

    @property
    def exclude_patterns(self) -> str:
        """Copier `_exclude` lines: everything, except the files of the chosen parts."""
        keep = [*self.files, self.answers_file]
        # Glob characters are escaped: a page folder `[id]` is a name, not a character class.
        return "\n".join(["**", *("!" + _GLOB_CHARS.sub(r"\\\g<0>", path) for path in keep)])

    @property
    def coverage_label(self) -> str:
        """`80%`, or `api 80%, component 70%` for a composite, or `-` when the guide sets none."""
        targets = self.coverage
        if len(set(targets.values())) == 1:
            return f"{next(iter(targets.values()))}%"
        return ", ".join(f"{part} {value}%" for part, value in targets.items()) or "-"

    @property
    def after_copy(self) -> str:
        """The closing message of `copier copy`: what was created, what to do next."""
        return self.after_copy_message(pretend=False)

    def after_copy_message(self, pretend: Any = False) -> str:
        """`after_copy`; under `copier copy --pretend` (nothing written) it says what would be created."""
        if not self.has_log:
            if pretend:
                return f"Créerait l'hôte VECTRA {self.name!r} (--pretend : rien n'a été écrit)."
            return (
                f"L'hôte VECTRA {self.name!r} est prêt. Ensuite :\n"
                "  git init && git add -A && git commit -m 'VECTRA host'\n"
                "  make setup && make test\n"
                "  make dev                         # puis ouvrir http://localhost:3000/login et se connecter\n"
                "  make new kind=fix name=<nom>     # une unité de travail ; `make new` seul pose les questions"
            )
        if pretend:
            head = f"Créerait l'unité {self.label} {self.name!r} (--pretend : rien n'a été écrit) :"
        else:
            head = f"Unité {self.label} {self.name!r} créée :"
        lines = [head, f"  journal :  {self.log_path}"]
        lines += [f"  fichier :  {f}" for f in self.code_files]
        lines += [f"  entrée :   {f}" for f in self.shared_files]
        lines.append(f"  réponses : {self.answers_file}")
        if pretend:
            return "\n".join([*lines, "Relancer sans --pretend pour la créer."])
        lines.append("Ensuite :")
        lines += [f"  {i}. {text}" for i, text in enumerate(self.next_steps, 1)]
        lines.append(f"Plus tard : make update unit={self.key} (copier update --trust -a {self.answers_file})")
        return "\n".join(lines)

    @property
    def after_update(self) -> str:
        return self.after_update_message(pretend=False)

    def after_update_message(self, pretend: Any = False) -> str:
        """The closing message of `copier update`; under --pretend nothing was written."""
        if pretend:
            what = f"l'hôte VECTRA {self.name!r}" if not self.has_log else f"l'unité {self.label} {self.name!r}"
            return f"Mettrait à jour {what} (--pretend : rien n'a été écrit)."
        if not self.has_log:
            return f"Hôte VECTRA {self.name!r} mis à jour : relire `git diff`, puis `make test`."
        return (
            f"Unité {self.label} {self.name!r} mise à jour : relire `git diff` "
            "(conflits : `git ls-files -u`), puis `make test`."
        )

    @property
    def next_steps(self) -> list[str]:
        if self.status == "completed":
            return [
                f"Aucune : l'unité est terminée (`make check unit={self.key}` la vérifie encore après un changement)"
            ]
        todo = [text for step in self.steps for text, done in step.items if not done]
        ref = f"make status unit={self.key} status=completed"
        return [*todo[:4], f"Vérifier la checklist finale : `make check unit={self.key}`, puis `{ref}`"]


def _add_entries(unit: Unit, listed: list[Any], context: dict[str, Any], root: Path) -> None:
    """The shared files a part (or the kind itself) adds an entry to, from kinds.yml's `entries`."""
    for shared in listed:
        if isinstance(shared, dict) and not render_bool(shared.get("when", True), context):
            unit.dropped_entries.append(shared["path"])  # e.g. a component no longer reusable
            continue
        path = catalog_mod.file_path(shared)
        unit.entries.append(Entry(path, root / "fragments" / f"{path}.jinja"))


def build(answers: dict[str, Any], root: Path) -> Unit:
    """Derive a Unit from answers (copier's, or an answers file's) and the catalog at `root`."""
    cat = catalog_mod.load(root)
    kind, name = answers["kind"], answers["name"]
    unit = Unit(kind=kind, name=name, answers=dict(answers), spec=cat.kinds[kind])
    context = {**answers, "unit": unit}

    if parts_question := unit.spec.get("parts_question"):
        chosen = list(answers.get(parts_question) or [])
    else:
        chosen = [render(p, context) for p in unit.spec.get("parts", [])]
    unit.parts = (["log"] if unit.has_log else []) + [p for p in chosen if p]
    for part_name in unit.parts:
        if (values := parts.derive(part_name, unit)) is not None:
            unit.derived[part_name.replace("-", "_")] = values

    for part_name in unit.parts:
        if part_name == "host":
            unit.files += cat.host_paths()
            continue
        part = cat.parts[part_name]
        for item in part.get("files", []):
            if isinstance(item, dict) and not render_bool(item.get("when", True), context):
                continue
            unit.files.append(render(catalog_mod.file_path(item), context))
        unit.test_levels.update(part.get("tests", []))
        if part.get("coverage"):
            unit.coverage[part_name] = int(part["coverage"])
        _add_entries(unit, part.get("entries", []), context, root)
    _add_entries(unit, unit.spec.get("entries", []), context, root)  # the kind's own (a feature's spec entry)
    unit.files = list(dict.fromkeys(unit.files))

    unit.steps = [
        Step(
            step["title"],
            [(render(i["text"], context), render_bool(i["done"], context)) for i in step["items"]],
            frozenset(
                render(i["text"], context) for i in step["items"] if render_bool(i.get("optional", False), context)
            ),
        )
        for step in unit.spec.get("steps", [])
    ]
    return unit


def render_fragment(entry: Entry, unit: Unit) -> str:
    """The unit's entry for a shared file, from fragments/<file>.jinja."""
    template = _env.from_string(entry.fragment.read_text(encoding="utf-8"))
    return template.render({**unit.answers, "unit": unit})
