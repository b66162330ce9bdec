"""Connexion: activation then first login, a wrong password, « Se déconnecter », an expired session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.serve import serve
from tests.browser.site import PASSWORD, School, Site, snap

SCHOOL = School("0771234Y", "Collège des Tilleuls")  # pending until its activation test
ACTIVE = School("0750654D", "Lycée des Marronniers")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(tmp_path_factory.mktemp("login") / "state", [SCHOOL, ACTIVE], pending=(SCHOOL.uai,)) as site:
        yield site


def test_activation_then_first_login(site: Site, page: Page) -> None:
    # GIVEN the activation e-mail just sent to the school's mailbox
    # WHEN the head of school first tries the initial password of that e-mail
    site_page = f"{site.base_url}/connexion"
    page.goto(site_page)
    snap(page, "connexion")
    page.get_by_label("Nom d'utilisateur").fill(SCHOOL.uai)
    page.get_by_label("Mot de passe").fill(site.initial_password(SCHOOL.uai))
    page.get_by_role("button", name="Se connecter").click()
    # THEN the page sends them to the activation link, in French
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Activez d'abord le compte")
    expect(alert).to_contain_text("lien d'activation")

    # WHEN they open the link and choose a password
    page.goto(f"{site.base_url}/activation#token={site.activation_token(SCHOOL.uai)}")
    page.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Activer le compte").click()
    expect(page.get_by_role("status")).to_contain_text("activé")
    snap(page, "activation")

    # THEN the first login with that password opens the Accueil of their school
    site.log_in(page, SCHOOL.uai)
    expect(page).to_have_url(re.compile(r"/accueil$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SCHOOL.name)
    expect(page.get_by_text("Aucune importation pour le moment")).to_be_visible()
    snap(page, "accueil-vide")


def test_a_wrong_password_is_told_in_french(site: Site, page: Page) -> None:
    page.goto(f"{site.base_url}/connexion")
    page.get_by_label("Nom d'utilisateur").fill(ACTIVE.uai)
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Identifiant ou mot de passe incorrect")
    expect(alert).not_to_contain_text("login_failed")
    snap(page, "connexion-erreur")


def test_se_deconnecter_ends_the_session_on_the_server_too(site: Site, page: Page, context: BrowserContext) -> None:
    # GIVEN a signed-in manager
    site.log_in(page, ACTIVE.uai)
    cookies = context.cookies()
    assert cookies, "la connexion n'a posé aucun cookie"
    # WHEN they click « Se déconnecter »
    page.get_by_role("button", name="Se déconnecter").click()
    # THEN they are back on Connexion, told so
    expect(page).to_have_url(re.compile(r"/connexion"))
    expect(page.get_by_text("Vous êtes déconnecté")).to_be_visible()
    # AND the old cookie, put back, opens nothing any more
    context.add_cookies(cookies)  # type: ignore[arg-type]
    page.goto(f"{site.base_url}/accueil")
    expect(page).to_have_url(re.compile(r"/connexion"))
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()


def test_an_expired_session_goes_back_to_connexion(site: Site, page: Page, context: BrowserContext) -> None:
    # GIVEN a manager on the wizard whose session the server no longer knows (as after the idle expiry)
    site.log_in(page, ACTIVE.uai)
    page.goto(f"{site.base_url}/importer")
    cookies = context.cookies()
    context.clear_cookies()
    context.add_cookies([{**cookie, "value": "0" * 43} for cookie in cookies])  # type: ignore[misc, list-item]
    # WHEN they choose a file
    path = Path(__file__).parents[1] / "fixtures" / "sample" / "export.csv"
    page.locator("#fichier").set_input_files(str(path))
    # THEN the page says the session expired, on Connexion, and nothing was sent
    expect(page).to_have_url(re.compile(r"/connexion\?session=expiree"))
    expect(page.get_by_text("Votre session a expiré")).to_be_visible()
    snap(page, "connexion-session-expiree")
