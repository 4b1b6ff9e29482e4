"""The Jinja speed-ups change nothing that is rendered (blueprint/compile_cache.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from blueprint import compile_cache
from jinja2 import Environment, FileSystemLoader, StrictUndefined


def environment(folder: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(folder)), undefined=StrictUndefined, keep_trailing_newline=True)
    env.bytecode_cache = compile_cache.bytecode_cache(env)
    return env


@pytest.fixture(autouse=True)
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(compile_cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_template_compiles_once_across_clones_and_never_serves_a_changed_one(tmp_path: Path) -> None:
    first, second = tmp_path / "clone-1", tmp_path / "clone-2"  # copier renders from a new clone each run
    for clone, text in ((first, "v1 {{ x }}\n"), (second, "v1 {{ x }}\n")):
        clone.mkdir()
        (clone / "file.txt.jinja").write_text(text)
    assert environment(first).get_template("file.txt.jinja").render(x=1) == "v1 1\n"
    cache = environment(second).bytecode_cache
    assert cache is not None
    bucket = cache.get_bucket(environment(second), "file.txt.jinja", None, "v1 {{ x }}\n")
    assert bucket.code is not None, "the second clone does not find the first one's compiled template"

    (second / "file.txt.jinja").write_text("v2 {{ x }}\n")  # the next template version, same name
    assert environment(second).get_template("file.txt.jinja").render(x=1) == "v2 1\n"
    assert environment(first).get_template("file.txt.jinja").render(x=1) == "v1 1\n"


def test_settings_that_change_compiled_code_get_their_own_folder(tmp_path: Path, cache_folder: Path) -> None:
    (tmp_path / "t.jinja").write_text("{% if x %}\n  yes\n{% endif %}\n")
    for _ in range(2):  # the second round reads what the first one compiled
        for settings in ({}, {"trim_blocks": True, "lstrip_blocks": True}):
            cached = Environment(loader=FileSystemLoader(str(tmp_path)), **settings)  # type: ignore[arg-type]
            cached.bytecode_cache = compile_cache.bytecode_cache(cached)
            fresh = Environment(loader=FileSystemLoader(str(tmp_path)), **settings)  # type: ignore[arg-type]
            assert cached.get_template("t.jinja").render(x=True) == fresh.get_template("t.jinja").render(x=True)
    assert len(list(cache_folder.iterdir())) == 2


def test_off_keeps_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(compile_cache.CACHE_ENV, "off")
    assert compile_cache.bytecode_cache(Environment()) is None


@pytest.mark.parametrize("keep_trailing_newline", [True, False])
def test_strings_render_as_jinja_would(keep_trailing_newline: bool) -> None:
    env = Environment(keep_trailing_newline=keep_trailing_newline)
    from_string = compile_cache.memoised_from_string(env)
    for source in ["backend", "main.py", "", "a}b", "{{ x }}/y", "{% if x %}z{% endif %}", "line\r\nnext", "end\n"]:
        assert from_string(source).render(x="v") == env.from_string(source).render(x="v"), source
    assert from_string("{{ x }}") is from_string("{{ x }}"), "compiled twice"
    assert isinstance(from_string("backend"), compile_cache.Literal)
    plain = from_string("backend")  # a copier that streams instead of render(): Jinja's own methods
    assert "".join(plain.generate(x="v")) == "backend" and plain.stream().dump is not None


def test_a_plain_string_still_reaches_the_context_hook_while_questions_are_asked() -> None:
    seen: list[str] = []
    env = Environment()

    class Recording(env.context_class):  # type: ignore[misc, name-defined]
        """What copier-template-extensions installs: ContextUpdater.hook runs when a context is made."""

        def __init__(self, environment: Environment, parent: dict[str, Any], *args: Any, **kwargs: Any) -> None:
            seen.append(str(parent.get("_copier_phase")))
            super().__init__(environment, parent, *args, **kwargs)

    env.context_class = Recording
    from_string = compile_cache.memoised_from_string(env)
    assert from_string("str").render({"_copier_phase": "prompt"}) == "str"
    assert from_string("str").render(_copier_phase="render") == "str"
    assert seen == ["prompt"], "the prompt-phase render of a plain string must create a context (the hook)"


def test_strings_compile_once_per_process_across_environments(tmp_path: Path) -> None:
    first, second = Environment(), Environment()
    for env in (first, second):
        env.bytecode_cache = compile_cache.bytecode_cache(env)
    assert compile_cache.memoised_from_string(first)("{{ 6 * 7 }}").render() == "42"
    key = (compile_cache._settings_digest(second), "{{ 6 * 7 }}")
    assert key in compile_cache._codes, "a second environment with the same settings compiles again"
    assert compile_cache.memoised_from_string(second)("{{ 6 * 7 }}").render() == "42"


def test_a_cache_that_cannot_be_written_only_costs_a_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(compile_cache.CACHE_ENV, str(blocker / "cache"))  # a folder inside a file
    (tmp_path / "t.jinja").write_text("{{ x }}")
    assert environment(tmp_path).get_template("t.jinja").render(x=3) == "3"


# -- our own Python, read from a new clone each run --------------------------------------------------

MODULE = "def answer():\n    return {answer!r}\n\n\ndef where():\n    return where.__code__.co_filename\n"


def clone_of_package(clone: Path, name: str, answer: str) -> Path:
    """A package as copier's clone holds it: a new folder each run (and, as extensions/context.py
    names it, a module name unique to the folder)."""
    package = clone / name
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from . import mod, sub\n")
    (package / "mod.py").write_text(MODULE.format(answer=answer))
    (package / "sub/__init__.py").write_text("VALUE = 'sub'\n")
    return package


def load(package: Path) -> Any:
    import importlib
    import sys

    compile_cache.compile_python_once(package)
    sys.path.insert(0, str(package.parent))
    try:
        return importlib.import_module(package.name)
    finally:
        sys.path.remove(str(package.parent))


def test_our_modules_compile_once_across_clones_and_never_run_stale_code(tmp_path: Path, cache_folder: Path) -> None:
    assert load(clone_of_package(tmp_path / "clone-1", "pkg_one", "v1")).mod.answer() == "v1"
    kept = {file: compile_cache.marshal.loads(file.read_bytes()) for file in (cache_folder / "python").iterdir()}
    assert len(kept) == 2, "mod.py and sub/__init__.py are kept (the package's own __init__ is not)"
    for file, code in kept.items():  # mark mod's cached code: a recompile would not carry the mark
        if "answer" in code.co_names:
            file.write_bytes(compile_cache.marshal.dumps(compile(MODULE.format(answer="cached"), "x", "exec")))

    second = load(clone_of_package(tmp_path / "clone-2", "pkg_two", "v1"))  # same source: from the cache
    assert second.mod.answer() == "cached" and second.sub.VALUE == "sub"
    assert second.mod.where() == str(tmp_path / "clone-2/pkg_two/mod.py"), "tracebacks name this clone's file"
    third = load(clone_of_package(tmp_path / "clone-3", "pkg_three", "v2"))  # the next version
    assert third.mod.answer() == "v2"


def test_a_python_cache_that_cannot_be_used_only_costs_a_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(compile_cache.CACHE_ENV, str(blocker / "cache"))  # a folder inside a file
    assert load(clone_of_package(tmp_path / "clone-1", "pkg_blocked", "v1")).mod.answer() == "v1"

    damaged = tmp_path / "damaged"
    monkeypatch.setenv(compile_cache.CACHE_ENV, str(damaged))
    load(clone_of_package(tmp_path / "clone-2", "pkg_fills", "v1"))
    for file in (damaged / "python").iterdir():
        file.write_bytes(b"not marshal data")
    assert load(clone_of_package(tmp_path / "clone-3", "pkg_damaged", "v1")).mod.answer() == "v1"
