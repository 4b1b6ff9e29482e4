import json
from collections.abc import Callable

import httpx2
import pytest

from app.core.config import Settings
from app.llm import (
    LLMClient,
    LLMError,
    LLMResponseError,
    LLMTimeoutError,
    LLMUnavailableError,
    OpenAIClient,
    UnconfiguredLLMClient,
    get_llm_client,
)
from app.llm.fake import FakeLLMClient, LLMCall

# --------------------------------------------------------------------------- unconfigured


def test_default_client_in_tests_is_unconfigured() -> None:
    client = get_llm_client()

    assert isinstance(client, UnconfiguredLLMClient)
    with pytest.raises(LLMUnavailableError, match="set VECTRA_LLM_API_KEY"):
        client.complete(system="s", user="u", timeout=1.0)


def test_api_key_selects_openai_client_without_leaking_it() -> None:
    settings = Settings(_env_file=None, llm_api_key="sk-test-key", llm_model="gpt-test")

    client = get_llm_client(settings)

    assert isinstance(client, OpenAIClient)
    assert client.model == "gpt-test"
    assert "sk-test-key" not in repr(client)


@pytest.mark.parametrize(
    "client", [UnconfiguredLLMClient(), FakeLLMClient(), OpenAIClient(api_key="k", model="m")]
)
def test_clients_satisfy_the_protocol(client: object) -> None:
    assert isinstance(client, LLMClient)


@pytest.mark.parametrize("error", [LLMTimeoutError, LLMUnavailableError, LLMResponseError])
def test_errors_share_a_base(error: type[Exception]) -> None:
    assert issubclass(error, LLMError)


# --------------------------------------------------------------------------- fake


def test_fake_answers_in_order_and_records_calls(fake_llm: FakeLLMClient) -> None:
    fake_llm.push('{"score": 1}', "second")

    first = fake_llm.complete(system="sys", user="hello", timeout=2.5)
    second = fake_llm.complete(system="sys", user="again", timeout=1.0)

    assert (first, second) == ('{"score": 1}', "second")
    assert fake_llm.calls[0] == LLMCall(system="sys", user="hello", timeout=2.5)
    assert fake_llm.last_call.user == "again"
    assert fake_llm.pending == 0


def test_fake_raises_scripted_errors_and_calls_functions() -> None:
    fake = FakeLLMClient([LLMTimeoutError, LLMUnavailableError("down"), lambda c: c.user.upper()])

    with pytest.raises(LLMTimeoutError):
        fake.complete(system="", user="a", timeout=1)
    with pytest.raises(LLMUnavailableError, match="down"):
        fake.complete(system="", user="b", timeout=1)
    assert fake.complete(system="", user="c", timeout=1) == "C"


def test_fake_fails_loudly_when_script_runs_out(fake_llm: FakeLLMClient) -> None:
    with pytest.raises(AssertionError, match="no scripted reply left"):
        fake_llm.complete(system="", user="", timeout=1)
    with pytest.raises(AssertionError, match="never called"):
        FakeLLMClient().last_call  # noqa: B018


# --------------------------------------------------------------------------- OpenAI adapter

Handler = Callable[[httpx2.Request], httpx2.Response]


def _completion(content: str | None) -> dict[str, object]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-test",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
    }


def _openai(handler: Handler) -> OpenAIClient:
    http_client = httpx2.Client(transport=httpx2.MockTransport(handler))
    return OpenAIClient(
        api_key="sk-test",
        model="gpt-test",
        base_url="http://llm.invalid/v1",
        max_retries=0,
        http_client=http_client,
    )


def test_openai_client_sends_chat_completion_and_returns_text() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return httpx2.Response(200, json=_completion('{"ok": true}'))

    text = _openai(handler).complete(system="be brief", user="hi", timeout=3.0)

    assert text == '{"ok": true}'
    assert seen[0]["model"] == "gpt-test"
    assert seen[0]["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hi"},
    ]


def _status(code: int) -> Handler:
    return lambda _request: httpx2.Response(code, json={"error": {"message": "nope"}})


def _raise(error: Exception) -> Handler:
    def handler(_request: httpx2.Request) -> httpx2.Response:
        raise error

    return handler


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        (_raise(httpx2.ReadTimeout("slow")), LLMTimeoutError),
        (_raise(httpx2.ConnectError("refused")), LLMUnavailableError),
        (_status(429), LLMUnavailableError),
        (_status(401), LLMUnavailableError),
        (_status(500), LLMUnavailableError),
        (_status(503), LLMUnavailableError),
        (_status(400), LLMResponseError),
        (_status(404), LLMResponseError),
        (lambda _r: httpx2.Response(200, json=_completion(None)), LLMResponseError),
        (
            lambda _r: httpx2.Response(200, json={**_completion("x"), "choices": []}),
            LLMResponseError,
        ),
    ],
    ids=["timeout", "connect", "429", "401", "500", "503", "400", "404", "empty", "no-choices"],
)
def test_openai_client_maps_failures(handler: Handler, expected: type[LLMError]) -> None:
    with pytest.raises(expected):
        _openai(handler).complete(system="s", user="u", timeout=1.0)
