"""Agent runs over HTTP: one row of `agent_runs` per request, always read within one tenant.

Every agent unit has two routes (`app/api/routes/agent_<name>.py`) that keep their runs here:

- `POST /api/v1/agents/<name>/runs` (the agent's input as the body) creates a run and answers 202;
- `GET /api/v1/agents/<name>/runs/{id}` reads it: 404 for an unknown id or another tenant's run.

A run's status is one of:

- `pending`: created, its Celery task not started yet (async agents only);
- `running`: its task runs, or waits to retry after a timeout of the LLM provider;
- `succeeded`: `result` is the agent's output; `source` says "llm", or "fallback" (then `error`
  says why the rule-based default was given);
- `failed`: no output (`result` is null), `error` says why (fallback `raise`, a failed task).

A sync agent runs in the request: its run is finished when the POST answers. An async agent's run
is its Celery task (same id): the run is brought up to date from the task's state when it is read
(`settle`), so the worker never needs the database. Celery's result backend keeps a task's result
for `result_expires` (a day by default): a run read for the first time after that stays `pending`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from celery import states
from celery.result import AsyncResult
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.agent_runs import AgentRun

__all__ = [
    "FAILED",
    "PENDING",
    "RUNNING",
    "SUCCEEDED",
    "AgentRun",
    "AgentRunBase",
    "RunStatus",
    "create",
    "fail",
    "get",
    "settle",
    "succeed",
]

PENDING = "pending"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
RunStatus = Literal["pending", "running", "succeeded", "failed"]
FINISHED = frozenset({SUCCEEDED, FAILED})
# Celery states of a task that has started and is not finished (RETRY: waiting for its next try).
_UNDER_WAY = frozenset({states.STARTED, states.RETRY})


class AgentRunBase(BaseModel):
    """A run as the API shows it; each agent's routes add `result`, typed as the agent's output."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    agent: str
    status: RunStatus
    source: Literal["llm", "fallback"] | None = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime


def create(session: Session, tenant_id: str, agent: str, inputs: dict[str, Any]) -> AgentRun:
    """A new pending run of `agent` for `tenant_id` (the tenant of the access token)."""
    if not tenant_id:
        raise ValueError("an agent run needs the tenant of the request")
    run = AgentRun(
        id=str(uuid.uuid4()),
        tenant_id=tenant_id,
        agent=agent,
        status=PENDING,
        input=inputs,
    )
    session.add(run)
    session.flush()
    return run


def get(session: Session, tenant_id: str, agent: str, run_id: str) -> AgentRun | None:
    """The run `run_id` of `agent` if it is `tenant_id`'s; None otherwise (never another's)."""
    query = select(AgentRun).where(
        AgentRun.id == run_id,
        AgentRun.tenant_id == tenant_id,
        AgentRun.agent == agent,
    )
    return session.scalars(query).one_or_none()


def succeed(run: AgentRun, result: dict[str, Any]) -> None:
    """The agent's result (its Result model as JSON: `output`, `source`, `error`) stored."""
    run.status = SUCCEEDED
    run.result = result["output"]
    run.source = result.get("source")
    run.error = result.get("error")


def fail(run: AgentRun, error: BaseException | str) -> None:
    """No output: the run failed, and says why."""
    run.status = FAILED
    run.result = None
    run.source = None
    run.error = error if isinstance(error, str) else f"{type(error).__name__}: {error}"


def settle(run: AgentRun, outcome: AsyncResult[Any]) -> bool:
    """Bring an async agent's run up to date from its task; True when the run changed."""
    if run.status in FINISHED:
        return False
    state = outcome.state
    if state == states.SUCCESS:
        value = outcome.result
        if isinstance(value, dict) and value.get("tenant_id") == run.tenant_id:
            succeed(run, value)
        else:  # a task id reused by another tenant's task: never show its result
            fail(run, "the task's result is not this run's")
        return True
    if state == states.FAILURE:
        cause = outcome.result
        fail(run, cause if isinstance(cause, BaseException) else f"task failed: {cause!r}")
        return True
    if state in _UNDER_WAY and run.status != RUNNING:
        run.status = RUNNING
        return True
    return False
