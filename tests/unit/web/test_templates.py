"""The pages' templates: the procedure's words, no inline script or style (the CSP allows none), and the
context the web handler gives them (functions/web/web_handler.py)."""

from __future__ import annotations

import re

import pytest
from jinja2 import Environment, PackageLoader, StrictUndefined

SIGNED_IN = {
    "csrf_token": "jeton-csrf",
    "uai": "0771234Y",
    "establishment_name": "Collège des Tilleuls",
    "platform_url": "https://idf-77-3.elea.apps.education.fr/",
    "nonce": "n",
}
SIGNED_OUT = {"csrf_token": "", "uai": "", "establishment_name": "", "platform_url": "", "nonce": "n"}
PAGES = {
    "connexion": {**SIGNED_OUT, "login_token": "jeton-formulaire", "notice": None},
    "accueil": SIGNED_IN,
    "importer": SIGNED_IN,
    "import": {**SIGNED_IN, "import_id": "5d2cda37c81548c3777a0707"},
}


def render(page: str) -> str:
    environment = Environment(loader=PackageLoader("elea.web", "templates"), autoescape=True, undefined=StrictUndefined)
    return environment.get_template(f"{page}.html.j2").render(**PAGES[page])


@pytest.mark.parametrize("page", PAGES)
def test_no_inline_script_or_style_and_only_our_own_files(page: str) -> None:
    html = render(page)
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html), "inline event handler"
    for script in re.findall(r"<script[^>]*>", html):
        assert re.search(r'src="/static/', script), script
    assert not re.findall(r"<script[^>]*>\s*[^<\s]", html), "inline script"
    assert not re.search(r'(src|href)="(https?:)?//', html.replace(PAGES[page]["platform_url"] or "-", "")), (
        "third-party"
    )
    assert 'lang="fr"' in html


def test_connexion_has_the_procedures_labels_and_no_csrf_or_logout() -> None:
    html = render("connexion")
    for words in ("Nom d'utilisateur", "Mot de passe", "Se connecter"):
        assert words in html
    assert "csrf-token" not in html
    assert "Se déconnecter" not in html
    # A real form (it works without the script), with its pre-session token
    assert '<form id="connexion" action="/connexion" method="post"' in html
    assert '<input type="hidden" name="login_token" value="jeton-formulaire">' in html


def test_accueil_shows_the_school_its_platform_and_nouvelle_importation() -> None:
    html = render("accueil")
    assert "Collège des Tilleuls" in html
    assert 'href="https://idf-77-3.elea.apps.education.fr/"' in html
    assert "NOUVELLE IMPORTATION" in html
    assert 'content="jeton-csrf"' in html
    assert "Se déconnecter" in html


def test_the_wizard_has_the_procedures_words() -> None:
    html = render("importer").replace("&#39;", "'")
    for words in (
        "IMPORTER DES UTILISATEURS",
        "Dépôt du fichier",
        "Importation des classes",
        "Importation des utilisateurs",
        "Rapport d'activité",
        "Sélectionnez ou déposez le fichier que vous avez exporté depuis votre ENT ou - à défaut - depuis "
        "l'application SIECLE",
        "Choisir un fichier",
        "Vous pouvez glisser le fichier ici !",
        "La création des cohortes et des utilisateurs est automatique et ne demande aucune intervention de la "
        "part de l'utilisateur.",
        "IMPORTATION TERMINÉE",
        "L'importation s'est déroulée avec succès et tous vos utilisateurs peuvent dès à présent accéder à la "
        "plateforme.",
        "Les utilisateurs pourront accéder à la plateforme dans quelques instants",
        "Importer d'autres utilisateurs",
        "Revenir à la page d'accueil",
        "Lancer l'importation",
        "Annuler",
    ):
        assert words in html, words
    assert 'type="file"' in html
    assert re.search(r'<button type="button" id="zone-depot"', html), "the drop zone is a button"


def test_an_import_page_names_its_import_and_starts_past_step_1() -> None:
    html = render("import")
    assert 'data-import-id="5d2cda37c81548c3777a0707"' in html
    assert re.search(r'<section id="depot"[^>]*hidden', html)


def test_the_import_id_is_escaped() -> None:
    environment = Environment(loader=PackageLoader("elea.web", "templates"), autoescape=True, undefined=StrictUndefined)
    html = environment.get_template("import.html.j2").render(**{**SIGNED_IN, "import_id": '"><script>'})
    assert '"><script>' not in html
