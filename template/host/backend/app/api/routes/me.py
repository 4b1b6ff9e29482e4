"""Who am I: the caller's subject and tenant, as read from the access token."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.deps import CurrentPrincipal

router = APIRouter(tags=["auth"])


class MeResponse(BaseModel):
    subject: str
    tenant_id: str


@router.get("/me")
def read_me(principal: CurrentPrincipal) -> MeResponse:
    return MeResponse(subject=principal.subject, tenant_id=principal.tenant_id)
