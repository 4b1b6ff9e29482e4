"""The local sign-in, in a real browser: `/login` → the home page, signed in; then signed out."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import HOME_URL, sign_in


def test_sign_in_then_out(page: Page, tenant: str) -> None:
    sign_in(page, tenant)
    expect(page.get_by_role("heading", name="VECTRA")).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()


def test_the_home_page_offers_to_sign_in(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
