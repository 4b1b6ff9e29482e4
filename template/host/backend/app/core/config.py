"""Application settings, read from `VECTRA_*` environment variables and an optional `.env` file."""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

API_V1_PREFIX = "/api/v1"
ENV_PREFIX = "VECTRA_"

# backend/app/core/config.py -> the host repository (its docs/workflow/ is what /workflow shows).
DEFAULT_HOST_ROOT = Path(__file__).resolve().parents[3]

# No secret is ever committed. `make setup` writes a random VECTRA_JWT_SECRET into the git-ignored
# backend/.env, so the API, the worker and `make token` share it. When it is unset anyway outside
# production, this random secret, generated once per process, signs tokens: they stop being valid
# when the process restarts, and two processes do not accept each other's tokens. Production
# refuses to start without VECTRA_JWT_SECRET.
_PROCESS_JWT_SECRET = secrets.token_urlsafe(48)

MIN_PRODUCTION_SECRET_LENGTH = 32

IN_MEMORY_BROKER = "memory://"
IN_PROCESS_RESULT_BACKEND = "cache+memory://"
REDIS_SCHEMES = ("redis://", "rediss://")


def env_var(field_name: str) -> str:
    """Name of the environment variable that sets `field_name`."""
    return f"{ENV_PREFIX}{field_name.upper()}"


class Settings(BaseSettings):
    """All runtime configuration. Build it with `get_settings()`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Literal["local", "test", "production"] = "local"
    debug: bool = False

    database_url: str = "sqlite:///./vectra.db"

    jwt_secret: SecretStr | None = None
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    access_token_expire_minutes: int = Field(default=60, gt=0)
    # A token whose `exp` is further ahead than this is refused (401), however well signed.
    max_token_lifetime_minutes: int = Field(default=24 * 60, gt=0)
    # A request body above this many bytes answers 413 before it is read in full (FastAPI's max_body_size).
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)

    # CORS is off while the list is empty. Accepts JSON (`["https://a.example"]`) or a
    # comma-separated list. "*" disables credentials (browsers refuse both together).
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    celery_broker_url: str = "memory://"
    # Empty means: the Redis broker itself when the broker is Redis (the API reads what the worker
    # stored), else an in-process cache.
    celery_result_backend: str = ""
    # None means: eager (run in the calling process) only when no broker is configured (memory://);
    # with a real broker, tasks are queued and a worker runs them.
    celery_task_always_eager: bool | None = None

    # "fake": replies scripted by `llm_fake_replies` (a JSON list), for a worker under test (see
    # app/llm/fake.py); production refuses it.
    llm_provider: Literal["openai", "fake"] = "openai"
    llm_fake_replies: str = "[]"
    llm_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str | None = None
    llm_timeout_seconds: float = Field(default=30.0, gt=0)

    # The host whose units of work the workflow board reads (answers files, STATUS.md, logs).
    host_root: Path = DEFAULT_HOST_ROOT

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _parse_origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return []
            if text.startswith("["):
                return json.loads(text)
            return [item.strip() for item in text.split(",") if item.strip()]
        return value

    @field_validator("jwt_secret", "llm_api_key", "llm_base_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @model_validator(mode="after")
    def _check_environment(self) -> Self:
        if self.access_token_expire_minutes > self.max_token_lifetime_minutes:
            raise ValueError(
                f"{env_var('access_token_expire_minutes')} ({self.access_token_expire_minutes}) "
                f"exceeds {env_var('max_token_lifetime_minutes')} "
                f"({self.max_token_lifetime_minutes}): the API would refuse its own tokens"
            )
        if self.environment == "production":
            self._check_production()
        elif self.jwt_secret is None:
            self.jwt_secret = SecretStr(_PROCESS_JWT_SECRET)
        if self.celery_task_always_eager is None:
            self.celery_task_always_eager = not self.has_broker
        if not self.celery_result_backend.strip():
            self.celery_result_backend = (
                self.celery_broker_url
                if self.celery_broker_url.startswith(REDIS_SCHEMES)
                else IN_PROCESS_RESULT_BACKEND
            )
        return self

    def _check_production(self) -> None:
        problems: list[str] = []
        secret = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
        if not secret:
            problems.append(f"{env_var('jwt_secret')} is not set")
        elif len(secret) < MIN_PRODUCTION_SECRET_LENGTH:
            problems.append(
                f"{env_var('jwt_secret')} is shorter than {MIN_PRODUCTION_SECRET_LENGTH} characters"
            )
        if self.database_url.startswith("sqlite"):
            problems.append(f"{env_var('database_url')} must point to PostgreSQL, not SQLite")
        if not self.has_broker:
            problems.append(f"{env_var('celery_broker_url')} must point to a real broker")
        if self.llm_provider == "fake":
            problems.append(f"{env_var('llm_provider')}=fake is for tests, not production")
        if problems:
            raise ValueError(
                f"invalid production settings ({env_var('environment')}=production): "
                + "; ".join(problems)
            )

    @property
    def has_broker(self) -> bool:
        """Whether tasks go to a real broker (a worker runs them) rather than the in-memory one."""
        return not self.celery_broker_url.startswith(IN_MEMORY_BROKER)

    @property
    def uses_process_secret(self) -> bool:
        """True when tokens are signed with this process's own secret (no VECTRA_JWT_SECRET)."""
        return self.jwt_key == _PROCESS_JWT_SECRET

    @property
    def jwt_key(self) -> str:
        """The secret that signs access tokens (always set once validated)."""
        if self.jwt_secret is None:  # pragma: no cover - the validator always sets it
            raise RuntimeError(f"{env_var('jwt_secret')} is not set")
        return self.jwt_secret.get_secret_value()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process settings, cached. Tests call `get_settings.cache_clear()` after changing env."""
    return Settings()
