"""Fixtures of the end-to-end tests: the system's Chromium, headless, driven by Playwright.

`make test-e2e` starts the application on ports of its own, then runs these tests; against a
`make dev` already running: `VECTRA_E2E_FRONTEND_URL=http://localhost:3000 .venv/bin/python -m
pytest tests/e2e` in backend/ (see tests/e2e/settings.py). Without a URL, or without the browser,
the tests are skipped, saying what to do.

    page            a new browser page on the frontend (relative URLs: `page.goto("/login")`)
    tenant          a tenant of this test alone (its rows are nobody else's)
    signed_in_page  `page`, signed in through `/login` as a user of `tenant`
    api             the API as that user (httpx, bearer token): to prepare data a test then sees
    artifacts       this test's folder for screenshots (kept after the run); a failing test
                    leaves `echec.png` there
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.e2e.helpers import E2E_USER, LOCAL_SIGN_IN_PATH, sign_in
from tests.e2e.settings import E2ESettings, get_e2e_settings, missing_browser, not_running

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def e2e_settings() -> E2ESettings:
    return get_e2e_settings()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright, e2e_settings: E2ESettings) -> Iterator[Browser]:
    problem = missing_browser(e2e_settings.chromium) or not_running(e2e_settings)
    if problem:
        pytest.skip(problem)
    browser = playwright.chromium.launch(executable_path=e2e_settings.chromium, headless=True)
    expect.set_options(timeout=e2e_settings.timeout_seconds * 1000)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, e2e_settings: E2ESettings) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=e2e_settings.frontend_url, locale="fr-FR", viewport={**VIEWPORT}
    )
    context.set_default_timeout(e2e_settings.timeout_seconds * 1000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def tenant() -> str:
    return f"e2e-{secrets.token_hex(4)}"


@pytest.fixture
def signed_in_page(page: Page, tenant: str) -> Page:
    sign_in(page, tenant)
    return page


@pytest.fixture
def api(e2e_settings: E2ESettings, tenant: str) -> Iterator[httpx.Client]:
    base = e2e_settings.api_url.rstrip("/")
    answer = httpx.post(
        f"{base}{LOCAL_SIGN_IN_PATH}", json={"tenant_id": tenant, "subject": E2E_USER}, timeout=30
    )
    answer.raise_for_status()
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture
def artifacts(request: pytest.FixtureRequest, e2e_settings: E2ESettings) -> Path:
    return _artifacts_of(request.node, e2e_settings)


def _artifacts_of(item: pytest.Item, settings: E2ESettings) -> Path:
    folder = settings.artifacts.resolve() / re.sub(r"[^\w.-]+", "_", item.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[None]:  # pragma: no cover - runs on failures
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and isinstance(page, Page):
        shot = _artifacts_of(item, get_e2e_settings()) / "echec.png"
        try:
            page.screenshot(path=shot, full_page=True)
        except Exception as exc:  # the test's own failure is what matters
            report.sections.append(("e2e", f"pas de capture d'écran : {exc}"))
        else:
            report.sections.append(("e2e", f"capture d'écran de l'échec : {shot}"))
    return report
