"""The workflow board: the host's units of work, read-only, for signed-in users.

`GET /workflow/units` reads the answers files, STATUS.md entries and logs on every request (see
app/workflow/board.py), so `make status`, `make update` and `make check` show at once.
`GET /workflow/logs/{kind}/{name}` returns one unit's activity log: only the log the board found
for that unit, inside docs/workflow/logs (a hand-edited path leading elsewhere is not served).
"""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status

from app.api.deps import CurrentPrincipal
from app.core.config import get_settings
from app.schemas import ErrorDetail
from app.workflow.board import SLUG, Board, LogPage, read_board, read_log

router = APIRouter(prefix="/workflow", tags=["workflow"])

Slug = Annotated[str, Path(pattern=f"^{SLUG}$", max_length=100)]


@router.get("/units")
def list_units(_principal: CurrentPrincipal) -> Board:
    return read_board(get_settings().host_root)


@router.get(
    "/logs/{kind}/{name}",
    responses={404: {"model": ErrorDetail, "description": "No readable log for this unit"}},
)
def read_unit_log(kind: Slug, name: Slug, _principal: CurrentPrincipal) -> LogPage:
    page = read_log(get_settings().host_root, kind, name)
    if page is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"Aucun journal lisible pour l'unité {kind}/{name}.",
        )
    return page
