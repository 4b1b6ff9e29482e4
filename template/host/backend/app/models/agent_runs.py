"""Agent runs: one row per request to run an agent over HTTP, owned by one tenant.

Every agent unit's routes (`app/api/routes/agent_<name>.py`) keep their runs in this one table
(`app/core/agent_runs.py` reads and writes it); its migration is the host's first revision.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantMixin, TimestampMixin

RUN_ID_LENGTH = 36  # a UUID as text: ids reveal nothing and are not guessed
AGENT_NAME_LENGTH = 100


class AgentRun(TenantMixin, TimestampMixin, Base):
    __tablename__ = "agent_runs"

    id: Mapped[str] = mapped_column(String(RUN_ID_LENGTH), primary_key=True)
    agent: Mapped[str] = mapped_column(String(AGENT_NAME_LENGTH), nullable=False)
    # pending | running | succeeded | failed (app/core/agent_runs.py)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    # The agent's input as received, and its output once it succeeded (JSON).
    input: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Where the result comes from: "llm", or "fallback" (then `error` says why).
    source: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
