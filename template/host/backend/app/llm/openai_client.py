"""`LLMClient` over the `openai` SDK (chat completions).

The SDK is imported on first use only, and nothing touches the network before `complete()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.llm.errors import LLMError, LLMResponseError, LLMTimeoutError, LLMUnavailableError

if TYPE_CHECKING:
    import httpx2
    from openai import OpenAI

SERVER_ERROR = 500


class OpenAIClient:
    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        max_retries: int = 2,
        http_client: httpx2.Client | None = None,
    ) -> None:
        self.model = model
        self._api_key = api_key
        self._base_url = base_url
        self._max_retries = max_retries
        self._http_client = http_client
        self._sdk: OpenAI | None = None

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAIClient(model={self.model!r}, base_url={self._base_url!r})"

    def _client(self) -> OpenAI:
        if self._sdk is None:
            from openai import OpenAI

            self._sdk = OpenAI(
                api_key=self._api_key,
                base_url=self._base_url,
                max_retries=self._max_retries,
                http_client=self._http_client,
            )
        return self._sdk

    def complete(self, *, system: str, user: str, timeout: float) -> str:
        import openai

        try:
            response = self._client().chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                timeout=timeout,
            )
        except openai.APITimeoutError as exc:
            raise LLMTimeoutError(f"LLM call timed out after {timeout}s") from exc
        except openai.APIConnectionError as exc:
            raise LLMUnavailableError(f"LLM provider unreachable: {exc}") from exc
        except (
            openai.RateLimitError,
            openai.AuthenticationError,
            openai.PermissionDeniedError,
        ) as exc:
            raise LLMUnavailableError(f"LLM provider refused the call: {exc}") from exc
        except openai.APIStatusError as exc:
            if exc.status_code >= SERVER_ERROR:
                raise LLMUnavailableError(f"LLM provider error {exc.status_code}") from exc
            raise LLMResponseError(f"LLM request rejected ({exc.status_code}): {exc}") from exc
        except openai.OpenAIError as exc:
            raise LLMError(f"LLM call failed: {exc}") from exc

        if not response.choices:
            raise LLMResponseError("LLM answer has no choices")
        content = response.choices[0].message.content
        if not content:
            raise LLMResponseError("LLM answer is empty")
        return content
