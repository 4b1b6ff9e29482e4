"""Alembic operations of the unit's revision, and what its generated tests expect of it.

Why it exists: turning a `Table` (columns.py) into the `upgrade()`/`downgrade()` bodies of a migration,
written the way `alembic revision --autogenerate` writes them (create_table), or as batch operations
that SQLite and PostgreSQL both run (alter_table), is a small code generator of its own; the database
part only puts its result in the context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .columns import TENANT_LENGTH, Column, Table
from .source_format import Call, Kw, Lst, Tup, constant_lines, flat, lines, py_literal


@dataclass
class Change:
    """A migration's body: the upgrade lines, and the downgrade lines that undo them."""

    up: list[str]
    down: list[str]


# --------------------------------------------------------------------------- migration operations


def _op(name: str, *args: Any) -> Call:
    return Call(name, tuple(args))


def create_ops(table: Table) -> Change:
    """create_table + its indexes, written the way `alembic revision --autogenerate` writes them."""
    t = py_literal(table.name)
    items: list[Any] = [t, Call("sa.Column", ('"id"', Call("sa.Integer"), "nullable=False"))]
    items += [c.sa_column() for c in table.columns]
    if table.tenant:
        tenant = Call("sa.String", (f"length={TENANT_LENGTH}",))
        items.append(Call("sa.Column", ('"tenant_id"', tenant, "nullable=False")))
    for stamp in ("created_at", "updated_at"):
        items.append(Call("sa.Column", (py_literal(stamp), Call("sa.DateTime", ("timezone=True",)),
                                        Kw("server_default", "sa.func.now()"), "nullable=False")))  # fmt: skip
    for c in table.columns:
        if c.foreign_key:
            target = (f"[{py_literal(c.name)}]", f"[{py_literal(str(c.foreign_key))}]")
            items.append(Call("sa.ForeignKeyConstraint", (*target, f"name=op.f({py_literal(c.fk_name)})")))
    items.append(Call("sa.PrimaryKeyConstraint", ('"id"', f"name=op.f({py_literal('pk_' + table.name)})")))
    for c in table.columns:
        if c.unique_constraint:
            cols = tuple(py_literal(x) for x in c.unique_columns)
            items.append(Call("sa.UniqueConstraint", (*cols, f"name=op.f({py_literal(c.unique_name)})")))
    up = ["    op.create_table(", *[ln for item in items for ln in lines(item, 8, "", ",")], "    )"]
    drops: list[list[str]] = []
    indexes = [(f"ix_{table.name}_tenant_id", "tenant_id", False)] if table.tenant else []
    indexes += [(c.index_name, c.name, c.unique_index) for c in table.columns if c.index]
    for name, column, unique in indexes:
        index = f"op.f({py_literal(name)})"
        up += lines(_op("op.create_index", index, t, f"[{py_literal(column)}]", f"unique={unique}"), 4)
        drops.append(lines(_op("op.drop_index", index, f"table_name={t}"), 4))
    # Indexes are dropped in the reverse order of their creation, then the table.
    down = [line for statement in reversed(drops) for line in statement]
    down += lines(_op("op.drop_table", t), 4)
    return Change(up, down)


def _objects(c: Column) -> dict[str, tuple[str, ...]]:
    """The constraints and indexes a column carries: name -> what identifies it (for diffs)."""
    found: dict[str, tuple[str, ...]] = {}
    if c.index:
        found[c.index_name] = ("index", c.name, str(c.unique_index))
    if c.unique_constraint:
        found[c.unique_name] = ("unique", *c.unique_columns)
    if c.foreign_key:
        found[c.fk_name] = ("fk", c.name, c.foreign_key)
    return found


def _create_object(c: Column, name: str, kind: str) -> list[Any]:
    f = f"batch_op.f({py_literal(name)})"
    if kind == "index":
        return [_op("batch_op.create_index", f, f"[{py_literal(c.name)}]", f"unique={c.unique_index}")]
    if kind == "unique":
        cols = Lst("", tuple(py_literal(x) for x in c.unique_columns))
        return [_op("batch_op.create_unique_constraint", f, cols)]
    return [_op("batch_op.create_foreign_key", f, py_literal(str(c.fk_table)), f"[{py_literal(c.name)}]",
                f"[{py_literal(str(c.fk_column))}]")]  # fmt: skip


def _drop_object(name: str, kind: str) -> list[Any]:
    f = f"batch_op.f({py_literal(name)})"
    if kind == "index":
        return [_op("batch_op.drop_index", f)]
    return [_op("batch_op.drop_constraint", f, f'type_="{"unique" if kind == "unique" else "foreignkey"}"')]


@dataclass(frozen=True)
class Outside:
    """A statement that runs between batch blocks (SQLite runs a block's operations at its end)."""

    expr: Any


def _add_column(c: Column) -> list[Any]:
    """Operations that add `c`, without its constraints."""
    late_default = c.server_default == "sa.func.now()"  # SQLite's ADD COLUMN takes constant defaults only
    if not c.required and not late_default:
        return [_op("batch_op.add_column", c.sa_column())]
    # Added nullable (and without a non-constant default), then given its default and NOT NULL: SQLite
    # rebuilds the table for that second step, PostgreSQL alters it.
    ops: list[Any] = [_op("batch_op.add_column", c.sa_column(nullable=True, default=not late_default))]
    if late_default and not c.nullable:
        sql = f"UPDATE {c.table} SET {c.name} = CURRENT_TIMESTAMP WHERE {c.name} IS NULL"
        ops.append(Outside(_op("op.execute", _op("sa.text", py_literal(sql)))))
    elif not c.nullable:
        ops.append("# NOT NULL fails on rows that have no value yet: give a default, or fill them first.")
    args: list[Any] = [py_literal(c.name), Kw("existing_type", c.sa_type)]
    if late_default:
        args.append(Kw("server_default", "sa.func.now()"))
    if not c.nullable:
        args.append("nullable=False")
    return [*ops, _op("batch_op.alter_column", *args)]


def _column_ops(old: Column | None, new: Column | None) -> list[Any]:
    """Operations that turn column `old` into `new` (None: absent)."""
    old_objects = _objects(old) if old else {}
    new_objects = _objects(new) if new else {}
    ops: list[Any] = []
    for name, ident in old_objects.items():
        if new_objects.get(name) != ident:
            ops += _drop_object(name, ident[0])
    if old is None and new is not None:
        ops += _add_column(new)
    elif new is None and old is not None:
        ops.append(_op("batch_op.drop_column", py_literal(old.name)))
    elif old is not None and new is not None:
        args: list[Any] = [py_literal(new.name), Kw("existing_type", old.sa_type)]
        if flat(old.sa_type) != flat(new.sa_type):
            args.append(Kw("type_", new.sa_type))
            if old.python_type != new.python_type:  # PostgreSQL casts only close types by itself
                args.append(Kw("postgresql_using", py_literal(f"{new.name}::{new.pg_type}")))
        if old.server_default != new.server_default:
            args.append(Kw("server_default", new.server_default or "None"))
            if old.server_default:
                args.append(Kw("existing_server_default", old.server_default))
        elif old.server_default:
            args.append(Kw("existing_server_default", old.server_default))
        if old.nullable != new.nullable:
            args.append(f"nullable={new.nullable}")
        args.append(f"existing_nullable={old.nullable}")
        changed = flat(old.sa_type) != flat(new.sa_type) or old.server_default != new.server_default
        if changed or old.nullable != new.nullable:
            ops.append(Call("batch_op.alter_column", tuple(args)))
    for name, ident in new_objects.items():
        if old_objects.get(name) != ident and new is not None:
            ops += _create_object(new, name, ident[0])
    return ops


def alter_ops(table: Table) -> Change:
    """One batch_alter_table block each way (batch mode: SQLite recreates the table when needed)."""
    up_ops: list[Any] = []
    down_ops: list[Any] = []
    for c in table.columns:
        old = table.before.get(c.name) if c.action != "add" else None
        up_ops += _column_ops(old, None if c.action == "drop" else c)
    for c in reversed(table.columns):
        old = table.before.get(c.name) if c.action != "add" else None
        down_ops += _column_ops(None if c.action == "drop" else c, old)
    block = f"    with op.batch_alter_table({py_literal(table.name)}) as batch_op:"

    def body(ops: list[Any]) -> list[str]:
        out: list[str] = []
        inside = False
        for op in ops:
            if isinstance(op, Outside):
                out += lines(op.expr, 4)
                inside = False
                continue
            if not inside:
                out.append(block)
                inside = True
            out += lines(op, 8)
        return out or [block, "        pass"]

    return Change(body(up_ops), body(down_ops))


# --------------------------------------------------------------------------- what the tests expect


def _type_source(c: Column) -> Call:
    return c.sa_type


def expectations(table: Table) -> dict[str, Any]:
    """What the generated tests assert, after this revision and after its downgrade."""
    after_cols: dict[str, tuple[bool, Call, bool]] = {}  # name -> (nullable, type, has default)
    before_cols: dict[str, tuple[bool, Call, bool]] = {}
    absent_after: list[str] = []
    absent_before: list[str] = []
    indexes: dict[str, tuple[tuple[str, ...], bool]] = {}
    uniques: dict[str, tuple[str, ...]] = {}
    fks: dict[str, tuple[str, str, str]] = {}
    gone: list[str] = []  # constraints/indexes this revision removes
    created: list[str] = []  # alter_table: constraints/indexes that did not exist before it
    if table.creates:
        after_cols["id"] = (False, Call("sa.Integer"), False)
        if table.tenant:
            after_cols["tenant_id"] = (False, Call("sa.String", (str(TENANT_LENGTH),)), False)
            indexes[f"ix_{table.name}_tenant_id"] = (("tenant_id",), False)
        for stamp in ("created_at", "updated_at"):
            after_cols[stamp] = (False, Call("sa.DateTime", ("timezone=True",)), True)
    for c in table.columns:
        old = table.before.get(c.name) if c.action != "add" else None
        if c.action == "drop":
            absent_after.append(c.name)
        else:
            after_cols[c.name] = (c.nullable, _type_source(c), c.server_default is not None)
            if c.index:
                indexes[c.index_name] = ((c.name,), c.unique_index)
            if c.unique_constraint:
                uniques[c.unique_name] = c.unique_columns
            if c.foreign_key:
                fks[c.fk_name] = (c.name, str(c.fk_table), str(c.fk_column))
        if old is not None:
            before_cols[c.name] = (old.nullable, _type_source(old), old.server_default is not None)
            new_names = set(_objects(c)) if c.action != "drop" else set()
            gone += [name for name in _objects(old) if name not in new_names]
        elif not table.creates:
            absent_before.append(c.name)
        if not table.creates and c.action != "drop":
            created += [name for name in _objects(c) if old is None or name not in _objects(old)]
    return {
        "after": after_cols,
        "before": before_cols,
        "absent_after": absent_after,
        "absent_before": absent_before,
        "indexes": indexes,
        "uniques": uniques,
        "foreign_keys": fks,
        "gone": gone,
        "created": created,
    }


def _str_tuple(items: Any) -> Tup:
    return Tup("", tuple(py_literal(str(i)) for i in items))


def test_constants(expect: dict[str, Any], creates: bool) -> list[str]:
    """The constants the generated tests assert (what the revision writes and removes)."""
    out: list[str] = ["# Columns as this revision leaves them: name -> (nullable, type)."]
    out += constant_lines("AFTER", [(k, Tup("", (str(n), t))) for k, (n, t, _) in expect["after"].items()])
    if not creates:
        out += ["# The same columns after the downgrade (as they were before this revision)."]
        out += constant_lines("BEFORE", [(k, Tup("", (str(n), t))) for k, (n, t, _) in expect["before"].items()])
        out += ["# Columns this revision adds (absent after the downgrade) and drops (absent after it)."]
        out += constant_lines("ADDED", [(k, None) for k in expect["absent_before"]], mapping=False)
    out += constant_lines("DROPPED", [(k, None) for k in expect["absent_after"]], mapping=False)
    out += ["# Indexes, unique constraints and foreign keys it writes, by name."]
    out += constant_lines(
        "INDEXES", [(k, Tup("", (_str_tuple(cols), str(unique)))) for k, (cols, unique) in expect["indexes"].items()]
    )
    out += constant_lines("UNIQUE_CONSTRAINTS", [(k, _str_tuple(cols)) for k, cols in expect["uniques"].items()])
    out += constant_lines(
        "FOREIGN_KEYS",
        [
            (k, Tup("", (_str_tuple([col]), py_literal(table), _str_tuple([ref]))))
            for k, (col, table, ref) in expect["foreign_keys"].items()
        ],
    )
    out += constant_lines("WITH_DEFAULT", [(k, None) for k, (_, _, d) in expect["after"].items() if d], mapping=False)
    out += ["# Indexes and constraints it removes" + ("" if creates else ", and those it creates") + "."]
    out += constant_lines("REMOVED", [(k, None) for k in expect["gone"]], mapping=False)
    if not creates:
        out += constant_lines("CREATED", [(k, None) for k in expect["created"]], mapping=False)
    return out
