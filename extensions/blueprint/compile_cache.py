"""Copier's Jinja, made cheaper without changing what it renders (extensions/context.py CompileOnce).

Copier compiles every path part and question string each time it renders it (hundreds of times a
copy), and every file template once per render, in every run (three renders per `copier update`).
- A compiled string is a pure function of its source and the environment's settings:
  `memoised_from_string` compiles each once per process (and keeps it on disk, below).
- Most path parts (`backend`, `app`, `main.py`) hold no Jinja at all: `Literal` skips Jinja for them.
- File templates keep their compiled code on disk (`bytecode_cache`), keyed by the template's name
  and checked against its source, so a template compiles once per version, not once per run.
- Our own Python is read from that new clone too, where its __pycache__ is thrown away with the
  clone: `compile_python_once` keeps its bytecode on disk under the source's digest (up to ~0.1 s a
  run, as much as copier's own walk of the units tree).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from importlib.machinery import SOURCE_SUFFIXES, FileFinder, SourceFileLoader
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

CACHE_ENV = "VECTRA_BLUEPRINTS_CACHE"  # where the compiled templates go; "off" keeps none


class Literal:
    """A template string without Jinja syntax: it renders as itself, with no context to build.

    Not while copier asks the questions: there every render must reach ContextUpdater.hook, which
    refuses bad --data answers before copier's own validators see them (they would print a traceback).
    """

    def __init__(self, source: str, empty: Callable[[], Any], compiled: Callable[[], Any]) -> None:
        self.source = source
        self.empty = empty  # the compiled empty template: rendering it runs the hook, nothing else
        self.compiled = compiled  # the string compiled after all, for anything but render()

    def __getattr__(self, name: str) -> Any:
        """A copier that asks more of a template than render() (generate, stream…) gets Jinja's own."""
        return getattr(self.compiled(), name)

    def render(self, *args: Any, **kwargs: Any) -> str:
        if (args[0] if args else kwargs).get("_copier_phase") == "prompt":  # render(dict) or render(**dict)
            self.empty().render(*args, **kwargs)
        return self.source


def memoised_from_string(environment: Environment) -> Callable[..., Any]:
    """`environment.from_string`, compiling each source once and plain strings never."""
    plain = type(environment).from_string
    keep_last_newline = environment.keep_trailing_newline

    @functools.lru_cache(maxsize=4096)
    def compile_once(source: str) -> Any:
        code = compiled_code(environment, source)
        return environment.template_class.from_code(environment, code, environment.make_globals(None), None)

    def from_string(source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is None and template_class is None and isinstance(source, str):
            # Jinja would change a plain string only by normalising \r\n or dropping a last \n.
            if "{" not in source and "\r" not in source and (keep_last_newline or not source.endswith("\n")):
                return Literal(source, functools.partial(compile_once, ""), functools.partial(compile_once, source))
            return compile_once(source)
        return plain(environment, source, globals, template_class)

    return from_string


# Compiled strings, shared by every environment of this process with the same settings: a
# `copier update` makes three environments, `make update-all` three per unit.
_codes: dict[tuple[str, str], CodeType] = {}


def compiled_code(environment: Environment, source: str) -> CodeType:
    """A string's compiled code: from this process, else from the disk cache, else compiled."""
    key = (_settings_digest(environment), source)
    if key not in _codes:
        cache = environment.bytecode_cache
        name = "<string " + hashlib.sha1(source.encode()).hexdigest() + ">"
        bucket = cache.get_bucket(environment, name, None, source) if cache else None
        if bucket is not None and isinstance(bucket.code, CodeType):
            _codes[key] = bucket.code
        else:
            _codes[key] = environment.compile(source)
            if cache and bucket is not None:
                bucket.code = _codes[key]
                cache.set_bucket(bucket)
    return _codes[key]


class _ByName(FileSystemBytecodeCache):
    """Keyed by template name only: copier renders from a new temporary clone each run, so the file
    name changes every time; the source checksum Jinja keeps with each entry tells a changed template.
    The folder is chosen at first use: extensions are not all loaded when one of them sets the cache."""

    def __init__(self, top: Path, environment: Environment) -> None:
        super().__init__(str(top))
        self.top, self.environment, self.usable = top, environment, None

    def _ready(self) -> bool:
        if self.usable is None:
            folder = self.top / f"jinja-{_settings_digest(self.environment)}"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self.directory, self.usable = str(folder), True
            except OSError:
                self.usable = False  # a read-only home: compile every time, as copier does
        return bool(self.usable)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)

    def load_bytecode(self, bucket: Bucket) -> None:
        if self._ready():
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self._ready():
            with contextlib.suppress(OSError):  # a full disk: compiled again next time
                super().dump_bytecode(bucket)


def _settings_digest(environment: Environment) -> str:
    """What compiled code depends on besides the source: one cache folder per combination."""
    if digest := getattr(environment, "_vectra_settings_digest", None):
        return str(digest)
    settings = [
        jinja2.__version__, sys.version_info[:2], type(environment).__name__,
        environment.block_start_string, environment.block_end_string, environment.variable_start_string,
        environment.variable_end_string, environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
        environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
        environment.optimized, getattr(environment.autoescape, "__name__", environment.autoescape),
        getattr(environment.finalize, "__name__", environment.finalize),
        sorted(type(extension).__name__ for extension in environment.extensions.values()),
    ]  # fmt: skip
    digest = hashlib.sha1(repr(settings).encode()).hexdigest()[:16]
    if environment.extensions:  # complete: extensions are loaded before anything is rendered
        environment._vectra_settings_digest = digest  # type: ignore[attr-defined]
    return digest


def cache_root() -> Path | None:
    """Where compiled code is kept ($VECTRA_BLUEPRINTS_CACHE, else the user's cache folder); None when off."""
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    import platformdirs  # copier's own dependency

    return Path(platformdirs.user_cache_dir("vectra-blueprints"))


def bytecode_cache(environment: Environment) -> FileSystemBytecodeCache | None:
    """The on-disk cache of compiled templates (None when it is off)."""
    top = cache_root()
    return _ByName(top, environment) if top else None


def compile_python_once(package_dir: Path) -> None:
    """Import the modules of this package (and of its subpackages) through `CompiledPython`."""
    for folder in [package_dir, *(init.parent for init in package_dir.glob("*/__init__.py"))]:
        sys.path_importer_cache[str(folder)] = FileFinder(str(folder), (CompiledPython, SOURCE_SUFFIXES))


class CompiledPython(SourceFileLoader):
    """A module's code from the disk cache when its source (and Python's bytecode format) is unchanged."""

    def get_code(self, fullname: str) -> CodeType:
        source = self.get_data(self.path)
        top = cache_root()
        kept = top / "python" / (hashlib.sha1(MAGIC_NUMBER + source).hexdigest() + ".bin") if top else None
        code = None
        if kept:
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                code = marshal.loads(kept.read_bytes())
        if not isinstance(code, CodeType):
            code = self.source_to_code(source, self.path)
            if kept:
                _write_atomically(kept, marshal.dumps(code))
        return _located(code, self.path)


def _located(code: CodeType, path: str) -> CodeType:
    """The code as if compiled from `path` (tracebacks name this clone's file, not the first one's)."""
    if code.co_filename == path:
        return code
    consts = tuple(_located(c, path) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=path, co_consts=consts)


def _write_atomically(file: Path, data: bytes) -> None:
    """Readers see the whole file or none (xdist workers and parallel copies share the folder).
    Not upsert.write_atomic: this module is loaded before the package, and a cache write may fail."""
    with contextlib.suppress(OSError):  # a read-only or full disk: compiled again next time
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, file)
        except OSError:
            os.unlink(tmp)
