"""The local commands a new user types, end to end on moto, state kept under --state-dir."""

from __future__ import annotations

import email
import re
from pathlib import Path

import pytest

from elea_cli.main import main

UAI = "0771234Y"
GOOD = "Nouveau-Mot2passe"


def _text(eml: Path) -> str:
    parsed = email.message_from_bytes(eml.read_bytes())
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]


def _token(eml: Path) -> str:
    found = re.search(r"#token=([\w-]+)", _text(eml))
    assert found
    return found.group(1)


def test_register_activate_login_resend_across_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = ["--state-dir", str(tmp_path / "state")]
    # WHEN an establishment is added THEN its activation e-mail is written as .eml and listed
    assert (
        main(["establishment", "add", UAI, "--dept", "77", "--basin", "3", "--name", "Collège Jean Moulin", *state])
        == 0
    )
    out = capsys.readouterr().out
    eml = tmp_path / "state" / "mail" / "0001-activation-0771234Y.eml"
    assert eml.exists()
    assert str(eml.relative_to(tmp_path)) in out.replace(str(tmp_path) + "/", "")
    assert "0771234y@ac-creteil.fr" in out
    assert "https://idf-77-3.elea.apps.education.fr/" in out
    # AND adding it again changes nothing and sends nothing
    assert (
        main(["establishment", "add", UAI, "--dept", "77", "--basin", "3", "--name", "Collège Jean Moulin", *state])
        == 0
    )
    assert "inchangé" in capsys.readouterr().out
    assert len(list(eml.parent.glob("*.eml"))) == 1
    # WHEN the manager activates with the mailed token (state persisted between commands)
    initial = re.search(r"Mot de passe initial : (\S+)", _text(eml))
    assert initial
    # (a first login with the initial password is sent to the activation link)
    assert main(["login", UAI, "--password", initial.group(1), *state]) == 2
    out = capsys.readouterr().out
    assert "Erreur : Un nouveau mot de passe est demandé à la première connexion" in out
    assert "password_change_required (HTTP 403)" in out
    assert f"elea-import activate JETON --password NOUVEAU_MOT_DE_PASSE --state-dir {tmp_path / 'state'}" in out
    assert main(["activate", _token(eml), "--password", GOOD, *state]) == 0
    assert "activé" in capsys.readouterr().out
    assert main(["login", UAI, "--password", GOOD, *state]) == 0
    capsys.readouterr()
    # WHEN the link is re-sent THEN the old token no longer works
    assert main(["establishment", "resend", UAI, *state]) == 0
    second = tmp_path / "state" / "mail" / "0002-activation-0771234Y.eml"
    assert second.exists()
    assert _token(second) != _token(eml)
    assert main(["activate", _token(eml), "--password", GOOD, *state]) == 2
    assert "activation_link_invalid" in capsys.readouterr().out
    assert main(["activate", _token(second), "--password", GOOD, *state]) == 0


def test_bulk_load_reports_bad_lines_and_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_file = tmp_path / "etablissements.csv"
    csv_file.write_bytes(
        "uai;nom;departement;bassin\n0771234Y;Collège Jean Moulin;77;3\n0930001W;Lycée;93;X\n".encode("cp1252")
    )
    state = ["--state-dir", str(tmp_path / "state")]
    assert main(["establishment", "load", str(csv_file), *state]) == 0
    out = capsys.readouterr().out
    assert "1 établissement(s) inscrit(s)" in out
    assert "Erreur ligne 3 :" in out
    assert "(invalid_basin)" in out
    assert main(["establishment", "load", str(csv_file), *state]) == 0
    assert "1 inchangé(s) ; 0 courriel(s)" in capsys.readouterr().out


def test_refusals_are_french_with_a_code_and_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = ["--state-dir", str(tmp_path / "state")]
    assert main(["establishment", "add", "0771234A", "--dept", "77", "--basin", "3", "--name", "X", *state]) == 2
    assert main(["establishment", "resend", "0930001W", *state]) == 2
    assert main(["report", "resend", "inconnu", *state]) == 2
    err = capsys.readouterr().err
    assert "Code : invalid_uai" in err
    assert "Code : establishment_not_registered" in err
    assert "Code : report_mail_not_found" in err
    assert "Traceback" not in err
