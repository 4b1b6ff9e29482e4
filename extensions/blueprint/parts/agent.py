"""The agent part: an LLM agent's fields, checked, and the code and prompt its templates paste.

Its questions (questions/agent.yml): `agent_purpose` (one line of free text), `agent_inputs` and
`agent_outputs` (YAML lists of fields), `agent_async`, `agent_fallback`, `agent_timeout`.

A field is `{name, type, description}` plus, as the type allows, `choices` (type `enum`), `min` and
`max` (`int`, `float`), `example` (a realistic value: the generated tests use it) and, for an output,
`default` (its value in the rule-based default result). Types: str, int, float, bool, list[str],
list[int], list[float], enum.

Generated Python must pass the host's `ruff format --check`, whatever the answers: values and free
text are pasted as ready-made literals (`py_value`), exploded with magic trailing commas, and a
string that would overflow the line is split the way ruff format keeps it.
"""

from __future__ import annotations

import functools
import json
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .. import agent_defaults, catalog, examples
from ..filters import FILTERS, py_str, width
from ..list_answers import validator, yaml_list

ROOT = Path(__file__).resolve().parents[3]

TYPES = ("str", "int", "float", "bool", "list[str]", "list[int]", "list[float]", "enum")
FALLBACKS = ("default_result", "retry_then_default", "raise")
MAX_FIELDS = 20
MAX_CHOICES = 20
MAX_DESCRIPTION = 300
MAX_PURPOSE = 300
MAX_TIMEOUT = 600
FIELD_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
FIELD_NAME_MAX = 40
CHOICE = re.compile(r"\w[\w .:/+-]{0,39}")
# Pydantic's BaseModel attributes: a field may not shadow them (the host turns warnings into errors).
MODEL_ATTRIBUTES = {
    "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
    "schema", "schema_json", "update_forward_refs", "validate",
}  # fmt: skip
KEYS = {"name", "type", "description", "choices", "min", "max", "example"}
OUTPUT_KEYS = KEYS | {"default"}
FIELDS_HELP = (
    'une ligne compacte, ex. `company:str:"Nom de l\'entreprise" score:int(0..100) tier:enum(a,b)` '
    '(nom:type, puis (0..100) des bornes, :"description", =défaut pour une sortie), ou '
    "une liste YAML de champs, ex. `[{name: company, type: str, description: Nom de l'entreprise}, "
    "{name: budget, type: enum, choices: [confirmed, unknown]}, {name: score, type: int, min: 0, max: 100}]` ; "
    f"types : {', '.join(TYPES)} (dans {{...}}, mettez un type liste entre guillemets : `type: 'list[str]'`)"
)
LINE_LENGTH = 100  # the host's ruff line-length (template/host/backend/pyproject.toml)
PROMPT_VERSION = "1"


class FieldsError(ValueError):
    pass


def _side(output: bool) -> str:
    """The side of a field in the (French) messages: `le champ d'entrée 'x'`, `les champs de sortie`."""
    return "de sortie" if output else "d'entrée"


# What `_value_problem` checks, as its messages name it.
VALUE_NAMES = {"example": "l'exemple", "default": "la valeur par défaut"}


@dataclass(frozen=True)
class AgentField:
    """One input or output field of the agent, checked."""

    name: str
    type: str
    description: str = ""
    choices: tuple[str, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    example: Any = None
    default: Any = None
    output: bool = False
    # Filled by `complete()`: the values the templates paste.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __getattr__(self, name: str) -> Any:
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)

    @property
    def is_list(self) -> bool:
        return self.type.startswith("list[")

    @property
    def item_type(self) -> str:
        return self.type[5:-1] if self.is_list else self.type

    @property
    def label(self) -> str:
        """The field's type, as the prompt tells it to the LLM (French, like the host's docs)."""
        if self.type == "enum":
            return "une valeur parmi " + ", ".join(f'"{c}"' for c in self.choices)
        base = {
            "str": "texte",
            "int": "entier",
            "float": "nombre",
            "bool": "booléen : true ou false",
            "list[str]": "liste de textes",
            "list[int]": "liste d'entiers",
            "list[float]": "liste de nombres",
        }[self.type]
        if self.min is not None and self.max is not None:
            return f"{base} de {_number(self.min)} à {_number(self.max)}"
        if self.min is not None:
            return f"{base} ≥ {_number(self.min)}"
        if self.max is not None:
            return f"{base} ≤ {_number(self.max)}"
        return base

    @property
    def type_cell(self) -> str:
        """The type as the reference document shows it."""
        if self.type == "enum":
            return "enum (" + ", ".join(f"`{c}`" for c in self.choices) + ")"
        bounds = ""
        if self.min is not None or self.max is not None:
            low = _number(self.min) if self.min is not None else ""
            high = _number(self.max) if self.max is not None else ""
            bounds = f" [{low}..{high}]"
        return f"`{self.type}`{bounds}"


def _number(value: int | float) -> str:
    """A bound as a person writes it: `100`, not `100.0`."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else repr(value)


# --------------------------------------------------------------------------- checks


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _value_problem(spec: AgentField, value: Any, what: str) -> str:
    """Why `value` is not a valid value of the field, or ""."""
    where = f"{VALUE_NAMES.get(what, what)} du champ {spec.name!r}"
    if spec.is_list:
        if not isinstance(value, list):
            return f"{where} doit être une liste ({spec.type})"
        items = value
    else:
        items = [value]
    for item in items:
        kind = spec.item_type
        if kind in ("str", "enum") and not isinstance(item, str):
            return f"{where} doit être un texte, pas {item!r}"
        if kind == "int" and (not isinstance(item, int) or isinstance(item, bool)):
            return f"{where} doit être un entier, pas {item!r}"
        if kind == "float" and not _is_number(item):
            return f"{where} doit être un nombre, pas {item!r}"
        if kind == "bool" and not isinstance(item, bool):
            return f"{where} doit être true ou false, pas {item!r}"
        if kind == "enum" and item not in spec.choices:
            return f"{where} doit être l'une des valeurs {list(spec.choices)}, pas {item!r}"
        if kind in ("int", "float"):
            if spec.min is not None and item < spec.min:
                return f"{where} est sous son min ({spec.min})"
            if spec.max is not None and item > spec.max:
                return f"{where} dépasse son max ({spec.max})"
    return ""


def _one_field(raw: Any, index: int, *, output: bool) -> AgentField:
    side = _side(output)
    if not isinstance(raw, dict):
        raise FieldsError(f"le champ {side} n°{index} n'est pas un mapping {{name, type, description}}")
    name = raw.get("name")
    if not isinstance(name, str) or not FIELD_NAME.fullmatch(name) or len(name) > FIELD_NAME_MAX:
        raise FieldsError(
            f"le champ {side} n°{index} a le nom {name!r} : un nom de champ est en snake_case (lettres ASCII "
            f"minuscules et chiffres, en mots reliés par un seul tiret bas, commençant par une lettre), "
            f"{FIELD_NAME_MAX} caractères au plus"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise FieldsError(f"le nom du champ {side} {name!r} est un mot-clé Python : choisissez-en un autre")
    if name in MODEL_ATTRIBUTES or name.startswith("model_"):
        raise FieldsError(
            f"le nom du champ {side} {name!r} masquerait un attribut des modèles Pydantic : choisissez-en un autre"
        )
    allowed = OUTPUT_KEYS if output else KEYS
    if unknown := sorted(set(raw) - allowed):
        raise FieldsError(
            f"le champ {side} {name!r} a des clés inconnues {unknown} : les clés permises sont {sorted(allowed)}"
        )
    kind = raw.get("type", "str")
    if kind not in TYPES:
        raise FieldsError(f"le champ {side} {name!r} a le type {kind!r} : choisissez parmi {', '.join(TYPES)}")
    description = raw.get("description", "")
    if description is None:
        description = ""
    if not isinstance(description, str) or len(description) > MAX_DESCRIPTION:
        raise FieldsError(
            f"la description du champ {side} {name!r} doit être un texte de {MAX_DESCRIPTION} caractères au plus"
        )

    choices: tuple[str, ...] = ()
    if kind == "enum":
        given = raw.get("choices")
        if not isinstance(given, list) or not given or len(given) > MAX_CHOICES:
            raise FieldsError(
                f"le champ {side} {name!r} est un enum : donnez ses `choices`, une liste de 1 à {MAX_CHOICES} valeurs"
            )
        for choice in given:
            if not isinstance(choice, str) or not CHOICE.fullmatch(choice):
                raise FieldsError(
                    f"le choix {choice!r} du champ {side} {name!r} n'est pas une valeur courte : lettres, chiffres, "
                    "espaces et `_ . : / + -`, 40 caractères au plus, commençant par une lettre ou un chiffre"
                )
        if len(set(given)) != len(given):
            raise FieldsError(f"les choix du champ {side} {name!r} répètent une valeur")
        choices = tuple(given)
    elif "choices" in raw:
        raise FieldsError(
            f"le champ {side} {name!r} a des `choices` mais son type est {kind} : utilisez le type `enum`"
        )

    bounds: dict[str, int | float | None] = {"min": None, "max": None}
    for key in ("min", "max"):
        if key not in raw:
            continue
        if kind not in ("int", "float"):
            raise FieldsError(
                f"le champ {side} {name!r} a un `{key}` mais son type est {kind} : seuls int et float ont des bornes"
            )
        value = raw[key]
        if kind == "int" and (not isinstance(value, int) or isinstance(value, bool)):
            raise FieldsError(f"le {key} du champ {side} {name!r} doit être un entier")
        if not _is_number(value):
            raise FieldsError(f"le {key} du champ {side} {name!r} doit être un nombre")
        bounds[key] = float(value) if kind == "float" else value
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        raise FieldsError(f"le champ {side} {name!r} a min > max")

    spec = AgentField(name=name, type=kind, description=description, choices=choices, output=output, **bounds)
    values: dict[str, Any] = {}
    for key in ("example", "default"):
        if key in raw:
            value = [float(v) for v in raw[key]] if kind == "list[float]" and isinstance(raw[key], list) else raw[key]
            value = float(value) if kind == "float" and _is_number(value) else value
            if problem := _value_problem(spec, value, key):
                raise FieldsError(problem)
            values[key] = value
    default = values["default"] if "default" in values else _neutral(spec)
    example = values["example"] if "example" in values else _sample(spec, default)
    return AgentField(
        name=name, type=kind, description=description, choices=choices, output=output,
        example=example, default=default if output else None, **bounds,
    )  # fmt: skip


def parse_fields(value: Any, *, output: bool) -> list[AgentField]:
    """The fields of an `agent_inputs`/`agent_outputs` answer; FieldsError says what is wrong."""
    side = _side(output)
    raw = yaml_list(
        value, FieldsError, noun=f"champs {side}", empty=f"donnez au moins un champ {side}", at_most=MAX_FIELDS,
        compact="agent_outputs" if output else "agent_inputs",
    )  # fmt: skip
    fields = [_one_field(item, i, output=output) for i, item in enumerate(raw, 1)]
    names = [f.name for f in fields]
    if dupes := sorted({n for n in names if names.count(n) > 1}):
        raise FieldsError(f"le champ {side} {dupes[0]!r} figure deux fois")
    if output and all(f.example == f.default for f in fields):
        raise FieldsError(
            "l'exemple de chaque sortie est égal à sa valeur par défaut : les tests générés ne pourraient pas "
            "distinguer la réponse du LLM du résultat par défaut ; donnez au moins un exemple qui en diffère"
        )
    return fields


def _neutral(spec: AgentField) -> Any:
    """The value of a field in the default result when none is given: a neutral one, never a guess."""
    if spec.is_list:
        return []
    if spec.type == "enum":
        return spec.choices[0]
    if spec.type == "bool":
        return False
    if spec.type == "str":
        return ""
    zero = 0.0 if spec.type == "float" else 0
    if spec.min is not None and zero < spec.min:
        return spec.min
    if spec.max is not None and zero > spec.max:
        return spec.max
    return zero


def _sample(spec: AgentField, avoid: Any) -> Any:
    """A test value of the field, other than `avoid` (the default) where the type allows it."""
    if spec.is_list:
        return [_sample(AgentField(spec.name, spec.item_type, min=spec.min, max=spec.max), None)]
    if spec.type == "enum":
        return next((c for c in spec.choices if c != avoid), spec.choices[0])
    if spec.type == "bool":
        return avoid is not True
    if spec.type == "str":
        return examples.text(spec.name)
    step = 1.5 if spec.type == "float" else 1
    base = avoid if avoid is not None else (spec.min if spec.min is not None else 0)
    middle = (spec.min + spec.max) / 2 if spec.min is not None and spec.max is not None else base
    if spec.type == "int":
        middle = int(middle)
    for candidate in (base + step, base - step, middle):
        if (spec.min is None or candidate >= spec.min) and (spec.max is None or candidate <= spec.max):
            return float(candidate) if spec.type == "float" else candidate
    return base  # min == max: the one value allowed


def fields_problem(output: bool) -> Any:
    return validator(
        functools.partial(parse_fields, output=output), FieldsError, f"Les champs {_side(output)} sont {FIELDS_HELP}"
    )


def purpose_problem(value: Any, answers: dict[str, Any]) -> str:
    if not isinstance(value, str) or not value.strip():
        return "dites en une ligne ce que fait l'agent (ex. « Qualifier un lead selon la grille BANT »)"
    if "\n" in value.strip() or "\r" in value:
        return "la mission tient en une ligne : mettez les détails dans le fichier de prompt après la génération"
    if len(value) > MAX_PURPOSE:
        return f"la mission fait {len(value)} caractères : {MAX_PURPOSE} au plus (une ligne)"
    return ""


def timeout_problem(value: Any, answers: dict[str, Any]) -> str:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return f"le délai {value!r} n'est pas un nombre de secondes"
    if not 0 < seconds <= MAX_TIMEOUT:
        return f"le délai est en secondes, plus de 0 et {MAX_TIMEOUT} au plus (ex. 20)"
    return ""


def fallback_problem(value: Any, answers: dict[str, Any]) -> str:
    return "" if value in FALLBACKS else f"le repli {value!r} n'est pas l'un de {', '.join(FALLBACKS)}"


VALIDATORS = {
    "agent_purpose": purpose_problem,
    "agent_inputs": fields_problem(output=False),
    "agent_outputs": fields_problem(output=True),
    "agent_timeout": timeout_problem,
    "agent_fallback": fallback_problem,
}
# The first answers offered, from the unit's name (and a feature's objective): agent_defaults.py.
DEFAULTS = agent_defaults.DEFAULTS


# --------------------------------------------------------------------------- Python literals


def _chunks(text: str, room: int) -> list[str]:
    """`text` cut between words into pieces whose literal takes at most `room` columns."""
    pieces: list[str] = []
    current = ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if width(py_str(current + word)) <= room:
            current += word
            continue
        if current:
            pieces.append(current)
            current = ""
        while width(py_str(word)) > room:  # one word longer than a line: cut it
            cut = 1
            while cut < len(word) and width(py_str(word[: cut + 1])) <= room:
                cut += 1
            pieces.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not pieces:
        pieces.append(current)
    return pieces


def py_text(text: str, indent: int, head: str = "", tail: str = "") -> str:
    """`text` as a Python string literal written after `head` on a line indented by `indent`.

    Inline when the line fits; otherwise a parenthesized implicit concatenation, one piece a line
    (ruff format joins such pieces only when the joined string fits, so it keeps these).
    """
    literal = py_str(text)
    if indent + width(head) + width(literal) + width(tail) <= LINE_LENGTH:
        return literal
    inner = " " * (indent + 4)
    pieces = _chunks(text, LINE_LENGTH - indent - 4)
    return "(\n" + "".join(f"{inner}{py_str(p)}\n" for p in pieces) + " " * indent + ")"


def py_value(value: Any, indent: int, head: str = "", tail: str = ",") -> str:
    """A field value as a Python literal (lists exploded with a magic trailing comma)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return py_text(value, indent, head, tail)
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = " " * (indent + 4)
        items = "".join(f"{inner}{py_value(item, indent + 4)},\n" for item in value)
        return "[\n" + items + " " * indent + "]"
    raise TypeError(f"no literal for {value!r}")  # pragma: no cover - values are checked


def _field_decl(spec: AgentField) -> str:
    """The field's line(s) in its Pydantic model (class body, indent 4)."""
    if spec.type == "enum":
        items = "".join(f"        {py_str(c)},\n" for c in spec.choices)
        annotation = "Literal[\n" + items + "    ]"
    else:
        annotation = spec.type
    args = []
    if spec.min is not None:
        args.append(f"ge={spec.min!r}")
    if spec.max is not None:
        args.append(f"le={spec.max!r}")
    if spec.description:
        args.append("description=" + py_text(spec.description, 8, "description=", ","))
    if not args:
        return f"    {spec.name}: {annotation}"
    body = "".join(f"        {arg},\n" for arg in args)
    return f"    {spec.name}: {annotation} = Field(\n{body}    )"


def _invalid(spec: AgentField) -> str:
    """A value of the wrong type for the field (the generated tests' schema mismatch)."""
    if spec.is_list:
        return '"pas une liste"'
    return {"str": "12345", "int": '"beaucoup"', "float": '"beaucoup"', "bool": '"peut-être"'}.get(
        spec.type, '"<pas un choix>"'
    )


def _out_of_range(spec: AgentField) -> str:
    """A value past the field's bounds, or "" when it has none."""
    if spec.is_list or spec.type not in ("int", "float"):
        return ""
    step = 1.0 if spec.type == "float" else 1
    if spec.max is not None:
        return repr(spec.max + step)
    if spec.min is not None:
        return repr(spec.min - step)
    return ""


def _complete(spec: AgentField) -> AgentField:
    spec.extra.update(
        invalid_py=_invalid(spec),
        default_json=json.dumps(spec.default, ensure_ascii=False),
        out_of_range_py=_out_of_range(spec),
        decl=_field_decl(spec),
        key=py_str(spec.name),
        example_py=py_value(spec.example, 4, f"{py_str(spec.name)}: "),
        default_py=py_value(spec.default, 8, f"{spec.name}=") if spec.output else "",
    )
    return spec


# --------------------------------------------------------------------------- the prompt

_env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
_env.filters.update(FILTERS)

# The system prompt file (backend/app/agents/<snake>/prompts/system.md) and its copy in
# DOC-TECH-004 are both this text: one rendering, pasted twice.
PROMPT = """\
---
prompt: {{ name }}/system
version: {{ version }}
---
Tu es l'agent « {{ name }} ». Ta mission : {{ purpose | md_inline }}

## Entrée

Le message utilisateur est un objet JSON avec ces champs :

{% for f in inputs %}
- `{{ f.name }}` ({{ f.label }}){% if f.description %} : {{ f.description | md_inline }}{% endif %}

{% endfor %}

## Sortie

Réponds uniquement par un objet JSON, sans texte ni bloc de code autour, avec exactement ces champs :

{% for f in outputs %}
- `{{ f.name }}` ({{ f.label }}){% if f.description %} : {{ f.description | md_inline }}{% endif %}

{% endfor %}

## Règles

- Appuie-toi uniquement sur l'entrée : n'invente ni fait, ni chiffre, ni nom.
- Quand une information manque, choisis la valeur la plus prudente plutôt que de deviner.
{% if outputs | selectattr("type", "equalto", "enum") | list %}
- Recopie les valeurs imposées (entre guillemets ci-dessus) exactement, sans les traduire.
{% endif %}
"""


@functools.cache
def _prompt() -> Any:
    """PROMPT compiled on first use: checking an agent answer imports this module, few runs render it."""
    return _env.from_string(PROMPT)


def _fence(text: str) -> str:
    """A Markdown fence longer than any run of backticks in `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _answer(unit: Any, question: str) -> Any:
    """An answer, or the question's default (a unit built from an incomplete answers file)."""
    if question in unit.answers:
        return unit.answers[question]
    if question in agent_defaults.DEFAULTS:
        return agent_defaults.value(question, {**unit.answers, "name": unit.name, "kind": unit.kind})
    return catalog.declared_default(ROOT, question)


def derive(unit: Any) -> dict[str, Any]:
    inputs = [_complete(f) for f in parse_fields(_answer(unit, "agent_inputs"), output=False)]
    outputs = [_complete(f) for f in parse_fields(_answer(unit, "agent_outputs"), output=True)]
    purpose = str(_answer(unit, "agent_purpose")).strip()
    timeout = float(_answer(unit, "agent_timeout"))
    fallback = str(_answer(unit, "agent_fallback"))
    is_async = _answer(unit, "agent_async")
    is_async = is_async if isinstance(is_async, bool) else str(is_async).lower() in {"true", "yes", "1", "y", "on"}
    prompt = _prompt().render(name=unit.name, version=PROMPT_VERSION, purpose=purpose, inputs=inputs, outputs=outputs)
    pascal, snake = unit.pascal, unit.snake
    return {
        "inputs": inputs,
        "outputs": outputs,
        "purpose": purpose,
        "purpose_py": py_text(purpose, 0, "PURPOSE = "),
        "timeout": timeout,
        "timeout_label": f"{timeout:g}",
        "fallback": fallback,
        "is_async": is_async,
        "prompt": prompt,
        "bounded": next((f for f in outputs if f.out_of_range_py), None),
        "prompt_version": PROMPT_VERSION,
        "fence": _fence(prompt),
        # schemas.py imports Field only when a field (or the task result) uses it.
        "uses_field": is_async or any("Field(" in f.decl for f in [*inputs, *outputs]),
        "dir": f"backend/app/agents/{snake}",
        "module": f"app.agents.{snake}",
        "prompt_path": f"backend/app/agents/{snake}/prompts/system.md",
        "test_path": f"backend/tests/agents/test_{snake}_agent.py",
        # Its HTTP routes (issue 16): runs kept in the host's `agent_runs` table (app/core/agent_runs.py).
        "url": f"/api/v1/agents/{unit.name}/runs",
        "route_prefix": f"/agents/{unit.name}/runs",
        "route_path": f"backend/app/api/routes/agent_{snake}.py",
        "runs_test_path": f"backend/tests/agents/test_{snake}_runs_api.py",
        "run_model": f"{pascal}Run",
        "task_name": f"agents.{snake}.run",
        "task_fn": f"run_{snake}",
        "agent_class": f"{pascal}Agent",
        "service_class": f"{pascal}Service",
        "input_model": f"{pascal}Input",
        "output_model": f"{pascal}Output",
        "result_model": f"{pascal}Result",
        "task_result_model": f"{pascal}TaskResult",
        "error": f"{pascal}Error",
        "output_error": f"{pascal}OutputError",
    }
