"""One-line ("compact", Rails-style) list answers, expanded into the YAML list they stand for.

    fields:        title:string:80:unique budget:numeric?:0.. status:enum(draft,active)=draft
    columns:       email:string:120:unique owner_id:integer?:fk(owners.id) price:numeric(12,2)=0
    alter_table:   +notes:text? ~score:bigint -legacy_code
    agent io:      company:str:"Nom de l'entreprise":ex(Acme Industrie) score:int(0..100)=0 tier:enum(a,b)
    props:         title description? status:enum(new,won):"Statut" tags:string[]?

Grammar (the same for every list; each list allows its own types and modifiers, see GRAMMARS):

    answer   := item (spaces item)*
    item     := [mark] name [flag] [":" type [flag]] (":" modifier)* ["=" default]
    mark     := "+" add | "-" drop | "~" alter              (columns of an alter_table only)
    flag     := "?" optional (nullable) | "!" required (NOT NULL)
    type     := word ["(" args ")"]   enum(a,b) | numeric(12,2) | int(0..100)
    modifier := 80 (a length) | 0..100 (bounds, either side may be left out) | unique | index
              | fk(table.column) | "a description" | ex(an example value)   (agent io)
    default  := text up to the end of the item ("..." for spaces; a text type keeps it as text)

Without a flag a field is required and a column NOT NULL (`?` makes it optional / nullable); a
missing type is the list's first type (string, str). An item expands to exactly the mapping its YAML
form gives (`title:string:80` -> `{name: title, type: string, required: true, max_length: 80}`), so
the parts check and render both the same way; they say what is wrong with a name or a value.

An answer is compact when it is text that does not start like YAML (`[`, `{`, `- `): a list
given as YAML (`-d fields='[...]'`, an answers file) is read as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

YAML_START = re.compile(r"\s*(?:[\[{]|-(?:\s|$))")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
RANGE = re.compile(rf"({NUMBER.pattern})?\.\.({NUMBER.pattern})?")
TYPE = re.compile(r"([a-z][a-z0-9_]*(?:\[[a-z]*\])?)(?:\((.*)\))?", re.DOTALL)
FK = re.compile(r"fk\((.*)\)", re.DOTALL)
EXAMPLE = re.compile(r"ex\((.*)\)", re.DOTALL)
MARKS = {"+": "add", "-": "drop", "~": "alter"}


class CompactError(ValueError):
    """What is wrong with a compact answer (French, names the item)."""


@dataclass(frozen=True)
class Grammar:
    """What one list answer allows in its compact form, and the YAML keys it expands to."""

    noun: str  # "champ 2 (budget)" in the messages
    types: tuple[str, ...]  # the first is the type of an item that gives none
    text_types: tuple[str, ...]  # types whose default stays text
    number_types: tuple[str, ...] = ()  # types that take bounds (`0..100`)
    length_key: str = ""  # key of a length (`:80`), "" when the list has none
    length_types: tuple[str, ...] = ()
    flag_key: str = ""  # "required" or "nullable" (inverted); "" when items cannot be optional
    keys_unique_index: bool = False
    description: bool = False  # a quoted modifier is the description (under `description_key`)
    description_key: str = "description"
    choices_key: str = "choices"  # where enum(a,b) puts its choices
    default: bool = True
    foreign_key: bool = False
    precision: bool = False  # numeric(12,2)
    marks: bool = False  # + - ~ (alter_table)
    bounds: bool = False
    example: bool = False  # ex(value): the example the generated tests use


STRING_TYPES = ("string", "text", "integer", "bigint", "float", "numeric", "boolean", "date", "datetime", "uuid",
                "json", "enum")  # fmt: skip
AGENT_TYPES = ("str", "int", "float", "bool", "list[str]", "list[int]", "list[float]", "enum")
_AGENT = {
    "types": AGENT_TYPES, "text_types": ("str", "enum"), "number_types": ("int", "float"), "description": True,
    "bounds": True, "example": True,
}  # fmt: skip
GRAMMARS: dict[str, Grammar] = {
    "fields": Grammar(
        noun="champ", types=STRING_TYPES, text_types=("string", "text", "enum"),
        number_types=("integer", "bigint", "float", "numeric"), length_key="max_length",
        length_types=("string", "text"), flag_key="required", keys_unique_index=True, description=True, bounds=True,
    ),
    "columns": Grammar(
        noun="colonne", types=STRING_TYPES, text_types=("string", "text", "enum"), length_key="length",
        length_types=("string", "enum"), flag_key="nullable", keys_unique_index=True, foreign_key=True,
        precision=True, marks=True,
    ),
    "agent_inputs": Grammar(noun="entrée", default=False, **_AGENT),
    "agent_outputs": Grammar(noun="sortie", **_AGENT),
    "props": Grammar(
        noun="prop", types=("string", "number", "boolean", "date", "string[]", "enum"), text_types=(),
        flag_key="required", description=True, description_key="label", choices_key="values", default=False,
    ),
}  # fmt: skip


def is_compact(value: Any) -> bool:
    """Whether `value` is a compact answer: non-blank text that does not start like a YAML list/mapping."""
    return isinstance(value, str) and bool(value.strip()) and not YAML_START.match(value)


def answer_type(value: Any) -> str:
    """Copier's type for a list question, from its answer so far (`-d`, the answers file): `yaml` for a
    YAML list (kept as a list, as before), `str` for a compact answer or none yet (one line, no editor)."""
    if value is None or is_compact(value):
        return "str"
    return "yaml"


def expanded(question: str, value: Any) -> Any:
    """`value` as its YAML list when it is a compact answer that reads; otherwise unchanged (the part's
    own check then says what is wrong)."""
    if question not in GRAMMARS or not is_compact(value):
        return value
    try:
        return expand(question, value)
    except CompactError:
        return value


def as_list(question: str, value: Any) -> Any:
    """`value` as the list it stands for when it reads as one: a compact line, or YAML text (a YAML
    list typed at the one-line prompt is kept as text); otherwise unchanged (the check says why)."""
    if is_compact(value):
        return expanded(question, value)
    if isinstance(value, str):
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            return value
        return parsed if isinstance(parsed, list) else value
    return value


def expand(question: str, text: str) -> list[dict[str, Any]]:
    """The compact answer `text` of `question` as its YAML list; CompactError says what is wrong."""
    grammar = GRAMMARS[question]
    return [_item(grammar, raw, position) for position, raw in enumerate(_split(text, None, "la réponse"), 1)]


# --------------------------------------------------------------------------- reading


def _split(text: str, sep: str | None, where: str, limit: int = -1) -> list[str]:
    """`text` cut at `sep` (None: runs of spaces) outside "quotes" and (parentheses)/[brackets]."""
    pieces, current, depth, quoted = [], "", 0, False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "([":
            depth += 1
        elif not quoted and char in ")]":
            depth -= 1
            if depth < 0:
                raise CompactError(f"{where} : « {char} » fermée sans avoir été ouverte")
        cut = char.isspace() if sep is None else char == sep
        if cut and not quoted and depth == 0 and limit != 0:
            if current or sep is not None:
                pieces.append(current)
                limit -= 1
            current = ""
            continue
        current += char
    if quoted:
        raise CompactError(f"{where} : un guillemet \" n'est pas refermé")
    if depth:
        raise CompactError(f"{where} : une parenthèse n'est pas refermée")
    if current or sep is not None:
        pieces.append(current)
    return pieces


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _scalar(text: str) -> Any:
    """An unquoted value as YAML reads it (`0` -> 0, `true` -> True, `[]` -> [])."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _flag(text: str) -> tuple[str, str]:
    if text.endswith(("?", "!")):
        return text[:-1], text[-1]
    return text, ""


def _item(grammar: Grammar, raw: str, position: int) -> dict[str, Any]:
    where = f"{grammar.noun} {position}"
    head, *rest = _split(raw, "=", where, limit=1)
    default = rest[0] if rest else None
    name, *specs = _split(head, ":", where)
    mark = ""
    if name[:1] in MARKS:
        mark, name = name[0], name[1:]
    name, flag = _flag(name)
    where = f"{where} ({name})" if name else where

    def refuse(problem: str) -> CompactError:
        return CompactError(f"{where} : {problem}")

    if not name:
        raise refuse(f"nom manquant dans « {raw} » ; un élément s'écrit nom:type (ex. title:string)")
    if mark and not grammar.marks:
        raise refuse(f"« {mark} » devant le nom ne sert qu'aux colonnes d'un alter_table")
    item: dict[str, Any] = {"name": name}
    if mark:
        item["action"] = MARKS[mark]
    if mark == "-":
        if specs or default is not None or flag:
            raise refuse(f"une colonne supprimée ne prend que son nom : « -{name} »")
        return item

    kind = ""
    if specs:
        typed, flag_after = _flag(specs.pop(0))
        if flag and flag_after:
            raise refuse("un seul « ? » ou « ! » par élément")
        flag = flag or flag_after
        kind = _type(grammar, typed, item, refuse)
    elif mark != "~":
        item["type"] = kind = grammar.types[0]
    if flag:
        if not grammar.flag_key:
            raise refuse(f"« {flag} » ne sert pas ici : une {grammar.noun} d'agent est toujours présente")
        optional = flag == "?"
        item[grammar.flag_key] = optional if grammar.flag_key == "nullable" else not optional
    elif grammar.flag_key and mark != "~":
        item[grammar.flag_key] = grammar.flag_key == "required"
    for spec in specs:
        _modifier(grammar, spec, kind, item, refuse)
    if default is not None:
        if not grammar.default:
            if grammar.noun == "entrée":
                raise refuse("« =valeur » ne sert qu'aux sorties (leur valeur dans le résultat par défaut)")
            raise refuse(f"« =valeur » : une {grammar.noun} n'a pas de valeur par défaut")
        if default == "":
            raise refuse('valeur par défaut vide après « = » ; un texte vide s\'écrit =""')
        quoted = default.startswith('"')
        item["default"] = _unquote(default) if quoted or kind in grammar.text_types else _scalar(default)
    return item


def _type(grammar: Grammar, text: str, item: dict[str, Any], refuse: Any) -> str:
    match = TYPE.fullmatch(text)
    base = match.group(1) if match else text
    if not match or base not in grammar.types:
        shown = ", ".join(t if t != "enum" else "enum(a,b)" for t in grammar.types)
        if not text:
            raise refuse(f"type manquant après « : » (pas d'espace après « : ») ; types : {shown}")
        raise refuse(f"type {base!r} inconnu ; types : {shown}")
    item["type"] = base
    args = match.group(2)
    if args is None:
        if base == "enum":
            raise refuse("un enum donne ses choix : enum(draft,active)")
        return base
    if base == "enum":
        choices = [_unquote(c.strip()) for c in _split(args, ",", "enum")]
        if not all(choices):
            raise refuse(f"choix vide dans enum({args}) ; ex. enum(draft,active)")
        item[grammar.choices_key] = choices
    elif grammar.bounds and base in grammar.number_types and _is_range(args.strip()):
        _bounds(args.strip(), item)
    elif grammar.precision and base == "numeric" and re.fullmatch(r"\s*\d+\s*,\s*\d+\s*", args):
        item["precision"], item["scale"] = (int(n) for n in args.split(","))
    else:
        allowed = ["enum(a,b)"]
        allowed += [f"{t}(0..100)" for t in grammar.number_types] if grammar.bounds else []
        allowed += ["numeric(12,2)"] if grammar.precision else []
        raise refuse(f"« {text} » : parenthèses inattendues ; permises : {', '.join(allowed)}")
    return base


def _is_range(text: str) -> bool:
    """`0..100`, `0..` or `..100` (not `..`)."""
    return bool((match := RANGE.fullmatch(text)) and (match.group(1) or match.group(2)))


def _bounds(text: str, item: dict[str, Any]) -> None:
    low, high = text.split("..", 1)
    for key, value in (("min", low), ("max", high)):
        if value:
            item[key] = _scalar(value)


def _modifier(grammar: Grammar, spec: str, kind: str, item: dict[str, Any], refuse: Any) -> None:
    allowed = _allowed(grammar)
    if spec in item or (spec.startswith('"') and grammar.description_key in item):
        raise refuse(f"« {spec} » donné deux fois")
    if grammar.keys_unique_index and spec in ("unique", "index"):
        item[spec] = True
        return
    if grammar.length_key and re.fullmatch(r"\d+", spec):
        if kind and kind not in grammar.length_types:
            raise refuse(f"une longueur ({spec}) ne va qu'aux types {', '.join(grammar.length_types)}, pas {kind}")
        _once(item, grammar.length_key, int(spec), refuse)
        return
    if grammar.bounds and _is_range(spec):
        if kind and kind not in grammar.number_types:
            raise refuse(f"des bornes ({spec}) ne vont qu'aux types {', '.join(grammar.number_types)}, pas {kind}")
        if "min" in item or "max" in item:
            raise refuse("bornes données deux fois")
        _bounds(spec, item)
        return
    if grammar.foreign_key and (match := FK.fullmatch(spec)):
        _once(item, "foreign_key", match.group(1).strip(), refuse)
        return
    if grammar.example and (match := EXAMPLE.fullmatch(spec)):
        value = match.group(1).strip()
        if not value:
            raise refuse('exemple vide dans ex() ; un texte vide s\'écrit ex("")')
        quoted = value.startswith('"')
        _once(item, "example", _unquote(value) if quoted or kind in grammar.text_types else _scalar(value), refuse)
        return
    if grammar.description and len(spec) >= 2 and spec[0] == spec[-1] == '"':
        item[grammar.description_key] = spec[1:-1]
        return
    if not spec:
        raise refuse("modificateur vide entre deux « : »")
    raise refuse(f"modificateur {spec!r} inconnu ; modificateurs : {', '.join(allowed)}")


def _once(item: dict[str, Any], key: str, value: Any, refuse: Any) -> None:
    if key in item:
        raise refuse(f"`{key}` donné deux fois")
    item[key] = value


def _allowed(grammar: Grammar) -> list[str]:
    found = []
    if grammar.length_key:
        found.append(f"une longueur (80, pour {', '.join(grammar.length_types)})")
    if grammar.bounds:
        found.append(f"des bornes (0..100, pour {', '.join(grammar.number_types)})")
    if grammar.keys_unique_index:
        found += ["unique", "index"]
    if grammar.foreign_key:
        found.append("fk(table.colonne)")
    if grammar.description:
        found.append('"un libellé"' if grammar.description_key == "label" else '"une description"')
    if grammar.example:
        found.append("ex(un exemple)")
    return found
