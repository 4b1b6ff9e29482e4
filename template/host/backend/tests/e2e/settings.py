"""Settings of the end-to-end tests: `VECTRA_E2E_*` variables, or backend/.env.

VECTRA_E2E_CHROMIUM      the browser (default /usr/bin/chromium, Debian's `chromium` package);
                         Playwright never downloads one
VECTRA_E2E_FRONTEND_URL  the running frontend (`make test-e2e` sets it; default: `make dev`'s)
VECTRA_E2E_API_URL       the running API, under /api/v1 (same)
VECTRA_E2E_ARTIFACTS     where screenshots go (default backend/e2e-artifacts/, git-ignored)
VECTRA_E2E_TIMEOUT_SECONDS  how long a page may take (`next dev` compiles a page on first visit)
VECTRA_E2E_BOARD_ROOT    the copy of the workflow files the API's board reads (`make test-e2e`
                         sets it); unset, the board's tests that change a unit are skipped
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
# Set by `make test-e2e` (scripts/e2e.py), which started the application itself.
STARTED_BY_MAKE = "VECTRA_E2E_FRONTEND_URL"


class E2ESettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VECTRA_E2E_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    chromium: Path = DEFAULT_CHROMIUM
    frontend_url: str = "http://localhost:3000"
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
    """Why the tests cannot reach the application, when nobody started it for them; else None.

    A plain `pytest tests/e2e` (or `make check` of an e2e unit) with no `make dev` running skips,
    saying how to run them; under `make test-e2e` an application that does not answer fails them.
    """
    if os.environ.get(STARTED_BY_MAKE):
        return None
    try:
        with urllib.request.urlopen(f"{settings.frontend_url}/login", timeout=10):  # noqa: S310
            return None
    except (urllib.error.URLError, OSError) as exc:
        return (
            f"tests e2e ignorés : l'application ne répond pas sur {settings.frontend_url} ({exc}). "
            "Lancez `make test-e2e` (il démarre l'API et le frontend lui-même), "
            "ou `make dev` dans un autre terminal."
        )
