"""Connexion without JavaScript (a public service's page works without its script): the form posts itself,
the server answers with a redirect to the Accueil, or back to Connexion saying in French what was wrong."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.serve import serve
from tests.browser.site import PASSWORD, School, Site, snap

SCHOOL = School("0771234Y", "Collège des Tilleuls")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(tmp_path_factory.mktemp("no-js") / "state", [SCHOOL]) as site:
        yield site


@pytest.fixture
def no_js(browser: Browser) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _submit(page: Page, site: Site, username: str, password: str) -> None:
    page.goto(f"{site.base_url}/connexion")
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_a_wrong_password_is_told_in_french_without_javascript(site: Site, no_js: Page) -> None:
    # GIVEN a browser that runs no script WHEN the form is sent with a wrong password
    _submit(no_js, site, SCHOOL.uai, "pas-le-bon-mot-de-passe")
    # THEN the server sends it back to Connexion, which says so in French, never a bare code
    expect(no_js).to_have_url(re.compile(r"/connexion\?erreur=login_failed$"))
    alert = no_js.get_by_role("alert")
    expect(alert).to_contain_text("Connexion impossible")
    expect(alert).to_contain_text("Identifiant ou mot de passe incorrect")
    expect(alert).not_to_contain_text("login_failed")
    snap(no_js, "connexion-sans-javascript-erreur")


def test_the_form_logs_in_without_javascript(site: Site, no_js: Page) -> None:
    # WHEN the manager signs in with a browser that runs no script
    _submit(no_js, site, SCHOOL.uai, PASSWORD)
    # THEN the server opens the session and the Accueil of their school, rendered by the server
    expect(no_js).to_have_url(re.compile(r"/accueil$"))
    expect(no_js.get_by_role("heading", level=1)).to_have_text(SCHOOL.name)
    expect(no_js.get_by_text(f"Code UAI : {SCHOOL.uai}")).to_be_visible()
    expect(no_js.get_by_role("link", name="NOUVELLE IMPORTATION")).to_be_visible()
    # AND the session cookie is the script's: HttpOnly, Secure, SameSite=Strict; the form's own one is gone
    cookies = {cookie["name"]: cookie for cookie in no_js.context.cookies()}
    session = cookies["__Host-elea_session"]
    assert (session["httpOnly"], session["secure"], session["sameSite"]) == (True, True, "Strict")
    assert "__Host-elea_login" not in cookies
    snap(no_js, "accueil-sans-javascript")
