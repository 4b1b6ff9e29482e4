"""Which host files a file imports: Python modules of the backend, TypeScript modules of the frontend.

`make undo` keeps the files a person changed and removes the others; a kept file that imports a
removed one no longer works, and undo says so.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

BACKEND, FRONTEND = "backend", "frontend"  # the host's two roots (the backend's is on sys.path)
TS_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mts", ".cts")
# `import … from "x"`, `export … from "x"`, `import "x"`, `import("x")`, `require("x")`, `vi.mock("x")`.
_TS_SPECIFIER = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bvi\.mock\s*\(\s*)(["'])([^"'\n]+)\1"""
)


def python_module(path: str) -> str | None:
    """`backend/app/services/x.py` -> `app.services.x` (a package's `__init__.py` -> the package)."""
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] != BACKEND or not path.endswith(".py"):
        return None
    names = [*parts[1:-1], parts[-1].removesuffix(".py")]
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names) or None


def python_imports(path: str, source: str) -> set[str]:
    """Every module `path` names in an import (for `from a import b`: both `a` and `a.b`)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    own = (python_module(path) or "").split(".")
    package = own if path.endswith("__init__.py") else own[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the file's own package
                base = package[: len(package) - node.level + 1] if node.level <= len(package) else []
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module:
                found.add(module)
            found.update(f"{module}.{alias.name}" if module else alias.name for alias in node.names)
    return found


def _normalise(parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            if out:
                out.pop()
        elif part not in ("", "."):
            out.append(part)
    return out


def ts_imports(path: str, source: str) -> set[str]:
    """The frontend paths (without suffix) `path` imports: `@/x` is the frontend root, `./x` its folder."""
    found: set[str] = set()
    folder = list(PurePosixPath(path).parent.parts)
    for match in _TS_SPECIFIER.finditer(source):
        spec = match.group(2)
        if spec.startswith("@/"):
            found.add("/".join(_normalise([FRONTEND, *spec[2:].split("/")])))
        elif spec.startswith("."):
            found.add("/".join(_normalise([*folder, *spec.split("/")])))
    return found


def ts_module(path: str) -> str | None:
    """`frontend/components/X/index.ts` -> `frontend/components/X/index` (what an import may name)."""
    if not path.startswith(f"{FRONTEND}/") or not path.endswith(TS_SUFFIXES):
        return None
    return path.rsplit(".", 1)[0]


def broken(kept: dict[str, str], removed: list[str]) -> dict[str, list[str]]:
    """Kept file -> the removed files it imports. `kept`: path -> its text."""
    by_python = {m: path for path in removed if (m := python_module(path))}
    by_ts: dict[str, str] = {}
    for path in removed:
        if module := ts_module(path):
            by_ts[module] = path
            if module.endswith("/index"):  # `import "./X"` names the folder's index
                by_ts[module.removesuffix("/index")] = path
    result: dict[str, list[str]] = {}
    for path, source in kept.items():
        if path.endswith(".py"):
            hits = {by_python[m] for m in python_imports(path, source) if m in by_python}
        elif path.endswith(TS_SUFFIXES):
            # A specifier may carry the suffix (`./x.js`) or not (`./x`).
            names = ts_imports(path, source)
            names |= {n.rsplit(".", 1)[0] for n in names if n.endswith(TS_SUFFIXES)}
            hits = {by_ts[n] for n in names if n in by_ts}
        else:
            hits = set()
        if hits:
            result[path] = sorted(hits)
    return result
