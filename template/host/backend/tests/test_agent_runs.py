"""The agent runs store (app/core/agent_runs.py): per tenant, and settled from a Celery task's state.

Each agent unit's generated tests cover its routes; these cover what all of them share.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from celery import states
from sqlalchemy.orm import Session

from app.core import agent_runs as runs
from tests.utils import TENANT_A, TENANT_B

AGENT = "probe-agent"
INPUTS = {"question": "Combien ?"}
RESULT = {"output": {"answer": 42}, "source": "llm", "error": None, "prompt_version": "1"}


@dataclass
class Outcome:
    """What `settle` reads of a Celery AsyncResult."""

    state: str
    result: Any = None


class ProbeRun(runs.AgentRunBase):
    result: dict[str, Any] | None = None


def test_a_run_is_created_pending_with_its_tenant_input_and_timestamps(session: Session) -> None:
    run = runs.create(session, TENANT_A, AGENT, INPUTS)

    shown = ProbeRun.model_validate(run)
    assert (shown.agent, shown.status, shown.result, shown.error) == (AGENT, "pending", None, None)
    assert len(shown.id) == 36
    assert shown.created_at is not None
    assert shown.updated_at is not None
    assert (run.tenant_id, run.input) == (TENANT_A, INPUTS)


def test_a_run_needs_a_tenant(session: Session) -> None:
    with pytest.raises(ValueError, match="tenant"):
        runs.create(session, "", AGENT, INPUTS)


def test_a_run_is_found_only_by_its_tenant_and_its_agent(session: Session) -> None:
    run = runs.create(session, TENANT_A, AGENT, INPUTS)

    assert runs.get(session, TENANT_A, AGENT, run.id) is run
    assert runs.get(session, TENANT_B, AGENT, run.id) is None
    assert runs.get(session, TENANT_A, "other-agent", run.id) is None
    assert runs.get(session, TENANT_A, AGENT, "not-a-run") is None


def test_succeed_stores_the_output_and_fail_forgets_it(session: Session) -> None:
    run = runs.create(session, TENANT_A, AGENT, INPUTS)

    runs.succeed(run, {**RESULT, "source": "fallback", "error": "LLMTimeoutError: trop long"})
    assert (run.status, run.result, run.source) == ("succeeded", {"answer": 42}, "fallback")
    assert run.error == "LLMTimeoutError: trop long"

    runs.fail(run, RuntimeError("boom"))
    assert (run.status, run.result, run.source, run.error) == (
        "failed",
        None,
        None,
        "RuntimeError: boom",
    )


@pytest.mark.parametrize(
    ("outcome", "status", "changed"),
    [
        (Outcome(states.PENDING), "pending", False),
        (Outcome(states.RETRY, TimeoutError("lent")), "running", True),
        (Outcome(states.STARTED), "running", True),
        (Outcome(states.SUCCESS, {**RESULT, "tenant_id": TENANT_A}), "succeeded", True),
        (Outcome(states.SUCCESS, {**RESULT, "tenant_id": TENANT_B}), "failed", True),
        (Outcome(states.FAILURE, ValueError("no usable answer")), "failed", True),
        (Outcome(states.FAILURE, "lost"), "failed", True),
    ],
    ids=["pending", "retry", "started", "success", "other-tenant", "failure", "odd-failure"],
)
def test_settle_follows_the_task(
    session: Session, outcome: Outcome, status: str, changed: bool
) -> None:
    run = runs.create(session, TENANT_A, AGENT, INPUTS)

    assert runs.settle(run, outcome) is changed

    assert run.status == status
    if status == "succeeded":
        assert run.result == {"answer": 42}
    if status == "failed":
        assert run.result is None
        assert run.error


def test_settle_leaves_a_finished_run_and_a_running_one_as_they_are(session: Session) -> None:
    run = runs.create(session, TENANT_A, AGENT, INPUTS)
    runs.settle(run, Outcome(states.RETRY))

    assert runs.settle(run, Outcome(states.RETRY)) is False
    runs.succeed(run, RESULT)
    assert runs.settle(run, Outcome(states.FAILURE, ValueError("x"))) is False
    assert run.status == "succeeded"
