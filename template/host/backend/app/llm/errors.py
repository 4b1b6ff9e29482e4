"""Errors raised by every LLM client. Agents catch `LLMError` and fall back."""


class LLMError(Exception):
    """Base class: the LLM gave no usable answer."""


class LLMTimeoutError(LLMError):
    """The call took longer than its timeout."""


class LLMUnavailableError(LLMError):
    """Transient or configuration failure: provider down, rate-limited, not configured."""


class LLMResponseError(LLMError):
    """The provider answered, but the request was refused or the answer is unusable."""
