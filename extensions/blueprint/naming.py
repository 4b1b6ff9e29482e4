"""Unit names: what a valid one looks like, and the identifiers derived from it.

A name becomes a file name, a Python module, a TypeScript identifier, a SQL table and a URL
segment, so it is held to the strictest of those: a kebab-case ASCII slug that no language
reserves.
"""

from __future__ import annotations

import keyword
import re

MAX_LENGTH = 40
SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
VALID_NAME_HELP = (
    "a valid name is kebab-case: lowercase ASCII letters and digits in words joined by single "
    "hyphens, starting with a letter, at most 40 characters (e.g. `campaign-wizard`, `lead-card`)"
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
        return f"the name is empty: {VALID_NAME_HELP}"
    shown = ascii(name)
    if len(name) > MAX_LENGTH:
        return f"the name {shown} is {len(name)} characters long: {VALID_NAME_HELP}"
    if not SLUG.fullmatch(name):
        return f"the name {shown} is not a kebab-case slug: {VALID_NAME_HELP}"
    return reserved_problem(name, f"the name {shown}", VALID_NAME_HELP)


def derived_forms(name: str) -> dict[str, str]:
    """Every identifier the templates derive from a kebab-case name -> what it is called."""
    forms = {
        pascal(name): "its PascalCase form",
        camel(name): "its camelCase form",
        name.replace("-", ""): "its joined form",
        snake(name): "its snake_case form",
    }
    forms[name] = "itself"
    return forms


def reserved_problem(name: str, what: str, valid_help: str, scopes: tuple[str, ...] = ()) -> str:
    """Why `name` (a kebab-case slug) or one of its derived forms is a reserved word, or ""."""
    forms = derived_forms(name)
    for label, reserved in (
        ("Python", PYTHON_RESERVED),
        ("TypeScript", TS_RESERVED),
        ("SQL", SQL_RESERVED),
        ("the host", HOST_RESERVED),
    ):
        if scopes and label not in scopes:
            continue
        if hit := sorted(word for word in forms if word in reserved):
            how = "" if forms[hit[0]] == "itself" else f", {forms[hit[0]]}"
            return f"{what} is reserved by {label} ({hit[0]}{how}): choose another, {valid_help}"
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
