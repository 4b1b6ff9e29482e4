"""The database part: a table's model, its Alembic revision, its integration-db tests.

Answers (questions/database.yml): `db_operation` (create_table | alter_table), `table`, `columns` (a YAML
list), `multi_tenant`, and three values computed once and stored in the answers file, so that
`copier update` never changes them: `revision`, `down_revision` (the host's Alembic head when the unit
was generated) and `table_before` (for alter_table: the definitions, read from the table's model, of
the columns the unit alters or drops — the migration's downgrade restores them).

This module holds the part's question checks, computed defaults and `derive()`, like the other
parts/*.py. The column model and its answer format are in ../columns.py, the migration's operations
in ../migration_ops.py, the ruff-formatted source both write in ../source_format.py.

An alter_table unit owns its migration, tests and doc entry; the change to the model (a file of
the unit that created the table) is applied by `extensions/tasks/apply_model_changes.py`: the
class is found by `__tablename__`, the column statements are added, replaced or removed in place
(idempotent; see extensions/blueprint/model_source.py, `model_changes()` here), so `alembic check`
sees no drift. The generated log's steps name the model file and how it changed.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from .. import compact_answers, model_source, naming
from ..columns import (
    DEFAULT_ALTER_COLUMNS,
    DEFAULT_ALTER_COLUMNS_ANSWER,
    DEFAULT_COLUMNS,
    DEFAULT_COLUMNS_ANSWER,
    KEYS,
    OPERATIONS,
    ColumnError,
    build_table,
    model_class,
    model_imports,
    operation_of,
    singular,
    table_from_name,
    table_of,
    table_problem,
)
from ..migration_ops import alter_ops, create_ops, expectations, test_constants
from ..source_format import def_line, py_literal, table_args_lines

MODELS_DIR = "backend/app/models"
VERSIONS_DIR = "backend/alembic/versions"
VERBS = {"alter": "modifier", "drop": "supprimer"}  # a column's `action`, as said in a message


# --------------------------------------------------------------------------- checks


def fields_problem(fields: Any, answers: dict[str, Any]) -> str:
    """Why the api's `fields` cannot become this part's columns ("" when they can)."""
    try:
        build_table({**answers, "columns": None, "fields": fields}, str(answers.get("name") or "x"), ["api"])
    except ColumnError as error:
        return f"fields : {error}"
    return ""


def columns_problem(value: Any, answers: dict[str, Any]) -> str:
    """The `columns` answer checked alone; alter/drop are checked against the model with `table_before`."""
    from .. import checks

    value = compact_answers.as_list("columns", value)
    answers = {**answers, "columns": value}
    parts = checks.chosen_parts(Path(__file__).resolve().parents[3], answers)
    if operation_of(answers, parts) == "alter_table" and isinstance(value, list):
        checked = []
        for spec in value:
            if isinstance(spec, dict) and spec.get("action") in ("alter", "drop"):
                if unknown := sorted(set(map(str, spec)) - set(KEYS)):
                    return f"columns : clé(s) inconnue(s) {', '.join(unknown)} ; une colonne connaît {', '.join(KEYS)}"
                # Checked as an added column here when it gives its type; the rest of it is checked once
                # the column's current definition is read from the model (`table_before`).
                spec = {k: v for k, v in spec.items() if k != "action"} if "type" in spec else {
                    "name": spec.get("name"), "type": "text"}  # fmt: skip
            checked.append(spec)
        answers["columns"] = checked
    try:
        build_table(answers, str(answers.get("name") or "x"), parts)
    except ColumnError as error:
        return f"columns : {error}"
    return ""


# --------------------------------------------------------------------------- derive / defaults / validators


def model_changes(unit: Any) -> list[Any]:
    """An alter_table unit's edits of the model class (extensions/tasks/apply_model_changes.py)."""
    changes = []
    for c in unit.database.columns:
        old = unit.database.before.get(c.name)
        item = c.table_arg() if c.action != "drop" else None
        changes.append(
            model_source.ColumnChange(
                name=c.name,
                action=c.action,
                lines=c.model_lines() if c.action != "drop" else [],
                unique_item=item,
                unique_name=c.unique_name if item else None,
                old_unique_name=old.unique_name if old is not None and old.table_arg() is not None else None,
            )
        )
    return changes


def derive(unit: Any) -> dict[str, Any]:
    answers = unit.answers
    try:
        table = build_table(answers, unit.name, list(unit.parts))
    except ColumnError as error:
        # Only reachable with answers that skipped the checks (e.g. an answers file edited by hand).
        raise ValueError(f"partie database de {unit.kind}/{unit.name} : {error}") from None
    before = answers.get("table_before") or {}
    revision = str(answers.get("revision") or "")
    down = [r for r in str(answers.get("down_revision") or "").split(",") if r]
    module = str(before.get("module") or table.name) if not table.creates else table.name
    klass = str(before.get("class") or model_class(table.name)) if not table.creates else model_class(table.name)
    change = create_ops(table) if table.creates else alter_ops(table)
    if len(down) > 1:
        down_source = "(" + ", ".join(py_literal(r) for r in down) + ")"
    else:
        down_source = py_literal(down[0]) if down else "None"
    expect = expectations(table)
    return {
        "operation": table.operation,
        "creates": table.creates,
        "alters": not table.creates,
        "table": table.name,
        "multi_tenant": table.tenant,
        "model_class": klass,
        "model_module": module,
        "model_import": f"app.models.{module}",
        "model_file": f"{MODELS_DIR}/{module}.py",
        "columns": table.columns,
        "added": [c for c in table.columns if c.action == "add"],
        "altered": [c for c in table.columns if c.action == "alter"],
        "dropped": [c for c in table.columns if c.action == "drop"],
        "before": table.before,
        "table_args": table_args_lines(table.table_args()) if table.table_args() else [],
        "model_imports": model_imports(table.columns),
        "revision": revision,
        "down_revision": down[0] if len(down) == 1 else (tuple(down) or None),
        "down_revision_source": down_source,
        # A merge revision (several heads) is downgraded to its first parent.
        "down_target": down[0] if down else "base",
        "def_line": def_line,
        "migration_file": f"{VERSIONS_DIR}/{revision}_{unit.snake}.py",
        "test_file": f"backend/tests/db/test_{unit.snake}_db.py",
        "upgrade": change.up,
        "downgrade": change.down,
        "expect": expect,
        "test_constants": test_constants(expect, table.creates),
        "uses_sa": any("sa." in line for line in [*change.up, *change.down]),
        "has_unique_per_tenant": table.creates and any(c.unique_constraint and c.tenant for c in table.columns),
        "required": [c for c in table.columns if c.action != "drop" and c.required],
    }


def new_revision(dst: Path, answers: dict[str, Any]) -> str:
    """A new Alembic revision id (12 hex digits, like `alembic revision`)."""
    return uuid.uuid4().hex[-12:]


def current_heads(dst: Path) -> list[str]:
    """The Alembic heads of the host's backend/alembic/versions (read, not imported)."""
    return model_source.heads(dst / VERSIONS_DIR)


def head_revision(dst: Path, answers: dict[str, Any]) -> str:
    """The host's head now ("" for the first revision; "a,b" when several heads: this one merges them)."""
    return ",".join(current_heads(dst))


def default_table(dst: Path, answers: dict[str, Any]) -> str:
    """From the unit name; for alter_table, a table the host's models define whose name the unit name says."""
    name = str(answers.get("name") or "")
    if answers.get("db_operation") == "alter_table":
        words = name.split("-")
        found = []
        for known in model_source.tables(dst / MODELS_DIR):
            for candidate in (known.split("_"), [*known.split("_")[:-1], singular(known.split("_")[-1])]):
                size = len(candidate)
                if any(words[i : i + size] == candidate for i in range(len(words) - size + 1)):
                    found.append(known)
        if found:
            return max(found, key=len)
    return table_from_name(name) if name else "items"


def default_columns(dst: Path, answers: dict[str, Any]) -> str:
    """A meaningful first answer, in the compact form: a small table, or one added column."""
    return DEFAULT_ALTER_COLUMNS_ANSWER if answers.get("db_operation") == "alter_table" else DEFAULT_COLUMNS_ANSWER


def read_table_before(dst: Path, answers: dict[str, Any]) -> str:
    """For alter_table: the table's model and the definitions of the columns altered or dropped.

    Refuses (before anything is written) when the model cannot be found or read, a column to add
    exists already, or a column to alter/drop does not exist. Computed once at `copier copy` and
    stored: an update re-renders the same migration even though the model has changed since.
    """
    from copier.errors import UserMessageError

    from .. import checks

    root = Path(__file__).resolve().parents[3]
    if not checks.asks(root, answers, "table_before"):
        return "{}"
    chosen = checks.chosen_parts(root, answers)
    operation = operation_of(answers, list(chosen))
    table = table_of(answers, str(answers.get("name") or ""))
    models = dst / MODELS_DIR
    found = model_source.find_model(models, table)
    if operation == "create_table":
        if found is not None:
            raise UserMessageError(
                f"la table {table!r} existe déjà : {found.path.relative_to(dst)} (classe {found.class_name}). "
                "Rien n'a été écrit. Pour la modifier, générez une unité alter_table (-d db_operation=alter_table)."
            )
        return "{}"
    if found is None:
        known = ", ".join(model_source.tables(models)) or "aucune"
        raise UserMessageError(
            f"aucun modèle de l'hôte ne correspond à la table {table!r} (tables trouvées dans {MODELS_DIR} : "
            f"{known}). Rien n'a été écrit. Choisissez une table existante, ou créez-la avec "
            "db_operation=create_table."
        )
    columns = compact_answers.as_list("columns", answers.get("columns"))
    if not isinstance(columns, list):
        columns = DEFAULT_ALTER_COLUMNS if answers.get("db_operation") == "alter_table" else DEFAULT_COLUMNS
    defined = model_source.read_columns(found)
    before: dict[str, Any] = {}
    for spec in columns:
        if not isinstance(spec, dict):
            continue
        name, action = spec.get("name"), spec.get("action") or "add"
        if action == "add" and name in defined:
            raise UserMessageError(
                f"la colonne {name!r} existe déjà dans {table} ({found.path.relative_to(dst)}) : "
                "utilisez `action: alter` pour la modifier. Rien n'a été écrit."
            )
        if action in ("alter", "drop"):
            if name not in defined:
                raise UserMessageError(
                    f"la table {table} n'a pas de colonne {name!r} à {VERBS[action]} (colonnes définies dans "
                    f"{found.path.relative_to(dst)} : {', '.join(defined) or 'aucune'}). Rien n'a été écrit."
                )
            spec_before = defined[name]
            if isinstance(spec_before, str):
                raise UserMessageError(
                    f"impossible de {VERBS[action]} {table}.{name} : {spec_before} ({found.path.relative_to(dst)}). "
                    "Rien n'a été écrit ; changez cette colonne avec une migration écrite à la main."
                )
            before[str(name)] = spec_before
    result = {
        "model": found.path.relative_to(dst).as_posix(),
        "module": found.path.stem,
        "class": found.class_name,
        "tenant": found.tenant,
        "columns": before,
    }
    try:
        build_table({**answers, "columns": columns, "table_before": result}, str(answers.get("name")), list(chosen))
    except ColumnError as error:
        raise UserMessageError(f"columns : {error}. Rien n'a été écrit.") from None
    return json.dumps(result)


def operation_problem(value: Any, answers: dict[str, Any]) -> str:
    return "" if value in OPERATIONS else f"db_operation est l'une des valeurs {', '.join(OPERATIONS)}, pas {value!r}"


def own_table(dst: Path, answers: dict[str, Any], model: Path) -> bool:
    """Whether `model` is this unit's own (an update re-checks the table it created), not a clash:
    the unit exists (its answers file) and the model module is named after its table."""
    unit = dst / naming.answers_file(str(answers.get("kind")), str(answers.get("name")))
    return unit.is_file() and model.stem == table_of(answers, str(answers.get("name") or ""))


def table_answer_problem(value: Any, answers: dict[str, Any]) -> str:
    """The table's form, and for a new table, that no model of the host maps it already: refused at
    this question rather than after every other one."""
    if problem := table_problem(value):
        return problem
    dst = destination(answers)
    if dst is None or operation_of(answers, []) != "create_table":
        return ""
    found = model_source.find_model(dst / MODELS_DIR, str(value))
    if found is None or own_table(dst, {**answers, "table": value}, found.path):
        return ""
    return (
        f"la table {value!r} existe déjà : {found.path.relative_to(dst).as_posix()} (classe "
        f"{found.class_name}) ; pour la modifier, choisissez alter_table (-d db_operation=alter_table), "
        "sinon un autre nom de table"
    )


def destination(answers: dict[str, Any]) -> Path | None:
    """The destination (a host) when the answers are copier's context, else None."""
    try:
        return Path(str(answers["_copier_conf"]["dst_path"]))
    except (KeyError, TypeError):
        return None


DEFAULTS = {
    "revision": new_revision,
    "down_revision": head_revision,
    "table": default_table,
    "columns": default_columns,
    "table_before": read_table_before,
}

VALIDATORS = {
    "db_operation": operation_problem,
    "table": table_answer_problem,
    "columns": columns_problem,
}
