"""The database part: a table's model, its Alembic revision, its integration-db tests.

Answers (questions/database.yml): `db_operation` (create_table | alter_table), `table`, `columns` (a YAML
list), `multi_tenant`, and three values computed once and stored in the answers file, so that
`copier update` never changes them: `revision`, `down_revision` (the host's Alembic head when the unit
was generated) and `table_before` (for alter_table: the definitions, read from the table's model, of
the columns the unit alters or drops — the migration's downgrade restores them).

A column (the contract with the api part, which gives `fields` instead: see columns_from_fields):
    {name, type, nullable: true, default: null, index: false, unique: false, length: 255 (string),
     choices: [..] (enum), foreign_key: "table.column" | null, action: add | alter | drop}
plus `precision`/`scale` for numeric (18, 4). An `alter` gives only what changes; the rest is kept.

Design choices (the generated log's steps name the model file and how it changed):
- The model module is named after the table (`app/models/<table>.py`), the class is the singular
  in PascalCase (`leads` -> `Lead`).
- `unique` on a multi-tenant table means unique *within a tenant*: a UniqueConstraint on
  (tenant_id, column). A global unique would let one tenant learn another's values.
- Defaults are server defaults (the database fills existing rows when a NOT NULL column is added).
- Enums are stored as VARCHAR (`native_enum=False`): no CREATE TYPE to manage, and SQLite batch
  mode keeps them; SQLAlchemy refuses unknown values.
- An alter_table unit owns its migration, tests and doc entry; the change to the model (a file of
  the unit that created the table) is applied by `extensions/tasks/apply_model_changes.py`: the
  class is found by `__tablename__`, the column statements are added, replaced or removed in place
  (idempotent; see extensions/blueprint/model_source.py), so `alembic check` sees no drift.

Python source is produced here, line by line, already formatted the way `ruff format` keeps it
(see `Call`): the model template and the model edits of an alter unit share the same text.
"""

from __future__ import annotations

import datetime as dt
import json
import keyword
import re
import uuid
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .. import naming
from ..filters import py_str, width
from ..list_answers import yaml_list

LINE_LENGTH = 100  # the host's ruff line-length
IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
MAX_IDENTIFIER = 40
MAX_CONSTRAINT_NAME = 63  # PostgreSQL truncates longer identifiers
MAX_DEFAULT_TEXT = 60
MAX_CHOICES = 50
MAX_CHOICE_LENGTH = 63
MAX_STRING_LENGTH = 10_000
OPERATIONS = ("create_table", "alter_table")
ACTIONS = ("add", "alter", "drop")
# Columns every table gets from the host (id, TenantMixin, TimestampMixin); an answer cannot use them.
BUILT_IN = ("id", "tenant_id", "created_at", "updated_at")
# Attributes SQLAlchemy's declarative classes reserve.
DECLARATIVE_RESERVED = ("metadata", "registry", "query", "query_class")
KEYS = ("name", "type", "nullable", "default", "index", "unique", "length", "precision", "scale", "choices",
        "foreign_key", "action")  # fmt: skip
TENANT_LENGTH = 64  # app.models.base.TENANT_ID_LENGTH
MODELS_DIR = "backend/app/models"
VERSIONS_DIR = "backend/alembic/versions"


# --------------------------------------------------------------------------- formatting


@dataclass(frozen=True)
class Call:
    """A call expression that formats itself the way `ruff format` keeps it.

    One line when it fits; otherwise one argument per line with a trailing comma (the "magic
    trailing comma" that makes ruff keep it exploded), recursively.
    """

    func: str
    args: tuple[Any, ...] = ()  # str (atomic) | Call | Kw

    def flat(self) -> str:
        return f"{self.func}({', '.join(flat(a) for a in self.args)})"


@dataclass(frozen=True)
class Kw:
    name: str
    value: Any  # str | Call

    def flat(self) -> str:
        return f"{self.name}={flat(self.value)}"


@dataclass(frozen=True)
class Tup(Call):
    """A tuple: `(a, b)`, `(a,)`; exploded like a call."""

    def flat(self) -> str:
        items = [flat(a) for a in self.args]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


@dataclass(frozen=True)
class Lst(Call):
    """A list: `[a, b]`; exploded like a call."""

    def flat(self) -> str:
        return f"[{', '.join(flat(a) for a in self.args)}]"


def flat(expr: Any) -> str:
    return expr if isinstance(expr, str) else expr.flat()


def lines(expr: Any, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
    """`prefix + expr + suffix` at `indent` spaces, split like ruff format when it does not fit."""
    pad = " " * indent
    one = pad + prefix + flat(expr) + suffix
    if width(one) <= LINE_LENGTH or isinstance(expr, str):
        return [one]
    if isinstance(expr, Kw):
        return lines(expr.value, indent, prefix + expr.name + "=", suffix)
    opening, closing = ("[", "]") if isinstance(expr, Lst) else ("(", ")")
    out = [pad + prefix + expr.func + opening]
    for arg in expr.args:
        out += lines(arg, indent + 4, "", ",")
    return [*out, pad + closing + suffix]


def py_literal(value: str) -> str:
    """A Python string literal, quoted the way ruff format keeps it (filters.py_str)."""
    return py_str(value)


# --------------------------------------------------------------------------- names


def singular(word: str) -> str:
    for plural, single in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")):
        if word.endswith(plural) and len(word) > len(plural):
            return word[: -len(plural)] + single
    if word.endswith("s") and not word.endswith("ss") and len(word) > 1:
        return word[:-1]
    return word


def plural(word: str) -> str:
    if word.endswith("s"):
        return word
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


VERBS = {"add", "create", "new", "alter", "change", "update", "modify", "drop", "remove", "delete", "rename",
         "make", "set", "migrate", "init"}  # fmt: skip
NOISE = {"table", "tables", "column", "columns", "to", "on", "in", "of", "the", "for", "from"}


def table_from_name(name: str) -> str:
    """`add-lead-enrichment` -> `lead_enrichments`; `campaigns` -> `campaigns`."""
    words = [w for w in str(name).split("-") if w]
    while len(words) > 1 and words[0] in VERBS:
        words = words[1:]
    kept = [w for w in words if w not in NOISE] or words or ["item"]
    kept[-1] = plural(kept[-1])
    table = "_".join(kept)[:MAX_IDENTIFIER].strip("_")
    if not IDENTIFIER.fullmatch(table):
        table = "items"
    return table if not table_problem(table) else f"{table}_rows"[:MAX_IDENTIFIER]


def model_class(table: str) -> str:
    """`lead_enrichments` -> `LeadEnrichment` (the last word made singular)."""
    words = table.split("_")
    words[-1] = singular(words[-1])
    return "".join(w.capitalize() for w in words)


def table_problem(value: Any) -> str:
    text = str(value)
    if not isinstance(value, str) or not IDENTIFIER.fullmatch(text):
        return (
            f"the table {text!r} is not a snake_case name: lowercase ASCII letters and digits in words "
            "joined by single underscores, starting with a letter (e.g. `leads`, `lead_scores`)"
        )
    if len(text) > MAX_IDENTIFIER:
        return f"the table {text!r} is {len(text)} characters long: at most {MAX_IDENTIFIER}"
    if text in naming.SQL_RESERVED or keyword.iskeyword(text) or text == "alembic_version":
        return f"the table {text!r} is a reserved word: choose another name (e.g. `{text}_items`)"
    if text in naming.HOST_RESERVED or text == "base":
        return f"the table {text!r} would shadow a module of the host (app/models/{text}.py): choose another"
    return ""


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class TypeInfo:
    python: str  # the annotation inside Mapped[...]
    imports: tuple[str, ...] = ()  # names the model module must import (see IMPORTS)
    defaults: str = "none"  # which default values it accepts: text | int | number | bool | date | datetime | none


TYPES: dict[str, TypeInfo] = {
    "string": TypeInfo("str", defaults="text"),
    "text": TypeInfo("str", defaults="text"),
    "integer": TypeInfo("int", defaults="int"),
    "bigint": TypeInfo("int", defaults="int"),
    "float": TypeInfo("float", defaults="number"),
    "numeric": TypeInfo("Decimal", ("Decimal",), defaults="number"),
    "boolean": TypeInfo("bool", defaults="bool"),
    "date": TypeInfo("dt.date", ("dt",), defaults="date"),
    "datetime": TypeInfo("dt.datetime", ("dt",), defaults="datetime"),
    "uuid": TypeInfo("uuid.UUID", ("uuid",)),
    "json": TypeInfo("Any", ("Any",)),
    "enum": TypeInfo("str", defaults="text"),
}
# Import lines of the names a model may need (ruff's isort order within the standard library section).
IMPORTS = {
    "dt": "import datetime as dt",
    "uuid": "import uuid",
    "Decimal": "from decimal import Decimal",
    "Any": "from typing import Any",
}
DEFAULT_LENGTH = {"string": 255, "enum": 64}
DEFAULT_NUMERIC = (18, 4)  # NUMERIC(18, 4): the api part's Pydantic bounds read it (numeric_format())


def numeric_format() -> tuple[int, int]:
    """(precision, scale) of a numeric column that does not give its own."""
    return DEFAULT_NUMERIC


# --------------------------------------------------------------------------- columns


class ColumnError(ValueError):
    pass


@dataclass(frozen=True)
class Column:
    """One column, normalized: everything the model, the migration, the tests and the api need."""

    name: str
    type: str
    nullable: bool = True
    default: Any = None
    index: bool = False
    unique: bool = False
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    choices: tuple[str, ...] = ()
    foreign_key: str | None = None
    action: str = "add"
    table: str = ""
    tenant: bool = True  # the table has tenant_id (uniqueness is per tenant)

    # -- what templates read ---------------------------------------------------------------------
    @property
    def python_type(self) -> str:
        """The Python type (`str`, `int`, `Decimal`, `dt.date`…), without `| None`."""
        return TYPES[self.type].python

    @property
    def annotation(self) -> str:
        optional = self.nullable and self.type != "json"  # `Any` already includes None
        return f"Mapped[{self.python_type}{' | None' if optional else ''}]"

    @property
    def imports(self) -> tuple[str, ...]:
        return TYPES[self.type].imports

    @property
    def required(self) -> bool:
        """A row cannot be written without a value (NOT NULL and no default)."""
        return not self.nullable and self.default is None

    @property
    def max_length(self) -> int | None:
        return self.length if self.type in ("string", "enum") else None

    @property
    def fk_table(self) -> str | None:
        return self.foreign_key.split(".")[0] if self.foreign_key else None

    @property
    def fk_column(self) -> str | None:
        return self.foreign_key.split(".")[1] if self.foreign_key else None

    @property
    def sa_type(self) -> Call:
        """The SQLAlchemy type, as written in the model and the migration."""
        if self.type == "string":
            return Call("sa.String", (str(self.length),))
        if self.type == "numeric":
            return Call("sa.Numeric", (str(self.precision), str(self.scale)))
        if self.type == "datetime":
            return Call("sa.DateTime", ("timezone=True",))
        if self.type == "enum":
            args = (*(py_literal(c) for c in self.choices), f"length={self.length}")
            return Call("sa.Enum", (*args, "native_enum=False", "validate_strings=True"))
        simple = {"text": "Text", "integer": "Integer", "bigint": "BigInteger", "float": "Float",
                  "boolean": "Boolean", "date": "Date", "uuid": "Uuid", "json": "JSON"}  # fmt: skip
        return Call(f"sa.{simple[self.type]}")

    @property
    def pg_type(self) -> str:
        """The PostgreSQL type name (for a cast when the type changes)."""
        names = {"text": "text", "integer": "integer", "bigint": "bigint", "float": "double precision",
                 "boolean": "boolean", "date": "date", "datetime": "timestamp with time zone", "uuid": "uuid",
                 "json": "json"}  # fmt: skip
        if self.type in ("string", "enum"):
            return f"varchar({self.length})"
        if self.type == "numeric":
            return f"numeric({self.precision}, {self.scale})"
        return names[self.type]

    @property
    def server_default(self) -> str | None:
        """The `server_default=` expression, or None."""
        value = self.default
        if value is None:
            return None
        kind = TYPES[self.type].defaults
        if kind == "bool":
            return "sa.true()" if value else "sa.false()"
        if kind in ("int", "number"):
            return f"sa.text({py_literal(str(value))})"
        if kind == "datetime":
            return "sa.func.now()"  # the only datetime default: "now"
        return py_literal(str(value))

    @property
    def index_name(self) -> str:
        return f"ix_{self.table}_{self.name}"

    @property
    def unique_columns(self) -> tuple[str, ...]:
        return ("tenant_id", self.name) if self.tenant else (self.name,)

    @property
    def unique_name(self) -> str:
        return f"uq_{self.table}_{'_'.join(self.unique_columns)}"

    @property
    def fk_name(self) -> str:
        return f"fk_{self.table}_{self.name}_{self.fk_table}"

    @property
    def unique_index(self) -> bool:
        """index + unique on a table without tenant: one unique index (SQLAlchemy's choice)."""
        return self.index and self.unique and not self.tenant

    @property
    def unique_constraint(self) -> bool:
        return self.unique and not self.unique_index

    def constraint_names(self) -> list[str]:
        names = [self.index_name] if self.index else []
        names += [self.unique_name] if self.unique_constraint else []
        return names + ([self.fk_name] if self.foreign_key else [])

    # -- model source ----------------------------------------------------------------------------
    def mapped_column(self) -> Call:
        args: list[Any] = [self.sa_type]
        if self.foreign_key:
            args.append(Call("sa.ForeignKey", (py_literal(self.foreign_key),)))
        if self.type == "json":
            args.append(f"nullable={self.nullable}")
        if self.index:
            args.append("index=True")
        if self.unique and not self.tenant:
            args.append("unique=True")
        if self.server_default:
            args.append(Kw("server_default", self.server_default))
        return Call("mapped_column", tuple(args))

    def model_lines(self, indent: int = 4) -> list[str]:
        """The column's statement in the model class."""
        return lines(self.mapped_column(), indent, f"{self.name}: {self.annotation} = ")

    def table_arg(self) -> Call | None:
        """The class's `__table_args__` item this column needs (per-tenant uniqueness), if any."""
        if not self.unique_constraint or not self.tenant:
            return None
        columns = tuple(py_literal(c) for c in self.unique_columns)
        return Call("sa.UniqueConstraint", (*columns, Kw("name", py_literal(self.unique_name))))

    # -- migration source ------------------------------------------------------------------------
    def sa_column(self, *, nullable: bool | None = None, default: bool = True) -> Call:
        """`sa.Column(...)` for create_table / add_column (constraints are separate operations)."""
        args: list[Any] = [py_literal(self.name), self.sa_type]
        if self.server_default and default:
            args.append(Kw("server_default", self.server_default))
        args.append(f"nullable={self.nullable if nullable is None else nullable}")
        return Call("sa.Column", tuple(args))

    def to_spec(self) -> dict[str, Any]:
        """The column as an answer, without its name (`table_before` stores them by name)."""
        spec: dict[str, Any] = {"type": self.type, "nullable": self.nullable}
        for key in ("default", "length", "precision", "scale", "foreign_key"):
            if getattr(self, key) is not None:
                spec[key] = getattr(self, key)
        spec.update({k: True for k in ("index", "unique") if getattr(self, k)})
        if self.choices:
            spec["choices"] = list(self.choices)
        return spec


def _bool(spec: dict[str, Any], key: str, default: bool) -> bool:
    value = spec.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ColumnError(f"`{key}` must be true or false, got {value!r}")
    return value


def _int(spec: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = spec.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ColumnError(f"`{key}` must be a whole number from {low} to {high}, got {value!r}")
    return value


def _default(value: Any, column: Column) -> Any:
    """The default, checked against the type; returned as stored (JSON-friendly)."""
    if value is None:
        return None
    kind = TYPES[column.type].defaults
    problem = f"the default {value!r} does not fit type {column.type}"
    if kind == "none":
        raise ColumnError(f"type {column.type} takes no default (leave `default` empty)")
    if kind == "bool":
        if not isinstance(value, bool):
            raise ColumnError(f"{problem}: use true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
            raise ColumnError(f"{problem}: use a whole number")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise ColumnError(f"{problem}: use a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ColumnError(f"{problem}: use a number") from None
        if not number.is_finite():
            raise ColumnError(f"{problem}: use a finite number")
        return value if not isinstance(value, str) else str(number)
    if kind == "date":
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ColumnError(f"{problem}: use a date, YYYY-MM-DD") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ColumnError(f"{problem}: use a date, YYYY-MM-DD")
        return text
    if kind == "datetime":
        if value != "now":
            raise ColumnError(f"{problem}: the only datetime default is `now` (the time of the insert)")
        return value
    # text
    if not isinstance(value, str):
        raise ColumnError(f'{problem}: use a string (quote it in YAML: "{value}")')
    if len(value) > MAX_DEFAULT_TEXT or re.search(r"[\x00-\x1f\x7f]", value):
        raise ColumnError(f"the default of {column.name} must be one line of at most {MAX_DEFAULT_TEXT} characters")
    if column.type == "enum" and value not in column.choices:
        raise ColumnError(f"the default {value!r} is not one of the choices {list(column.choices)}")
    if column.type == "string" and column.length is not None and len(value) > column.length:
        raise ColumnError(f"the default {value!r} is longer than the column ({column.length})")
    return value


def column_name_problem(name: Any) -> str:
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        return (
            f"the column name {name!r} is not a snake_case name: lowercase ASCII letters and digits in "
            "words joined by single underscores, starting with a letter (e.g. `email`, `lead_score`)"
        )
    if len(name) > MAX_IDENTIFIER:
        return f"the column name {name!r} is {len(name)} characters long: at most {MAX_IDENTIFIER}"
    if name in BUILT_IN:
        return f"`{name}` is added by the host to every table (id, tenant_id, created_at, updated_at): remove it"
    if name == "l":  # ruff E741: reads as 1 or I
        return "the column name 'l' is ambiguous (it reads as 1 or I): choose a word"
    if name in DECLARATIVE_RESERVED or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"the column name {name!r} is reserved by Python or SQLAlchemy: choose another"
    if name in naming.SQL_RESERVED:
        return f"the column name {name!r} is a SQL reserved word: choose another (e.g. `{name}_value`)"
    return ""


def normalize(spec: Any, *, table: str, tenant: bool, operation: str,
              before: dict[str, Any] | None = None) -> Column:  # fmt: skip
    """One column answer -> a Column; ColumnError says what is wrong (without the column's name)."""
    if not isinstance(spec, dict):
        raise ColumnError(f"a column is a mapping like {{name: email, type: string}}, got {spec!r}")
    if unknown := sorted(set(map(str, spec)) - set(KEYS)):
        raise ColumnError(f"unknown key(s) {', '.join(unknown)}; a column knows {', '.join(KEYS)}")
    action = spec.get("action") or "add"
    if action not in ACTIONS:
        raise ColumnError(f"`action` is one of {', '.join(ACTIONS)}, got {action!r}")
    if operation == "create_table" and action != "add":
        raise ColumnError("`action` is only for alter_table (a new table only adds columns)")
    if action != "add":
        if before is None:
            raise ColumnError(f"cannot {action} it: the table's model does not define it")
        if action == "drop":
            extra = sorted(set(spec) - {"name", "action"})
            if extra:
                raise ColumnError(f"a dropped column takes only `name` and `action` (remove {', '.join(extra)})")
            return _build({**before, "action": "drop"}, table=table, tenant=tenant)
        merged = {**before, **{k: v for k, v in spec.items() if k != "action"}, "action": "alter"}
        if "type" in spec and spec["type"] != before.get("type"):
            # A new type starts from its own length, precision, choices unless given; the default is
            # kept and must fit the new type (the error says so).
            for key in ("length", "precision", "scale", "choices"):
                if key not in spec:
                    merged.pop(key, None)
        column = _build(merged, table=table, tenant=tenant)
        if column == _build({**before, "action": "alter"}, table=table, tenant=tenant):
            raise ColumnError("nothing to change: say what the column becomes (e.g. `type: bigint`, `nullable: false`)")
        return column
    return _build(dict(spec), table=table, tenant=tenant)


def _build(spec: dict[str, Any], *, table: str, tenant: bool) -> Column:
    type_name = spec.get("type")
    if type_name not in TYPES:
        raise ColumnError(f"`type` is one of {', '.join(TYPES)}, got {type_name!r}")
    length = _int(spec, "length", 1, MAX_STRING_LENGTH)
    if length is not None and type_name not in DEFAULT_LENGTH:
        raise ColumnError(f"`length` is for string and enum columns, not {type_name}")
    precision, scale = _int(spec, "precision", 1, 1000), _int(spec, "scale", 0, 1000)
    if (precision is not None or scale is not None) and type_name != "numeric":
        raise ColumnError("`precision` and `scale` are for numeric columns")
    if type_name == "numeric":
        precision = precision if precision is not None else DEFAULT_NUMERIC[0]
        scale = scale if scale is not None else min(DEFAULT_NUMERIC[1], precision)
        if scale > precision:
            raise ColumnError(f"`scale` ({scale}) cannot exceed `precision` ({precision})")
    choices = spec.get("choices")
    if type_name == "enum":
        if not isinstance(choices, list) or not choices or len(choices) > MAX_CHOICES:
            raise ColumnError(f"an enum needs `choices`: a list of 1 to {MAX_CHOICES} strings")
        for choice in choices:
            if not isinstance(choice, str) or not choice or len(choice) > MAX_CHOICE_LENGTH:
                raise ColumnError(f"each choice is a string of 1 to {MAX_CHOICE_LENGTH} characters, got {choice!r}")
            if re.search(r"[\x00-\x1f\x7f]", choice):
                raise ColumnError(f"the choice {choice!r} has a control character")
        if len(set(choices)) != len(choices):
            raise ColumnError("the choices repeat a value")
        length = length if length is not None else max(DEFAULT_LENGTH["enum"], *map(len, choices))
        if max(map(len, choices)) > length:
            raise ColumnError(f"a choice is longer than `length` ({length})")
    elif choices is not None:
        raise ColumnError("`choices` are for enum columns")
    if type_name == "string" and length is None:
        length = DEFAULT_LENGTH["string"]
    foreign_key = spec.get("foreign_key")
    if foreign_key is not None:
        parts = str(foreign_key).split(".")
        if not isinstance(foreign_key, str) or len(parts) != 2 or not all(map(IDENTIFIER.fullmatch, parts)):
            raise ColumnError(f"`foreign_key` is `table.column` (e.g. `leads.id`), got {foreign_key!r}")
    column = Column(
        name=str(spec.get("name")),
        type=type_name,
        nullable=_bool(spec, "nullable", True),
        index=_bool(spec, "index", False),
        unique=_bool(spec, "unique", False),
        length=length,
        precision=precision,
        scale=scale,
        choices=tuple(choices or ()),
        foreign_key=foreign_key,
        action=spec.get("action") or "add",
        table=table,
        tenant=tenant,
    )
    column = replace(column, default=_default(spec.get("default"), column))
    for name in column.constraint_names():
        if len(name) > MAX_CONSTRAINT_NAME:
            raise ColumnError(
                f"its constraint name {name} is {len(name)} characters long (PostgreSQL keeps {MAX_CONSTRAINT_NAME}):"
                " shorten the table or column name"
            )
    return column


def columns_from_fields(fields: Any) -> list[dict[str, Any]]:
    """The api part's `fields` as column answers: nullable = not required; a string's max_length is
    its length (a text's max_length stays an API check); choices/unique/index/default carried over."""
    columns = []
    for item in fields or []:
        if not isinstance(item, dict):
            columns.append(item)  # refused by the columns check, with its message
            continue
        column: dict[str, Any] = {"name": item.get("name"), "type": item.get("type")}
        column["nullable"] = not item.get("required", True)
        if item.get("max_length") is not None and item.get("type") == "string":
            column["length"] = item["max_length"]
        for key in ("choices", "unique", "index", "default"):
            if item.get(key) is not None:
                column[key] = item[key]
        columns.append(column)
    return columns


def fields_problem(fields: Any, answers: dict[str, Any]) -> str:
    """Why the api's `fields` cannot become this part's columns ("" when they can)."""
    try:
        build_table({**answers, "columns": None, "fields": fields}, str(answers.get("name") or "x"), ["api"])
    except ColumnError as error:
        return f"fields: {error}"
    return ""


DEFAULT_COLUMNS: list[dict[str, Any]] = [
    {"name": "name", "type": "string", "length": 255, "nullable": False, "index": True},
    {"name": "description", "type": "text"},
    {"name": "is_active", "type": "boolean", "nullable": False, "default": True},
]
DEFAULT_ALTER_COLUMNS: list[dict[str, Any]] = [{"name": "notes", "type": "text", "action": "add"}]


# --------------------------------------------------------------------------- the unit's table


@dataclass
class Change:
    """A migration's body: the upgrade lines, and the downgrade lines that undo them."""

    up: list[str]
    down: list[str]


@dataclass
class Table:
    name: str
    operation: str
    tenant: bool
    columns: list[Column]
    before: dict[str, Column] = field(default_factory=dict)  # alter/drop: the columns as they were

    @property
    def creates(self) -> bool:
        return self.operation == "create_table"

    def table_args(self) -> list[Call]:
        return [arg for c in self.columns if (arg := c.table_arg()) is not None]


def answered_columns(answers: dict[str, Any], parts: list[str]) -> Any:
    if answers.get("columns") is not None:
        return answers["columns"]
    if "api" in parts and answers.get("fields") is not None:
        return columns_from_fields(answers["fields"])
    return DEFAULT_COLUMNS if operation_of(answers, parts) == "create_table" else DEFAULT_ALTER_COLUMNS


def operation_of(answers: dict[str, Any], parts: list[str]) -> str:
    # A unit with an api creates its own table (an api on an existing model generates no migration).
    return "create_table" if "api" in parts else str(answers.get("db_operation") or "create_table")


def table_of(answers: dict[str, Any], name: str) -> str:
    """The `table` answer; for an api unit, its resource's plural (`lead-scores` -> `lead_scores`)."""
    if answers.get("table"):
        return str(answers["table"])
    if answers.get("resource_plural"):
        return naming.snake(str(answers["resource_plural"]))
    return table_from_name(name)


def tenant_of(answers: dict[str, Any], parts: list[str]) -> bool:
    if "api" in parts:
        return True  # the api part isolates tenants through tenant_id
    return bool(answers.get("multi_tenant", True))


def build_table(answers: dict[str, Any], name: str, parts: list[str]) -> Table:
    """The unit's table from its answers; ColumnError names the first bad column."""
    operation = operation_of(answers, parts)
    table = table_of(answers, name)
    before_answer = answers.get("table_before") or {}
    before_specs = before_answer.get("columns", {}) if isinstance(before_answer, dict) else {}
    # alter_table: tenant-ness of the existing table, as read from its model.
    tenant = bool(before_answer.get("tenant", True)) if operation == "alter_table" else tenant_of(answers, parts)
    shape = "`columns` is a non-empty YAML list of columns, e.g. [{name: email, type: string}]"
    raw = yaml_list(answered_columns(answers, parts), ColumnError, noun="columns", empty=shape, not_list=shape)
    columns, seen = [], set()
    for position, spec in enumerate(raw, 1):
        label = spec.get("name") if isinstance(spec, dict) else None
        where = f"column {position} ({label})" if label else f"column {position}"
        if isinstance(spec, dict) and (problem := column_name_problem(spec.get("name"))):
            raise ColumnError(f"{where}: {problem}")
        if label in seen:
            raise ColumnError(f"{where}: the column {label!r} appears twice")
        seen.add(label)
        before = {**before_specs[label], "name": label} if label in before_specs else None
        try:
            columns.append(normalize(spec, table=table, tenant=tenant, operation=operation, before=before))
        except ColumnError as error:
            raise ColumnError(f"{where}: {error}") from None
    before = {}
    for label, spec in before_specs.items():
        try:
            before[label] = _build({**spec, "name": label}, table=table, tenant=tenant)
        except ColumnError:
            continue
    return Table(table, operation, tenant, columns, before)


def columns_problem(value: Any, answers: dict[str, Any]) -> str:
    """The `columns` answer checked alone; alter/drop are checked against the model with `table_before`."""
    from .. import checks

    answers = {**answers, "columns": value}
    parts = checks.chosen_parts(Path(__file__).resolve().parents[3], answers)
    if operation_of(answers, parts) == "alter_table" and isinstance(value, list):
        checked = []
        for spec in value:
            if isinstance(spec, dict) and spec.get("action") in ("alter", "drop"):
                if unknown := sorted(set(map(str, spec)) - set(KEYS)):
                    return f"columns: unknown key(s) {', '.join(unknown)}; a column knows {', '.join(KEYS)}"
                # Checked as an added column here when it gives its type; the rest of it is checked once
                # the column's current definition is read from the model (`table_before`).
                spec = {k: v for k, v in spec.items() if k != "action"} if "type" in spec else {
                    "name": spec.get("name"), "type": "text"}  # fmt: skip
            checked.append(spec)
        answers["columns"] = checked
    try:
        build_table(answers, str(answers.get("name") or "x"), parts)
    except ColumnError as error:
        return f"columns: {error}"
    return ""


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


# --------------------------------------------------------------------------- derive / defaults / validators


def constant_lines(name: str, entries: list[tuple[str, Any]], *, mapping: bool = True) -> list[str]:
    """`NAME = {"key": value, ...}`, or a tuple of the keys (mapping=False), ruff-formatted."""
    if not mapping:
        keys = Tup("", tuple(py_literal(k) for k, _ in entries)) if entries else "()"
        return lines(keys, 0, f"{name} = ")
    if not entries:
        return [f"{name}: dict[str, Any] = {{}}"]
    out = [f"{name} = {{"]
    for key, value in entries:
        out += lines(value, 4, f"{py_literal(key)}: ", ",")
    return [*out, "}"]


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


def def_line(name: str, params: str, returns: str = "None") -> str:
    """A `def` line of the generated tests, split the way ruff splits a long one."""
    one = f"def {name}({params}) -> {returns}:"
    if width(one) <= LINE_LENGTH:
        return one
    return "\n".join([f"def {name}(", *(f"    {p.strip()}," for p in params.split(",")), f") -> {returns}:"])


def table_args_lines(items: list[Any], indent: int = 4) -> list[str]:
    """`__table_args__ = (...)`, formatted like ruff (a one-item tuple keeps its comma on one line)."""
    pad = " " * indent
    one = f"{pad}__table_args__ = ({', '.join(flat(i) for i in items)}{',' if len(items) == 1 else ''})"
    if width(one) <= LINE_LENGTH:
        return [one]
    return [f"{pad}__table_args__ = (", *[ln for i in items for ln in lines(i, indent + 4, "", ",")], f"{pad})"]


def model_changes(unit: Any) -> list[Any]:
    """An alter_table unit's edits of the model class (extensions/tasks/apply_model_changes.py)."""
    from ..model_source import ColumnChange

    changes = []
    for c in unit.database.columns:
        old = unit.database.before.get(c.name)
        item = c.table_arg() if c.action != "drop" else None
        changes.append(
            ColumnChange(
                name=c.name,
                action=c.action,
                lines=c.model_lines() if c.action != "drop" else [],
                unique_item=item,
                unique_name=c.unique_name if item else None,
                old_unique_name=old.unique_name if old is not None and old.table_arg() is not None else None,
            )
        )
    return changes


def model_imports(columns: list[Column]) -> list[str]:
    """The standard-library imports the model's columns need, in ruff's isort order."""
    needed = {name for c in columns for name in c.imports}
    return [line for name, line in IMPORTS.items() if name in needed]


def derive(unit: Any) -> dict[str, Any]:
    answers = unit.answers
    try:
        table = build_table(answers, unit.name, list(unit.parts))
    except ColumnError as error:
        # Only reachable with answers that skipped the checks (e.g. an answers file edited by hand).
        raise ValueError(f"database part of {unit.kind}/{unit.name}: {error}") from None
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
    from .. import model_source

    return model_source.heads(dst / VERSIONS_DIR)


def head_revision(dst: Path, answers: dict[str, Any]) -> str:
    """The host's head now ("" for the first revision; "a,b" when several heads: this one merges them)."""
    return ",".join(current_heads(dst))


def default_table(dst: Path, answers: dict[str, Any]) -> str:
    """From the unit name; for alter_table, a table the host's models define whose name the unit name says."""
    name = str(answers.get("name") or "")
    if answers.get("db_operation") == "alter_table":
        from .. import model_source

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
    """A meaningful first answer (JSON is YAML): a small table, or one added column."""
    chosen = DEFAULT_ALTER_COLUMNS if answers.get("db_operation") == "alter_table" else DEFAULT_COLUMNS
    return json.dumps(chosen)


def read_table_before(dst: Path, answers: dict[str, Any]) -> str:
    """For alter_table: the table's model and the definitions of the columns altered or dropped.

    Refuses (before anything is written) when the model cannot be found or read, a column to add
    exists already, or a column to alter/drop does not exist. Computed once at `copier copy` and
    stored: an update re-renders the same migration even though the model has changed since.
    """
    from copier.errors import UserMessageError

    from .. import checks, model_source

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
                f"the table {table!r} exists already: {found.path.relative_to(dst)} (class {found.class_name}). "
                "Nothing was written. To change it, generate an alter_table unit (-d db_operation=alter_table)."
            )
        return "{}"
    if found is None:
        known = ", ".join(model_source.tables(models)) or "none"
        raise UserMessageError(
            f"no model of the host maps the table {table!r} (tables found in {MODELS_DIR}: {known}). "
            "Nothing was written. Choose an existing table, or create it with db_operation=create_table."
        )
    columns = answers.get("columns")
    if not isinstance(columns, list):
        columns = json.loads(default_columns(dst, answers))
    defined = model_source.read_columns(found)
    before: dict[str, Any] = {}
    for spec in columns:
        if not isinstance(spec, dict):
            continue
        name, action = spec.get("name"), spec.get("action") or "add"
        if action == "add" and name in defined:
            raise UserMessageError(
                f"the column {name!r} exists already in {table} ({found.path.relative_to(dst)}): "
                "use `action: alter` to change it. Nothing was written."
            )
        if action in ("alter", "drop"):
            if name not in defined:
                raise UserMessageError(
                    f"the table {table} has no column {name!r} to {action} ({found.path.relative_to(dst)} "
                    f"defines {', '.join(defined) or 'none'}). Nothing was written."
                )
            spec_before = defined[name]
            if isinstance(spec_before, str):
                raise UserMessageError(
                    f"cannot {action} {table}.{name}: {spec_before} ({found.path.relative_to(dst)}). "
                    "Nothing was written; change that column with a migration written by hand."
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
        raise UserMessageError(f"columns: {error}. Nothing was written.") from None
    return json.dumps(result)


def operation_problem(value: Any, answers: dict[str, Any]) -> str:
    return "" if value in OPERATIONS else f"db_operation is one of {', '.join(OPERATIONS)}, got {value!r}"


def table_answer_problem(value: Any, answers: dict[str, Any]) -> str:
    return table_problem(value)


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
