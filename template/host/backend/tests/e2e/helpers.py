"""What the end-to-end tests do in the browser more than once (the fixtures are in conftest.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

E2E_USER = "e2e"
LOCAL_SIGN_IN_PATH = "/auth/local-token"  # the backend's local sign-in route, under /api/v1
HOME_URL = re.compile(r"^https?://[^/]+/$")


def sign_in(page: Page, tenant: str, user: str = E2E_USER) -> None:
    """Sign in through the `/login` form, as a person does; lands on the home page."""
    page.goto("/login")
    page.get_by_label("Tenant").fill(tenant)
    page.get_by_label("Utilisateur").fill(user)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
