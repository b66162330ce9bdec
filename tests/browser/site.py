"""What the browser tests do as a head of school would: read the activation e-mail, activate, log in, drop a file,
read the report; and the screenshots of each page at 1280 and 375 px."""

from __future__ import annotations

import base64
import email
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

OUTPUT_DIR = Path(__file__).parent / "output"
PASSWORD = "Tilleuls-Import2026"
SAMPLE_DIR = Path(__file__).parents[1] / "fixtures" / "sample"
IMPORT_TIMEOUT_MS = 180_000
WIDTHS = (1280, 375)


@dataclass(frozen=True)
class School:
    uai: str
    name: str


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("courriel sans partie texte")


@dataclass
class Site:
    base_url: str
    state_dir: Path
    schools: dict[str, School]
    cli: str
    log: list[str] = field(default_factory=list)

    # ---- e-mails and activation -------------------------------------------------------------------------

    def activation_mail(self, uai: str) -> str:
        mails = sorted((self.state_dir / "mail").glob(f"*activation*{uai}*.eml"))
        assert mails, f"aucun courriel d'activation pour {uai}"
        return _text(email.message_from_bytes(mails[-1].read_bytes()))

    def activation_token(self, uai: str) -> str:
        found = re.search(r"#token=([A-Za-z0-9_-]+)", self.activation_mail(uai))
        assert found, "le courriel d'activation n'a pas de lien"
        return found.group(1)

    def initial_password(self, uai: str) -> str:
        found = re.search(r"Mot de passe initial : (\S+)", self.activation_mail(uai))
        assert found, "le courriel d'activation n'a pas de mot de passe initial"
        return found.group(1)

    # ---- the pages ----------------------------------------------------------------------------------------

    def log_in(self, page: Page, uai: str, password: str = PASSWORD) -> None:
        page.goto(f"{self.base_url}/connexion")
        page.get_by_label("Nom d'utilisateur").fill(uai)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("link", name="NOUVELLE IMPORTATION")).to_be_visible()

    def choose_file(self, page: Page, path: Path, *, dry_run: bool = False) -> None:
        page.goto(f"{self.base_url}/importer")
        if dry_run:
            page.get_by_text("Aperçu : voir d'abord").click()
        with page.expect_file_chooser() as chooser:
            page.get_by_text("Choisir un fichier").click()
        chooser.value.set_files(str(path))

    def drop_file(self, page: Page, path: Path) -> None:
        """A real drop event carrying the file, as when the manager drags export.csv onto the zone."""
        page.goto(f"{self.base_url}/importer")
        content = base64.b64encode(path.read_bytes()).decode()
        transfer = page.evaluate_handle(
            """([name, content]) => {
                const bytes = Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], name, { type: "text/csv" }));
                return transfer;
            }""",
            [path.name, content],
        )
        zone = page.get_by_role("button", name="Vous pouvez glisser le fichier ici !")
        zone.dispatch_event("dragenter", {"dataTransfer": transfer})
        zone.dispatch_event("dragover", {"dataTransfer": transfer})
        zone.dispatch_event("drop", {"dataTransfer": transfer})

    def wait_report(self, page: Page) -> None:
        expect(page.get_by_role("heading", name="IMPORTATION TERMINÉE")).to_be_visible(timeout=IMPORT_TIMEOUT_MS)

    def import_id(self, page: Page) -> str:
        found = re.search(r"/imports/([^/?#]+)", page.url)
        assert found, f"l'adresse de la page ne nomme pas l'importation : {page.url}"
        return found.group(1)

    # ---- the CLI on the same file ---------------------------------------------------------------------------

    def run_json(self, path: Path, uai: str) -> dict[str, object]:
        """`run --json` on a fresh platform: what the page's report must say for the same file."""
        with tempfile.TemporaryDirectory() as state:
            done = subprocess.run(
                [self.cli, "run", str(path), "--uai", uai, "--basin", "3", "--json", "--state-dir", state],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        assert isinstance(answer, dict)
        return answer


def snap(page: Page, name: str) -> list[Path]:
    """The page as a head of school sees it, at 1280 and at 375 px wide (tests/browser/output/, gitignored)."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1280, "height": 900}
    shots = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # The DSFR's tabs animate their height when their content changes: shoot once it has settled.
        page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
        shot = OUTPUT_DIR / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} à {width} px : la page déborde de {overflow} px en largeur"
        shots.append(shot)
    page.set_viewport_size(size)
    return shots


def headline(counts: dict[str, int]) -> list[str]:
    """The platform's three figures as the procedure words them (« 0 utilisateurs créés », « 1 utilisateur créé »)."""

    def say(count: int, noun: str) -> str:
        ending = "" if count == 1 else "s"
        return f"{count} utilisateur{ending} {noun}{ending}"

    # « Actualisés »: the file's accounts brought up to date, modified or already so.
    return [
        say(counts["updated"] + counts["unchanged"], "actualisé"),
        say(counts["created"], "créé"),
        say(counts["protected"], "protégé"),
    ]


def sideways_overflow(container: Locator) -> int:
    """How many pixels a table's frame scrolls sideways (0 or less: it fits)."""
    return int(container.evaluate("(node) => node.scrollWidth - node.clientWidth"))


def cells_outside(rows: Locator, width: int) -> list[dict[str, object]]:
    """The cells of these table rows that do not lie within a screen `width` pixels wide."""
    outside: list[dict[str, object]] = rows.evaluate_all(
        """(rows, width) => rows.flatMap((row, index) => [...row.cells].map((cell) => {
               const box = cell.getBoundingClientRect();
               return { row: index, text: cell.textContent, left: box.left, right: box.right };
             })).filter((cell) => cell.left < 0 || cell.right > width)""",
        width,
    )
    return outside
