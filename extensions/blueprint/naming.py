"""Unit names: what a valid one looks like, and the identifiers derived from it.

A name becomes a file name, a Python module, a TypeScript identifier, a SQL table and a URL
segment, so it is held to the strictest of those: a kebab-case ASCII slug that no language
reserves.
"""

from __future__ import annotations

import keyword
import re

MAX_LENGTH = 40
# Where a unit records its answers (one file per unit, named after its kind and name).
ANSWERS_DIR = ".copier-answers"
SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
VALID_NAME_HELP = (
    "un nom valide est en kebab-case : lettres ASCII minuscules et chiffres, en mots reliés par "
    "un seul tiret, commençant par une lettre, 40 caractères au plus (ex. `campaign-wizard`, `lead-card`)"
)

# Words a generated identifier may not be: Python (keywords, soft keywords and the constants one
# cannot assign), TypeScript/JS reserved words and global constants, and SQL reserved words that
# would make a bad table or column name. Compared with every derived form, case included: the name
# `none` is fine as a module but makes `class None`, `na-n` makes `NaN`.
PYTHON_RESERVED = {*keyword.kwlist, *keyword.softkwlist, "__debug__", "NotImplemented", "Ellipsis"}
TS_RESERVED = {
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
    "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import",
    "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try",
    "typeof", "var", "void", "while", "with", "as", "implements", "interface", "let", "package",
    "private", "protected", "public", "static", "yield", "any", "boolean", "constructor",
    "declare", "get", "module", "require", "number", "set", "string", "symbol", "type", "from",
    "of", "await", "async", "undefined", "never", "unknown", "object", "keyof", "readonly",
    "NaN", "Infinity", "globalThis", "arguments", "eval",
}  # fmt: skip
SQL_RESERVED = {
    "select", "insert", "update", "delete", "from", "where", "table", "index", "order", "group",
    "by", "user", "limit", "offset", "join", "union", "create", "drop", "alter", "grant", "primary",
    "foreign", "key", "references", "check", "constraint", "column", "default", "null", "and", "or",
    "not", "having", "distinct", "into", "values", "all", "case", "when", "then", "end", "session",
}  # fmt: skip
# Names that would shadow the host's own packages or test helpers.
HOST_RESERVED = {"app", "api", "core", "models", "tests", "test", "conftest", "main", "utils", "lib"}


def name_problem(name: object) -> str:
    """Return why `name` is not a valid unit name, or "" when it is."""
    if not isinstance(name, str) or not name:
        return f"le nom est vide : {VALID_NAME_HELP}"
    shown = ascii(name)
    if len(name) > MAX_LENGTH:
        return f"le nom {shown} fait {len(name)} caractères : {VALID_NAME_HELP}"
    if not SLUG.fullmatch(name):
        return f"le nom {shown} n'est pas en kebab-case : {VALID_NAME_HELP}"
    return reserved_problem(name, f"le nom {shown}", VALID_NAME_HELP)


def derived_forms(name: str) -> dict[str, str]:
    """Every identifier the templates derive from a kebab-case name -> what it is called."""
    forms = {
        pascal(name): "sa forme PascalCase",
        camel(name): "sa forme camelCase",
        name.replace("-", ""): "sa forme sans tiret",
        snake(name): "sa forme snake_case",
    }
    forms[name] = "lui-même"
    return forms


def reserved_problem(name: str, what: str, valid_help: str, scopes: tuple[str, ...] = ()) -> str:
    """Why `name` (a kebab-case slug) or one of its derived forms is a reserved word, or ""."""
    forms = derived_forms(name)
    for label, reserved in (
        ("Python", PYTHON_RESERVED),
        ("TypeScript", TS_RESERVED),
        ("SQL", SQL_RESERVED),
        ("l'hôte", HOST_RESERVED),
    ):
        if scopes and label not in scopes:
            continue
        if hit := sorted(word for word in forms if word in reserved):
            how = "" if forms[hit[0]] == "lui-même" else f", {forms[hit[0]]}"
            return f"{what} est réservé par {label} ({hit[0]}{how}) : choisissez-en un autre ; {valid_help}"
    return ""


def snake(name: str) -> str:
    """`lead-card` -> `lead_card` (Python modules, SQL)."""
    return name.replace("-", "_")


def pascal(name: str) -> str:
    """`lead-card` -> `LeadCard` (classes, React components)."""
    return "".join(word.capitalize() for word in name.split("-"))


def camel(name: str) -> str:
    """`lead-card` -> `leadCard` (TypeScript values)."""
    first, *rest = name.split("-")
    return first + "".join(word.capitalize() for word in rest)


def title(name: str) -> str:
    """`lead-card` -> `Lead card` (human text)."""
    return name.replace("-", " ").capitalize()


def answers_file(kind: str, name: str) -> str:
    """A unit's answers file, relative to the host."""
    return f"{ANSWERS_DIR}/{kind}_{name}.yml"
