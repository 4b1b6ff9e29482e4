"""Reading and editing the host's model and migration files as source (`ast`), never importing them.

Copier's Python does not have the host's dependencies, and a unit must not run the host's code to be
generated, so the database part reads the files:

- `heads(versions)`: the Alembic heads of backend/alembic/versions (a new revision chains to them);
- `find_model(models, table)`: the class whose `__tablename__` is `table`;
- `read_columns(model)`: its `mapped_column` statements, as column answers (what an alter_table unit
  needs to write its downgrade);
- `apply(model, ...)`: an alter_table unit's change to that class — column statements added,
  replaced or removed in place, per-tenant unique constraints in `__table_args__`, standard imports
  kept exact — idempotent, and marked with a `# vectra:unit <kind>/<name>` comment line.

Every edit keeps the rest of the file byte for byte. What it cannot do safely it refuses, with a
message saying what to change by hand (the drift test fails until the model matches).
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import host_files
from .source_format import Call, Kw, flat, table_args_lines

MARKER = "# vectra:unit "
SQLA_TYPES = {
    "String": "string", "VARCHAR": "string", "Unicode": "string", "Text": "text", "UnicodeText": "text",
    "TEXT": "text", "Integer": "integer", "INTEGER": "integer", "BigInteger": "bigint", "BIGINT": "bigint",
    "Float": "float", "Double": "float", "FLOAT": "float", "Numeric": "numeric", "NUMERIC": "numeric",
    "DECIMAL": "numeric", "Boolean": "boolean", "BOOLEAN": "boolean", "Date": "date", "DATE": "date",
    "DateTime": "datetime", "TIMESTAMP": "datetime", "Uuid": "uuid", "UUID": "uuid", "JSON": "json",
    "Enum": "enum",
}  # fmt: skip


class ModelEditError(Exception):
    """The model cannot be changed safely; it was left untouched."""


# --------------------------------------------------------------------------- migrations


@functools.lru_cache(maxsize=1024)
def _revision_ids(source: str) -> tuple[str | None, list[str]]:
    """A migration's revision and what it revises, by the file's text (parsed once per text)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None, []
    found: dict[str, Any] = {}
    for node in tree.body:
        target = (
            node.targets[0]
            if isinstance(node, ast.Assign) and len(node.targets) == 1
            else getattr(node, "target", None)
        )
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and node.value is not None:
            try:
                found[target.id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    revision, down = found.get("revision"), found.get("down_revision")
    downs = [down] if isinstance(down, str) else [d for d in down or () if isinstance(d, str)]
    return (revision if isinstance(revision, str) else None), downs


def heads(versions: Path) -> list[str]:
    """Revisions no other revision revises (sorted); [] when there is none yet."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for source in host_files.texts(versions).values():
        revision, downs = _revision_ids(source)
        if revision:
            revisions.add(revision)
            revised.update(downs)
    return sorted(revisions - revised)


# --------------------------------------------------------------------------- models


@dataclass
class Model:
    path: Path
    class_name: str
    tenant: bool
    source: str


def _tablename(node: ast.ClassDef) -> str | None:
    for stmt in node.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        value = getattr(stmt, "value", None)
        for target in targets:
            if isinstance(target, ast.Name) and target.id == "__tablename__" and isinstance(value, ast.Constant):
                return value.value if isinstance(value.value, str) else None
    return None


def _model_classes(models: Path) -> list[tuple[Path, ast.ClassDef, str, str]]:
    found = []
    for path, source in host_files.texts(models).items():
        if not path.name.startswith("_"):
            found.extend((path, node, table, source) for node, table in _tables_in(source))
    return found


@functools.lru_cache(maxsize=512)
def _tables_in(source: str) -> tuple[tuple[ast.ClassDef, str], ...]:
    """The model classes of one file's text. Copier checks the answers once per answer given, each
    check reads the host's models: parsing (the cost) happens once per distinct text. The nodes are
    shared, so nothing may change them."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    return tuple((node, table) for node in tree.body if isinstance(node, ast.ClassDef) and (table := _tablename(node)))


def tables(models: Path) -> list[str]:
    return sorted({table for _, _, table, _ in _model_classes(models)})


def _name_of(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name_of(node.func)
    return ""


def _is_tenant(node: ast.ClassDef) -> bool:
    if any(_name_of(base) == "TenantMixin" for base in node.bases):
        return True
    return any(isinstance(s, ast.AnnAssign) and getattr(s.target, "id", "") == "tenant_id" for s in node.body)


def find_model(models: Path, table: str) -> Model | None:
    for path, node, name, source in _model_classes(models):
        if name == table:
            return Model(path, node.name, _is_tenant(node), source)
    return None


def _class(tree: ast.Module, name: str) -> ast.ClassDef:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    raise ModelEditError(f"la classe {name} n'est plus dans le fichier")


def _column_statements(node: ast.ClassDef) -> dict[str, ast.AnnAssign]:
    found = {}
    for stmt in node.body:
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and isinstance(stmt.value, ast.Call)
            and _name_of(stmt.value.func) == "mapped_column"
        ):
            found[stmt.target.id] = stmt
    return found


def _table_args(node: ast.ClassDef) -> ast.Assign | None:
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(getattr(t, "id", "") == "__table_args__" for t in stmt.targets):
            return stmt
    return None


def _tenant_uniques(node: ast.ClassDef) -> dict[str, str]:
    """Columns made unique per tenant in `__table_args__`: column -> constraint name."""
    found: dict[str, str] = {}
    stmt = _table_args(node)
    if stmt is None or not isinstance(stmt.value, ast.Tuple):
        return found
    for item in stmt.value.elts:
        if isinstance(item, ast.Call) and _name_of(item.func) == "UniqueConstraint":
            cols = [a.value for a in item.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            names = [k.value.value for k in item.keywords if k.arg == "name" and isinstance(k.value, ast.Constant)]
            name = names[0] if names else ""
            if len(cols) == 2 and cols[0] == "tenant_id":
                found[cols[1]] = str(name)
    return found


def _optional(annotation: ast.AST) -> bool | None:
    """Whether `Mapped[X | None]` / `Mapped[Optional[X]]`; None when it is not a Mapped[...]."""
    if not (isinstance(annotation, ast.Subscript) and _name_of(annotation.value) == "Mapped"):
        return None
    inner = annotation.slice
    if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.BitOr):
        return any(isinstance(side, ast.Constant) and side.value is None for side in (inner.left, inner.right))
    # `Mapped[Any]` (json) says nothing: its nullable= is written out.
    return isinstance(inner, ast.Subscript) and _name_of(inner.value) == "Optional"


def _literal(node: ast.AST) -> Any:
    return ast.literal_eval(node)


def _server_default(node: ast.AST, type_name: str) -> Any:
    """Our server defaults back to an answer value; ValueError when it is something else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call):
        func = _name_of(node.func)
        if func in ("true", "false") and not node.args:
            return func == "true"
        if func == "now" and not node.args:
            return "now"
        if func == "text" and len(node.args) == 1 and isinstance(node.args[0], ast.Constant):
            text = str(node.args[0].value)
            if type_name in ("integer", "bigint"):
                return int(text)
            if type_name == "float":
                return float(text)
            if type_name == "boolean" and text.lower() in ("true", "false", "1", "0"):
                return text.lower() in ("true", "1")
            return text
    raise ValueError("server_default")


def column_spec(stmt: ast.AnnAssign, tenant_uniques: dict[str, str]) -> dict[str, Any] | str:
    """A `name: Mapped[...] = mapped_column(...)` statement as a column answer, or why it cannot be."""
    call = stmt.value
    assert isinstance(call, ast.Call)
    spec: dict[str, Any] = {}
    for arg in call.args:
        name = _name_of(arg)
        if name == "ForeignKey" and isinstance(arg, ast.Call) and arg.args:
            spec["foreign_key"] = _literal(arg.args[0])
            if arg.keywords:
                return "son ForeignKey(...) a des options que ce blueprint ne gère pas"
        elif name in SQLA_TYPES:
            spec["type"] = SQLA_TYPES[name]
            args = arg.args if isinstance(arg, ast.Call) else []
            kwargs = {k.arg: k.value for k in arg.keywords} if isinstance(arg, ast.Call) else {}
            try:
                if spec["type"] == "string":
                    length = args[0] if args else kwargs.get("length")
                    if length is None:
                        return "son String n'a pas de longueur"
                    spec["length"] = _literal(length)
                elif spec["type"] == "numeric":
                    values = [_literal(a) for a in args]
                    values = values or [_literal(kwargs[k]) for k in ("precision", "scale") if k in kwargs]
                    if len(values) != 2:
                        return "son Numeric demande une précision et une échelle"
                    spec["precision"], spec["scale"] = values
                elif spec["type"] == "enum":
                    if "native_enum" not in kwargs or _literal(kwargs["native_enum"]) is not False:
                        return "un enum natif (CREATE TYPE) n'est pas géré par ce blueprint"
                    spec["choices"] = [_literal(a) for a in args]
                    if "length" in kwargs:
                        spec["length"] = _literal(kwargs["length"])
                elif spec["type"] == "datetime" and "timezone" in kwargs and _literal(kwargs["timezone"]) is not True:
                    return "un DateTime sans fuseau horaire (timezone) n'est pas géré par ce blueprint"
            except (ValueError, IndexError):
                return f"les arguments de son {name}(...) ne sont pas des littéraux"
        else:
            return f"son argument {ast.unparse(arg)} n'est ni un type ni un ForeignKey que ce blueprint gère"
    if "type" not in spec:
        return "mapped_column(...) ne nomme pas son type SQL"
    for keyword_ in call.keywords:
        key = keyword_.arg
        try:
            if key in ("nullable", "index", "unique"):
                spec[key] = _literal(keyword_.value)
            elif key == "server_default":
                spec["default"] = _server_default(keyword_.value, spec["type"])
            else:
                return f"mapped_column(..., {key}=...) n'est pas géré par ce blueprint"
        except ValueError:
            return f"son {key}= n'est pas un littéral que ce blueprint sait lire"
    optional = _optional(stmt.annotation)
    if "nullable" not in spec:
        if optional is None:
            return "son annotation n'est pas Mapped[...]"
        spec["nullable"] = bool(optional)
    if stmt.target.id in tenant_uniques:  # type: ignore[union-attr]
        spec["unique"] = True
    return {k: v for k, v in spec.items() if v is not False or k == "nullable"}


def read_columns(model: Model) -> dict[str, dict[str, Any] | str]:
    """Every column statement of the class: name -> its answer, or why it cannot be read."""
    node = _class(ast.parse(model.source), model.class_name)
    uniques = _tenant_uniques(node)
    columns: dict[str, dict[str, Any] | str] = {}
    for name, stmt in _column_statements(node).items():
        if name in ("id", "tenant_id", "created_at", "updated_at"):
            continue
        columns[name] = column_spec(stmt, uniques)
    return columns


# --------------------------------------------------------------------------- editing


def _marker_above(lines: list[str], index: int) -> int | None:
    """Index of the `# vectra:unit` comment line just above line `index`, if any."""
    if index > 0 and lines[index - 1].strip().startswith(MARKER):
        return index - 1
    return None


def _span(stmt: ast.stmt) -> tuple[int, int]:
    return stmt.lineno - 1, (stmt.end_lineno or stmt.lineno)


@dataclass(frozen=True)
class ColumnChange:
    name: str
    action: str  # add | alter | drop
    lines: list[str]  # the new statement (indented), empty for drop
    unique_item: Any  # the per-tenant UniqueConstraint of the new column (a source_format.Call), if any
    unique_name: str | None  # its name
    old_unique_name: str | None  # the name of the old column's per-tenant UniqueConstraint, if any


def _edit_body(source: str, class_name: str, changes: list[ColumnChange], key: str) -> str:
    lines = source.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    node = _class(ast.parse(source), class_name)
    statements = _column_statements(node)
    indent = " " * node.body[0].col_offset
    marker = f"{indent}{MARKER}{key}{newline}"
    # Where new columns go: after the last column statement, or after __tablename__/__table_args__.
    anchor_stmt = list(statements.values())[-1] if statements else None
    if anchor_stmt is None:
        anchor_stmt = next(s for s in node.body if isinstance(s, (ast.Assign, ast.AnnAssign)))
    insert_at = _span(anchor_stmt)[1]
    edits: list[tuple[int, int, list[str]]] = []  # (start, end, replacement), on the original lines
    inserted: list[str] = []
    for change in changes:
        body = [line + newline for line in change.lines]
        stmt = statements.get(change.name)
        if stmt is None:
            if change.action == "drop":
                continue  # already dropped
            if change.action == "alter":
                raise ModelEditError(
                    f"la colonne {change.name} n'est pas dans la classe {class_name} : impossible de la modifier"
                )
            inserted += [marker, *body]
            continue
        start, end = _span(stmt)
        current = "".join(lines[start:end])
        above = _marker_above(lines, start)
        ours = above is not None and lines[above].strip() == marker.strip()
        if change.action == "drop":
            edits.append((above if above is not None else start, end, []))
        elif current == "".join(body):
            continue
        elif change.action == "add" and not ours:
            raise ModelEditError(
                f"la colonne {change.name} existe déjà dans la classe {class_name} et n'a pas été ajoutée par {key}"
            )
        else:
            replace_from = above if above is not None else start
            edits.append((replace_from, end, [marker, *body]))
    if inserted:
        edits.append((insert_at, insert_at, inserted))
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = replacement
    return "".join(lines)


def _to_expr(node: ast.expr, source: str) -> Any:
    """A `__table_args__` item: its own text when on one line, else rebuilt (ruff re-wraps it alike)."""
    segment = ast.get_source_segment(source, node)
    if segment is not None and "\n" not in segment:
        return segment
    if isinstance(node, ast.Call):
        func = ast.get_source_segment(source, node.func)
        args = [_to_expr(a, source) for a in node.args]
        args += [Kw(k.arg, _to_expr(k.value, source)) for k in node.keywords if k.arg]
        if func and "\n" not in func and len(args) == len(node.args) + len(node.keywords):
            return Call(func, tuple(args))
    raise ModelEditError(
        "un élément de __table_args__ s'étend sur plusieurs lignes d'une façon que cette modification ne peut "
        "pas garder : modifiez-le à la main"
    )


def _edit_table_args(source: str, class_name: str, changes: list[ColumnChange]) -> str:
    node = _class(ast.parse(source), class_name)
    stmt = _table_args(node)
    lines = source.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if not any(c.unique_item or c.old_unique_name for c in changes):
        return source
    items: list[Any] = []
    if stmt is not None:
        if not isinstance(stmt.value, ast.Tuple):
            raise ModelEditError(
                f"{class_name}.__table_args__ n'est pas un tuple : ajoutez la contrainte d'unicité à la main"
            )
        items = [_to_expr(item, source) for item in stmt.value.elts]
    before = [flat(i) for i in items]
    for change in changes:
        keep = flat(change.unique_item) if change.unique_item and change.action != "drop" else None
        names = {n for n in (change.old_unique_name, change.unique_name) if n}
        items = [i for i in items if flat(i) == keep or not any(f'"{n}"' in flat(i) for n in names)]
        if keep and keep not in [flat(i) for i in items]:
            items.append(change.unique_item)
    if [flat(i) for i in items] == before:
        return source
    indent = " " * node.body[0].col_offset
    text = "".join(line + newline for line in table_args_lines(items, len(indent))) if items else ""
    if stmt is not None:
        start, end = _span(stmt)
        lines[start:end] = [text] if text else []
    else:
        tablename = next(
            s for s in node.body if isinstance(s, ast.Assign) and getattr(s.targets[0], "id", "") == "__tablename__"
        )
        at = _span(tablename)[1]
        lines[at:at] = [text]
    return "".join(lines)


# --------------------------------------------------------------------------- imports


def _section(module: str) -> int:
    top = module.split(".")[0]
    if top == "__future__":
        return 0
    if top in sys.stdlib_module_names:
        return 1
    if top in ("app", "tests"):
        return 3
    return 2


def _import_key(stmt: ast.stmt) -> tuple[int, int, str]:
    if isinstance(stmt, ast.Import):
        module = stmt.names[0].name
        return _section(module), 0, module.lower()
    assert isinstance(stmt, ast.ImportFrom)
    module = stmt.module or ""
    return _section(module), 1, module.lower()


def _bound_names(tree: ast.Module) -> set[str]:
    names = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in stmt.names)
    return names


def _used_names(tree: ast.Module) -> set[str]:
    used = set()
    annotations = [n.annotation for n in ast.walk(tree) if isinstance(n, (ast.AnnAssign, ast.arg)) and n.annotation]
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
    for annotation in annotations:  # string annotations ("dt.date") use names too
        for node in ast.walk(annotation):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                used.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", node.value))
    return used


def fix_imports(source: str, wanted: dict[str, str]) -> str:
    """Add the import lines of `wanted` (name -> line) that are used and unbound; remove those unused.

    Only lines exactly as in `wanted` are removed; a new line goes where ruff's isort puts it.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    used, bound = _used_names(tree), _bound_names(tree)
    imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom)) and s.col_offset == 0]
    removals = []
    for stmt in imports:
        text = ast.get_source_segment(source, stmt)
        name = next((n for n, line in wanted.items() if line == text), None)
        if name is not None and name not in used:
            removals.append(stmt)
    additions = [line for name, line in wanted.items() if name in used and name not in bound]
    if not removals and not additions:
        return source
    # Remove first (bottom-up), each with a blank line it would leave doubled.
    for stmt in sorted(removals, key=lambda s: s.lineno, reverse=True):
        start, end = _span(stmt)
        blank_before = start > 0 and not lines[start - 1].strip()
        blank_after = end < len(lines) and not lines[end].strip()
        if blank_before and blank_after:
            end += 1
        del lines[start:end]
    source = "".join(lines)
    for line in additions:
        source = _insert_import(source, line, newline)
    return source


def _insert_import(source: str, line: str, newline: str) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    new = ast.parse(line).body[0]
    key = _import_key(new)
    imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    same = [s for s in imports if _import_key(s)[0] == key[0]]
    if same:
        after = [s for s in same if _import_key(s) > key]
        at = _span(after[0])[0] if after else _span(same[-1])[1]
        lines[at:at] = [line + newline]
        return "".join(lines)
    later = [s for s in imports if _import_key(s)[0] > key[0]]
    if later:
        at = _span(later[0])[0]
        lines[at:at] = [line + newline, newline]
        return "".join(lines)
    if imports:
        at = _span(imports[-1])[1]
        lines[at:at] = [newline, line + newline]
        return "".join(lines)
    doc = tree.body[0] if tree.body and isinstance(tree.body[0], ast.Expr) else None
    at = _span(doc)[1] if doc else 0
    lines[at:at] = [newline, line + newline] if doc else [line + newline, newline]
    return "".join(lines)


# --------------------------------------------------------------------------- apply


def apply(model: Model, changes: list[ColumnChange], key: str, wanted_imports: dict[str, str]) -> str:
    """The model's new source with `changes` applied (the same source when already applied)."""
    tree = ast.parse(model.source)
    _class(tree, model.class_name)
    bound = _bound_names(tree)
    if "mapped_column" not in bound or "Mapped" not in bound:
        raise ModelEditError(f"{model.path.name} n'importe pas Mapped et mapped_column depuis sqlalchemy.orm")
    source = _edit_body(model.source, model.class_name, changes, key)
    source = _edit_table_args(source, model.class_name, changes)
    source = fix_imports(source, {"sa": "import sqlalchemy as sa", **wanted_imports})
    ast.parse(source)  # never write a file that does not parse
    return source
