"""The agent blueprint (issue 5): fields checked, files and prompt doc entry per option, and, in a
real host, the generated agents pass their tests with ≥ 85% coverage, their tests bite, and an
async agent runs on a real Celery worker against Redis.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest
from blueprint import agent_defaults
from blueprint import unit as unit_mod
from blueprint.parts import agent as agent_part
from blueprint.upsert import find_block
from helpers.hosts import Runtime
from test_generation import check_log, check_status_entry, generate

ROOT = Path(__file__).resolve().parents[2]
PROMPTS_DOC = "docs/tech/DOC-TECH-004_AGENT_PROMPTS.md"
CONTRACTS_DOC = "docs/tech/DOC-TECH-002_API_CONTRACTS.md"
HOSTILE = "Texte \"guillemets\" 'apostrophes' {{ x }} `code` \\ */ <!-- c --> # titre | barre"
# Multi-line, quotes, template code, fences, comments, line separators, right-to-left and wide text.
NASTY = ('"""\'\'\' \\ {{ 7*7 }} {% raw %} ${x} `id` */ </script> <!-- x --> -->\n## Pas un titre\n'
         "```\n# comment\r\n---\nemoji 🚀 עברית \u2028 trailing\\")  # fmt: skip
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# One host, every option: async/sync × each fallback (async + raise: the bite test's host), every
# field type, bounds, long names and text.
LONG_NAME = "qualification-des-leads-entrants-par-ia"  # 39 characters: the longest identifiers
AGENTS: dict[str, dict[str, Any]] = {
    "bant-qualifier": {},  # the defaults: async, retry_then_default, BANT fields
    # The defaults of each kind of work its name says (blueprint/agent_defaults.py), "deal-guard" the generic ones.
    "resume-appels": {},
    "tri-tickets": {},
    "extraction-factures": {},
    "scoring-candidats": {},
    "traduction-fiches": {},
    "lead-summary": {"agent_async": False, "agent_fallback": "default_result", "agent_timeout": 7.5},
    "deal-guard": {"agent_async": False, "agent_fallback": "raise"},
    LONG_NAME: {
        "agent_fallback": "default_result",
        "agent_purpose": HOSTILE + " — " + "une mission décrite très longuement " * 4 + "\u2028 🚀 עברית",
        "agent_inputs": [
            {"name": "a_field_name_that_is_forty_characters_xx", "type": "str", "description": HOSTILE * 3},
            {"name": "amounts", "type": "list[float]", "example": [12.5, 99.0]},
            {"name": "tier", "type": "enum", "choices": ["gold", "silver tier", "bronze-3"]},
            {"name": "seats", "type": "int", "min": 1},
            {"name": "vip", "type": "bool", "description": "全角の説明文はふたつの幅を持つ文字で書かれています。" * 3},
        ],
        "agent_outputs": [
            {"name": "a_bounded_ratio_with_a_forty_char_name_x", "type": "float", "min": 0, "max": 1, "default": 0.25},
            {"name": "labels", "type": "list[str]", "description": HOSTILE, "example": [HOSTILE * 2]},
            {"name": "counts", "type": "list[int]", "description": NASTY},
            {"name": "verdict", "type": "enum", "choices": ["go", "no go"], "description": "x" * 120},
            {"name": "summary", "type": "str", "default": "Résumé indisponible : " + NASTY},
            {"name": "urgent", "type": "bool"},
        ],
    },
}


def output(done: subprocess.CompletedProcess[str]) -> str:
    return ANSI.sub("", f"exit {done.returncode}\n{done.stdout[-12000:]}\n{done.stderr[-4000:]}")


def sources(unit: unit_mod.Unit, catalog: Any) -> list[str]:
    """kinds.yml `sources` of the agent part: the unit's files whose coverage is measured."""
    context = {**unit.answers, "unit": unit}
    found = []
    for item in catalog.parts["agent"]["sources"]:
        if isinstance(item, dict) and not unit_mod.render_bool(item.get("when", True), context):
            continue
        found.append(unit_mod.render(item if isinstance(item, str) else item["path"], context))
    return found


def default_answer(name: str = "bant-qualifier") -> dict[str, Any]:
    """A valid LLM answer for the default output fields of an agent so named (their examples)."""
    default = agent_defaults.outputs({"kind": "agent", "name": name})
    return {f.name: f.example for f in agent_part.parse_fields(default, output=True)}


def pytest_in_host(host: Path, runtime: Runtime, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    cmd = [str(runtime.venv / "bin/python"), "-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(cmd, cwd=host / "backend", env=runtime.env(), capture_output=True, text=True, timeout=timeout)


# -- the answers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "output", "expected"),
    [
        ([], False, "au moins un champ d'entrée"),
        ("[{name: ok, type: str", False, "ne sont pas du YAML valide"),
        ([{"name": "Company"}], False, "snake_case"),
        ([{"name": "two__underscores"}], False, "snake_case"),
        ([{"name": "x" * 41}], False, "40 caractères au plus"),
        ([{"name": "class"}], False, "mot-clé Python"),
        ([{"name": "match"}], False, "mot-clé Python"),
        ([{"name": "json"}], False, "attribut des modèles Pydantic"),
        ([{"name": "model_name"}], False, "attribut des modèles Pydantic"),
        ([{"name": "a"}, {"name": "a"}], False, "figure deux fois"),
        ([{"name": "a", "type": "date"}], False, "choisissez parmi"),
        ([{"name": "a", "type": "enum"}], False, "donnez ses `choices`"),
        ([{"name": "a", "type": "enum", "choices": ["x", "x"]}], False, "répètent une valeur"),
        ([{"name": "a", "type": "enum", "choices": ['x"y']}], False, "pas une valeur courte"),
        ([{"name": "a", "type": "str", "choices": ["x"]}], False, "utilisez le type `enum`"),
        ([{"name": "a", "type": "str", "min": 1}], False, "seuls int et float"),
        ([{"name": "a", "type": "int", "min": 2, "max": 1}], False, "min > max"),
        ([{"name": "a", "type": "int", "min": 0.5}], False, "doit être un entier"),
        ([{"name": "a", "type": "int", "example": "3"}], False, "doit être un entier"),
        ([{"name": "a", "type": "int", "max": 3, "example": 4}], False, "dépasse son max"),
        ([{"name": "a", "default": "x"}], False, "clés inconnues"),
        ([{"name": "a", "type": "bool", "default": "yes"}], True, "doit être true ou false"),
        ([{"name": "a", "type": "enum", "choices": ["x", "y"], "default": "z"}], True, "l'une des valeurs"),
        ([{"name": "a", "type": "list[str]", "default": "x"}], True, "doit être une liste"),
        ([{"name": "a", "example": "", "default": ""}], True, "ne pourraient pas distinguer"),
        ("not a list", True, "le nom du champ de sortie 'not' est un mot-clé Python"),  # a compact line
        ({"a": 1}, True, "les champs de sortie doivent être une liste, pas {'a': 1}"),
        (None, True, "au moins un champ de sortie"),
    ],
)
def test_bad_fields_are_refused_with_what_a_good_answer_looks_like(fields: Any, output: bool, expected: str) -> None:
    problem = agent_part.fields_problem(output)(fields, {})
    assert expected in problem
    assert "une liste YAML de champs" in problem


def test_other_answers_are_checked() -> None:
    check = agent_part.VALIDATORS
    assert check["agent_purpose"]("Qualifier un lead", {}) == ""
    assert "en une ligne" in check["agent_purpose"]("", {})
    assert "en une ligne" in check["agent_purpose"]("deux\nlignes", {})
    assert "300 au plus" in check["agent_purpose"]("x" * 301, {})
    assert check["agent_timeout"](20, {}) == check["agent_timeout"]("2.5", {}) == ""
    for bad in (0, -1, 601, "soon", None):
        assert check["agent_timeout"](bad, {}), bad
    assert check["agent_fallback"]("raise", {}) == ""
    assert "n'est pas l'un de" in check["agent_fallback"]("ignore", {})


def test_field_defaults_and_test_values_are_valid_and_tell_answer_from_fallback() -> None:
    fields = agent_part.parse_fields(
        "[{name: n, type: int, min: 5, max: 5}, {name: s, type: int, max: -3}, {name: f, type: float},"
        " {name: e, type: enum, choices: [a, b]}, {name: b, type: bool}, {name: l, type: 'list[int]'}]",
        output=True,
    )
    values = {f.name: (f.default, f.example) for f in fields}
    assert values == {"n": (5, 5), "s": (-3, -4), "f": (0.0, 1.5), "e": ("a", "b"), "b": (False, True), "l": ([], [1])}


def test_bad_fields_given_with_data_are_refused_before_any_write(host: Path, new_unit: Any) -> None:
    with pytest.raises(Exception, match="mot-clé Python") as caught:
        new_unit(host, "agent", "bant-qualifier", agent_inputs=[{"name": "class", "type": "str"}])
    assert "une liste YAML de champs" in str(caught.value)
    assert not (host / "backend/app/agents/bant_qualifier").exists()
    assert not (host / ".copier-answers/agent_bant-qualifier.yml").exists()


def test_each_option_selects_its_files_log_status_and_prompt_entry(host: Path, new_unit: Any) -> None:
    units = {name: generate(host, new_unit, "agent", name, **answers) for name, answers in AGENTS.items()}
    doc = (host / PROMPTS_DOC).read_text(encoding="utf-8")
    contracts = (host / CONTRACTS_DOC).read_text(encoding="utf-8")
    for name, unit in units.items():
        check_log(host, unit)
        check_status_entry(host, unit)
        package = f"backend/app/agents/{unit.snake}"
        expected = [f"{package}/{f}" for f in ("__init__.py", "agent.py", "schemas.py", "prompts/system.md")]
        expected += [f"{package}/tasks.py"] if unit.agent.is_async else []
        expected += [f"{package}/service.py", f"backend/app/api/routes/agent_{unit.snake}.py"]
        expected += [f"backend/tests/agents/test_{unit.snake}_agent.py", unit.agent.runs_test_path]
        assert sorted(unit.code_files) == sorted(expected), name
        assert (host / f"{package}/tasks.py").exists() == unit.agent.is_async
        log = (host / unit.log_path).read_text(encoding="utf-8")
        assert "- [x] Créer la task Celery (si async)" in log  # generated, or nothing to create (sync)

        # The prompt file opens with its version; the doc entry holds it word for word.
        prompt = (host / f"{package}/prompts/system.md").read_text(encoding="utf-8")
        assert prompt.startswith(f"---\nprompt: {name}/system\nversion: 1\n---\n")
        block = find_block(doc, unit.key)
        assert block is not None, f"no {PROMPTS_DOC} entry for {unit.key}"
        fence = unit.agent.fence
        assert f"\n{fence}markdown\n{prompt}{fence}\n" in block.body
        assert block.body.startswith(f"### {name}\n")
        for field in unit.agent.inputs + unit.agent.outputs:
            assert f"- `{field.name}` (" in prompt
            assert f"| `{field.name}` |" in block.body
        assert ("**Fallback :** erreur explicite" in block.body) == (unit.agent.fallback == "raise")

        # Its HTTP routes, in the API contracts too.
        assert f"`POST /api/v1/agents/{name}/runs`" in block.body
        contract = find_block(contracts, unit.key)
        assert contract is not None, f"no {CONTRACTS_DOC} entry for {unit.key}"
        assert contract.body.startswith(f"### Agent {name} — `/api/v1/agents/{name}/runs`\n")
        read = f"| GET | `/api/v1/agents/{name}/runs/{{run_id}}` | - | `200` `{unit.agent.run_model}` |"
        assert read in contract.body
        assert "<!--" not in contract.body  # a hostile purpose opens no comment

    # Each agent given no fields is offered those of the work its name says (issue 19).
    summariser = units["resume-appels"].agent
    assert summariser.purpose.startswith("Résumer le texte reçu")
    assert [(f.name, f.type) for f in summariser.inputs] == [("text", "str")]
    assert [(f.name, f.type) for f in summariser.outputs] == [("summary", "str"), ("key_points", "list[str]")]
    assert [f.type for f in units["tri-tickets"].agent.outputs] == ["enum", "str"]
    assert [f.name for f in units["deal-guard"].agent.outputs] == ["result"]
    assert "BANT" in units["bant-qualifier"].agent.purpose
    assert "- `summary` (texte)" in (host / "backend/app/agents/resume_appels/prompts/system.md").read_text("utf-8")

    # Free text stays text: no heading, no comment, no template code opened by an answer.
    hostile = (host / f"backend/app/agents/{units[LONG_NAME].snake}/prompts/system.md").read_text(encoding="utf-8")
    assert "{{ x }}" in hostile and "<!--" not in hostile
    assert len(re.findall(r"^<!-- vectra:unit ", doc, re.M)) == len(AGENTS)


def test_a_feature_with_an_agent_part_gets_the_agent(host: Path, new_unit: Any) -> None:
    unit = generate(host, new_unit, "feature", "lead-scoring", parts=["agent"], agent_async=False)
    assert (host / "backend/app/agents/lead_scoring/agent.py").is_file()
    assert not (host / "backend/app/agents/lead_scoring/tasks.py").exists()
    assert find_block((host / PROMPTS_DOC).read_text(encoding="utf-8"), unit.key) is not None
    # Its HTTP routes: the feature's endpoints, in the API contracts.
    assert (host / "backend/app/api/routes/agent_lead_scoring.py").is_file()
    contract = find_block((host / CONTRACTS_DOC).read_text(encoding="utf-8"), unit.key)
    assert contract is not None
    assert "| POST | `/api/v1/agents/lead-scoring/runs` |" in contract.body
    assert "- [x] Créer les endpoints API" in (host / unit.log_path).read_text(encoding="utf-8")


# -- in a real host ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_host_with_async_and_sync_agents_passes_its_tests_lint_and_85_percent_coverage(
    host: Path, new_unit: Any, host_runtime: Runtime, catalog: Any
) -> None:
    units = [generate(host, new_unit, "agent", name, **answers) for name, answers in AGENTS.items()]

    done = host_runtime.make(host, "test-backend")
    assert done.returncode == 0, output(done)
    assert re.search(r"^\d+ passed", done.stdout, re.M), output(done)

    # The units' Python, with the host's ruff config (other parts lint their own files).
    ruff = str(host_runtime.venv / "bin/ruff")
    python = [f.removeprefix("backend/") for unit in units for f in unit.code_files if f.endswith(".py")]
    for cmd in ([ruff, "check", "--no-cache", *python], [ruff, "format", "--check", "--no-cache", *python]):
        lint = subprocess.run(cmd, cwd=host / "backend", capture_output=True, text=True, timeout=120)
        assert lint.returncode == 0, output(lint)

    # Coverage of each unit's own files (kinds.yml `sources`) by the units' tests, in one run: a unit's
    # tests import no other unit, so each unit's figure is its own tests'.
    measured = {unit.name: [s.removeprefix("backend/") for s in sources(unit, catalog)] for unit in units}
    modules = {s.removesuffix(".py").replace("/", ".") for files in measured.values() for s in files}
    report = host / "agents-coverage.json"
    tests = [f"tests/agents/test_{unit.snake}{end}.py" for unit in units for end in ("_agent", "_runs_api")]
    cov = [*(f"--cov={m}" for m in sorted(modules)), f"--cov-report=json:{report}"]
    run = pytest_in_host(host, host_runtime, *tests, "-q", *cov)
    assert run.returncode == 0, output(run)
    files = json.loads(report.read_text())["files"]
    for name, paths in measured.items():
        summaries = [files[p]["summary"] for p in paths if p in files]  # an empty __init__.py is skipped
        assert len(summaries) >= len(paths) - 1, (name, sorted(files))
        covered = sum(s["covered_lines"] + s["covered_branches"] for s in summaries)
        total = sum(s["num_statements"] + s["num_branches"] for s in summaries)
        assert covered / total >= 0.85, f"{name}: {covered}/{total} covered, the guide asks 85%"


# The generated code broken on purpose, and the generated tests that must then fail:
# {what: (unit, file, pattern, replacement, tests that must fail)}; `file` is in the agent's package,
# or a host path with `{snake}`.
RERAISE = re.compile(r"^(\s*)except \(LLMError, (\w+)\) as error:\n", re.M)
BITES: dict[str, tuple[str, str, re.Pattern[str], Any, list[str]]] = {
    "fallback handlers re-raise": (
        "retry-default", "agent.py", RERAISE, lambda m: m.group(0) + m.group(1) + "    raise\n",
        ["test_no_usable_answer_gives_the_default_result[llm-error]",
         "test_no_usable_answer_gives_the_default_result[timeout]",
         "test_no_usable_answer_gives_the_default_result[empty]",
         "test_no_usable_answer_gives_the_default_result[invalid-json]",
         "test_no_usable_answer_gives_the_default_result[missing-field]",
         "test_no_usable_answer_gives_the_default_result[wrong-type]",
         "test_without_an_llm_configured_the_fallback_applies",
         "test_when_retries_run_out_the_fallback_applies"],
    ),
    "raise fallback lets the LLM's error through": (
        "strict-agent", "agent.py", RERAISE, lambda m: m.group(0) + m.group(1) + "    raise\n",
        ["test_no_usable_answer_raises_a_clear_error[timeout]",
         "test_no_usable_answer_raises_a_clear_error[not-an-object]",
         "test_when_retries_run_out_the_fallback_applies"],
    ),
    "task never retries": (
        "retry-default", "agent.py", re.compile(r"if raise_transient and isinstance\(error, TRANSIENT_ERRORS\):"),
        lambda m: "if False:",
        ["test_transient_errors_are_retried_with_backoff_and_counted",
         "test_transient_errors_are_raised_for_the_task_to_retry"],
    ),
    "result shown to any tenant": (
        "retry-default", "service.py", re.compile(r"return result if result\.tenant_id == tenant_id else None"),
        lambda m: "return result",
        ["test_a_result_is_shown_only_to_its_tenant"],
    ),
    "not idempotent": (
        "retry-default", "tasks.py", re.compile(r"if task\.request\.id is None:"), lambda m: "if True:",
        ["test_same_idempotency_key_runs_the_agent_once"],
    ),
    "prompt changed in the code only": (
        "retry-default", "prompts/system.md", re.compile(r"^## Règles$", re.M), lambda m: "## Règles du jeu",
        ["test_prompt_file_is_versioned_and_documented_word_for_word"],
    ),
    # The run route reads a run by its id alone: another tenant's run is shown.
    "run route ignores the tenant": (
        "strict-agent", "backend/app/api/routes/agent_{snake}.py",
        re.compile(r"runs\.get\(session, tenant_id, AGENT_NAME, run_id\)"),
        lambda m: "session.get(runs.AgentRun, run_id)",
        ["test_another_tenant_cannot_read_the_run"],
    ),
    "run route records no fallback": (
        "sync-default", "backend/app/api/routes/agent_{snake}.py",
        re.compile(r"runs\.succeed\(run, result\.model_dump\(mode=\"json\"\)\)"),
        lambda m: 'runs.succeed(run, {**result.model_dump(mode="json"), "error": None})',
        ["test_no_usable_answer_is_recorded_in_the_run"],
    ),
}  # fmt: skip
# Breaks that touch different code and tests share a run (a run of the host's pytest costs seconds).
ROUNDS = [
    ["fallback handlers re-raise", "raise fallback lets the LLM's error through"],
    ["task never retries", "result shown to any tenant", "not idempotent", "prompt changed in the code only"],
    ["run route ignores the tenant", "run route records no fallback"],
]
STILL_PASSING = [
    "test_happy_path_returns_the_validated_structured_answer",
    "test_prompt_is_rendered_with_the_inputs",
    "test_post_answers_202_with_the_run_and_get_reads_its_result",
]


@pytest.mark.slow
def test_breaking_the_generated_agent_fails_its_tests(host: Path, new_unit: Any, host_runtime: Runtime) -> None:
    units = {
        "retry-default": generate(host, new_unit, "agent", "retry-default", agent_fallback="default_result"),
        "strict-agent": generate(host, new_unit, "agent", "strict-agent", agent_fallback="raise"),
        "sync-default": generate(host, new_unit, "agent", "sync-default", agent_fallback="default_result",
                                 agent_async=False),
    }  # fmt: skip
    tests = {name: f"tests/agents/test_{unit.snake}_(?:agent|runs_api).py" for name, unit in units.items()}
    files = [f"tests/agents/test_{unit.snake}_{end}.py" for unit in units.values() for end in ("agent", "runs_api")]
    green = pytest_in_host(host, host_runtime, *files, "-q")
    assert green.returncode == 0, output(green)

    for bites in ROUNDS:
        originals: dict[Path, str] = {}
        for what in bites:
            name, file, pattern, replace, _ = BITES[what]
            snake = units[name].snake
            in_package = not file.startswith("backend/")
            path = host / (f"backend/app/agents/{snake}/{file}" if in_package else file.format(snake=snake))
            source = path.read_text(encoding="utf-8")
            broken, count = pattern.subn(replace, source)
            assert count, f"{what}: the pattern no longer matches {file}"
            originals.setdefault(path, source)
            path.write_text(broken, encoding="utf-8")
        try:
            red = pytest_in_host(host, host_runtime, *files, "-q", "-rf")
        finally:
            for path, source in originals.items():
                path.write_text(source, encoding="utf-8")
        text = output(red)
        assert red.returncode == 1, f"{bites}: the generated tests did not fail\n{text}"
        for what in bites:
            name, *_, must_fail = BITES[what]
            failed = set(re.findall(rf"^FAILED {tests[name].replace('.py', '[.]py')}::(\S+)", text, re.M))
            assert set(must_fail) <= failed, f"{what}: missing {sorted(set(must_fail) - failed)}\n{text}"
            assert not set(STILL_PASSING) & failed, f"{what}: broke more than it should\n{text}"


# -- on the real distributed engine -----------------------------------------------------------------

CLIENT = """
import json, sys
from app.worker.celery_app import celery_app
celery_app.conf.update(task_default_queue=sys.argv[1])
from app.agents.bant_qualifier.service import BantQualifierService
from app.agents.bant_qualifier.tasks import run_bant_qualifier

inputs = json.loads(sys.argv[2])
sent = run_bant_qualifier.delay("tenant-a", inputs)
first = sent.get(timeout=60)
# The same task id again (a message delivered twice): the stored result, no second LLM call.
again = run_bant_qualifier.apply_async(("tenant-a", inputs), task_id=sent.id).get(timeout=60)
service = BantQualifierService()
shown = service.result("tenant-a", sent.id)
hidden = service.result("tenant-b", sent.id)

# Over HTTP: the run is queued (its task has the run's id), the worker runs it, a read shows it.
from fastapi.testclient import TestClient
from app.core.db import get_engine
from app.core.security import create_access_token
from app.main import create_app
from app.models import load_models

load_models().create_all(get_engine())  # the client's own in-memory database
http = TestClient(create_app())
url = "/api/v1/agents/bant-qualifier/runs"
token_a = {"Authorization": "Bearer " + create_access_token("user-a", "tenant-a")}
token_b = {"Authorization": "Bearer " + create_access_token("user-b", "tenant-b")}
posted = http.post(url, json=inputs, headers=token_a)
run_id = posted.json()["id"]
run_bant_qualifier.AsyncResult(run_id).get(timeout=60)  # the worker has run it
read = http.get(f"{url}/{run_id}", headers=token_a)
other = http.get(f"{url}/{run_id}", headers=token_b)
print(json.dumps({"id": sent.id, "first": first, "again": again, "shown": shown.model_dump(mode="json"),
                  "hidden": hidden, "run_id": run_id, "posted": [posted.status_code, posted.json()["status"]],
                  "read": [read.status_code, read.json()], "other": other.status_code}))
"""
# Run once the worker is gone: the run's result and the queue's bindings leave Redis.
CLEANUP = """
import sys
import redis
client = redis.Redis.from_url(sys.argv[1])
queue, *task_ids = sys.argv[2:]
metas = [f"celery-task-meta-{task_id}" for task_id in task_ids]
client.delete(*metas, *client.scan_iter(f"_kombu.binding*{queue}*"), queue)
"""


@pytest.mark.slow
def test_async_agent_runs_on_a_real_worker_with_redis(
    host: Path, new_unit: Any, host_runtime: Runtime, redis_url: str, tmp_path: Path
) -> None:
    generate(host, new_unit, "agent", "bant-qualifier")
    answer = default_answer()
    inputs = {"company": "Acme", "contact_role": "DAF", "notes": "Budget validé, décision en juin."}
    queue = f"vectra-test-{uuid.uuid4().hex[:12]}"  # parallel runs never share a queue
    settings = {
        "VECTRA_ENVIRONMENT": "local",
        "VECTRA_DATABASE_URL": "sqlite://",
        "VECTRA_CELERY_BROKER_URL": redis_url,
        "VECTRA_CELERY_RESULT_BACKEND": redis_url,
        "VECTRA_CELERY_TASK_ALWAYS_EAGER": "false",
    }
    # The provider fails once (the task retries with backoff), then answers, then answers the run
    # started over HTTP; nothing more.
    replies = json.dumps([{"raise": "LLMUnavailableError"}, json.dumps(answer), json.dumps(answer)])
    worker_env = host_runtime.env(**settings, VECTRA_LLM_PROVIDER="fake", VECTRA_LLM_FAKE_REPLIES=replies)
    log = tmp_path / "worker.log"
    celery = str(host_runtime.venv / "bin/celery")
    cmd = [celery, "-A", "app.worker.celery_app", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h",
           "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]  # fmt: skip
    with log.open("w") as sink:
        worker = subprocess.Popen(
            cmd, cwd=host / "backend", env=worker_env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            client = subprocess.run(
                [str(host_runtime.venv / "bin/python"), "-c", textwrap.dedent(CLIENT), queue, json.dumps(inputs)],
                cwd=host / "backend", env=host_runtime.env(**settings), capture_output=True, text=True, timeout=120,
            )  # fmt: skip
        finally:
            worker.send_signal(signal.SIGTERM)  # warm shutdown: the solo pool ends its task first
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
    worker_log = log.read_text()
    assert client.returncode == 0, f"{output(client)}\n--- worker log\n{worker_log[-6000:]}"
    result = json.loads(client.stdout.strip().splitlines()[-1])
    python = str(host_runtime.venv / "bin/python")
    cleanup = [python, "-c", textwrap.dedent(CLEANUP), redis_url, queue, result["id"], result["run_id"]]
    subprocess.run(cleanup, cwd=host / "backend", check=True, timeout=30)

    first = result["first"]
    assert (first["tenant_id"], first["source"], first["retries"]) == ("tenant-a", "llm", 1)
    assert first["output"] == answer
    assert result["again"] == first
    assert result["shown"] == first
    assert result["hidden"] is None
    # Over HTTP: 202 at once (the worker may not have started it yet), then the worker's result.
    assert result["posted"][0] == 202
    assert result["posted"][1] in ("pending", "running", "succeeded")
    status, run = result["read"]
    assert (status, run["id"], run["status"], run["source"]) == (200, result["run_id"], "succeeded", "llm")
    assert run["result"] == answer
    assert result["other"] == 404
    assert "Retry in 2s" in worker_log, worker_log[-6000:]
    assert re.search(r"agents\.bant_qualifier\.run\[[0-9a-f-]+\] succeeded", worker_log), worker_log[-6000:]
    assert worker.returncode == 0, worker_log[-6000:]
