"""A scripted `LLMClient` for tests: a queue of answers or exceptions, and a record of calls."""

from __future__ import annotations

import functools
import json
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Self

from app.llm.errors import LLMError, LLMResponseError, LLMTimeoutError, LLMUnavailableError


@dataclass(frozen=True, slots=True)
class LLMCall:
    system: str
    user: str
    timeout: float


Reply = str | BaseException | type[BaseException] | Callable[[LLMCall], str]


class FakeLLMClient:
    """Answers calls in order from `replies`.

    A reply is a string (returned), an exception instance or class (raised), or a function of the
    `LLMCall` (its result is returned). Running out of replies fails the test with AssertionError.
    """

    def __init__(self, replies: Iterable[Reply] = ()) -> None:
        self._replies: deque[Reply] = deque(replies)
        self.calls: list[LLMCall] = []

    def push(self, *replies: Reply) -> Self:
        self._replies.extend(replies)
        return self

    @property
    def pending(self) -> int:
        return len(self._replies)

    @property
    def last_call(self) -> LLMCall:
        if not self.calls:
            raise AssertionError("FakeLLMClient was never called")
        return self.calls[-1]

    def complete(self, *, system: str, user: str, timeout: float) -> str:
        call = LLMCall(system=system, user=user, timeout=timeout)
        self.calls.append(call)
        if not self._replies:
            raise AssertionError(
                f"FakeLLMClient: no scripted reply left for call #{len(self.calls)}"
            )
        reply = self._replies.popleft()
        if isinstance(reply, str):
            return reply
        if isinstance(reply, BaseException | type):
            raise reply
        return reply(call)


# --------------------------------------------------------------------------- scripted provider

SCRIPT_ERRORS: dict[str, type[LLMError]] = {
    "LLMError": LLMError,
    "LLMTimeoutError": LLMTimeoutError,
    "LLMUnavailableError": LLMUnavailableError,
    "LLMResponseError": LLMResponseError,
}


def parse_script(script: str) -> list[Reply]:
    """Replies from JSON (VECTRA_LLM_FAKE_REPLIES): `["text", {"raise": "LLMTimeoutError"}]`."""
    try:
        items = json.loads(script)
    except json.JSONDecodeError as exc:
        raise ValueError(f"fake LLM replies are not JSON: {exc}") from exc
    if not isinstance(items, list):
        raise ValueError("fake LLM replies must be a JSON list")
    replies: list[Reply] = []
    for item in items:
        if isinstance(item, str):
            replies.append(item)
        elif isinstance(item, dict) and item.get("raise") in SCRIPT_ERRORS:
            replies.append(SCRIPT_ERRORS[item["raise"]](f"scripted {item['raise']}"))
        else:
            expected = f'a string, or {{"raise": one of {sorted(SCRIPT_ERRORS)}}}'
            raise ValueError(f"fake LLM reply {item!r}: {expected}")
    return replies


@functools.cache
def scripted_client(script: str) -> FakeLLMClient:
    """The client of `VECTRA_LLM_PROVIDER=fake`: one per process and script, so the successive
    tasks of a worker (and their retries) consume one queue of replies."""
    return FakeLLMClient(parse_script(script))
