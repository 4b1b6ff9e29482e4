from collections.abc import Callable
from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from app.core.config import get_settings
from app.core.security import (
    InvalidTokenError,
    Principal,
    create_access_token,
    decode_access_token,
)
from tests.utils import SUBJECT_A, SUBJECT_B, TENANT_A, TENANT_B, auth_headers, make_token

FORGED_SECRET = "an-attacker-key-that-is-long-enough-for-hs256-0123456789"


def test_me_returns_subject_and_tenant_from_token(
    client: TestClient, headers_a: dict[str, str], headers_b: dict[str, str]
) -> None:
    response_a = client.get("/api/v1/me", headers=headers_a)
    response_b = client.get("/api/v1/me", headers=headers_b)

    assert response_a.status_code == 200
    assert response_a.json() == {"subject": SUBJECT_A, "tenant_id": TENANT_A}
    assert response_b.json() == {"subject": SUBJECT_B, "tenant_id": TENANT_B}


def test_tenant_cannot_be_chosen_by_header_or_query(
    client: TestClient, headers_a: dict[str, str]
) -> None:
    response = client.get(
        "/api/v1/me",
        params={"tenant_id": TENANT_B},
        headers={**headers_a, "X-Tenant-Id": TENANT_B, "Tenant-Id": TENANT_B},
    )

    assert response.status_code == 200
    assert response.json()["tenant_id"] == TENANT_A


def _none_alg_token() -> str:
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    body = jwt.utils.base64url_encode(
        b'{"sub":"user-a","tenant_id":"tenant-a","exp":99999999999}'
    ).decode()
    return f"{header}.{body}."


def _bearer(token: str) -> str:
    return f"Bearer {token}"


# Built lazily (at test time, with the test settings).
BAD_AUTHORIZATION: dict[str, Callable[[], str | None]] = {
    "missing": lambda: None,
    "empty bearer": lambda: "Bearer ",
    "other scheme": lambda: "Basic dXNlcjpwYXNz",
    "not a jwt": lambda: "Bearer not-a-jwt",
    "forged signature": lambda: _bearer(make_token(TENANT_A, secret=FORGED_SECRET)),
    "expired": lambda: _bearer(make_token(TENANT_A, expires_in=timedelta(seconds=-30))),
    "no tenant claim": lambda: _bearer(make_token(None)),
    "empty tenant": lambda: _bearer(make_token("")),
    "tenant not a string": lambda: _bearer(make_token(None, extra_claims={"tenant_id": 42})),
    "tenant too long": lambda: _bearer(make_token("t" * 65)),
    "tenant with NUL": lambda: _bearer(make_token("tenant-a\x00")),
    "tenant with a control char": lambda: _bearer(make_token("tenant\x1b-a")),
    "tenant with a lone surrogate": lambda: _bearer(make_token("tenant-\ud800")),
    "expiry beyond the maximum lifetime": lambda: _bearer(
        make_token(TENANT_A, expires_in=timedelta(days=365 * 1000))
    ),
    "expiry infinite": lambda: _bearer(make_token(TENANT_A, extra_claims={"exp": float("inf")})),
    "no subject": lambda: _bearer(make_token(TENANT_A, drop_claims=("sub",))),
    "no expiry": lambda: _bearer(make_token(TENANT_A, drop_claims=("exp",))),
    "alg none": lambda: _bearer(_none_alg_token()),
    "other algorithm": lambda: _bearer(make_token(TENANT_A, algorithm="HS512")),
}


@pytest.mark.parametrize("authorization", BAD_AUTHORIZATION.values(), ids=BAD_AUTHORIZATION.keys())
def test_me_refuses_bad_credentials_with_401(
    client: TestClient, authorization: Callable[[], str | None]
) -> None:
    value = authorization()
    headers = {} if value is None else {"Authorization": value}

    response = client.get("/api/v1/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Could not validate credentials"}


def test_token_round_trip() -> None:
    token = create_access_token("someone", "tenant-x", timedelta(minutes=1))

    assert decode_access_token(token) == Principal(subject="someone", tenant_id="tenant-x")


@pytest.mark.parametrize("claim", ["sub", "tenant_id", "exp"])
def test_decode_requires_claim(claim: str) -> None:
    token = make_token(TENANT_A, drop_claims=(claim,))

    with pytest.raises(InvalidTokenError):
        decode_access_token(token)


def test_decode_wraps_library_errors() -> None:
    with pytest.raises(InvalidTokenError) as caught:
        decode_access_token(make_token(TENANT_A, expires_in=timedelta(seconds=-1)))

    assert isinstance(caught.value.__cause__, jwt.ExpiredSignatureError)


def test_helper_headers_are_accepted(client: TestClient) -> None:
    response = client.get("/api/v1/me", headers=auth_headers(make_token(TENANT_B)))

    assert response.json()["tenant_id"] == TENANT_B


def test_a_token_within_the_maximum_lifetime_is_accepted(client: TestClient) -> None:
    lifetime = timedelta(minutes=get_settings().max_token_lifetime_minutes - 1)
    token = make_token(TENANT_A, expires_in=lifetime)

    assert client.get("/api/v1/me", headers=auth_headers(token)).status_code == 200
