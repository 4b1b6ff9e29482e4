"""Python source written line by line, already formatted the way `ruff format` keeps it.

Why it exists: the database part writes Python (a model's columns, `__table_args__`, Alembic operations,
the generated tests' constants), and `model_source.apply()` edits a host's model with the same text, so
the two must format alike without running ruff. `Call` and its kin are the tiny expression model both
render from: one line when it fits in the host's line length, otherwise exploded one argument per line
with the magic trailing comma. No knowledge of columns or migrations here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .filters import py_str, width

LINE_LENGTH = 100  # the host's ruff line-length


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
