"""Schema helpers for the integration-db tests of database units (tests/db/test_<unit>_db.py).

They read a database as it is (SQLAlchemy's inspector), compare it with the models the way
`alembic check` does, and build rows that satisfy a table's NOT NULL columns. Each generated test
states what its revision writes; these helpers only look.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.models import load_models
from tests.utils import run_alembic


@dataclass(frozen=True)
class ColumnState:
    type: sa.types.TypeEngine[Any]  # as reflected
    nullable: bool
    has_default: bool  # a server default


@dataclass(frozen=True)
class TableState:
    columns: dict[str, ColumnState]
    indexes: dict[str, tuple[tuple[str, ...], bool]]  # name -> (columns, unique)
    unique_constraints: dict[str, tuple[str, ...]]  # name -> columns
    # name -> (columns, referred table, referred columns)
    foreign_keys: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]]


def upgrade(engine: Engine, revision: str) -> None:
    run_alembic(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    run_alembic(engine, command.downgrade, revision)


def table_state(engine: Engine, table: str) -> TableState | None:
    """The table as the database has it now, or None when it does not exist."""
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        if not inspector.has_table(table):
            return None
        columns = {
            c["name"]: ColumnState(c["type"], bool(c["nullable"]), c.get("default") is not None)
            for c in inspector.get_columns(table)
        }
        # PostgreSQL also lists the index behind each unique constraint: it is not an index of ours.
        indexes = {
            str(i["name"]): (tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes(table)
            if not i.get("duplicates_constraint")
        }
        uniques = {
            str(u["name"]): tuple(u["column_names"])
            for u in inspector.get_unique_constraints(table)
        }
        foreign_keys = {
            str(f["name"]): (
                tuple(f["constrained_columns"]),
                f["referred_table"],
                tuple(f["referred_columns"]),
            )
            for f in inspector.get_foreign_keys(table)
        }
    return TableState(columns, indexes, uniques, foreign_keys)


def same_type(
    engine: Engine, reflected: sa.types.TypeEngine[Any], expected: sa.types.TypeEngine[Any]
) -> bool:
    """Whether a reflected type is `expected` as Alembic compares them (`compare_type=True`)."""
    with engine.connect() as connection:
        impl = MigrationContext.configure(connection).impl
        return not impl.compare_type(sa.Column("c", reflected), sa.Column("c", expected))


def column_problems(
    engine: Engine,
    table: str,
    expected: dict[str, tuple[bool, sa.types.TypeEngine[Any]]],
    absent: tuple[str, ...] = (),
) -> list[str]:
    """How the table's columns differ from `expected` (name -> (nullable, type)) and `absent`."""
    state = table_state(engine, table)
    if state is None:
        return [f"table {table} does not exist"]
    problems = []
    for name, (nullable, type_) in expected.items():
        column = state.columns.get(name)
        if column is None:
            problems.append(f"{table}.{name} is missing")
            continue
        if column.nullable is not nullable:
            problems.append(f"{table}.{name}: nullable is {column.nullable}, expected {nullable}")
        if not same_type(engine, column.type, type_):
            problems.append(f"{table}.{name}: type is {column.type}, expected {type_}")
    problems += [f"{table}.{name} should not exist" for name in absent if name in state.columns]
    return problems


def _touches(diff: object, table: str) -> bool:
    if isinstance(diff, (list, tuple)):
        return any(_touches(item, table) for item in diff)
    if isinstance(diff, str):
        return diff == table
    if isinstance(diff, sa.Table):
        return diff.name == table
    owner = getattr(diff, "table", None)
    return isinstance(owner, sa.Table) and owner.name == table


def drift(engine: Engine, table: str) -> list[Any]:
    """What `alembic check` would report about `table` (the models against the database)."""
    metadata = load_models()
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": metadata}
        )
        diffs = compare_metadata(context, metadata)
    return [diff for diff in diffs if _touches(diff, table)]


def sample_value(column: sa.Column[Any], n: int) -> object:
    """A value that fits `column`, different for each `n` (unique columns)."""
    type_ = column.type
    if isinstance(type_, sa.Enum):
        return type_.enums[n % len(type_.enums)]
    if isinstance(type_, sa.String):
        text = f"sample-{n}"
        return text[-type_.length :] if type_.length else text
    if isinstance(type_, sa.Boolean):
        return n % 2 == 1
    if isinstance(type_, sa.Integer):
        return n
    if isinstance(type_, sa.Float):
        return n + 0.5
    if isinstance(type_, sa.Numeric):
        return Decimal(n) + Decimal("0.25")
    if isinstance(type_, sa.DateTime):
        return dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n)
    if isinstance(type_, sa.Date):
        return dt.date(2024, 1, 1) + dt.timedelta(days=n)
    if isinstance(type_, sa.Uuid):
        return uuid.UUID(int=n + 1)
    if isinstance(type_, sa.JSON):
        return {"sample": n}
    raise NotImplementedError(f"no sample value for {column.table.name}.{column.name} ({type_})")


def required_values(session: Session, table: sa.Table, tenant_id: str, n: int) -> dict[str, Any]:
    """Values for the columns a row of `table` cannot go without (NOT NULL, no default).

    A required foreign key gets a new row of the table it references (same tenant), recursively.
    """
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.nullable or column.server_default is not None or column.default is not None:
            continue
        if column.primary_key and column.autoincrement in (True, "auto"):
            continue
        if column.name == "tenant_id":
            values[column.name] = tenant_id
            continue
        fk = next(iter(column.foreign_keys), None)
        if fk is not None and fk.column.table is not table:
            parent = fk.column.table
            row = required_values(session, parent, tenant_id, n)
            result = session.execute(sa.insert(parent).values(row).returning(fk.column))
            values[column.name] = result.scalar_one()
        else:
            values[column.name] = sample_value(column, n)
    return values


def tenant_unique_columns(table: sa.Table) -> list[str]:
    """Columns unique per tenant (a UniqueConstraint on tenant_id and the column)."""
    found = []
    for constraint in table.constraints:
        if not isinstance(constraint, sa.UniqueConstraint):
            continue
        names = [c.name for c in constraint.columns]
        if len(names) == 2 and names[0] == "tenant_id":
            found.append(names[1])
    return found
