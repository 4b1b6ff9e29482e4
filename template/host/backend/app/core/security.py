"""Access tokens: signed JWTs that carry the caller's subject and tenant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from app.core.config import Settings, get_settings

REQUIRED_CLAIMS = ("sub", "tenant_id", "exp")
MAX_TENANT_ID_LENGTH = 64  # = TenantMixin.tenant_id column length


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
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from exc

    subject = claims.get("sub")
    tenant_id = claims.get("tenant_id")
    if not isinstance(subject, str) or not subject:
        raise InvalidTokenError("claim 'sub' must be a non-empty string")
    if not isinstance(tenant_id, str) or not tenant_id or len(tenant_id) > MAX_TENANT_ID_LENGTH:
        raise InvalidTokenError(
            f"claim 'tenant_id' must be a non-empty string of at most {MAX_TENANT_ID_LENGTH} chars"
        )
    return Principal(subject=subject, tenant_id=tenant_id)
