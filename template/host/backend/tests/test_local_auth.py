"""Development sign-in: the local-only token route and `make token` (app.core.local_auth)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.local_auth import LOCAL_SIGN_IN_PATH
from app.core.config import API_V1_PREFIX, Settings, get_settings
from app.core.local_auth import LocalSignInError, issue_local_token, main
from app.core.security import decode_access_token
from app.main import create_app

URL = f"{API_V1_PREFIX}{LOCAL_SIGN_IN_PATH}"
SECRET = "s" * 48


def _settings(environment: str) -> Settings:
    values: dict[str, object] = {"environment": environment, "jwt_secret": SECRET}
    if environment == "production":
        values |= {
            "database_url": "postgresql+psycopg://db/vectra",
            "celery_broker_url": "redis://127.0.0.1:6379/0",
        }
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def local_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process settings of a developer's machine: local, with a shared secret."""
    monkeypatch.setenv("VECTRA_ENVIRONMENT", "local")
    monkeypatch.setenv("VECTRA_JWT_SECRET", SECRET)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_local_route_issues_a_token_the_api_accepts() -> None:
    settings = _settings("local")
    with TestClient(create_app(settings)) as client:
        answer = client.post(URL, json={"tenant_id": "acme", "subject": "alice"})

    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_expire_minutes * 60
    principal = decode_access_token(body["access_token"], settings=settings)
    assert (principal.tenant_id, principal.subject) == ("acme", "alice")


@pytest.mark.parametrize("environment", ["test", "production"])
def test_local_route_does_not_exist_outside_local(environment: str) -> None:
    with TestClient(create_app(_settings(environment))) as client:
        answer = client.post(URL, json={"tenant_id": "acme", "subject": "alice"})

    assert answer.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"tenant_id": "", "subject": "alice"},
        {"tenant_id": "t" * 65, "subject": "a"},
        {"tenant_id": "acme"},
        {"tenant_id": "  ", "subject": "alice"},
    ],
)
def test_local_route_refuses_a_bad_identity(body: dict[str, str]) -> None:
    with TestClient(create_app(_settings("local"))) as client:
        answer = client.post(URL, json=body)

    assert answer.status_code == 422


def test_no_local_token_outside_local() -> None:
    with pytest.raises(LocalSignInError, match="VECTRA_ENVIRONMENT=local"):
        issue_local_token("acme", "alice", settings=_settings("production"))


@pytest.mark.usefixtures("local_env")
def test_make_token_prints_a_token_signed_with_the_shared_secret(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--tenant", "acme", "--user", "bob"]) == 0

    out, err = capsys.readouterr()
    principal = decode_access_token(out.strip(), settings=_settings("local"))
    assert (principal.tenant_id, principal.subject) == ("acme", "bob")
    assert err == ""


@pytest.mark.usefixtures("local_env")
def test_make_token_warns_when_no_secret_is_shared(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VECTRA_JWT_SECRET", "")
    get_settings.cache_clear()

    assert main(["--tenant", "acme"]) == 0

    out, err = capsys.readouterr()
    assert out.strip()
    assert "make setup" in err


@pytest.mark.usefixtures("local_env")
def test_make_token_without_a_tenant_says_how(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2

    assert "make token tenant=<tenant>" in capsys.readouterr().err


def test_make_token_refuses_outside_local(capsys: pytest.CaptureFixture[str]) -> None:
    # The test run's own settings: VECTRA_ENVIRONMENT=test.
    assert main(["--tenant", "acme"]) == 1

    out, err = capsys.readouterr()
    assert out == ""
    assert "VECTRA_ENVIRONMENT=local" in err
