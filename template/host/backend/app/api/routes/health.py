"""Liveness probe (no authentication)."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"


@router.get("/health")
def health() -> HealthResponse:
    return HealthResponse()
