"""The login as a plain HTML form (no JavaScript): POST /connexion with the form's fields, then a 303 to
/accueil with the session cookie, or back to /connexion where the server-rendered page says what was wrong.
The same login use case and rate limit as /api/session; a form without its pre-session token is refused."""

from __future__ import annotations

import base64
import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.integration.web.conftest import GOOD, PENDING, SCHOOL_A, Answer, WebApi

EVENTS = Path(__file__).resolve().parents[2] / "events"


def _cookie_value(answer: Answer, name: str) -> str | None:
    for cookie in answer.cookies:
        found = re.match(rf"{re.escape(name)}=([^;]*)", cookie)
        if found:
            return found.group(1)
    return None


@dataclass
class Browser:
    """A browser without JavaScript: it keeps its cookies, loads pages and posts the form."""

    web: WebApi
    cookies: dict[str, str] = field(default_factory=dict)

    def _event(self, sample: str, method: str, path: str, query: str = "") -> dict[str, Any]:
        event: dict[str, Any] = copy.deepcopy(json.loads((EVENTS / sample).read_text(encoding="utf-8")))
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        event["requestContext"]["http"]["method"] = method
        event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {path}"
        event["rawQueryString"] = query
        if query:
            event["queryStringParameters"] = dict(item.partition("=")[::2] for item in query.split("&"))
        event["cookies"] = [f"{name}={value}" for name, value in self.cookies.items()]
        return event

    def _keep(self, answer: Answer) -> Answer:
        for cookie in answer.cookies:
            name, _, rest = cookie.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return answer

    def get(self, location: str) -> Answer:
        path, _, query = location.partition("?")
        return self._keep(self.web.call(self._event("http_web_get.json", "GET", path, query)))

    def login_token(self) -> str:
        page = self.get("/connexion")
        found = re.search(r'name="login_token" value="([^"]+)"', page.text)
        assert found, "le formulaire de connexion n'a pas de jeton"
        return found.group(1)

    def submit(self, fields: dict[str, str], *, base64_body: bool = False) -> Answer:
        event = self._event("http_web_post.json", "POST", "/connexion")
        body = urlencode(fields)
        event["headers"].pop("x-csrf-token")
        event["headers"]["content-type"] = "application/x-www-form-urlencoded"
        event["headers"]["content-length"] = str(len(body))
        event["body"] = base64.b64encode(body.encode()).decode() if base64_body else body
        event["isBase64Encoded"] = base64_body
        return self._keep(self.web.call(event))

    def log_in(self, uai: str, password: str = GOOD, **options: Any) -> Answer:
        token = self.login_token()
        return self.submit({"login_token": token, "username": uai, "password": password}, **options)


def test_the_login_page_is_a_real_form_with_a_pre_session_token_cookie(web: WebApi) -> None:
    browser = Browser(web)
    page = browser.get("/connexion")
    assert page.status == 200
    assert '<form id="connexion" action="/connexion" method="post"' in page.text
    [cookie] = page.cookies
    assert cookie.startswith("__Host-elea_login=")
    for attribute in ("Path=/", "Secure", "HttpOnly", "SameSite=Strict", "Max-Age=3600"):
        assert attribute in cookie
    assert "Domain" not in cookie
    # AND reloading keeps the same token (two tabs of one browser both work)
    assert browser.login_token() == browser.login_token()


def test_the_form_logs_in_and_redirects_to_the_accueil_with_the_session_cookie(web: WebApi) -> None:
    browser = Browser(web)
    # WHEN the form is posted with the right password (API Gateway may base64 a form body)
    answer = browser.log_in(SCHOOL_A, base64_body=True)
    # THEN 303 to /accueil, the session cookie set as /api/session sets it, the login cookie cleared
    assert (answer.status, answer.headers["Location"]) == (303, "/accueil")
    session = next(cookie for cookie in answer.cookies if cookie.startswith("__Host-elea_session="))
    for attribute in ("Path=/", "Secure", "HttpOnly", "SameSite=Strict"):
        assert attribute in session
    assert "__Host-elea_login" not in browser.cookies
    # AND the Accueil opens, server-rendered, for this school
    accueil = browser.get("/accueil")
    assert accueil.status == 200
    assert "Collège Jean Moulin" in accueil.text
    assert f"Code UAI : {SCHOOL_A}" in accueil.text


def test_a_wrong_password_comes_back_to_connexion_saying_so_in_french(web: WebApi) -> None:
    browser = Browser(web)
    answer = browser.log_in(SCHOOL_A, "Pas-le-bon-1")
    assert (answer.status, answer.headers["Location"]) == (303, "/connexion?erreur=login_failed")
    assert _cookie_value(answer, "__Host-elea_session") is None
    page = browser.get(answer.headers["Location"])
    assert "Connexion impossible" in page.text
    assert "Identifiant ou mot de passe incorrect." in page.text
    assert "login_failed" not in page.text.split('id="erreur-connexion"')[1].split("</div>")[0]


def test_empty_fields_are_refused_before_any_attempt_is_counted(web: WebApi) -> None:
    browser = Browser(web)
    answer = browser.submit({"login_token": browser.login_token(), "username": SCHOOL_A, "password": ""})
    assert answer.headers["Location"] == "/connexion?erreur=missing_credentials"
    assert "Saisissez le nom d&#39;utilisateur et le mot de passe." in browser.get(answer.headers["Location"]).text
    # No attempt counted: the limit still allows a good login
    for _ in range(web.settings.login_attempt_limit - 1):
        browser.log_in(SCHOOL_A, "Pas-le-bon-1")
    assert browser.log_in(SCHOOL_A).headers["Location"] == "/accueil"


def test_the_form_shares_the_rate_limit_of_the_api(web: WebApi) -> None:
    browser = Browser(web)
    for _ in range(web.settings.login_attempt_limit):
        assert web.page().log_in(SCHOOL_A, "Pas-le-bon-1").status == 401
    answer = browser.log_in(SCHOOL_A)
    assert answer.headers["Location"].startswith("/connexion?erreur=too_many_attempts&minutes=")
    assert _cookie_value(answer, "__Host-elea_session") is None
    page = browser.get(answer.headers["Location"])
    assert "Trop de tentatives de connexion" in page.text
    assert re.search(r"Réessayez dans \d+ minutes?\.", page.text)


def test_a_pending_account_is_sent_to_its_activation(web: WebApi) -> None:
    browser = Browser(web)
    answer = browser.log_in(PENDING, web.initial_passwords[PENDING])
    assert answer.headers["Location"] == "/connexion?erreur=password_change_required"
    page = browser.get(answer.headers["Location"])
    assert "Activez d&#39;abord le compte" in page.text
    assert f'href="{web.settings.activation_page_url}"' in page.text


def test_a_form_posted_from_another_site_or_without_its_token_is_refused(web: WebApi) -> None:
    # GIVEN a cross-site page: the browser does not send the SameSite=Strict login cookie
    attacker = Browser(web)
    token = Browser(web).login_token()  # even a valid token of another browser
    answer = attacker.submit({"login_token": token, "username": SCHOOL_A, "password": GOOD})
    assert (answer.status, answer.headers["Location"]) == (303, "/connexion?erreur=login_form_expired")
    assert _cookie_value(answer, "__Host-elea_session") is None
    # AND a forged token beside a real cookie
    browser = Browser(web)
    browser.login_token()
    forged = browser.submit({"login_token": "0" * 64, "username": SCHOOL_A, "password": GOOD})
    assert forged.headers["Location"] == "/connexion?erreur=login_form_expired"
    page = browser.get(forged.headers["Location"])
    assert "La page de connexion a expiré." in page.text


def test_unknown_codes_in_the_address_say_nothing(web: WebApi) -> None:
    page = Browser(web).get("/connexion?erreur=%3Cscript%3E")
    assert page.status == 200
    assert "fr-alert" not in page.text.split('id="erreur-connexion"')[1].split("</form>")[0]


def test_the_end_of_a_session_is_said_without_javascript(web: WebApi) -> None:
    assert "Vous êtes déconnecté." in Browser(web).get("/connexion?session=terminee").text
    assert "Votre session a expiré" in Browser(web).get("/connexion?session=expiree").text
