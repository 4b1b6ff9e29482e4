"""Shared FastAPI dependencies: database session and the authenticated caller.

The tenant comes ONLY from the signed access token, never from a header, a query or a body.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.core.db import get_session
from app.core.security import InvalidTokenError, Principal, decode_access_token

__all__ = [
    "CurrentPrincipal",
    "SessionDep",
    "TenantDep",
    "bearer_scheme",
    "credentials_error",
    "current_principal",
    "current_tenant_id",
]

SessionDep = Annotated[Session, Depends(get_session)]

bearer_scheme = HTTPBearer(auto_error=False)


def credentials_error() -> HTTPException:
    """The one 401 answer, whatever was wrong (no detail that helps forging)."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    if credentials is None or not credentials.credentials:
        raise credentials_error()
    try:
        return decode_access_token(credentials.credentials)
    except InvalidTokenError as exc:
        raise credentials_error() from exc


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def current_tenant_id(principal: CurrentPrincipal) -> str:
    return principal.tenant_id


TenantDep = Annotated[str, Depends(current_tenant_id)]
