"""Access tokens: signed JWTs that carry the caller's subject and tenant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from app.core.config import Settings, get_settings

REQUIRED_CLAIMS = ("sub", "tenant_id", "exp")
MAX_TENANT_ID_LENGTH = 64  # = TenantMixin.tenant_id column length
# A control character (NUL included) or a lone surrogate: PostgreSQL refuses NUL in a text, and none
# of them names a tenant. Such a claim is refused like a malformed one.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class InvalidTokenError(Exception):
    """Any reason a token is refused: malformed, bad signature, expired, missing claim."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who calls: taken only from a verified token."""

    subject: str
    tenant_id: str


def create_access_token(
    subject: str,
    tenant_id: str,
    expires_delta: timedelta | None = None,
    *,
    settings: Settings | None = None,
) -> str:
    settings = settings or get_settings()
    if expires_delta is None:
        expires_delta = timedelta(minutes=settings.access_token_expire_minutes)
    now = datetime.now(UTC)
    claims = {"sub": subject, "tenant_id": tenant_id, "iat": now, "exp": now + expires_delta}
    return jwt.encode(claims, settings.jwt_key, algorithm=settings.jwt_algorithm)


def decode_access_token(token: str, *, settings: Settings | None = None) -> Principal:
    """Verify signature, expiry and required claims; raise `InvalidTokenError` on any failure."""
    settings = settings or get_settings()
    try:
        claims = jwt.decode(
            token,
            settings.jwt_key,
            algorithms=[settings.jwt_algorithm],
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except (jwt.PyJWTError, OverflowError) as exc:  # OverflowError: an `exp` of 1e400
        raise InvalidTokenError(str(exc)) from exc

    expiry = claims["exp"]  # a number PyJWT checked to be in the future
    latest = datetime.now(UTC).timestamp() + settings.max_token_lifetime_minutes * 60
    if isinstance(expiry, bool) or not isinstance(expiry, int | float) or expiry > latest:
        raise InvalidTokenError(
            f"claim 'exp' is more than {settings.max_token_lifetime_minutes} minutes ahead"
        )
    subject = claims.get("sub")
    tenant_id = claims.get("tenant_id")
    if not isinstance(subject, str) or not subject:
        raise InvalidTokenError("claim 'sub' must be a non-empty string")
    if (
        not isinstance(tenant_id, str)
        or not tenant_id
        or len(tenant_id) > MAX_TENANT_ID_LENGTH
        or UNPRINTABLE.search(tenant_id)
    ):
        raise InvalidTokenError(
            f"claim 'tenant_id' must be a non-empty string of at most {MAX_TENANT_ID_LENGTH} "
            "printable chars"
        )
    return Principal(subject=subject, tenant_id=tenant_id)
