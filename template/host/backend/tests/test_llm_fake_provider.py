"""`VECTRA_LLM_PROVIDER=fake`: scripted replies for a process that is not a test (e.g. a worker)."""

import pytest
from pydantic import ValidationError

from app.core.config import Settings
from app.llm import LLMTimeoutError, LLMUnavailableError, get_llm_client
from app.llm.fake import FakeLLMClient, parse_script, scripted_client


def _fake_settings(script: str) -> Settings:
    return Settings(_env_file=None, llm_provider="fake", llm_fake_replies=script)


def test_fake_provider_answers_the_script_in_order() -> None:
    script = '["first", {"raise": "LLMTimeoutError"}, {"raise": "LLMUnavailableError"}, "last"]'

    client = get_llm_client(_fake_settings(script))

    assert isinstance(client, FakeLLMClient)
    assert client.complete(system="s", user="u", timeout=1) == "first"
    with pytest.raises(LLMTimeoutError, match="scripted"):
        client.complete(system="s", user="u", timeout=1)
    with pytest.raises(LLMUnavailableError):
        client.complete(system="s", user="u", timeout=1)
    assert client.complete(system="s", user="u", timeout=1) == "last"
    with pytest.raises(AssertionError, match="no scripted reply left"):
        client.complete(system="s", user="u", timeout=1)


def test_one_fake_client_per_process_and_script() -> None:
    script = '["shared queue"]'

    assert get_llm_client(_fake_settings(script)) is get_llm_client(_fake_settings(script))
    assert scripted_client(script) is not scripted_client('["another"]')


def test_default_provider_is_not_the_fake() -> None:
    assert Settings(_env_file=None).llm_provider == "openai"
    assert not isinstance(get_llm_client(Settings(_env_file=None)), FakeLLMClient)


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("not json", "not JSON"),
        ('{"a": 1}', "must be a JSON list"),
        ("[1]", "a string, or"),
        ('[{"raise": "KeyboardInterrupt"}]', "a string, or"),
    ],
)
def test_bad_scripts_are_refused(script: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_script(script)


def test_production_refuses_the_fake_provider() -> None:
    with pytest.raises(ValidationError, match="VECTRA_LLM_PROVIDER=fake is for tests"):
        Settings(
            _env_file=None,
            environment="production",
            jwt_secret="y" * 40,
            database_url="postgresql+psycopg://db/vectra",
            celery_broker_url="redis://127.0.0.1:6379/0",
            llm_provider="fake",
        )
