"""The checks that run before copier writes a byte: hosts, kinds, names, answers, dates, files.

`copying=True` is `copier copy` (a new unit), `copying=False` the update path (`copier update`,
`make status`…), where the unit and its host already exist.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from blueprint import checks, naming
from blueprint.unit import Unit

KINDS = "project, feature, component, page, api, agent, database, fix, test"


def host(dst: Path, *, stamp: int = 1_000_000_000) -> Path:
    """A folder bootstrapped by the template: it keeps the project's answers."""
    (dst / ".copier-answers").mkdir(parents=True, exist_ok=True)
    (dst / ".copier-answers/project_demo-host.yml").write_text("kind: project\nname: demo-host\n")
    os.utime(dst / ".copier-answers", ns=(stamp, stamp))
    return dst


# -- hosts --------------------------------------------------------------------------------------------------------


def test_a_host_is_a_folder_with_the_projects_answers(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    assert checks.host_state(folder) is None and not checks.is_host(folder)
    (folder / ".copier-answers").mkdir()
    (folder / ".copier-answers/fix_x.yml").write_text("kind: fix\n")
    os.utime(folder / ".copier-answers", ns=(1, 1))
    assert checks.host_state(folder) == 1 and not checks.is_host(folder)  # answers, but no project's
    host(folder, stamp=2)
    assert checks.host_state(folder) == 2 and checks.is_host(folder)
    (folder / ".copier-answers/project_demo-host.yml").unlink()
    os.utime(folder / ".copier-answers", ns=(3, 3))
    assert not checks.is_host(folder)  # asked again once the folder changed


def test_the_answer_is_computed_once_per_change_of_the_folder(tmp_path: Path) -> None:
    # Copier asks hundreds of times per copy: the answers folder is listed again only when its mtime moved.
    folder = tmp_path / "folder"
    (folder / ".copier-answers").mkdir(parents=True)
    os.utime(folder / ".copier-answers", ns=(5, 5))
    assert not checks.is_host(folder)
    host(folder, stamp=5)  # the same mtime: not looked at again
    assert not checks.is_host(folder)
    os.utime(folder / ".copier-answers", ns=(6, 6))
    assert checks.is_host(folder)


def test_two_folders_changed_at_the_same_instant_are_told_apart(tmp_path: Path) -> None:
    a, b = host(tmp_path / "a"), tmp_path / "b"
    (b / ".copier-answers").mkdir(parents=True)
    os.utime(b / ".copier-answers", ns=(1_000_000_000, 1_000_000_000))
    assert (checks.is_host(a), checks.is_host(b), checks.is_host(a)) == (True, False, True)


# -- answers given as text on the command line -----------------------------------------------------------------


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A template whose questions cover every type copier casts from text."""
    questions = {
        "flag": {"type": "bool"},
        "count": {"type": "int"},
        "ratio": {"type": "float"},
        "data": {"type": "yaml", "help": "Some data, e.g. `[a, b]`."},
        "bare": {"type": "yaml"},
        "pick": {"type": "str", "multiselect": True, "choices": ["a", "b"]},
        "named": {"type": "str", "multiselect": True, "choices": {"A — the first": "a", "B": "b"}},
        "free": {"type": "str", "multiselect": True},
        "text": {"type": "str"},
    }
    (tmp_path / "template/questions").mkdir(parents=True)
    (tmp_path / "template/questions/q.yml").write_text(yaml.safe_dump(questions))
    return tmp_path / "template"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True), ("yes", True), ("y", True), ("on", True), ("anything", True), ("1", True), ("0.5", True),
        ("false", False), (" Off ", False), ("NO", False), ("n", False), ("f", False), ("", False), ("~", False),
        ("null", False), ("None", False), ("0", False), ("0.0", False), ("-0", False),
    ],
)  # fmt: skip
def test_a_bool_given_as_text_is_read_as_copier_reads_it(template: Path, text: str, value: bool) -> None:
    context: dict[str, Any] = {"flag": text}
    assert checks.cast_given_text(template, context) == ""
    assert context == {"flag": value}


def test_numbers_given_as_text_become_numbers_and_other_text_stays_for_its_check(template: Path) -> None:
    context: dict[str, Any] = {"count": "12", "ratio": "2", "text": "12", "flag": True}
    assert checks.cast_given_text(template, context) == ""
    assert context == {"count": 12, "ratio": 2.0, "text": "12", "flag": True}
    assert (type(context["count"]), type(context["ratio"])) == (int, float)
    context = {"ratio": "1e3"}  # a float as Python reads it (YAML 1.1 would keep it text)
    assert checks.cast_given_text(template, context) == ""
    assert context == {"ratio": 1000.0}
    context = {"count": "1.5", "ratio": "fast"}
    assert checks.cast_given_text(template, context) == ""
    assert context == {"count": "1.5", "ratio": "fast"}


def test_yaml_and_lists_given_as_text_are_parsed(template: Path) -> None:
    context: dict[str, Any] = {"data": "[{name: title}, 2]", "pick": "[a, 2]", "named": "[]", "free": "[x]"}
    assert checks.cast_given_text(template, context) == ""
    assert context == {"data": [{"name": "title"}, 2], "pick": ["a", "2"], "named": [], "free": ["x"]}


def test_text_that_is_not_yaml_is_refused_with_where_and_the_questions_help(template: Path) -> None:
    context: dict[str, Any] = {"data": "[a", "pick": "[a, b]"}
    assert checks.cast_given_text(template, context) == (
        "la réponse data n'est pas du YAML valide (did not find expected ',' or ']', line 2 column 1). "
        "Some data, e.g. `[a, b]`."
    )
    assert checks.cast_given_text(template, {"bare": "{a: [}"}).startswith(
        "la réponse bare n'est pas du YAML valide (did not find expected node content, line 1 column 6)."
    )
    assert checks.cast_given_text(template, {"bare": "a: b: c"}).endswith(", line 1 column 5).")
    # A character YAML does not read has no line, column nor problem to show.
    assert checks.cast_given_text(template, {"data": "a\x07"}) == (
        "la réponse data n'est pas du YAML valide (unreadable). Some data, e.g. `[a, b]`."
    )


def test_a_multiselect_that_is_not_a_list_is_refused_with_its_choices(template: Path) -> None:
    refusal = "la réponse {0} n'est pas une liste YAML : donnez-en une, ex. -d {0}='[{1}]'."
    assert checks.cast_given_text(template, {"pick": "a"}) == refusal.format("pick", "a, b")
    assert checks.cast_given_text(template, {"named": "{a: 1}"}) == refusal.format("named", "a, b")
    assert checks.cast_given_text(template, {"free": "x"}) == refusal.format("free", "")


def test_the_templates_own_questions_are_cast(root: Path) -> None:
    context: dict[str, Any] = {"kind": "feature", "parts": "[api, page]", "zod": "no", "agent_timeout": "20"}
    assert checks.cast_given_text(root, context) == ""
    assert context == {"kind": "feature", "parts": ["api", "page"], "zod": False, "agent_timeout": 20.0}


# -- which parts, which questions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "parts"),
    [
        ({"kind": "feature", "parts": ["api", "page"]}, ["api", "page"]),
        ({"kind": "feature"}, []),
        ({"kind": "feature", "parts": None}, []),
        ({"kind": "api", "api_own_model": True}, ["api", "database"]),
        ({"kind": "api", "api_own_model": False}, ["api"]),
        ({"kind": "api"}, ["api"]),  # the database part waits for api_own_model
        ({"kind": "fix", "regression_side": "frontend"}, ["regression-frontend"]),
        ({"kind": "project"}, ["host"]),
        ({"kind": "nope"}, []),
        ({}, []),
    ],
)
def test_the_parts_chosen_so_far(root: Path, answers: dict[str, Any], parts: list[str]) -> None:
    assert checks.chosen_parts(root, answers) == parts


def test_a_part_waiting_for_a_later_answer_does_not_hide_the_next_ones(tmp_path: Path) -> None:
    kinds = {
        "unit_questions": [],
        "parts": {"a": {}, "b": {}},
        "kinds": {"k": {"label": "K", "parts": ["{{ 'a' if x else '' }}", "b"]}, "bare": {"label": "Bare"}},
    }
    (tmp_path / "kinds.yml").write_text(yaml.safe_dump(kinds))
    assert checks.chosen_parts(tmp_path, {"kind": "k"}) == ["b"]
    assert checks.chosen_parts(tmp_path, {"kind": "k", "x": True}) == ["a", "b"]
    assert checks.chosen_parts(tmp_path, {"kind": "k", "x": False}) == ["b"]
    assert checks.chosen_parts(tmp_path, {"kind": "bare"}) == []  # a kind without parts


@pytest.mark.parametrize(
    ("answers", "question", "asked"),
    [
        ({"kind": "fix"}, "objective", True),  # every unit with a log
        ({"kind": "project"}, "objective", False),
        ({"kind": "fix"}, "regression_side", True),  # the kind's own question
        ({"kind": "fix", "regression_side": "backend"}, "route", False),
        ({"kind": "page"}, "route", True),  # its part's question
        ({"kind": "feature", "parts": ["database"]}, "columns", True),
        ({"kind": "feature", "parts": ["database", "api"]}, "columns", False),  # the api's fields supply them
        ({"kind": "feature", "parts": ["api", "database"]}, "multi_tenant", False),
        ({"kind": "feature", "parts": ["api"]}, "fields", True),
        ({"kind": "feature", "parts": ["nope"]}, "route", False),  # a part copier's choices will refuse
        ({"kind": "nope"}, "objective", False),
        ({}, "route", False),
    ],
)
def test_a_question_is_asked_when_the_kind_or_a_chosen_part_asks_it(
    root: Path, answers: dict[str, Any], question: str, asked: bool
) -> None:
    assert checks.asks(root, answers, question) is asked


# -- kind and name -----------------------------------------------------------------------------------------------


def test_an_unknown_kind_is_refused_on_copy_and_on_update(root: Path, tmp_path: Path) -> None:
    for copying in (True, False):
        assert checks.kind_problem(root, tmp_path, "widget", copying=copying) == (
            f"type inconnu 'widget' : choisissez parmi {KINDS}"
        )


def test_a_unit_is_generated_only_inside_a_host(root: Path, tmp_path: Path) -> None:
    assert checks.kind_problem(root, tmp_path, "fix", copying=True) == (
        f"{tmp_path} n'est pas un hôte VECTRA (pas de .copier-answers/project_*.yml). Créez-en un d'abord "
        f"avec `{checks.BOOTSTRAP}`, puis générez l'unité fix à l'intérieur. Rien n'a été écrit."
    )
    assert checks.kind_problem(root, host(tmp_path), "fix", copying=True) == ""


def test_a_host_is_bootstrapped_only_where_there_is_none(root: Path, tmp_path: Path) -> None:
    assert checks.kind_problem(root, tmp_path, "project", copying=True) == ""
    assert checks.kind_problem(root, host(tmp_path), "project", copying=True) == (
        f"{tmp_path} est déjà un hôte VECTRA. Générez les unités à l'intérieur (ex. -d kind=feature -d name=<nom>), "
        "ou mettez à jour son squelette avec `make update unit=project/demo-host`."
    )


def test_the_update_path_does_not_ask_where_the_unit_is(root: Path, tmp_path: Path) -> None:
    # copying=False: the unit and its host exist already; the kind alone is checked.
    for kind in ("fix", "project"):
        assert checks.kind_problem(root, tmp_path, kind, copying=False) == ""
        assert checks.kind_problem(root, host(tmp_path), kind, copying=False) == ""


def test_a_unit_problem_checks_the_name_first(root: Path, tmp_path: Path) -> None:
    assert checks.unit_problem(root, tmp_path, "widget", "Bad Name", copying=True) == naming.name_problem("Bad Name")
    assert checks.unit_problem(root, tmp_path, "widget", "good", copying=True).startswith("type inconnu 'widget'")
    assert checks.unit_problem(root, tmp_path, "fix", "good", copying=True).endswith("Rien n'a été écrit.")


def test_a_unit_that_exists_is_refused_on_copy_only(root: Path, tmp_path: Path) -> None:
    host(tmp_path)
    assert checks.unit_problem(root, tmp_path, "fix", "celery-startup", copying=True) == ""
    (tmp_path / ".copier-answers/fix_celery-startup.yml").write_text("kind: fix\n")
    assert checks.unit_problem(root, tmp_path, "fix", "celery-startup", copying=True) == (
        "l'unité fix 'celery-startup' existe déjà (.copier-answers/fix_celery-startup.yml). Rien n'a été "
        "écrit. Pour la changer, mettez-la à jour : `copier update --trust -a .copier-answers/fix_celery-startup.yml` "
        "(nouvelles réponses : ajoutez `--vcs-ref=:current: -d status=completed`, par exemple), "
        "ou choisissez un autre nom."
    )
    assert checks.unit_problem(root, tmp_path, "fix", "celery-startup", copying=False) == ""
    assert checks.unit_problem(root, tmp_path, "fix", "other", copying=True) == ""


# -- files a copy would overwrite --------------------------------------------------------------------------------


def unit_with_files(count: int) -> Unit:
    return Unit(kind="fix", name="x", answers={}, spec={}, files=[f"f{i}.py" for i in range(count)])


def test_no_file_taken_no_problem(tmp_path: Path) -> None:
    assert checks.files_problem(tmp_path, unit_with_files(3)) == ""


def test_files_a_copy_would_overwrite_are_listed(tmp_path: Path) -> None:
    (tmp_path / "f1.py").write_text("mine")
    (tmp_path / "f2.py").symlink_to(tmp_path / "nowhere")  # a broken link is a file too
    (tmp_path / ".copier-answers").mkdir()
    (tmp_path / ".copier-answers/fix_x.yml").write_text("")
    assert checks.files_problem(tmp_path, unit_with_files(3)) == (
        f"l'unité fix 'x' écraserait des fichiers qui existent déjà dans {tmp_path} :\n"
        "  f1.py\n  f2.py\n  .copier-answers/fix_x.yml\n"
        "Rien n'a été écrit. Choisissez un autre nom, déplacez ces fichiers, ou passez --overwrite "
        "pour les remplacer exprès."
    )


@pytest.mark.parametrize(("taken", "more"), [(10, ""), (11, "\n  … et 1 de plus"), (13, "\n  … et 3 de plus")])
def test_a_long_list_of_taken_files_shows_ten(tmp_path: Path, taken: int, more: str) -> None:
    for i in range(taken):
        (tmp_path / f"f{i}.py").write_text("")
    listed = "\n  ".join(f"f{i}.py" for i in range(10))
    assert f":\n  {listed}{more}\nRien n'a été écrit." in checks.files_problem(tmp_path, unit_with_files(20))


# -- dates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-01-15", "2024-02-29", dt.date(2026, 12, 31)])
def test_a_valid_date(value: object) -> None:
    assert checks.date_problem(value) == ""


@pytest.mark.parametrize("value", ["2026-02-30", "2025-02-29", "2026-1-5", "15/01/2026", "2026-01-15x", "", None])
def test_an_invalid_date_says_what_a_valid_one_looks_like(value: object) -> None:
    today = dt.date.today().isoformat()
    assert checks.date_problem(value) == f"la date {str(value)!r} n'est pas une date AAAA-MM-JJ valide (ex. {today})"


# -- answers checked by the parts --------------------------------------------------------------------------------


def test_an_answer_is_checked_by_the_part_that_asks_it(root: Path) -> None:
    assert checks.answer_problem(root, "route", "/campaigns", {}) == ""
    assert checks.answer_problem(root, "route", "campaigns", {}).startswith(
        "la route 'campaigns' ne commence pas par `/`"
    )
    # The answers so far matter: a feature's page reads its api.
    served = {"parts": ["api", "page"], "operations": ["get"]}
    assert checks.answer_problem(root, "route", "/campaigns", served).startswith("la page affiche une liste")
    assert checks.answer_problem(root, "objective", "", {}) == ""  # a question no part checks


def test_an_answer_is_checked_without_importing_the_parts_that_do_not_ask_it(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[str]] = []
    validators = checks.parts.validators
    monkeypatch.setattr(checks.parts, "validators", lambda parts: asked.append(parts) or validators(parts))
    checks.answer_problem(root, "route", "/campaigns", {})
    checks.answer_problem(root, "columns", [], {})
    checks.answer_problem(root, "objective", "", {})  # no part asks it: every part is looked at
    assert asked == [["page"], ["database"], list(checks.catalog.load(root).parts)]


def test_the_first_invalid_answer_given_is_refused(root: Path) -> None:
    bad_route = {"kind": "page", "name": "x", "route": "campaigns"}
    assert checks.answers_problem(root, bad_route).startswith("la route 'campaigns' ne commence pas par `/`")
    assert checks.answers_problem(root, {**bad_route, "route": "/campaigns"}) == ""
    assert checks.answers_problem(root, {"kind": "page", "name": "x"}) == ""  # nothing given yet
    # An answer the unit does not ask is not its business.
    assert checks.answers_problem(root, {"kind": "fix", "name": "x", "route": "campaigns"}) == ""
    supplied = {"kind": "feature", "name": "x", "parts": ["api", "database"], "columns": "not a list"}
    assert checks.answers_problem(root, supplied) == ""


def test_a_computed_default_only_for_a_question_the_unit_asks(root: Path, tmp_path: Path) -> None:
    assert checks.computed_default(root, tmp_path, "resource_plural", {"kind": "api", "name": "campaign"}) == (
        "campaigns"
    )
    answers = {"kind": "api", "name": "campaign", "resource_singular": "lead"}
    assert checks.computed_default(root, tmp_path, "resource_plural", answers) == "leads"
    assert checks.computed_default(root, tmp_path, "resource_plural", {"kind": "fix", "name": "campaign"}) is None
    # A default read from the host: the Alembic head the new migration follows.
    (tmp_path / "backend/alembic/versions").mkdir(parents=True)
    (tmp_path / "backend/alembic/versions/0001_init.py").write_text('revision = "0001abc"\ndown_revision = None\n')
    assert checks.computed_default(root, tmp_path, "down_revision", {"kind": "database", "name": "x"}) == "0001abc"
