"""Request and response schemas (Pydantic v2), one module per resource (`app/schemas/<name>.py`)."""

from pydantic import BaseModel

__all__ = ["ErrorDetail"]


class ErrorDetail(BaseModel):
    """The body of an error answer (401, 404, 409): what went wrong, for a person to read."""

    detail: str
