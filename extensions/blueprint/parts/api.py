"""The api part: a tenant-scoped REST resource (schemas, repository, service, router, their tests).

Answers (questions/api.yml):
- `resource_singular`, `resource_plural`: kebab-case, derived from the unit name (`campaigns` ->
  `campaign` / `campaigns`); the plural is the URL segment (`/api/v1/campaigns`), the singular names
  the classes (`CampaignCreate`, `CampaignService`…).
- `operations`: a subset of list, get, create, update, delete.
- `fields`: a YAML list, one mapping per field, or one compact line (compact_answers.py; see
  FIELDS_HELP); the database part turns the same list into columns (`columns_from_fields` in
  columns.py) when the unit has its own model.
- `api_description`: free text, the OpenAPI description (pasted through `py_str` only).
- `api_own_model` (the api kind): its own table through the database part (kinds.yml renders the
  kind's parts with it), else `model`: an existing `app.models.<module>:<Class>`, checked in the host.

`derive(unit)` gives templates `unit.api`: names, the normalized fields and every line of generated
code whose length depends on the answers, already laid out the way `ruff format` keeps it (the
host's line length is 100): a short construct on one line, a long one exploded with a magic
trailing comma.
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .. import examples, host_files, naming
from ..columns import numeric_format, table_of
from ..filters import py_str
from ..list_answers import validator, yaml_list
from . import database

OPERATIONS = ("list", "get", "create", "update", "delete")
TYPES = (
    "string", "text", "integer", "bigint", "float", "numeric", "boolean", "date", "datetime", "uuid",
    "json", "enum",
)  # fmt: skip
NUMBER_TYPES = ("integer", "bigint", "float", "numeric")
KEYS = {
    "name", "type", "required", "max_length", "min", "max", "choices", "unique", "index", "default",
    "description",
}  # fmt: skip
DEFAULT_FIELDS: list[dict[str, Any]] = [
    {"name": "name", "type": "string", "required": True, "max_length": 200},
    {"name": "description", "type": "text", "required": False},
]
FIELDS_HELP = (
    "une ligne compacte, ex. `title:string:80:unique budget:numeric?:0.. status:enum(draft,active)=draft` "
    "(nom:type, puis :80 une longueur, :0..100 des bornes, :unique, :index, ? facultatif, =défaut), ou "
    "une liste YAML de champs, un mapping par champ, ex. `[{name: title, type: string, max_length: 200, "
    "unique: true}, {name: budget, type: numeric, required: false, min: 0}, {name: status, type: enum, "
    "choices: [draft, active], default: draft}]`. Clés : name (snake_case), type ("
    + ", ".join(TYPES)
    + "), required (true par défaut), max_length (string, text), min/max (nombres), choices (enum), "
    "unique, index, default (un scalaire), description (texte OpenAPI)"
)

LINE = 100  # the host's ruff line length
MAX_FIELDS = 40
MAX_FIELD_NAME = 40
MAX_STRING_LENGTH = 10_000
DEFAULT_STRING_LENGTH = 255  # the database part's default column length
# PostgreSQL's btree index entries are limited to ~2700 bytes: an indexed text stays well below.
MAX_INDEXED_LENGTH = 500
MAX_CHOICES = 50
MIN_UNIQUE_ROOM = 10
MAX_DESCRIPTION = 500
CHOICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
FIELD_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
INT_BOUNDS = {"integer": (-(2**31), 2**31 - 1), "bigint": (-(2**63), 2**63 - 1)}
# The API's bound on a bigint: the largest integer a JSON client (JavaScript's number) holds exactly.
JSON_SAFE_INT = 2**53 - 1
# The database part's numeric columns: NUMERIC(precision, scale); the schemas bound Decimals to fit.
NUMERIC_PRECISION, NUMERIC_SCALE = numeric_format()
MODEL = re.compile(r"app\.models\.([a-z_][a-z0-9_]*):([A-Z][A-Za-z0-9]*)")
# Attributes every api model has, and names a field may not take: the model's own columns, Python and
# SQL words, pydantic's BaseModel members and namespace, SQLAlchemy's declarative attributes.
MODEL_COLUMNS = {"id", "tenant_id", "created_at", "updated_at"}
PYDANTIC_MEMBERS = {
    "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw", "schema",
    "schema_json", "update_forward_refs", "validate", "fields", "self", "cls",
}  # fmt: skip
SQLALCHEMY_MEMBERS = {"metadata", "registry", "query", "mapper"}
AMBIGUOUS = {"l", "o", "i"}  # ruff E741: read as 1 and 0


class FieldsError(ValueError):
    pass


# -- names -----------------------------------------------------------------------------------------


def singular_of(name: str) -> str:
    """`campaigns` -> `campaign`, `lead-categories` -> `lead-category` (English; the answer is editable)."""
    head, _, last = name.rpartition("-")
    if last.endswith("ies") and len(last) > 3:
        last = last[:-3] + "y"
    elif re.search(r"(ss|x|z|ch|sh)es$", last):
        last = last[:-2]
    elif last.endswith("s") and not re.search(r"(ss|us|is)$", last) and len(last) > 1:
        last = last[:-1]
    return f"{head}-{last}" if head else last


def plural_of(name: str) -> str:
    """`campaign` -> `campaigns`, `lead-category` -> `lead-categories`, `status` -> `statuses`."""
    head, _, last = name.rpartition("-")
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        last += "es"
    else:
        last += "s"
    return f"{head}-{last}" if head else last


def _pascal_field(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def default_singular(dst: Path, answers: dict[str, Any]) -> str:
    return singular_of(str(answers.get("name") or "item"))


def default_plural(dst: Path, answers: dict[str, Any]) -> str:
    singular = answers.get("resource_singular") or default_singular(dst, answers)
    return plural_of(str(singular))


def default_model(dst: Path, answers: dict[str, Any]) -> str:
    singular = str(answers.get("resource_singular") or answers.get("name") or "item")
    return f"app.models.{naming.snake(singular)}:{naming.pascal(singular)}"


DEFAULTS = {"resource_singular": default_singular, "resource_plural": default_plural, "model": default_model}


# -- checks ----------------------------------------------------------------------------------------


RESOURCE_HELP = (
    "lettres ASCII minuscules et chiffres, en mots reliés par un seul tiret, commençant par une lettre, "
    f"{naming.MAX_LENGTH} caractères au plus (ex. `campaign` / `campaigns`, `lead-category` / `lead-categories`)"
)


def resource_problem(value: Any) -> str:
    if not isinstance(value, str) or not naming.SLUG.fullmatch(value) or len(value) > naming.MAX_LENGTH:
        return f"le nom de ressource {value!r} n'est pas en kebab-case : {RESOURCE_HELP}"
    # Its forms name classes (`CampaignRead`), functions and variables (`campaign`): no reserved word.
    return naming.reserved_problem(
        value,
        f"le nom de ressource {value!r}",
        f"un nom de ressource est en kebab-case : {RESOURCE_HELP}",
        ("Python", "TypeScript"),
    )


def singular_problem(value: Any, answers: dict[str, Any]) -> str:
    return resource_problem(value)


def plural_problem(value: Any, answers: dict[str, Any]) -> str:
    if problem := resource_problem(value):
        return problem
    # The URL first: serving the existing table (the table clash's way out) would not free it.
    dst, own = database.destination(answers), naming.snake(str(answers.get("name", "")))
    served = re.compile(rf"""prefix=["']/{re.escape(value)}["']""")
    for module, text in host_files.texts(dst / "backend/app/api/routes").items() if dst else ():
        if module.stem != own and served.search(text):
            return (  # what to do first: a terminal shows one line of a refusal
                f"le chemin /api/v1/{value} est déjà servi : choisissez un autre pluriel (servi par "
                f"backend/app/api/routes/{module.name} ; le pluriel est le segment d'URL)"
            )
    if own_model(answers) and (problem := table_problem({**answers, "resource_plural": value})):
        return problem
    return ""


def operations(value: Any) -> list[str]:
    """The chosen operations in their canonical order; FieldsError when the answer is wrong."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not value:
        raise FieldsError(f"choisissez au moins une opération parmi {', '.join(OPERATIONS)}")
    unknown = [str(v) for v in value if v not in OPERATIONS]
    if unknown:
        raise FieldsError(f"opération(s) inconnue(s) {', '.join(unknown)} : choisissez parmi {', '.join(OPERATIONS)}")
    return [op for op in OPERATIONS if op in value]


def operations_problem(value: Any, answers: dict[str, Any]) -> str:
    try:
        operations(value)
    except FieldsError as error:
        return str(error)
    return ""


@dataclass
class Field:
    """One field of the resource, normalized; the `*_line(s)` are generated code."""

    name: str
    type: str
    required: bool = True
    max_length: int | None = None
    min: int | float | Decimal | None = None
    max: int | float | Decimal | None = None
    choices: list[str] = field(default_factory=list)
    unique: bool = False
    index: bool = False
    default: Any = None
    description: str = ""
    pascal: str = ""
    # Filled by derive(): code for the templates.
    create_lines: list[str] = field(default_factory=list)
    update_lines: list[str] = field(default_factory=list)
    read_lines: list[str] = field(default_factory=list)
    sample_lines: list[str] = field(default_factory=list)
    bad_values: list[str] = field(default_factory=list)  # Python literals refused with 422
    choices_alias: str = ""
    value_alias: str = ""  # integer, bigint, numeric: the input type, its bounds inside
    value_lines: list[str] = field(default_factory=list)
    doc_constraints: str = ""  # French, for DOC-TECH-002

    @property
    def has_default(self) -> bool:
        return self.default is not None


def _bool(raw: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = raw.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise FieldsError(f"{where} : `{key}` vaut true ou false, pas {value!r}")
    return value


def _number(value: Any, kind: str, what: str) -> int | float | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise FieldsError(f"{what} doit être un nombre, pas {value!r}")
    try:
        if kind in INT_BOUNDS:
            if isinstance(value, float) and not value.is_integer():
                raise FieldsError(f"{what} doit être un nombre entier pour un champ {kind}, pas {value!r}")
            number: int | float | Decimal = int(str(value)) if isinstance(value, str) else int(value)
            low, high = INT_BOUNDS[kind]
            if not low <= number <= high:
                raise FieldsError(f"{what} {value!r} ne tient pas dans un champ {kind} (de {low} à {high})")
            return number
        if kind == "float":
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise FieldsError(f"{what} doit être un nombre fini, pas {value!r}")
            return number
        number = Decimal(str(value))
        if not number.is_finite():
            raise FieldsError(f"{what} doit être un nombre fini, pas {value!r}")
        limit = Decimal(10) ** (NUMERIC_PRECISION - NUMERIC_SCALE)
        if abs(number) >= limit or number != round(number, NUMERIC_SCALE):
            raise FieldsError(
                f"{what} {value!r} ne tient pas dans la colonne numeric ({NUMERIC_PRECISION} chiffres au plus, "
                f"dont {NUMERIC_SCALE} après la virgule)"
            )
        return number
    except FieldsError:
        raise
    except (ValueError, InvalidOperation) as error:
        raise FieldsError(f"{what} doit être un nombre, pas {value!r}") from error


def _text_value(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise FieldsError(f"{what} doit être un texte, pas {value!r}")
    if len(value) > limit:
        raise FieldsError(f"{what} fait {len(value)} caractères : {limit} au plus")
    if "\x00" in value:
        raise FieldsError(f"{what} contient un caractère NUL")
    return value


def _default(raw: Any, item: Field, where: str) -> Any:
    what = f"{where} : la valeur par défaut"
    if raw is None:
        return None
    if item.type in ("date", "datetime", "uuid", "json"):
        raise FieldsError(
            f"{where} : une valeur par défaut est possible pour les textes, nombres, booléens et enums, "
            f"pas pour le type {item.type}"
        )
    if item.type == "boolean":
        if not isinstance(raw, bool):
            raise FieldsError(f"{what} doit être true ou false, pas {raw!r}")
        return raw
    if item.type in NUMBER_TYPES:
        number = _number(raw, item.type, what)
        if (item.min is not None and number < item.min) or (item.max is not None and number > item.max):
            raise FieldsError(f"{what} {raw!r} est hors de min/max")
        return number
    if item.type == "enum":
        if raw not in item.choices:
            raise FieldsError(f"{what} {raw!r} n'est pas l'un des choix {item.choices}")
        return raw
    return _text_value(raw, what, item.max_length or MAX_STRING_LENGTH)


def _one(raw: Any, position: int, taken: list[Field]) -> Field:
    where = f"le champ n°{position}"
    if not isinstance(raw, dict):
        raise FieldsError(f"{where} vaut {raw!r} : chaque champ est un mapping comme {{name: title, type: string}}")
    unknown = sorted(str(k) for k in set(raw) - KEYS)
    if unknown:
        raise FieldsError(
            f"{where} a des clés inconnues {', '.join(unknown)} : un champ a les clés {', '.join(sorted(KEYS))}"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not FIELD_NAME.fullmatch(name) or len(name) > MAX_FIELD_NAME:
        raise FieldsError(
            f"{where} : le nom {name!r} n'est pas en snake_case (lettres ASCII minuscules et chiffres, en mots "
            f"reliés par un seul tiret bas, commençant par une lettre, {MAX_FIELD_NAME} caractères au plus)"
        )
    where = f"le champ {name!r}"
    reserved = [
        ("les colonnes propres du modèle", MODEL_COLUMNS),
        ("Python", set(keyword.kwlist) | set(keyword.softkwlist)),
        ("SQL", naming.SQL_RESERVED),
        ("le BaseModel de pydantic", PYDANTIC_MEMBERS),
        ("les classes déclaratives de SQLAlchemy", SQLALCHEMY_MEMBERS),
        ("ruff (E741 : il se lit comme 1 ou 0)", AMBIGUOUS),
    ]
    for label, words in reserved:
        if name in words:
            raise FieldsError(f"{where} : {name!r} est pris par {label} ; choisissez un autre nom")
    if name.startswith("model_"):
        raise FieldsError(
            f"{where} : les noms commençant par `model_` appartiennent à pydantic ; choisissez un autre nom"
        )
    if any(f.name == name for f in taken):
        raise FieldsError(f"{where} est donné deux fois")
    kind = raw.get("type", "string")
    if kind not in TYPES:
        raise FieldsError(f"{where} a le type {kind!r} : choisissez parmi {', '.join(TYPES)}")
    item = Field(name=name, type=kind, pascal=_pascal_field(name))
    item.required = _bool(raw, "required", True, where)
    item.unique = _bool(raw, "unique", False, where)
    item.index = _bool(raw, "index", False, where)

    if raw.get("max_length") is not None:
        if kind not in ("string", "text"):
            raise FieldsError(f"{where} : `max_length` est pour les champs string et text, pas {kind}")
        length = raw["max_length"]
        if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_STRING_LENGTH:
            raise FieldsError(f"{where} : `max_length` est un nombre entier de 1 à {MAX_STRING_LENGTH}, pas {length!r}")
        item.max_length = length
    elif kind == "string":
        item.max_length = DEFAULT_STRING_LENGTH
    elif kind == "text":  # unbounded in the database, bounded (and documented) in the API
        item.max_length = MAX_STRING_LENGTH

    for key in ("min", "max"):
        if raw.get(key) is not None:
            if kind not in NUMBER_TYPES:
                raise FieldsError(f"{where} : `{key}` est pour les champs {', '.join(NUMBER_TYPES)}, pas {kind}")
            setattr(item, key, _number(raw[key], kind, f"{where} : `{key}`"))
    if item.min is not None and item.max is not None and item.min > item.max:
        raise FieldsError(f"{where} : `min` ({item.min}) est plus grand que `max` ({item.max})")

    choices = raw.get("choices")
    if kind == "enum":
        if not isinstance(choices, list) or not choices:
            raise FieldsError(f"{where} est un enum sans choix : ajoutez `choices: [draft, active]`")
        if len(choices) > MAX_CHOICES:
            raise FieldsError(f"{where} a {len(choices)} choix : {MAX_CHOICES} au plus")
        for choice in choices:
            if not isinstance(choice, str) or not CHOICE.fullmatch(choice):
                raise FieldsError(
                    f"{where} : le choix {choice!r} n'est pas un simple mot (lettres ASCII, chiffres, `_`, `.`, `-`, "
                    "commençant par une lettre ou un chiffre, 63 caractères au plus) ; mettez les nombres entre "
                    "guillemets : `'1'`"
                )
        if len(set(choices)) != len(choices):
            raise FieldsError(f"{where} répète un choix : {choices}")
        item.choices = list(choices)
    elif choices is not None:
        raise FieldsError(f"{where} : `choices` n'est que pour `type: enum`")

    if item.unique or item.index:
        if kind == "json":
            raise FieldsError(
                f"{where} : un champ json ne peut être ni unique ni indexé (PostgreSQL n'a pas d'égalité sur json)"
            )
        if kind in ("string", "text") and (item.max_length or MAX_STRING_LENGTH + 1) > MAX_INDEXED_LENGTH:
            raise FieldsError(
                f"{where} : un {kind} unique ou indexé demande un `max_length` de {MAX_INDEXED_LENGTH} au plus "
                "(les entrées d'index de PostgreSQL sont limitées à environ 2700 octets)"
            )
    item.default = _default(raw.get("default"), item, where)
    if item.unique and (space := room(item)) is not None and space < MIN_UNIQUE_ROOM:
        raise FieldsError(
            f"{where} : un champ unique doit pouvoir prendre au moins {MIN_UNIQUE_ROOM} valeurs, celui-ci en a "
            f"{space} (un booléen ou un petit enum unique ne permet que quelques lignes en tout : utilisez une "
            "table à part)"
        )

    description = raw.get("description")
    if description is not None:
        if not isinstance(description, str) or len(description) > MAX_DESCRIPTION:
            raise FieldsError(f"{where} : `description` est un texte de {MAX_DESCRIPTION} caractères au plus")
        item.description = description
    return item


def parse_fields(value: Any) -> list[Field]:
    """The fields answer, checked and normalized; FieldsError says what is wrong."""
    value = yaml_list(
        value, FieldsError, noun="champs", empty="donnez au moins un champ à la ressource", at_most=MAX_FIELDS,
        default=DEFAULT_FIELDS, compact="fields",
    )  # fmt: skip
    fields: list[Field] = []
    for position, raw in enumerate(value, 1):
        fields.append(_one(raw, position, fields))
    return fields


def own_model(answers: dict[str, Any]) -> bool:
    """Whether the unit's answers (so far) give the api its own table: a feature's `parts` has the
    database part, or the api kind's `api_own_model` (default yes) is true."""
    parts = answers.get("parts")
    if isinstance(parts, list | tuple):
        return "database" in parts
    return bool(answers.get("api_own_model", True))


_fields_problem = validator(parse_fields, FieldsError, f"Les champs sont {FIELDS_HELP}")


def fields_problem(value: Any, answers: dict[str, Any]) -> str:
    if problem := _fields_problem(value, answers):
        return problem
    if own_model(answers):  # they become the columns of a new table: the database part checks them too
        return database.fields_problem(value, answers)
    return ""


def table_problem(answers: dict[str, Any]) -> str:
    """A new table must not be one a model of the host already defines (in another module)."""
    from .. import model_source  # the database part's reader of the host's models

    dst = database.destination(answers)
    table = table_of(answers, str(answers.get("name") or ""))
    found = model_source.find_model(dst / database.MODELS_DIR, table) if dst else None
    if found is None or (dst and database.own_table(dst, answers, found.path)):
        return ""
    where = found.path.relative_to(dst).as_posix() if dst in found.path.parents else found.path.name
    model = f"app.models.{found.path.stem}:{found.class_name}"
    if isinstance(answers.get("parts"), list | tuple):  # a feature: its parts say whether it has a table
        serve = f"décochez database pour la servir (-d model={model})"
    else:
        serve = f"servez-la avec -d api_own_model=false -d model={model}"
    # What to do first: a terminal shows one line of a refusal.
    return (
        f"la table {table!r} existe déjà : un autre pluriel, ou {serve} ; le pluriel nomme la table, "
        f"celle-ci est définie dans {where}, classe {found.class_name}"
    )


def parse_model(value: Any) -> tuple[str, str]:
    if not isinstance(value, str) or not (match := MODEL.fullmatch(value.strip())):
        raise FieldsError(
            f"le modèle {value!r} n'est pas de la forme `app.models.<module>:<Class>` "
            "(ex. `app.models.campaign:Campaign`, un module de backend/app/models/)"
        )
    if len(match.group(1)) > naming.MAX_LENGTH or len(match.group(2)) > naming.MAX_LENGTH:
        raise FieldsError(
            f"le modèle {value!r} : les noms de module et de classe font {naming.MAX_LENGTH} caractères au plus"
        )
    return match.group(1), match.group(2)


KNOWN_BASES = {"Base", "TenantMixin", "TimestampMixin"}


def model_problem(value: Any, answers: dict[str, Any]) -> str:
    """The model must exist in the host, have `id` and `tenant_id`, and every field as a column."""
    if own_model(answers):
        return ""  # not asked: the api uses the model its database part creates
    try:
        module, cls = parse_model(value)
    except FieldsError as error:
        return str(error)
    dst = database.destination(answers)
    if dst is None:
        return ""
    path = dst / "backend/app/models" / f"{module}.py"
    source = host_files.texts(path.parent, path.name).get(path)  # checked once per answer: read once
    if source is None:
        if path.is_file():
            return (
                f"backend/app/models/{module}.py n'est pas du texte UTF-8 : donnez un module de modèle que l'hôte "
                "peut importer"
            )
        return f"le module de modèle backend/app/models/{module}.py n'existe pas dans {dst} : donnez un modèle existant"
    try:
        tree = _parsed(source)
    except SyntaxError as error:
        return f"backend/app/models/{module}.py n'est pas du Python valide ({error.msg}, ligne {error.lineno})"
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls), None)
    if node is None:
        return f"backend/app/models/{module}.py ne définit pas de classe {cls}"
    bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
    if not bases <= KNOWN_BASES:
        return ""  # columns may come from a base we cannot read: the host's tests will tell
    columns = {s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
    columns |= {"tenant_id"} if "TenantMixin" in bases else set()
    columns |= {"created_at", "updated_at"} if "TimestampMixin" in bases else set()
    missing = [c for c in ("id", "tenant_id") if c not in columns]
    if missing:
        return (
            f"{cls} n'a pas de {' ni de '.join(missing)} : un modèle d'api est une ligne d'un tenant (TenantMixin) "
            "avec un `id`"
        )
    try:
        wanted = [f.name for f in parse_fields(answers.get("fields"))]
    except FieldsError:
        return ""  # the fields question says what is wrong with them
    if absent := [name for name in wanted if name not in columns]:
        return f"{cls} n'a pas de colonne(s) {', '.join(absent)} : les champs doivent être des colonnes du modèle"
    return ""


@functools.lru_cache(maxsize=64)
def _parsed(source: str) -> ast.Module:
    return ast.parse(source)


VALIDATORS = {
    "resource_singular": singular_problem,
    "resource_plural": plural_problem,
    "operations": operations_problem,
    "fields": fields_problem,
    "model": model_problem,
}


# -- generated code --------------------------------------------------------------------------------


def _literal(value: Any) -> str:
    """A Python literal of a (checked) default or bound."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return py_str(value)


def _string_chunks(text: str, room: int) -> list[str]:
    """`text` as string literals (through py_str) each at most `room` characters long."""
    literal = py_str(text)
    if len(literal) <= room:
        return [literal]
    chunks, current = [], ""
    for word in re.split(r"(?<= )", text):  # keep the spaces, split after them
        while word:
            candidate = current + word
            if len(py_str(candidate)) <= room:
                current, word = candidate, ""
            elif current:
                chunks.append(current)
                current = ""
            else:  # one word longer than a line: cut it
                cut = max(1, room - 12)
                while cut > 1 and len(py_str(word[:cut])) > room:
                    cut -= 1
                chunks.append(word[:cut])
                word = word[cut:]
    if current:
        chunks.append(current)
    return [py_str(chunk) for chunk in chunks]


def _keyword(name: str, text: str, indent: int) -> list[str]:
    """`name=<string>,` at `indent`, the string split in parenthesized chunks when too long."""
    pad = " " * indent
    one = f"{pad}{name}={py_str(text)},"
    if len(one) <= LINE:
        return [one]
    chunks = _string_chunks(text, LINE - indent - 4)
    return [f"{pad}{name}=(", *(f"{pad}    {c}" for c in chunks), f"{pad}),"]


def assignment_lines(name: str, text: str) -> list[str]:
    """`NAME = <string>` at module level, the string split in parenthesized chunks when too long."""
    one = f"{name} = {py_str(text)}"
    if len(one) <= LINE:
        return [one]
    return [f"{name} = (", *(f"    {c}" for c in _string_chunks(text, LINE - 4)), ")"]


def call_lines(head: str, args: list[tuple[str, str]], indent: int, tail: str = "") -> list[str]:
    """`head(arg, …)tail` on one line, or exploded one argument per line (magic trailing comma).

    An arg is (keyword, code); a keyword "description" takes free text (split when too long)."""
    pad = " " * indent
    flat = [f"{k}={py_str(v)}" if k == "description" else (f"{k}={v}" if k else v) for k, v in args]
    one = f"{pad}{head}({', '.join(flat)}){tail}"
    if len(one) <= LINE:
        return [one]
    lines = [f"{pad}{head}("]
    for (key, value), text in zip(args, flat, strict=True):
        if key == "description":
            lines += _keyword(key, value, indent + 4)
        else:
            lines.append(f"{pad}    {text},")
    return [*lines, f"{pad}){tail}"]


def _bounds(item: Field) -> list[tuple[str, str]]:
    """ge/le: the field's min/max, within what its column can hold (no overflow reaches the database)."""
    low, high = item.min, item.max
    if item.type in INT_BOUNDS:
        type_low, type_high = INT_BOUNDS[item.type]
        type_low, type_high = max(type_low, -JSON_SAFE_INT), min(type_high, JSON_SAFE_INT)
        low = type_low if low is None else max(low, type_low)
        high = type_high if high is None else min(high, type_high)
    out = []
    if low is not None:
        out.append(("ge", _literal(low)))
    if high is not None:
        out.append(("le", _literal(high)))
    return out


def _constraints(item: Field) -> list[tuple[str, str]]:
    if item.type in ("string", "text"):
        return [("max_length", str(item.max_length))] if item.max_length else []
    # strict: a JSON number only (not "0.5"), a JSON boolean only (not "true", not 1), as the
    # document says; an integer is refused as text or a boolean by the schemas' `Whole` type.
    if item.type in INT_BOUNDS or item.type == "numeric":
        return []  # in the field's own type (value_lines): inside its validators, in the document
    if item.type == "float":
        return [*_bounds(item), ("allow_inf_nan", "False"), ("strict", "True")]
    if item.type == "boolean":
        return [("strict", "True")]
    return []


def _value_lines(item: Field) -> list[str]:
    """The field's input type: `<Alias> = Annotated[int | Decimal, Field(<bounds>), validators…]`.

    Its bounds come first, on the number itself: after a validator (or on `X | None`) pydantic checks
    them only after the others and writes them as `ge`/`le` in the document, not `minimum`/`maximum`."""
    bounds = _bounds(item)
    if item.type == "numeric":  # within NUMERIC(precision, scale): |x| < AMOUNT_LIMIT
        if item.min is None:
            bounds.insert(0, ("gt", "-AMOUNT_LIMIT"))
        if item.max is None:
            bounds.append(("lt", "AMOUNT_LIMIT"))
        base, after = "Decimal", ["AfterValidator(_to_scale)", "Field(json_schema_extra=_number_only)"]
    else:
        base, after = "int", []
    constraint = "Field(" + ", ".join(f"{k}={v}" for k, v in bounds) + ")"
    items = [base, constraint, "BeforeValidator(_not_text)", *after]
    return Code.subscript(0, f"{item.value_alias} = Annotated", items).split("\n")


INPUT_TYPES = {
    "string": "Text", "text": "Text", "integer": "Whole", "bigint": "Whole", "float": "float",
    "numeric": "Decimal", "boolean": "bool", "date": "Day", "datetime": "Instant", "uuid": "Uuid",
    "json": "Json",
}  # fmt: skip
READ_TYPES = {
    "string": "str", "text": "str", "integer": "int", "bigint": "int", "float": "float",
    "numeric": "Decimal", "boolean": "bool", "date": "date", "datetime": "StoredInstant", "uuid": "UUID",
    "json": "JsonValue", "enum": "str",
}  # fmt: skip


def _annotated(item: Field, base: str, optional: bool, args: list[tuple[str, str]]) -> list[str]:
    annotation = f"{base} | None" if optional else base
    head = f"{item.name}: {annotation}"
    if not args:
        return [f"    {head}"]
    if len(args) == 1 and args[0][0] == "default":
        line = f"    {head} = {args[0][1]}"
        if len(line) <= LINE:
            return [line]
    return call_lines(f"{head} = Field", args, indent=4)


def _create_lines(item: Field) -> list[str]:
    base = item.choices_alias or item.value_alias or INPUT_TYPES[item.type]
    args: list[tuple[str, str]] = []
    if item.has_default:
        args.append(("default", _literal(item.default)))
    elif not item.required:
        args.append(("default", "None"))
    args += _constraints(item)
    if item.description:
        args.append(("description", item.description))
    return _annotated(item, base, not item.required, args)


def _update_lines(item: Field) -> list[str]:
    base = item.choices_alias or item.value_alias or INPUT_TYPES[item.type]
    args = [("default", "None"), *_constraints(item)]
    if item.description:
        args.append(("description", item.description))
    return _annotated(item, base, True, args)


def _read_lines(item: Field, own_model: bool) -> list[str]:
    args = [("description", item.description)] if item.description else []
    return _annotated(item, READ_TYPES[item.type], not (item.required and own_model), args)


def _low(item: Field) -> int | float | Decimal:
    """The smallest sample value: min, else 0 (or just below a negative max)."""
    if item.min is not None:
        return item.min
    if item.max is None or item.max >= 0:
        return 0
    return item.max - 9


def _sample(item: Field) -> str:
    """A Python expression of `n`: a valid value, different for each n (within the field's room)."""
    kind = item.type
    if kind in ("string", "text"):
        room = item.max_length or MAX_STRING_LENGTH
        before, after = examples.numbered(item.name)
        if len(before) + len(after) + 6 <= room:  # n of up to 6 digits: a value that reads like real data
            return f'f"{before}{{n}}{after}"'
        text = f'f"{{n}}-{item.name[:12]}"'
        return f"{text}[:{room}]" if room < len(item.name[:12]) + 8 else text
    if kind in INT_BOUNDS:
        low = int(_low(item))
        span = None if item.max is None else int(item.max) - low + 1
        return (f"{low} + n % {span}" if low else f"n % {span}") if span else (f"{low} + n" if low else "n")
    if kind == "float":
        low = float(_low(item))
        step = 0.5 if item.max is None else (float(item.max) - low) / 10
        return f"{low!r} + (n % 10) * {step!r}"
    if kind == "numeric":
        low_int = int(Decimal(_low(item)).to_integral_value(rounding="ROUND_CEILING"))
        if item.max is None:
            return f"Decimal({low_int} + n)" if low_int else "Decimal(n)"
        span = int(Decimal(item.max).to_integral_value(rounding="ROUND_FLOOR")) - low_int + 1
        if span < 1:  # no whole number between min and max
            return f'Decimal("{_low(item)}")'
        return f"Decimal({low_int} + n % {span})" if low_int else f"Decimal(n % {span})"
    return {
        "boolean": "n % 2 == 0",
        "date": "date(2026, 1, 1) + timedelta(days=n)",
        "datetime": "datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=n, microseconds=n)",
        "uuid": "UUID(int=n + 1)",
        "json": '{"n": n, "tags": ["a"]}',
    }[kind]


def room(item: Field) -> int | None:
    """How many distinct values the field can take (None: plenty)."""
    if item.type == "boolean":
        return 2
    if item.type == "enum":
        return len(item.choices)
    if item.type in ("integer", "bigint", "numeric") and item.max is not None:
        low = Decimal(_low(item)).to_integral_value(rounding="ROUND_CEILING")
        return max(0, int(Decimal(item.max).to_integral_value(rounding="ROUND_FLOOR") - low) + 1)
    if item.type == "float" and item.max is not None and item.max == _low(item):
        return 1
    return None


def _sample_lines(item: Field) -> list[str]:
    """`"name": <sample>,` inside values()' dict (8 spaces in)."""
    if item.type == "enum":
        choices = ", ".join(py_str(c) for c in item.choices) + ("," if len(item.choices) == 1 else "")
        line = f'        "{item.name}": ({choices})[n % {len(item.choices)}],'
        if len(line) <= LINE:
            return [line]
        exploded = [f"            {py_str(c)}," for c in item.choices]
        return [f'        "{item.name}": (', *exploded, f"        )[n % {len(item.choices)}],"]
    line = f'        "{item.name}": {_sample(item)},'
    if len(line) <= LINE:
        return [line]
    # ruff keeps these parentheses (it would otherwise split the expression at its operator)
    return [f'        "{item.name}": (', f"            {_sample(item)}", "        ),"]


def _bad_values(item: Field) -> list[str]:
    """Python literals that must be refused with 422 (wrong type, too long, out of range…)."""
    kind = item.type
    bad: list[str] = []
    if kind in ("string", "text"):
        bad += ["123", '"a\\x00b"']
        if item.max_length:
            bad.append(f'"x" * {item.max_length + 1}')
    elif kind in NUMBER_TYPES:
        bad.append('"abc"')
        if kind in INT_BOUNDS:
            low, high = (int(b[1]) for b in _bounds(item))
            bad += [str(high + 1), str(low - 1), '"7"', "True"]
        elif kind == "numeric":
            bad.append('"1e999999"')
        if item.min is not None and kind in ("float", "numeric"):
            bad.append(_literal(float(item.min) - 1))
        if kind == "float":
            bad += ['"Infinity"', '"0.5"']
    elif kind == "boolean":
        bad += ['"maybe"', '"true"', "1"]
    elif kind == "date":
        bad += ['"2026-13-45"', '"tomorrow"', "0"]
    elif kind == "datetime":
        bad += ['"2026-01-01T00:00:00"', '"0001-01-01T00:00:00+05:00"', "0"]
    elif kind == "uuid":
        # only the 8-4-4-4-12 text the document's `format: uuid` means, not Python's other forms
        bad += ['"not-a-uuid"', '"e3e70682c2094cac629f6fbed82c07cd"', '"{e3e70682-c209-4cac-a29f-6fbed82c07cd}"']
    elif kind == "json":
        bad.append('{"text": "a\\x00b"}')
    elif kind == "enum":
        bad += ['"zz-not-a-choice"', "1"]
    return bad


def _doc_constraints(item: Field) -> str:
    parts = []
    if item.max_length:
        parts.append(f"{item.max_length} caractères max")
    if item.min is not None:
        parts.append(f"≥ {item.min}")
    if item.max is not None:
        parts.append(f"≤ {item.max}")
    if item.type == "numeric":
        parts.append(
            f"{NUMERIC_PRECISION} chiffres dont {NUMERIC_SCALE} décimales ; envoyé en nombre JSON (au-delà de "
            f"{NUMERIC_SCALE} décimales, tronqué), relu en texte"
        )
    if item.type == "datetime":
        parts.append("avec fuseau, stocké en UTC")
    if item.choices:
        parts.append("parmi " + ", ".join(item.choices))
    if item.unique:
        parts.append("unique (409 si déjà pris)")
    if item.has_default:
        parts.append(f"défaut {item.default}")
    return " ; ".join(parts)  # md_cell writes "-" for nothing


def import_lines(module: str, names: list[str]) -> list[str]:
    """`from module import a, b` as ruff's isort writes it (order by type; wrapped past the line length)."""

    def key(name: str) -> tuple[int, str]:
        group = 0 if len(name) > 1 and name.isupper() else 1 if name[0].isupper() else 2
        return group, name.lower()

    names = sorted(set(names), key=key)
    one = f"from {module} import {', '.join(names)}"
    if len(one) <= LINE:
        return [one]
    return [f"from {module} import (", *(f"    {n}," for n in names), ")"]


class Code:
    """Layout helpers the templates call: one line when it fits the host's line length, else exploded
    one item per line with a magic trailing comma (which `ruff format` keeps as it is)."""

    @staticmethod
    def call(indent: int, head: str, args: list[str], tail: str = "") -> str:
        pad = " " * indent
        one = f"{pad}{head}({', '.join(args)}){tail}"
        if len(one) <= LINE:
            return one
        return "\n".join([f"{pad}{head}(", *(f"{pad}    {a}," for a in args), f"{pad}){tail}"])

    @staticmethod
    def define(indent: int, name: str, params: list[str], returns: str) -> str:
        return Code.call(indent, f"def {name}", params, f" -> {returns}:")

    @staticmethod
    def imports(module: str, names: list[str]) -> str:
        return "\n".join(import_lines(module, names))

    @staticmethod
    def subscript(indent: int, head: str, items: list[str]) -> str:
        """`head[a, b]` (e.g. `Status = Literal`), exploded when too long."""
        pad = " " * indent
        one = f"{pad}{head}[{', '.join(items)}]"
        if len(one) <= LINE:
            return one
        if len(items) == 1:  # a trailing comma would make it a tuple: ruff would keep it on one line
            return f"{pad}{head}[\n{pad}    {items[0]}\n{pad}]"
        return "\n".join([f"{pad}{head}[", *(f"{pad}    {i}," for i in items), f"{pad}]"])

    @staticmethod
    def tuple_literal(indent: int, head: str, items: list[str]) -> str:
        """`head(a, b)` for a tuple literal (`head` like `NAMES = `); one item keeps its comma."""
        pad = " " * indent
        body = ", ".join(items) + ("," if len(items) == 1 else "")
        one = f"{pad}{head}({body})"
        if len(one) <= LINE:
            return one
        return "\n".join([f"{pad}{head}(", *(f"{pad}    {i}," for i in items), f"{pad})"])


class _Model:
    """The ORM model the api serves: the database part's (own model), or an existing one.

    Resolved when a template reads it, after every part has derived its values."""

    def __init__(self, unit: Any, own: bool) -> None:
        self._unit, self._own = unit, own

    @property
    def module(self) -> str:
        if self._own:
            return f"app.models.{self._unit.database.model_module}"
        return "app.models." + parse_model(self._unit.answers.get("model"))[0]

    @property
    def cls(self) -> str:
        if self._own:
            return str(self._unit.database.model_class)
        return parse_model(self._unit.answers.get("model"))[1]

    @property
    def file(self) -> str:
        return "backend/" + self.module.replace(".", "/") + ".py"

    @property
    def import_lines(self) -> list[str]:
        return import_lines(self.module, [self.cls])


def derive(unit: Any) -> dict[str, Any]:
    answers = unit.answers
    singular = answers.get("resource_singular") or singular_of(unit.name)
    plural = answers.get("resource_plural") or plural_of(singular)
    ops = operations(answers.get("operations", list(OPERATIONS)))
    own_model = "database" in unit.parts
    fields = parse_fields(answers.get("fields"))
    pascal = naming.pascal(singular)
    for position, item in enumerate(fields):
        if item.type == "enum":  # short enough for `name: Alias | None = Field(` to fit one line
            alias = f"{item.pascal}Choice"
            item.choices_alias = alias if len(alias) <= 30 else f"{item.pascal[:20]}{position}Choice"
        if item.type in ("integer", "bigint", "numeric"):
            alias = f"{item.pascal}Value"
            item.value_alias = alias if len(alias) <= 30 else f"{item.pascal[:20]}{position}Value"
    for item in fields:
        item.value_lines = _value_lines(item)
        item.create_lines = _create_lines(item)
        item.update_lines = _update_lines(item)
        item.read_lines = _read_lines(item, own_model)
        item.sample_lines = _sample_lines(item)
        item.bad_values = _bad_values(item)
        item.doc_constraints = _doc_constraints(item)
    types = {f.type for f in fields}
    snake = unit.snake
    description = answers.get("api_description") or f"{naming.title(plural)} du tenant de l'appelant."
    names = {
        "create": f"{pascal}Create",
        "update": f"{pascal}Update",
        "read": f"{pascal}Read",
        "page": f"{pascal}Page",
        "service": f"{pascal}Service",
        "repository": f"{pascal}Repository",
        "not_found": f"{pascal}NotFoundError",
        "conflict": f"{pascal}ConflictError",
    }
    writes = any(op in ops for op in ("create", "update", "delete"))
    # The schemas each module uses (an unused import would fail ruff): a route returns a page or a row.
    returns_row = bool({"get", "create", "update"} & set(ops))
    route_schemas = [names["read"]] if returns_row else []
    route_schemas += [names["page"]] if "list" in ops else []
    route_schemas += [names["create"]] if "create" in ops else []
    route_schemas += [names["update"]] if "update" in ops else []
    service_schemas = [*route_schemas, names["read"]] if "list" in ops else route_schemas

    # What the schema module defines and imports: only what its fields use (ruff: no unused name).
    not_null = [f.name for f in fields if f.required]
    takes_input = "create" in ops or "update" in ops  # input schemas: their checks and aliases
    helpers = {
        "text": takes_input and bool(types & {"string", "text", "json"}),
        "json": takes_input and "json" in types,
        "instant": takes_input and "datetime" in types,
        "iso": takes_input and bool(types & {"date", "datetime"}),
        "whole": takes_input and bool(types & {"integer", "bigint", "numeric"}),
        "amount": takes_input and "numeric" in types,
        "uuid": takes_input and "uuid" in types,
        "stored_instant": "datetime" in types or own_model,
        "not_null_check": "update" in ops and bool(not_null),
    }
    std: dict[str, list[str]] = {"typing": []}
    pyd = ["BaseModel", "ConfigDict"]
    if helpers["text"] or helpers["instant"] or helpers["stored_instant"] or helpers["amount"]:
        std["typing"].append("Annotated")
        pyd.append("AfterValidator")
    if helpers["instant"]:
        pyd.append("AwareDatetime")
    if helpers["iso"] or helpers["whole"] or helpers["uuid"]:
        std["typing"].append("Annotated")
        pyd.append("BeforeValidator")
    if helpers["instant"] or helpers["stored_instant"]:
        std["datetime"] = ["UTC", "datetime"]
    if "date" in types:
        std.setdefault("datetime", []).append("date")
    if "json" in types:
        pyd.append("JsonValue")  # the read schema's type too
    if helpers["json"]:
        std["math"] = ["isfinite"]
    # `import x` lines come first in their section
    straight = ["import re"] if helpers["text"] or helpers["uuid"] else []
    if "numeric" in types:
        std["decimal"] = ["ROUND_DOWN", "Decimal"] if helpers["amount"] else ["Decimal"]
    if helpers["amount"]:
        std["typing"].append("Any")  # the OpenAPI hook's schema dict
    if "enum" in types:
        std["typing"].append("Literal")
    if "uuid" in types:
        std["uuid"] = ["UUID"]
    if helpers["not_null_check"]:
        std["typing"] += ["Any", "Self"]  # Any: the OpenAPI hook's schema dict
        pyd.append("model_validator")
    emitted = [line for f in fields for line in f.read_lines]
    emitted += [line for f in fields for line in f.value_lines] if takes_input else []
    emitted += [line for f in fields for line in f.create_lines] if "create" in ops else []
    emitted += [line for f in fields for line in f.update_lines] if "update" in ops else []
    if "list" in ops or helpers["text"] or any("Field(" in line for line in emitted):
        pyd.append("Field")
    schema_imports = list(straight)
    for module in sorted(m for m in std if std[m]):
        schema_imports += import_lines(module, std[module])
    schema_imports += [""] if schema_imports else []  # the third-party section
    schema_imports += import_lines("pydantic", pyd)

    # The sample values of the generated tests need these.
    value_imports: dict[str, list[str]] = {}
    if types & {"date", "datetime"}:
        value_imports["datetime"] = ["timedelta"]
        value_imports["datetime"] += ["date"] if "date" in types else []
        value_imports["datetime"] += ["UTC", "datetime"] if "datetime" in types else []
    if "numeric" in types:
        value_imports["decimal"] = ["Decimal"]
    if "uuid" in types:
        value_imports["uuid"] = ["UUID"]

    def std_imports(extra: dict[str, list[str]]) -> list[str]:
        wanted = {m: [*value_imports.get(m, []), *extra.get(m, [])] for m in {*value_imports, *extra}}
        return [line for module in sorted(wanted) for line in import_lines(module, wanted[module])]

    api_test_imports = std_imports({"datetime": ["timedelta"], "typing": ["Any"]})
    service_test_imports = std_imports({"typing": ["Any"]})

    unique = [f for f in fields if f.unique]
    change = next((f for f in fields if (room(f) or MIN_UNIQUE_ROOM) >= 2), fields[0])
    model = _Model(unit, own_model)
    api = {
        "singular": singular,
        "plural": plural,
        "singular_snake": naming.snake(singular),  # route functions: get_campaign, list_campaigns
        "plural_snake": naming.snake(plural),
        "pascal": pascal,
        "title": naming.title(plural),
        "singular_title": naming.title(singular).lower(),
        "url": f"/api/v1/{plural}",
        "prefix": f"/{plural}",
        "operations": ops,
        "item_ops": [op for op in ops if op in ("get", "update", "delete")],
        "collection_ops": [op for op in ops if op in ("list", "create")],
        "writes": writes,
        "own_model": own_model,
        "timestamps": own_model,  # the database part's models always have TimestampMixin
        "model": model,
        "code": Code(),
        "fields": fields,
        "field_names": [f.name for f in fields],
        "not_null": not_null,
        "numeric_precision": NUMERIC_PRECISION,
        "numeric_scale": NUMERIC_SCALE,
        "numeric_step": str(Decimal(1).scaleb(-NUMERIC_SCALE)),
        "change_field": change.name,  # the field an update test changes (its samples differ)
        "missing_field": next((f.name for f in fields if f.required and not f.has_default), ""),
        "defaults": [(f.name, _literal(f.default)) for f in fields if f.has_default],
        "helpers": helpers,
        "unique": unique,
        "names": SimpleNamespace(**names),  # not a dict: `names.update` must not be dict.update
        "route_schemas": route_schemas,
        "service_schemas": sorted(set(service_schemas)),
        "schema_imports": schema_imports,
        "api_test_imports": api_test_imports,
        "service_test_imports": service_test_imports,
        "description": description,
        "description_lines": assignment_lines("DESCRIPTION", description),
        "modules": {
            "schemas": f"app.schemas.{snake}",
            "repository": f"app.repositories.{snake}",
            "service": f"app.services.{snake}",
            "routes": f"app.api.routes.{snake}",
        },
        "sources": [
            f"backend/app/schemas/{snake}.py",
            f"backend/app/repositories/{snake}.py",
            f"backend/app/services/{snake}.py",
            f"backend/app/api/routes/{snake}.py",
        ],
        "tests": [f"backend/tests/api/test_{snake}_api.py", f"backend/tests/unit/test_{snake}_service.py"],
    }
    return api
