"""A scripted `LLMClient` for tests: a queue of answers or exceptions, and a record of calls."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Self


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
        if isinstance(reply, BaseException) or (
            isinstance(reply, type) and issubclass(reply, BaseException)
        ):
            raise reply
        if callable(reply):
            return reply(call)
        return reply
