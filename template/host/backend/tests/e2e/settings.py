"""Settings of the end-to-end tests: `VECTRA_E2E_*` variables, or backend/.env.

VECTRA_E2E_CHROMIUM      the browser (default /usr/bin/chromium, Debian's `chromium` package);
                         Playwright never downloads one
VECTRA_E2E_FRONTEND_URL  the running frontend (`make test-e2e` sets it; unset, the tests skip)
VECTRA_E2E_API_URL       the running API, under /api/v1 (default: `make dev`'s)
VECTRA_E2E_ARTIFACTS     where screenshots go (default backend/e2e-artifacts/, git-ignored)
VECTRA_E2E_TIMEOUT_SECONDS  how long a page may take (`next dev` compiles a page on first visit)
VECTRA_E2E_BOARD_ROOT    the copy of the workflow files the API's board reads (`make test-e2e`
                         sets it); unset, the board's tests that change a unit are skipped
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")


class E2ESettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VECTRA_E2E_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    chromium: Path = DEFAULT_CHROMIUM
    frontend_url: str = ""  # empty: the tests are skipped (nothing to drive)
    api_url: str = "http://127.0.0.1:8000/api/v1"
    artifacts: Path = Path("e2e-artifacts")
    timeout_seconds: float = Field(default=120.0, gt=0)
    board_root: Path | None = None


@lru_cache(maxsize=1)
def get_e2e_settings() -> E2ESettings:
    return E2ESettings()


def missing_browser(chromium: Path) -> str | None:
    """Why the browser cannot be used (what to install), or None when it can."""
    if chromium.is_file() and chromium.stat().st_mode & 0o111:
        return None
    return (
        f"tests e2e ignorés : Chromium est introuvable ({chromium}). Installez le paquet Debian "
        "`chromium` (sudo apt-get install chromium), ou donnez le chemin de votre Chromium dans "
        "VECTRA_E2E_CHROMIUM (variable d'environnement ou backend/.env). "
        "Aucun navigateur n'est téléchargé."
    )


def not_running(settings: E2ESettings) -> str | None:
    """Why the tests have no application to drive (no URL given), or None.

    `make test-e2e` starts the application and gives its URLs; a plain `pytest tests/e2e` (or
    `make check` of a unit with a browser test) skips, saying how to run them.
    """
    if settings.frontend_url:
        return None
    return (
        "tests e2e ignorés : aucune application à piloter. Lancez `make test-e2e` (il démarre "
        "l'API et le frontend lui-même), ou, avec `make dev` lancé, "
        "VECTRA_E2E_FRONTEND_URL=http://localhost:3000 pytest tests/e2e."
    )
