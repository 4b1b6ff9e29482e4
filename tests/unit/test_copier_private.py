"""Copier's private API, used only through blueprint.copier_private: checked at import, off when it changed."""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import copier
import pytest
from blueprint import copier_private
from blueprint.template_reuse import reused_template
from copier import _template, _vcs
from helpers.hosts import commit_all, git

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    """A one-file git template tagged 1.0.0."""
    repo = tmp_path / "template"
    (repo / "template").mkdir(parents=True)
    (repo / "copier.yml").write_text("_subdirectory: template\nname:\n  type: str\n  default: x\n")
    (repo / "template/{{ _copier_conf.answers_file }}.jinja").write_text("{{ _copier_answers | to_nice_yaml }}")
    (repo / "template/README.md.jinja").write_text("# {{ name }}\n")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "1.0.0")
    git(repo, "tag", "1.0.0")
    return repo


def without(module: str, name: str) -> Callable[[str], Any]:
    """An import_module that gives a fake copier module: the real one less `name`."""
    real = importlib.import_module(module)
    fake = types.ModuleType(module)
    fake.__dict__.update({k: v for k, v in vars(real).items() if k != name})

    def import_module(wanted: str) -> Any:
        return fake if wanted == module else importlib.import_module(wanted)

    return import_module


def copy_tree(repo: Path, dst: Path) -> dict[str, bytes]:
    copier.run_copy(str(repo), dst, data={"name": "demo"}, vcs_ref="1.0.0", defaults=True, quiet=True)
    return {p.name: p.read_bytes() for p in sorted(dst.iterdir())}


def test_the_pinned_copier_has_every_private_name_we_use() -> None:
    """Fails on a copier upgrade that renames or reshapes one of them: update USES and its users then."""
    checked = copier_private.check()
    assert checked.problems == {}
    assert set(checked.found) == set(copier_private.USES)
    assert checked.found["template_reuse"] == (_template.clone, _template.load_template_config)


def test_a_copier_missing_one_name_turns_its_speed_up_off_and_copies_the_same(
    versions: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = copier_private.check(import_module=without("copier._template", "load_template_config"))
    assert checked.problems == {"template_reuse": "copier._template.load_template_config is missing"}
    assert set(checked.found) == {"operation", "plain_refusals", "file_mode_once"}

    monkeypatch.setattr(copier_private, "CHECKED", checked)
    clone = _template.clone
    with reused_template() as done:
        assert _template.clone is clone  # copier left as it is
        off = copy_tree(versions, tmp_path / "off")
    assert done == {"clones": 0, "configs": 0}

    monkeypatch.setattr(copier_private, "CHECKED", copier_private.check())
    with reused_template() as done:
        on = copy_tree(versions, tmp_path / "on")
    assert done == {"clones": 1, "configs": 1}
    assert off == on and on["README.md"] == b"# demo\n"


@pytest.mark.parametrize(
    ("parameters", "problem"),
    [
        (("url", "ref"), "copier._template.clone takes (url, ref, location), not (url, ref)"),
        (None, "copier._template.clone is no longer a ContextVar"),
    ],
)
def test_a_name_with_another_shape_is_not_used(parameters: tuple[str, ...] | None, problem: str) -> None:
    uses = {"clone": (copier_private.Private("copier._template", "clone", parameters),)}
    checked = copier_private.check(uses)
    assert checked.found == {}
    assert checked.problems == {"clone": problem}


def test_the_switch_turns_every_speed_up_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert copier_private.private("template_reuse") is not None
    monkeypatch.setenv(copier_private.SPEEDUPS_ENV, "OFF")
    assert copier_private.private("template_reuse") is None and copier_private.private("operation") is None
    with reused_template() as done:
        assert done == {"clones": 0, "configs": 0}


def test_without_copiers_operation_the_public_facts_tell_copy_from_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".copier-answers").mkdir()
    (tmp_path / ".copier-answers/fix_old.yml").write_text("_commit: 1.0.0\n")
    existing, new = ".copier-answers/fix_old.yml", ".copier-answers/fix_new.yml"

    def decide(overwrite: bool, answers_file: str | None, in_host: bool = True) -> str:
        return copier_private.operation({"dst_path": tmp_path, "overwrite": overwrite}, answers_file, lambda: in_host)

    for checked in (copier_private.check(), copier_private.check(import_module=without("copier._main", "_operation"))):
        monkeypatch.setattr(copier_private, "CHECKED", checked)
        assert decide(False, None) == decide(False, new) == decide(False, existing) == "copy"
        assert decide(True, new) == decide(True, None) == "copy"
        assert decide(False, new, in_host=False) == "copy"
    assert decide(True, existing) == "update"  # without copier's ContextVar: only an update has both
    assert decide(True, None, in_host=False) == "update"  # update's scratch renders inherit its overwrite
    monkeypatch.setattr(copier_private, "CHECKED", copier_private.check())
    assert decide(True, existing) == "copy"  # with it: copier says, and it is running no update
    copier_operation = copier_private.USES["operation"][0]
    token = getattr(importlib.import_module(copier_operation.module), copier_operation.name).set("update")
    try:
        assert decide(True, existing) == decide(False, None) == "update"
    finally:
        getattr(importlib.import_module(copier_operation.module), copier_operation.name).reset(token)


def test_the_notice_is_one_line_and_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    checked = copier_private.check(import_module=without("copier._template", "clone"))
    monkeypatch.delenv(copier_private.VERBOSE_ENV, raising=False)
    monkeypatch.delenv(copier_private.SAID_ENV, raising=False)
    copier_private.say_notice(checked)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv(copier_private.VERBOSE_ENV, "1")
    copier_private.say_notice(checked)
    copier_private.say_notice(checked)  # an update's second checkout: said once in all
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "template_reuse off (copier._template.clone is missing)" in said
    copier_private.say_notice(copier_private.check())
    assert capsys.readouterr().err == ""  # nothing to say on the copier we know
    monkeypatch.setenv(copier_private.SPEEDUPS_ENV, "off")
    copier_private.say_notice(copier_private.check())
    assert "VECTRA_BLUEPRINTS_SPEEDUPS=off" in capsys.readouterr().err


def load_units_script(monkeypatch: pytest.MonkeyPatch, vcs: types.ModuleType) -> Any:
    """The host's scripts/units.py, with `vcs` standing for copier._vcs."""
    monkeypatch.setitem(sys.modules, "copier._vcs", vcs)
    spec = importlib.util.spec_from_file_location("host_units_script", ROOT / "template/host/scripts/units.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOURCES = ["gh:vectra/vectra-blueprints", "gl:/team/tpl.git", "git+https://example.invalid/tpl", "git@h.invalid:t.git"]


def test_the_hosts_units_script_finds_the_template_without_copiers_get_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("copier._vcs")  # a copier that renamed get_repo
    units = load_units_script(monkeypatch, fake)
    assert [units.template_url(src) for src in SOURCES] == [_vcs.get_repo(src) for src in SOURCES]
    assert units.template_url("gh:vectra/vectra-blueprints") == "https://github.com/vectra/vectra-blueprints.git"

    def get_repo(url: str, strict: bool) -> str:  # same name, another shape: not called
        raise AssertionError("called")

    fake.get_repo = get_repo  # type: ignore[attr-defined]
    assert [units.template_url(src) for src in SOURCES] == [_vcs.get_repo(src) for src in SOURCES]

    with_copiers = load_units_script(monkeypatch, _vcs)
    assert with_copiers.template_url("gh:a/b") == "https://github.com/a/b.git"
    monkeypatch.setattr(_vcs, "get_repo", lambda url: f"copier's {url}")
    assert with_copiers.template_url("gh:a/b") == "copier's gh:a/b"  # copier's own, while it fits


def refusal(question: Any) -> str:
    with pytest.raises(ValueError, match="kebab") as refused:
        question.validate_answer("Bad Name")
    return str(refused.value)


def test_a_refusal_reads_as_the_template_wrote_it_and_as_copier_has_it_when_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from copier._jinja_ext import SandboxedEnvironment
    from copier._user_data import AnswersMap, Question

    def question() -> Any:
        return Question(var_name="name", answers=AnswersMap(), context={}, jinja_env=SandboxedEnvironment(),
                        validator="pas en kebab")  # fmt: skip

    # copier's own method, whether or not an earlier template load in this process wrapped it
    original = getattr(Question.validate_answer, "__wrapped__", Question.validate_answer)
    monkeypatch.setattr(Question, "validate_answer", original)  # as it was, after the test
    off = copier_private.check(import_module=without("copier._user_data", "Question"))
    assert off.problems == {"plain_refusals": "copier._user_data.Question.validate_answer is missing"}
    monkeypatch.setattr(copier_private, "CHECKED", off)
    copier_private.show_refusals_plainly()
    assert Question.validate_answer is original, "a copier without the name is left as it is"
    assert refusal(question()) == "Validation error for question 'name': pas en kebab"

    monkeypatch.setattr(copier_private, "CHECKED", copier_private.check())
    copier_private.show_refusals_plainly()
    copier_private.show_refusals_plainly()  # a second template version in the same process: wrapped once
    assert Question.validate_answer.__wrapped__ is original  # type: ignore[attr-defined]
    assert refusal(question()) == "pas en kebab"


def test_git_file_mode_is_asked_once_per_destination_and_copier_acts_only_when_it_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copier._main import Worker

    synced: list[Path] = []
    monkeypatch.setattr(Worker, "_sync_git_index_executable_bit", lambda _self, path, _mode: synced.append(path))
    asked: list[Path] = []
    real = copier_private.file_mode_off
    monkeypatch.setattr(copier_private, "file_mode_off", lambda root: asked.append(root) or real(root))
    copier_private.ask_file_mode_once()
    repo = tmp_path / "host"
    repo.mkdir()
    git(repo, "init", "-q")
    worker = types.SimpleNamespace(dst_path=repo)
    for name in ("a", "b", "c"):
        Worker._sync_git_index_executable_bit(worker, Path(name), 0o755)
    assert synced == [] and asked == [repo]  # unix default: git sees the chmod, copier has nothing to do
    git(repo, "config", "core.fileMode", "false")  # .git/config changed: asked again, and copier acts
    Worker._sync_git_index_executable_bit(worker, Path("d"), 0o755)
    Worker._sync_git_index_executable_bit(worker, Path("e"), 0o755)
    assert synced == [Path("d"), Path("e")] and asked == [repo, repo]


def test_without_the_name_copier_asks_git_for_every_file_as_it_does(monkeypatch: pytest.MonkeyPatch) -> None:
    from copier._main import Worker

    own = getattr(Worker._sync_git_index_executable_bit, "__wrapped__", Worker._sync_git_index_executable_bit)
    monkeypatch.setattr(Worker, "_sync_git_index_executable_bit", own)
    off = copier_private.check(import_module=without("copier._main", "Worker"))
    assert off.problems["file_mode_once"] == "copier._main.Worker._sync_git_index_executable_bit is missing"
    monkeypatch.setattr(copier_private, "CHECKED", off)
    copier_private.ask_file_mode_once()
    assert Worker._sync_git_index_executable_bit is own
