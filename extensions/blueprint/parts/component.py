"""The component part: a React component's props, checked and turned into what its templates need.

The `props` answer is one compact line (`title description? status:enum(new,won):"Statut"`,
compact_answers.py) or a YAML list. Each item of the list is either a full mapping
`{name: title, type: string, required: true, label: Titre, values: [...]}` or a one-key shorthand
`{title: string}`, optional with `optional <type>` (or a `?` after the name, in block YAML: PyYAML
refuses `?` inside `[...]`), so at the terminal
`[title: string, description: optional string, status: new | won | lost]` is a valid answer.

Types are a small safe set that maps one to one to TypeScript, Zod, a display and test values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import examples, naming
from ..list_answers import validator, yaml_list

TYPES = ("string", "number", "boolean", "date", "string[]", "enum")
TYPES_HELP = (
    "types : string, number, boolean, date (un texte ISO AAAA-MM-JJ), string[], "
    "ou un enum de littéraux (`type: enum` avec `values: [a, b]`, ou le raccourci `a | b`)"
)
PROPS_HELP = (
    'une ligne compacte, ex. `title description? status:enum(new,won):"Statut" tags:string[]?`, '
    "ou une liste YAML de props, ex. `[{name: title, type: string, required: true}, "
    "{name: status, type: enum, values: [new, won]}]` ou le raccourci "
    "`[title: string, description: optional string, status: new | won]` ; " + TYPES_HELP
)
# The default answer of questions/component.yml (a test checks they agree).
DEFAULT_PROPS: list[dict[str, Any]] = [
    {"name": "title", "type": "string", "required": True},
    {"name": "description", "type": "string", "required": False},
]
MAX_PROPS = 20
MAX_VALUES = 30
MAX_LABEL = 60
KEYS = {"name", "type", "required", "label", "values"}
PROP_NAME = re.compile(r"[a-z][A-Za-z0-9]*")
# React gives these a meaning; `on<Event>` names are callbacks, not data the component shows.
REACT_RESERVED = {"key", "ref", "children", "dangerouslySetInnerHTML"}
OBJECT_MEMBERS = {
    "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "toString", "valueOf",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class PropsError(ValueError):
    pass


@dataclass
class Prop:
    name: str
    type: str
    required: bool
    label: str
    values: list[str] = field(default_factory=list)  # enum literals
    pascal: str = ""  # the name with a capital: LeadCard + Status -> LeadCardStatus
    index: int = 0

    @property
    def optional_mark(self) -> str:
        return "" if self.required else "?"


def _humanize(name: str) -> str:
    """`createdOn` -> `Created on` (the default label)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).split()
    return " ".join([words[0].capitalize(), *(w.lower() for w in words[1:])])


def _text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise PropsError(f"{what} doit être un texte, pas {value!r}")
    text = str(value).strip()
    if not text or len(text) > limit or _CONTROL.search(text):
        raise PropsError(f"{what} {text!r} doit faire de 1 à {limit} caractères sur une ligne")
    return text


def _item(raw: Any, position: int) -> dict[str, Any]:
    """One list item as a full mapping (the shorthand `{name: type}` expanded)."""
    where = f"la prop n°{position}"
    if isinstance(raw, str):
        raw = {raw.strip(): "string"} if ":" not in raw else dict([[p.strip() for p in raw.split(":", 1)]])
    if not isinstance(raw, dict) or not raw:
        raise PropsError(f"{where} vaut {raw!r} : chaque prop est un mapping comme {{name: title, type: string}}")
    if "name" not in raw and len(raw) == 1:
        key, kind = next(iter(raw.items()))
        key, kind = str(key), str(kind).strip()
        optional = key.endswith("?") or kind.startswith("optional ")
        return {"name": key.removesuffix("?"), "type": kind.removeprefix("optional ").strip(), "required": not optional}
    unknown = sorted(str(k) for k in set(raw) - KEYS)
    if unknown:
        raise PropsError(
            f"{where} a des clés inconnues {', '.join(unknown)} : une prop a les clés {', '.join(sorted(KEYS))}"
        )
    if "name" not in raw:
        raise PropsError(f"{where} n'a pas de nom : {raw!r}")
    return dict(raw)


def _type(raw: Any, values: Any, where: str) -> tuple[str, list[str]]:
    if not isinstance(raw, str):
        raise PropsError(f"{where} a le type {raw!r} ; {TYPES_HELP}")
    kind = raw.strip()
    if "|" in kind:  # `new | won | lost`, quotes allowed: `"new" | "won"`
        if values is not None:
            raise PropsError(
                f"{where} : donnez les valeurs de l'enum soit dans `type` (a | b), soit dans `values`, pas les deux"
            )
        values, kind = [v.strip().strip("'\"") for v in kind.split("|")], "enum"
    if kind not in TYPES:
        raise PropsError(f"{where} a le type {kind!r} ; {TYPES_HELP}")
    if kind != "enum":
        if values is not None:
            raise PropsError(f"{where} : `values` n'est que pour `type: enum`")
        return kind, []
    if not isinstance(values, list) or not values:
        raise PropsError(f"{where} est un enum sans valeurs : ajoutez `values: [a, b]`")
    if len(values) > MAX_VALUES:
        raise PropsError(f"{where} a {len(values)} valeurs : {MAX_VALUES} au plus")
    texts = [_text(v, f"{where} : la valeur", MAX_LABEL) for v in values]
    if len(set(texts)) != len(texts):
        raise PropsError(f"{where} répète une valeur : {texts}")
    return kind, texts


def parse(answer: Any, component: str = "component") -> list[Prop]:
    """The props answer, checked and normalized; PropsError says what is wrong."""
    answer = yaml_list(
        answer, PropsError, noun="props", empty="donnez au moins une prop au composant (il les affiche)",
        at_most=MAX_PROPS, default=DEFAULT_PROPS, too_many=" (découpez le composant)", compact="props",
    )  # fmt: skip
    props: list[Prop] = []
    for position, raw in enumerate(answer, 1):
        item = _item(raw, position)
        name = item["name"]
        where = f"la prop {name!r}" if isinstance(name, str) else f"la prop n°{position}"
        if not isinstance(name, str) or not PROP_NAME.fullmatch(name) or len(name) > naming.MAX_LENGTH:
            raise PropsError(
                f"{where} : un nom de prop est un identifiant camelCase (lettres ASCII et chiffres, commençant par "
                f"une minuscule, {naming.MAX_LENGTH} caractères au plus), ex. `title`, `createdOn`"
            )
        if name in naming.TS_RESERVED:
            raise PropsError(f"{where} : {name!r} est un mot réservé de TypeScript ; choisissez un autre nom")
        if name in REACT_RESERVED or name in OBJECT_MEMBERS:
            raise PropsError(f"{where} : {name!r} a un sens propre en React ou en JavaScript ; choisissez-en un autre")
        if re.fullmatch(r"on[A-Z].*", name):
            raise PropsError(
                f"{where} : les noms `on…` sont des callbacks d'événements ; une prop, ici, est une donnée que le "
                "composant affiche"
            )
        if any(p.name == name for p in props):
            raise PropsError(f"{where} est donnée deux fois")
        kind, values = _type(item.get("type", "string"), item.get("values"), where)
        required = item.get("required", True)
        if not isinstance(required, bool):
            raise PropsError(f"{where} : `required` vaut true ou false, pas {required!r}")
        label = _text(item["label"], f"{where} : le libellé", MAX_LABEL) if "label" in item else _humanize(name)
        if any(p.label.casefold() == label.casefold() for p in props):
            raise PropsError(f"{where} : le libellé {label!r} est déjà celui d'une autre prop")
        props.append(Prop(name, kind, required, label, values, name[0].upper() + name[1:], len(props)))
    return props


props_problem = validator(parse, PropsError, f"Les props sont {PROPS_HELP}")


VALIDATORS = {"props": props_problem}


# -- what the templates need ------------------------------------------------------------------------


def _ts(value: Any) -> str:
    from ..filters import ts_str

    return ts_str(value)


def ts_type(prop: Prop, pascal: str) -> str:
    return {"date": "string", "enum": f"{pascal}{prop.pascal}"}.get(prop.type, prop.type)


def zod(prop: Prop, camel: str) -> str:
    base = {
        "string": "z.string()",
        "number": "z.number()",
        "boolean": "z.boolean()",
        "date": "z.iso.date()",
        "string[]": "z.array(z.string())",
        "enum": f"z.enum({camel}{prop.pascal}Values)",
    }[prop.type]
    return base if prop.required else f"{base}.optional()"


def sample(prop: Prop, taken: set[str] | None = None) -> tuple[str, list[str]]:
    """A valid test value (TypeScript source) and the texts the component then shows; a text reads like
    real data (blueprint/examples.py), other than the texts `taken` by other props."""
    i = prop.index
    if prop.type == "string":
        text = examples.distinct(prop.name, None, set() if taken is None else taken)
        return _ts(text), [text]
    if prop.type == "number":
        return str(10 * i + 12), [str(10 * i + 12)]
    if prop.type == "boolean":
        return "true", ["Oui"]
    if prop.type == "date":
        day = f"2026-01-{10 + i:02d}"
        return _ts(day), [day]
    if prop.type == "string[]":
        items = [f"{prop.name} un", f"{prop.name} deux"]
        return "[" + ", ".join(_ts(t) for t in items) + "]", items
    value = prop.values[-1]
    return _ts(value), [value]


def invalid(prop: Prop) -> str:
    """A value of the wrong type for `prop` (TypeScript source): what the Zod schema must refuse."""
    if prop.type == "enum":
        wrong = next(f"not-a-value-{n}" for n in range(len(prop.values) + 1) if f"not-a-value-{n}" not in prop.values)
        return _ts(wrong)
    return {
        "string": "42",
        "number": '"not a number"',
        "boolean": '"yes"',
        "date": '"15/01/2026"',
        "string[]": '"not a list"',
    }[prop.type]


def derive(unit: Any) -> dict[str, Any]:
    answers = unit.answers
    props = parse(answers.get("props"))
    pascal, camel = unit.pascal, unit.camel
    heading = next((p for p in props if p.type == "string" and p.required), None)
    details = [p for p in props if p is not heading]
    checked = heading or next((p for p in props if p.required), props[0])
    taken: set[str] = set()  # the texts shown: each prop's own (a test finds each by its text)
    for prop in props:
        prop.ts_type = ts_type(prop, pascal)  # type: ignore[attr-defined]
        prop.zod = zod(prop, camel)  # type: ignore[attr-defined]
        prop.sample, prop.shows = sample(prop, taken)  # type: ignore[attr-defined]
        prop.invalid = invalid(prop)  # type: ignore[attr-defined]
        prop.values_const = f"{camel}{prop.pascal}Values"  # type: ignore[attr-defined]
    return {
        "dir": f"frontend/components/{pascal}",
        "import_path": f"@/components/{pascal}",
        "props": props,
        "heading": heading,
        "details": details,
        "optional": [p for p in props if not p.required],
        "required": [p for p in props if p.required],
        "enums": [p for p in props if p.type == "enum"],
        "checked": checked,  # the prop the invalid-props test breaks
        "zod": bool(answers.get("zod", True)),
        "client": bool(answers.get("client", False)),
        "reusable": bool(answers.get("reusable", True)),
        "props_type": f"{pascal}Props",
        "data_type": f"{pascal}Data",
        "schema": f"{camel}DataSchema",
    }
