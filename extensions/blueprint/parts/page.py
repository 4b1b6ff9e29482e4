"""The page part: an app-router route, checked, and the names its templates need.

`route` is a URL path like `/campaigns` or `/campaigns/[id]`: lowercase kebab-case segments and
`[param]` dynamic segments. The page lands in `frontend/app/<route>/`. Copier renders a templated
path part that contains `/` as several folders (it builds the path with `Path(*parts)`), so the
template folder is one part, `{{ unit.page.route_dir … }}`; the exclude patterns escape `[` `]`
(extensions/blueprint/unit.py), or gitignore syntax would read `[id]` as a character class.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from .. import examples, naming
from . import api as api_part

MAX_DEPTH = 6
STATIC = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DYNAMIC = re.compile(r"\[([a-z][A-Za-z0-9]*(?:_[a-z0-9]+)*)\]")
ROUTE_HELP = (
    "une route commence par `/` et a de 1 à 6 segments séparés par un seul `/` : des mots kebab-case en "
    "minuscules (`campaigns`, `lead-cards`) ou des segments dynamiques `[param]` au nom camelCase ou snake_case "
    "(`[id]`, `[campaignId]`), ex. `/campaigns` ou `/campaigns/[id]`"
)


class RouteError(ValueError):
    pass


def segments(route: Any) -> list[str]:
    """The route's segments; RouteError says what is wrong."""
    if not isinstance(route, str) or not route.startswith("/"):
        raise RouteError(f"la route {route!r} ne commence pas par `/`")
    if route == "/":
        raise RouteError("`/` est la page d'accueil de l'hôte (frontend/app/page.tsx) : donnez une route en dessous")
    parts = route[1:].split("/")
    if len(parts) > MAX_DEPTH:
        raise RouteError(f"la route {route!r} a {len(parts)} segments : {MAX_DEPTH} au plus")
    params: list[str] = []
    for part in parts:
        if not part:
            raise RouteError(f"la route {route!r} a un segment vide (un `//` ou un `/` final)")
        if len(part) > naming.MAX_LENGTH + 2:
            raise RouteError(f"le segment {part!r} dépasse {naming.MAX_LENGTH} caractères")
        if match := DYNAMIC.fullmatch(part):
            param = match.group(1)
            if param in naming.TS_RESERVED:
                raise RouteError(f"le paramètre {param!r} est un mot réservé de TypeScript : choisissez un autre nom")
            if param in params:
                raise RouteError(f"le paramètre {param!r} apparaît deux fois dans {route!r}")
            params.append(param)
        elif not STATIC.fullmatch(part):
            raise RouteError(f"le segment {part!r} de {route!r} n'est ni un mot kebab-case ni un `[param]`")
    return parts


def route_problem(value: Any, answers: dict[str, Any]) -> str:
    try:
        parts = segments(value)
    except RouteError as error:
        return f"{error} ; {ROUTE_HELP}."
    return served_problem(parts, answers)


def served_problem(parts: list[str], answers: dict[str, Any]) -> str:
    """Beside an api part, the page reads it: a list needs its `list` operation, an item its `get`."""
    chosen = answers.get("parts")
    if not isinstance(chosen, list | tuple) or "api" not in chosen:
        return ""
    try:
        ops = api_part.operations(answers.get("operations", list(api_part.OPERATIONS)))
    except api_part.FieldsError:
        return ""  # the operations question says what is wrong
    detail = DYNAMIC.fullmatch(parts[-1]) is not None
    needed, shape = (
        ("get", "un seul élément (une route finissant par un `[param]`)") if detail else ("list", "une liste")
    )
    if needed in ops:
        return ""
    other = "une route de liste comme `/campaigns`" if detail else "une route d'élément comme `/campaigns/[id]`"
    hint = f" ou {other}" if ("list" if detail else "get") in ops else ""
    return (
        f"la page affiche {shape}, qu'elle lit dans l'api de la fonctionnalité, dont les opérations "
        f"({', '.join(ops)}) n'ont pas `{needed}` : ajoutez `{needed}` aux opérations{hint}."
    )


VALIDATORS = {"route": route_problem}
DEFAULTS = {"route": lambda dst, answers: f"/{answers.get('name') or 'page'}"}


# -- the screens that write ---------------------------------------------------------------------------
#
# A list page beside an api (a static route such as `/campaigns`) gets, for each operation the api
# has: an item page `[id]` (get), a create page `new` (create), an edit page `[id]/edit` (update, with
# get to load the item) and a delete button on the item page (delete, with get). Their form is checked
# with the item's Zod schema (schema.ts: the one the pages check the API's answers with), submits
# through server actions (actions.ts: the caller's token, 401 -> /login) and shows the backend's
# 409/422 under the right field.


def _created(item: PageField) -> str:
    """What the create form sends for a field when the test fills only the required ones (TS)."""
    if item.required:
        return item.sends
    if item.default is not None:
        return json.dumps(item.default)
    return "null" if item.nullable else "false"  # an unticked checkbox


def _crud(api: Any, route: str, dynamic: bool, fields: list[PageField], pascal: str, camel: str) -> SimpleNamespace:
    ops = set(api.operations) if api is not None and not dynamic else set()
    get = "get" in ops
    create, update, delete = "create" in ops, "update" in ops and get, "delete" in ops and get
    unique = [f.name for f in getattr(api, "unique", [])]
    with_default = [f for f in fields if f.default is not None]
    refusable = next((f for f in fields if f.constraint), None)
    return SimpleNamespace(
        any=get or create or update or delete,
        get=get, create=create, update=update, delete=delete,
        form=create or update,
        list_href=route,
        unique=unique,
        # The create test fills the required fields; the others start empty or with their default.
        to_fill=[f for f in fields if f.required],
        creates="{ " + ", ".join(f"{f.name}: {_created(f)}" for f in fields) + " }",
        defaults=("{ " + ", ".join(f"{f.name}: {json.dumps(f.default)}" for f in with_default) + " }")
        if with_default else "{}",
        refusable=refusable,
        # A 422 the backend may answer, on the last field (the test checks it lands under that one).
        rejected=fields[-1] if fields else None,
        module_schema=f"{camel}ItemSchema",
        create_schema=f"{camel}CreateSchema",
        update_schema=f"{camel}UpdateSchema",
        create_type=f"{pascal}Create",
        update_type=f"{pascal}Update",
        form_fields=f"{camel}FormFields",
        component=f"{pascal}Form",
        delete_button=f"{pascal}DeleteButton",
        item_loader=f"load{pascal}Item",
        create_action=f"create{pascal}",
        update_action=f"update{pascal}",
        delete_action=f"delete{pascal}",
    )  # fmt: skip


# -- what the page reads and shows -------------------------------------------------------------------
#
# A page beside an api part (a feature with both) reads that api: its path, its `<Singular>Read`
# schema as JSON (`id`, the fields, the timestamps of the unit's own model) and, for a list, its page
# envelope `{items, total, limit, offset}`. A page alone reads a placeholder of the same shape
# (`id`, `name`, `description`) for the person to replace. Either way `fields` says how each value is
# validated (Zod), shown, and sampled in the tests.

PAGE_SIZE = 50  # rows a list page asks for (the api serves at most 100 per request)
FIXED_LABELS = {"id": "Identifiant", "created_at": "Créé le", "updated_at": "Modifié le"}
INSTANT = "z.iso.datetime({ offset: true })"
SAMPLE_TEXTS = {
    "date": "2026-01-10",
    "datetime": "2026-01-10T09:30:00Z",
    "uuid": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
}
# How frontend/lib/format.ts `formatInstant` shows an instant: French, in VECTRA's time zone.
DISPLAY_TIME_ZONE = ZoneInfo("Europe/Paris")
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")  # fmt: skip
ZOD = {
    "string": "z.string()", "text": "z.string()", "integer": "z.number().int()", "bigint": "z.number().int()",
    "float": "z.number()", "numeric": "z.string()", "boolean": "z.boolean()", "date": "z.iso.date()",
    "datetime": INSTANT, "uuid": "z.guid()", "json": "z.json()",
}  # fmt: skip


@dataclass
class PageField:
    """One key of the item as the page reads it: how it is validated, shown and sampled."""

    name: str
    label: str
    zod: str  # the Zod schema (`.nullable()` included)
    nullable: bool
    display: str  # text, number, boolean, json or instant: how page.tsx shows it
    sample: Any  # a JSON value the endpoint could answer
    shows: str  # what the page shows for `sample`
    title: bool = False  # may title the item: a required text
    # The create/edit form (a feature's api + page): how the field is typed in, and in its tests
    # what is typed (`fill`, TS) and what the form sends for it (`sends`, TS).
    input: str = "text"
    choices: list[str] = field(default_factory=list)
    default: Any = None  # the api's default: the create form starts with it
    required: bool = False  # the create form must be given a value (no default, not nullable)
    fill: str = ""
    sends: str = ""
    constraint: Any = None  # (value typed, a fragment of the message) the schema refuses, or None

    def jsx(self, var: str) -> str:
        """The JSX child that shows this value of `var` (`{item.name}`); null shows as a dash."""
        value = f"{var}.{self.name}"
        if self.display == "instant":  # formatInstant: frontend/lib/format.ts
            text = f"formatInstant({value})"
            return "{" + (f'{value} === null ? "—" : {text}' if self.nullable else text) + "}"
        if self.display in ("boolean", "json"):
            text = f'{value} ? "Oui" : "Non"' if self.display == "boolean" else f"JSON.stringify({value})"
            return "{" + (f'{value} === null ? "—" : {text}' if self.nullable else text) + "}"
        return "{" + (f'{value} ?? "—"' if self.nullable else value) + "}"


@dataclass
class Heading:
    """The item's title: the first required text field, else its number."""

    field: PageField | None

    def jsx(self, var: str) -> str:
        fallback = f"`n° ${{{var}.id}}`"
        if self.field is None:
            return "{" + fallback + "}"
        value = f"{var}.{self.field.name}"
        return "{" + (f"{value} ?? {fallback}" if self.field.nullable else value) + "}"

    def shows(self, item: dict[str, Any]) -> str:
        return str(item[self.field.name]) if self.field else f"n° {item['id']}"


def french_instant(text: str) -> str:
    """What `formatInstant` (frontend/lib/format.ts) shows for an ISO instant: "10 janvier 2026 à 10:30"."""
    at = datetime.fromisoformat(text).astimezone(DISPLAY_TIME_ZONE)
    return f"{at.day} {FRENCH_MONTHS[at.month - 1]} {at.year} à {at:%H:%M}"


def _instants(fields: list[PageField]) -> bool:
    return any(f.display == "instant" for f in fields)


def _humanize(name: str) -> str:
    words = name.split("_")
    return " ".join([words[0].capitalize(), *words[1:]])


def js_number(value: int | float) -> str:
    """How JavaScript prints a JSON number (`String(n)`): 2.0 -> "2", 1e-7 -> "1e-7"."""
    number = float(value)
    if isinstance(value, int) and abs(value) <= 2**53:
        return str(value)
    if number == 0:
        return "0"
    if 1e-6 <= abs(number) < 1e21:
        text = format(Decimal(repr(number)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa, exponent = repr(number).split("e")
    return f"{mantissa}e{'+' if int(exponent) > 0 else '-'}{abs(int(exponent))}"


def _clamp(value: Any, low: Any, high: Any) -> Any:
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return value


def _sample(item: Any, taken: set[str] | None = None) -> tuple[Any, str]:
    """A value of an api field, within its constraints, as JSON, and what the page shows for it.
    A text reads like real data (blueprint/examples.py), other than the texts `taken` by other fields."""
    kind = item.type
    if kind in ("string", "text"):
        text = examples.distinct(item.name, item.max_length, set() if taken is None else taken)
        return text, text
    if kind in ("integer", "bigint"):
        number = int(_clamp(12, item.min, item.max))
        return number, js_number(number)
    if kind == "float":
        number = float(_clamp(0.5, item.min, item.max))
        return number, js_number(number)
    if kind == "numeric":  # a Decimal travels as a string (pydantic's JSON)
        text = format(_clamp(Decimal("12.5"), item.min, item.max), "f")
        return text, text
    if kind == "boolean":
        flag = True if item.default is None else bool(item.default)
        return flag, "Oui" if flag else "Non"
    if kind == "enum":
        choice = item.default if item.default is not None else item.choices[0]
        return choice, choice
    if kind == "json":
        value = {"n": 1, "tags": ["a"]}
        return value, json.dumps(value, separators=(",", ":"))
    if kind == "datetime":
        return SAMPLE_TEXTS[kind], french_instant(SAMPLE_TEXTS[kind])
    return SAMPLE_TEXTS[kind], SAMPLE_TEXTS[kind]


INPUTS = {
    "text": "textarea", "integer": "number", "bigint": "number", "float": "number", "boolean": "checkbox",
    "date": "date", "datetime": "datetime", "json": "json", "enum": "select",
}  # fmt: skip


def _bounded(item: Any) -> str:
    """The api's constraints the form checks before sending (the same ones pydantic checks)."""
    if item.type in ("string", "text"):
        return f".max({item.max_length})" if item.max_length else ""
    if item.type in ("integer", "bigint", "float"):
        low = f".min({js_number(item.min)})" if item.min is not None else ""
        return low + (f".max({js_number(item.max)})" if item.max is not None else "")
    return ""


def _refused(item: Any) -> Any:
    """A value typed in the form that its schema refuses, and a fragment of Zod's French message."""
    if item.type in ("string", "text") and item.max_length and item.max_length <= 300:
        return "x" * (item.max_length + 1), f"<={item.max_length}"
    if item.type in ("integer", "bigint", "float") and item.max is not None and item.max < 10**15:
        return js_number(item.max + 1), f"<={js_number(item.max)}"
    return None


def _form(item: Any, sample: Any) -> dict[str, Any]:
    """How the form types the field in, and what a test types and expects it to send."""
    kind = item.type
    text = json.dumps(sample, separators=(",", ":")) if kind == "json" else str(sample)
    sends = json.dumps(sample)
    if kind == "datetime":  # a datetime-local input: minutes, in the person's zone
        text = "2026-01-10T09:30"
        sends = f"new Date({json.dumps(text)}).toISOString()"
    elif kind in ("integer", "bigint", "float"):
        text = js_number(sample)
    default = str(item.default) if kind == "numeric" and item.default is not None else item.default
    return {"input": INPUTS.get(kind, "text"), "choices": list(item.choices), "default": default,
            "fill": json.dumps(text), "sends": sends, "constraint": _refused(item)}  # fmt: skip


def _display(kind: str) -> str:
    displays = {"integer": "number", "bigint": "number", "float": "number", "boolean": "boolean", "json": "json",
                "datetime": "instant"}  # fmt: skip
    return displays.get(kind, "text")


def _api_fields(api: Any) -> list[PageField]:
    fields = []
    taken: set[str] = set()  # the texts shown: each field's own (a test finds each by its text)
    for item in api.fields:
        # The Read schema's rule (parts/api.py `_read_lines`): nullable unless required on its own model.
        nullable = not (item.required and api.own_model)
        if item.type == "enum":
            zod = "z.enum([" + ", ".join(json.dumps(c) for c in item.choices) + "])"
        else:
            zod = ZOD[item.type] + _bounded(item)
        sample, shows = _sample(item, taken)
        label = _humanize(item.name)
        if label in FIXED_LABELS.values():
            label = f"{label} ({item.name})"
        title = item.required and item.type in ("string", "text")
        required = not nullable and not item.has_default and item.type != "boolean"
        fields.append(PageField(item.name, label, f"{zod}.nullable()" if nullable else zod, nullable,
                                _display(item.type), sample, shows, title, required=required,
                                **_form(item, sample)))  # fmt: skip
    return fields


def _placeholder_fields() -> list[PageField]:
    return [
        PageField("name", "Nom", "z.string()", False, "text", *[examples.text("name")] * 2, title=True),
        PageField("description", "Description", "z.string().nullish()", True, "text", "Une description",
                  "Une description"),
    ]  # fmt: skip


def _api_of(unit: Any) -> Any:
    """The unit's api part (its derived values), or None: the page then reads a placeholder."""
    if "api" not in getattr(unit, "parts", []):
        return None
    derived = getattr(unit, "derived", {}).get("api")
    return derived if derived is not None else SimpleNamespace(**api_part.derive(unit))


def derive(unit: Any) -> dict[str, Any]:
    route = unit.answers.get("route") or f"/{unit.name}"
    parts = segments(route)
    params = [m.group(1) for p in parts if (m := DYNAMIC.fullmatch(p))]
    detail = bool(params) and DYNAMIC.fullmatch(parts[-1]) is not None  # one item, else a list
    # Test values of the params: the last one is the item's id.
    samples = {param: ("42" if i == len(params) - 1 else f"{param.lower()}-{i + 1}") for i, param in enumerate(params)}
    api = _api_of(unit)

    if api is None:  # the route's own path, every param in it
        path = ["${encodeURIComponent(params." + m.group(1) + ")}" if (m := DYNAMIC.fullmatch(p)) else p for p in parts]
        uses_params = bool(params)
    else:  # the api's collection, or one of its rows: the route's last param is the row's id
        path = [api.plural, *(["${encodeURIComponent(params." + params[-1] + ")}"] if detail else [])]
        uses_params = detail
    api_path = "`/" + "/".join(path) + "`" if uses_params else '"/' + "/".join(path) + '"'

    def sample_path(values: dict[str, str]) -> str:
        return "/" + "/".join(re.sub(r"\$\{encodeURIComponent\(params\.(\w+)\)\}", lambda m: values[m[1]], p)
                              for p in path)  # fmt: skip

    query = f"?limit={PAGE_SIZE}" if not detail else ""

    fields = _api_fields(api) if api is not None else _placeholder_fields()
    item_id: Any = (int(samples[params[-1]]) if api is not None else samples[params[-1]]) if detail else 1
    id_field = PageField("id", FIXED_LABELS["id"], "z.number().int()" if api is not None else
                         "z.union([z.string(), z.number()])", False, "number", item_id, str(item_id))  # fmt: skip
    timestamps = [
        PageField(name, FIXED_LABELS[name], INSTANT, False, "instant", value, french_instant(value))
        for name, value in (("created_at", "2026-01-10T09:30:00Z"), ("updated_at", "2026-01-11T10:00:00Z"))
        if api is not None and api.timestamps
    ]
    heading = Heading(next((f for f in fields if f.title), None))
    others = [f for f in fields if f is not heading.field]
    item = {f.name: f.sample for f in [id_field, *fields, *timestamps]}
    nullable = [f.name for f in fields if f.nullable]
    sample: dict[str, Any] = {}
    if api is not None:
        sample["about"] = (
            f"What GET {api.url}{sample_path(samples).removeprefix(api.prefix)}{query} answers for one row "
            f"({api.names.read}{'' if detail else ' in a ' + api.names.page}): the page's tests are served "
            f"this; backend/tests/api/test_{unit.snake}_page_contract.py checks the endpoint answers the "
            "same keys and JSON types, and the same nullable fields."
        )
    sample["nullable"] = nullable
    sample["item"] = item
    if not detail:
        sample["page"] = {"total": 1, "limit": PAGE_SIZE, "offset": 0}
    # The second item of a list test: another id and title, every nullable field null.
    second = {"id": 43 if api is not None else "b2"}
    if heading.field is not None:
        second[heading.field.name] = "Second"
    second.update({name: None for name in nullable if heading.field is None or name != heading.field.name})

    pascal, camel = unit.pascal, unit.camel
    crud = _crud(api, route, detail or bool(params), fields, pascal, camel)
    return {
        "crud": crud,
        "route": route,
        "route_dir": "/".join(parts),
        "dir": "frontend/app/" + "/".join(parts),
        "params": params,
        "samples": samples,
        "detail": detail,
        "api": api is not None,
        "endpoint": (api.url + ("/{id}" if detail else "")) if api is not None else "",
        "path_params": uses_params,  # the backend path takes the route's params
        "api_path": api_path,
        "page_size": PAGE_SIZE,
        "id_guard": api is not None and detail,  # an id the api cannot have: 404 without a request
        "sample_api_path": sample_path(samples) + query,
        # The same path with the last param "a/b c": what the loader must URL-encode.
        "encoded_api_path": sample_path({**samples, params[-1]: "a%2Fb%20c"}) if uses_params else "",
        "fields": fields,
        "id": id_field,
        "timestamps": timestamps,
        "heading": heading,
        "heading_shows": heading.shows(item),
        "details": others,  # shown under the title of the item page
        # Whether the item page, and page.tsx, show an instant: they then import formatInstant.
        "item_shows_instant": _instants(others + timestamps),
        "shows_instant": _instants(others + timestamps if detail else others[:3]),
        "summary": others[:3],  # shown under each title of a list
        "nullable": nullable,
        "sample": sample,
        "sample_file": "api-sample.json",
        "sample_json": json.dumps(sample, indent=2, ensure_ascii=True) + "\n",
        "second": "{ " + ", ".join(f"{k}: {json.dumps(v)}" for k, v in second.items()) + " }",
        "component": f"{pascal}Page",
        "params_type": f"{pascal}Params",
        "props_type": f"{pascal}PageProps",
        "data_type": f"{pascal}Data",
        "item_type": f"{pascal}Item",
        "schema": f"{camel}DataSchema",
        "item_schema": f"{camel}ItemSchema",
        "loader": f"load{pascal}Data",
        "path_fn": f"{camel}ApiPath",
    }
