import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.config import Settings, env_var, get_settings
from tests.utils import BACKEND_DIR

PG_URL = "postgresql+psycopg://vectra@db.internal:5432/vectra"
REDIS_URL = "redis://redis.internal:6379/0"
GOOD_SECRET = "x" * 40


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No VECTRA_* variable set; the settings cache is reset before and after."""
    for name in [n for n in os.environ if n.startswith("VECTRA_")]:
        monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _production(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "production",
        "database_url": PG_URL,
        "celery_broker_url": REDIS_URL,
        "jwt_secret": GOOD_SECRET,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.usefixtures("clean_env")
def test_production_without_jwt_secret_names_the_variable() -> None:
    with pytest.raises(ValidationError, match="VECTRA_JWT_SECRET is not set"):
        _production(jwt_secret=None)


@pytest.mark.usefixtures("clean_env")
def test_production_refuses_short_secret_sqlite_and_memory_broker() -> None:
    with pytest.raises(ValidationError) as caught:
        _production(
            jwt_secret="short", database_url="sqlite:///x.db", celery_broker_url="memory://"
        )

    message = str(caught.value)
    assert "VECTRA_JWT_SECRET is shorter than 32" in message
    assert "VECTRA_DATABASE_URL must point to PostgreSQL" in message
    assert "VECTRA_CELERY_BROKER_URL must point to a real broker" in message


@pytest.mark.usefixtures("clean_env")
def test_production_with_everything_set_is_accepted_and_queues_tasks() -> None:
    settings = _production()

    assert settings.jwt_key == GOOD_SECRET
    assert settings.celery_task_always_eager is False


@pytest.mark.usefixtures("clean_env")
def test_outside_production_a_random_process_secret_is_used() -> None:
    first, second = Settings(_env_file=None), Settings(_env_file=None, environment="test")

    assert len(first.jwt_key) >= 32
    assert first.jwt_key == second.jwt_key  # one per process, stable across cache clears
    assert first.celery_task_always_eager is True
    assert first.cors_origins == []
    assert first.debug is False


@pytest.mark.usefixtures("clean_env")
def test_without_a_broker_tasks_run_in_process() -> None:
    settings = Settings(_env_file=None)

    assert settings.has_broker is False
    assert settings.celery_task_always_eager is True
    assert settings.celery_result_backend == "cache+memory://"


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("environment", ["local", "test"])
def test_with_a_broker_tasks_are_queued_in_every_environment(environment: str) -> None:
    settings = Settings(_env_file=None, environment=environment, celery_broker_url=REDIS_URL)  # type: ignore[arg-type]

    assert settings.has_broker is True
    assert settings.celery_task_always_eager is False
    # The worker stores results where the API reads them.
    assert settings.celery_result_backend == REDIS_URL


@pytest.mark.usefixtures("clean_env")
def test_an_explicit_result_backend_and_eager_flag_are_kept() -> None:
    settings = Settings(
        _env_file=None,
        celery_broker_url=REDIS_URL,
        celery_result_backend="redis://redis.internal:6379/1",
        celery_task_always_eager=True,
    )

    assert settings.celery_result_backend == "redis://redis.internal:6379/1"
    assert settings.celery_task_always_eager is True


def test_environment_variables_are_read(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("VECTRA_LLM_MODEL", "model-from-env")
    clean_env.setenv("VECTRA_CORS_ORIGINS", "https://a.example, https://b.example")

    settings = get_settings()

    assert settings.llm_model == "model-from-env"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert get_settings() is settings


def test_json_cors_list_and_empty_secrets(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("VECTRA_CORS_ORIGINS", '["https://a.example"]')
    clean_env.setenv("VECTRA_LLM_API_KEY", "  ")

    settings = Settings(_env_file=None)

    assert settings.cors_origins == ["https://a.example"]
    assert settings.llm_api_key is None


def test_dotenv_file_is_read(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("VECTRA_LLM_MODEL=model-from-dotenv\n")
    clean_env.chdir(tmp_path)

    assert Settings().llm_model == "model-from-dotenv"


def test_secrets_are_not_shown(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("VECTRA_LLM_API_KEY", "sk-very-secret")

    assert "sk-very-secret" not in repr(Settings(_env_file=None))


def test_env_example_documents_every_setting() -> None:
    text = (BACKEND_DIR / ".env.example").read_text(encoding="utf-8")

    missing = [env_var(name) for name in Settings.model_fields if f"{env_var(name)}=" not in text]

    assert missing == []


@pytest.mark.usefixtures("clean_env")
def test_tokens_cannot_be_made_to_last_longer_than_the_api_accepts() -> None:
    with pytest.raises(ValidationError, match=r"VECTRA_ACCESS_TOKEN_EXPIRE_MINUTES .* exceeds"):
        Settings(_env_file=None, access_token_expire_minutes=120, max_token_lifetime_minutes=60)
