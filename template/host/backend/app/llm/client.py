"""The interface agents use to call an LLM, and the choice of implementation."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from app.core.config import Settings, get_settings
from app.llm.errors import LLMUnavailableError
from app.llm.fake import scripted_client
from app.llm.openai_client import OpenAIClient


@runtime_checkable
class LLMClient(Protocol):
    def complete(self, *, system: str, user: str, timeout: float) -> str:
        """Return the raw text of the answer (agents parse JSON themselves).

        Raises `LLMTimeoutError`, `LLMUnavailableError` or `LLMResponseError` (all `LLMError`).
        """
        ...


class UnconfiguredLLMClient:
    """The client used when no API key is set: every call fails, so agents fall back."""

    message = "no LLM configured: set VECTRA_LLM_API_KEY"

    def complete(self, *, system: str, user: str, timeout: float) -> str:
        raise LLMUnavailableError(self.message)


def get_llm_client(settings: Settings | None = None) -> LLMClient:
    """The client for the current settings.

    Agents take it as a parameter (never as a default evaluated at import):
    `def run(..., llm: LLMClient | None = None)` then
    `llm = llm if llm is not None else get_llm_client()`.
    """
    settings = settings or get_settings()
    if settings.llm_provider == "fake":
        return scripted_client(settings.llm_fake_replies)
    if settings.llm_api_key is None:
        return UnconfiguredLLMClient()
    return OpenAIClient(
        api_key=settings.llm_api_key.get_secret_value(),
        model=settings.llm_model,
        base_url=settings.llm_base_url,
    )
