"""LLM access for agents: one small interface, errors to fall back on, swappable clients.

`app.llm.fake.FakeLLMClient` (scripted) is for tests.
"""

from app.llm.client import LLMClient, UnconfiguredLLMClient, get_llm_client
from app.llm.errors import LLMError, LLMResponseError, LLMTimeoutError, LLMUnavailableError
from app.llm.openai_client import OpenAIClient

__all__ = [
    "LLMClient",
    "LLMError",
    "LLMResponseError",
    "LLMTimeoutError",
    "LLMUnavailableError",
    "OpenAIClient",
    "UnconfiguredLLMClient",
    "get_llm_client",
]
