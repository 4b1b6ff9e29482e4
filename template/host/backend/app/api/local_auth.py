"""Local sign-in route, for the `/login` page: mounted only when VECTRA_ENVIRONMENT=local.

`app.main.create_app` includes this router in the local environment alone; anywhere else the
route does not exist (404). It is kept out of `app/api/routes/` so that discovery never mounts it.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from app.core.config import Settings
from app.core.local_auth import LocalSignInError, issue_local_token
from app.core.security import MAX_TENANT_ID_LENGTH

LOCAL_SIGN_IN_PATH = "/auth/local-token"


class LocalTokenRequest(BaseModel):
    tenant_id: str = Field(min_length=1, max_length=MAX_TENANT_ID_LENGTH)
    subject: str = Field(min_length=1, max_length=255)


class LocalTokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 scheme name, no secret
    expires_in: int = Field(description="Seconds before the token expires")


def local_auth_router(settings: Settings) -> APIRouter:
    """The sign-in route, signing with `settings` (those of the app that mounts it)."""
    router = APIRouter(tags=["auth"])

    @router.post(LOCAL_SIGN_IN_PATH)
    def issue_local_access_token(request: LocalTokenRequest) -> LocalTokenResponse:
        """A token for the tenant and user given (development only: no password is asked)."""
        try:
            token = issue_local_token(request.tenant_id, request.subject, settings=settings)
        except LocalSignInError as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from exc
        return LocalTokenResponse(
            access_token=token, expires_in=settings.access_token_expire_minutes * 60
        )

    return router
