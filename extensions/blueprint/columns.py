"""A table's columns: the `columns` answers parsed and checked into `Column`s and a `Table`.

Why it exists: the column model is what the database part's templates, its migration operations
(migration_ops.py), the api part (its `fields` become columns) and the model edits of an alter_table
unit all read; it depends on nothing of theirs.

A column (the contract with the api part, which gives `fields` instead: see columns_from_fields):
    {name, type, nullable: true, default: null, index: false, unique: false, length: 255 (string),
     choices: [..] (enum), foreign_key: "table.column" | null, action: add | alter | drop}
plus `precision`/`scale` for numeric (18, 4). An `alter` gives only what changes; the rest is kept.

Design choices:
- The model module is named after the table (`app/models/<table>.py`), the class is the singular
  in PascalCase (`leads` -> `Lead`).
- `unique` on a multi-tenant table means unique *within a tenant*: a UniqueConstraint on
  (tenant_id, column). A global unique would let one tenant learn another's values.
- Defaults are server defaults (the database fills existing rows when a NOT NULL column is added).
- Enums are stored as VARCHAR (`native_enum=False`): no CREATE TYPE to manage, and SQLite batch
  mode keeps them; SQLAlchemy refuses unknown values.
"""

from __future__ import annotations

import datetime as dt
import keyword
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from . import compact_answers, naming
from .list_answers import yaml_list
from .source_format import Call, Kw, lines, py_literal

IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
MAX_IDENTIFIER = 40
MAX_CONSTRAINT_NAME = 63  # PostgreSQL truncates longer identifiers
MAX_DEFAULT_TEXT = 60
MAX_CHOICES = 50
MAX_CHOICE_LENGTH = 63
MAX_STRING_LENGTH = 10_000
OPERATIONS = ("create_table", "alter_table")  # the `db_operation` answer
ACTIONS = ("add", "alter", "drop")
# Columns every table gets from the host (id, TenantMixin, TimestampMixin); an answer cannot use them.
BUILT_IN = ("id", "tenant_id", "created_at", "updated_at")
# Attributes SQLAlchemy's declarative classes reserve.
DECLARATIVE_RESERVED = ("metadata", "registry", "query", "query_class")
KEYS = ("name", "type", "nullable", "default", "index", "unique", "length", "precision", "scale", "choices",
        "foreign_key", "action")  # fmt: skip
TENANT_LENGTH = 64  # app.models.base.TENANT_ID_LENGTH


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
            f"le nom de table {text!r} n'est pas en snake_case : lettres ASCII minuscules et chiffres, en mots "
            "reliés par un seul tiret bas, commençant par une lettre (ex. `leads`, `lead_scores`)"
        )
    if len(text) > MAX_IDENTIFIER:
        return f"le nom de table {text!r} fait {len(text)} caractères : {MAX_IDENTIFIER} au plus"
    if text in naming.SQL_RESERVED or keyword.iskeyword(text) or text == "alembic_version":
        return f"le nom de table {text!r} est un mot réservé : choisissez-en un autre (ex. `{text}_items`)"
    if text in naming.HOST_RESERVED or text == "base":
        return (
            f"le nom de table {text!r} masquerait un module de l'hôte (app/models/{text}.py) : choisissez-en un autre"
        )
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
        raise ColumnError(f"`{key}` doit valoir true ou false, pas {value!r}")
    return value


def _int(spec: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = spec.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ColumnError(f"`{key}` doit être un nombre entier de {low} à {high}, pas {value!r}")
    return value


def _default(value: Any, column: Column) -> Any:
    """The default, checked against the type; returned as stored (JSON-friendly)."""
    if value is None:
        return None
    kind = TYPES[column.type].defaults
    problem = f"la valeur par défaut {value!r} ne convient pas au type {column.type}"
    if kind == "none":
        raise ColumnError(f"le type {column.type} ne prend pas de valeur par défaut (laissez `default` vide)")
    if kind == "bool":
        if not isinstance(value, bool):
            raise ColumnError(f"{problem} : utilisez true ou false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
            raise ColumnError(f"{problem} : utilisez un nombre entier")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise ColumnError(f"{problem} : utilisez un nombre")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ColumnError(f"{problem} : utilisez un nombre") from None
        if not number.is_finite():
            raise ColumnError(f"{problem} : utilisez un nombre fini")
        return value if not isinstance(value, str) else str(number)
    if kind == "date":
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ColumnError(f"{problem} : utilisez une date AAAA-MM-JJ") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ColumnError(f"{problem} : utilisez une date AAAA-MM-JJ")
        return text
    if kind == "datetime":
        if value != "now":
            raise ColumnError(
                f"{problem} : la seule valeur par défaut d'un datetime est `now` (l'heure de l'insertion)"
            )
        return value
    # text
    if not isinstance(value, str):
        raise ColumnError(f'{problem} : utilisez une chaîne (entre guillemets en YAML : "{value}")')
    if len(value) > MAX_DEFAULT_TEXT or re.search(r"[\x00-\x1f\x7f]", value):
        raise ColumnError(
            f"la valeur par défaut de {column.name} doit tenir sur une ligne de {MAX_DEFAULT_TEXT} caractères au plus"
        )
    if column.type == "enum" and value not in column.choices:
        raise ColumnError(f"la valeur par défaut {value!r} n'est pas l'un des choix {list(column.choices)}")
    if column.type == "string" and column.length is not None and len(value) > column.length:
        raise ColumnError(f"la valeur par défaut {value!r} est plus longue que la colonne ({column.length})")
    return value


def column_name_problem(name: Any) -> str:
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        return (
            f"le nom de colonne {name!r} n'est pas en snake_case : lettres ASCII minuscules et chiffres, en "
            "mots reliés par un seul tiret bas, commençant par une lettre (ex. `email`, `lead_score`)"
        )
    if len(name) > MAX_IDENTIFIER:
        return f"le nom de colonne {name!r} fait {len(name)} caractères : {MAX_IDENTIFIER} au plus"
    if name in BUILT_IN:
        return (
            f"la colonne `{name}` est ajoutée par l'hôte à chaque table (id, tenant_id, created_at, updated_at) : "
            "retirez-la"
        )
    if name == "l":  # ruff E741: reads as 1 or I
        return "le nom de colonne 'l' est ambigu (il se lit comme 1 ou I) : choisissez un mot"
    if name in DECLARATIVE_RESERVED or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"le nom de colonne {name!r} est réservé par Python ou SQLAlchemy : choisissez-en un autre"
    if name in naming.SQL_RESERVED:
        return f"le nom de colonne {name!r} est un mot réservé SQL : choisissez-en un autre (ex. `{name}_value`)"
    return ""


def normalize(spec: Any, *, table: str, tenant: bool, operation: str,
              before: dict[str, Any] | None = None) -> Column:  # fmt: skip
    """One column answer -> a Column; ColumnError says what is wrong (without the column's name)."""
    if not isinstance(spec, dict):
        raise ColumnError(f"une colonne est un dictionnaire comme {{name: email, type: string}}, pas {spec!r}")
    if unknown := sorted(set(map(str, spec)) - set(KEYS)):
        raise ColumnError(f"clé(s) inconnue(s) {', '.join(unknown)} ; une colonne connaît {', '.join(KEYS)}")
    action = spec.get("action") or "add"
    if action not in ACTIONS:
        raise ColumnError(f"`action` est l'une des valeurs {', '.join(ACTIONS)}, pas {action!r}")
    if operation == "create_table" and action != "add":
        raise ColumnError("`action` ne sert qu'à alter_table (une nouvelle table ne fait qu'ajouter des colonnes)")
    if action != "add":
        if before is None:
            raise ColumnError(
                f"impossible d'appliquer `action: {action}` : le modèle de la table ne définit pas cette colonne"
            )
        if action == "drop":
            extra = sorted(set(spec) - {"name", "action"})
            if extra:
                raise ColumnError(f"une colonne supprimée ne prend que `name` et `action` (retirez {', '.join(extra)})")
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
            raise ColumnError(
                "rien à changer : dites ce que devient la colonne (ex. `type: bigint`, `nullable: false`)"
            )
        return column
    return _build(dict(spec), table=table, tenant=tenant)


def _build(spec: dict[str, Any], *, table: str, tenant: bool) -> Column:
    type_name = spec.get("type")
    if type_name not in TYPES:
        raise ColumnError(f"`type` est l'une des valeurs {', '.join(TYPES)}, pas {type_name!r}")
    length = _int(spec, "length", 1, MAX_STRING_LENGTH)
    if length is not None and type_name not in DEFAULT_LENGTH:
        raise ColumnError(f"`length` ne s'applique qu'aux colonnes string et enum, pas {type_name}")
    precision, scale = _int(spec, "precision", 1, 1000), _int(spec, "scale", 0, 1000)
    if (precision is not None or scale is not None) and type_name != "numeric":
        raise ColumnError("`precision` et `scale` ne s'appliquent qu'aux colonnes numeric")
    if type_name == "numeric":
        precision = precision if precision is not None else DEFAULT_NUMERIC[0]
        scale = scale if scale is not None else min(DEFAULT_NUMERIC[1], precision)
        if scale > precision:
            raise ColumnError(f"`scale` ({scale}) ne peut pas dépasser `precision` ({precision})")
    choices = spec.get("choices")
    if type_name == "enum":
        if not isinstance(choices, list) or not choices or len(choices) > MAX_CHOICES:
            raise ColumnError(f"un enum demande des `choices` : une liste de 1 à {MAX_CHOICES} chaînes")
        for choice in choices:
            if not isinstance(choice, str) or not choice or len(choice) > MAX_CHOICE_LENGTH:
                raise ColumnError(f"chaque choix est une chaîne de 1 à {MAX_CHOICE_LENGTH} caractères, pas {choice!r}")
            if re.search(r"[\x00-\x1f\x7f]", choice):
                raise ColumnError(f"le choix {choice!r} contient un caractère de contrôle")
        if len(set(choices)) != len(choices):
            raise ColumnError("les choix répètent une valeur")
        length = length if length is not None else max(DEFAULT_LENGTH["enum"], *map(len, choices))
        if max(map(len, choices)) > length:
            raise ColumnError(f"un choix est plus long que `length` ({length})")
    elif choices is not None:
        raise ColumnError("`choices` ne s'applique qu'aux colonnes enum")
    if type_name == "string" and length is None:
        length = DEFAULT_LENGTH["string"]
    foreign_key = spec.get("foreign_key")
    if foreign_key is not None:
        parts = str(foreign_key).split(".")
        if not isinstance(foreign_key, str) or len(parts) != 2 or not all(map(IDENTIFIER.fullmatch, parts)):
            raise ColumnError(f"`foreign_key` s'écrit `table.colonne` (ex. `leads.id`), pas {foreign_key!r}")
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
                f"le nom de sa contrainte {name} fait {len(name)} caractères (PostgreSQL en garde "
                f"{MAX_CONSTRAINT_NAME}) : raccourcissez le nom de la table ou de la colonne"
            )
    return column


def columns_from_fields(fields: Any) -> list[dict[str, Any]]:
    """The api part's `fields` as column answers: nullable = not required; a string's max_length is
    its length (a text's max_length stays an API check); choices/unique/index/default carried over."""
    fields = compact_answers.as_list("fields", fields)
    if isinstance(fields, str):
        return fields  # refused by the fields check, with its message
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


# The `columns` question's default (a small table, or one added column), in its compact form.
DEFAULT_COLUMNS_ANSWER = "name:string:255:index description:text? is_active:boolean=true"
DEFAULT_ALTER_COLUMNS_ANSWER = "+notes:text?"
DEFAULT_COLUMNS: list[dict[str, Any]] = compact_answers.expand("columns", DEFAULT_COLUMNS_ANSWER)
DEFAULT_ALTER_COLUMNS: list[dict[str, Any]] = compact_answers.expand("columns", DEFAULT_ALTER_COLUMNS_ANSWER)


# --------------------------------------------------------------------------- the unit's table


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
    shape = (
        "`columns` est une ligne compacte, ex. `email:string:120:unique owner_id:integer?:fk(owners.id)`, ou "
        "une liste YAML non vide de colonnes, ex. [{name: email, type: string}]"
    )
    raw = yaml_list(
        answered_columns(answers, parts), ColumnError, noun="colonnes", empty=shape, not_list=shape, compact="columns"
    )
    columns, seen = [], set()
    for position, spec in enumerate(raw, 1):
        label = spec.get("name") if isinstance(spec, dict) else None
        where = f"colonne {position} ({label})" if label else f"colonne {position}"
        if isinstance(spec, dict) and (problem := column_name_problem(spec.get("name"))):
            raise ColumnError(f"{where} : {problem}")
        if label in seen:
            raise ColumnError(f"{where} : la colonne {label!r} apparaît deux fois")
        seen.add(label)
        before = {**before_specs[label], "name": label} if label in before_specs else None
        try:
            columns.append(normalize(spec, table=table, tenant=tenant, operation=operation, before=before))
        except ColumnError as error:
            raise ColumnError(f"{where} : {error}") from None
    before = {}
    for label, spec in before_specs.items():
        try:
            before[label] = _build({**spec, "name": label}, table=table, tenant=tenant)
        except ColumnError:
            continue
    return Table(table, operation, tenant, columns, before)


def model_imports(columns: list[Column]) -> list[str]:
    """The standard-library imports the model's columns need, in ruff's isort order."""
    needed = {name for c in columns for name in c.imports}
    return [line for name, line in IMPORTS.items() if name in needed]
