"""The automated accessibility check: axe-core (npm, package-lock.json's version) run inside the page."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} manquant : lancez `make install` (npm ci)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def serious_violations(page: Page) -> list[str]:
    """Every serious or critical finding of axe on the page as shown now, one line each (rule, impact, where).
    Evaluated through the DevTools protocol, so the page's strict CSP does not have to allow it."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "() => axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ("
        "{ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))"
    )
    return [
        f"{finding['id']} ({finding['impact']}) : {finding['help']} — {', '.join(finding['nodes'][:5])}"
        for finding in results
        if finding["impact"] in BLOCKING
    ]
