"""What `elea-import run --dry-run` prints: the « Aperçu » plan, in French or as JSON (the same plan.json
the web page shows)."""

from __future__ import annotations

from typing import Any

from elea.models.import_plan import ImportPlan, PlannedAccount
from elea.models.outcome import Outcome

_SECTIONS = (
    (Outcome.CREATED, "Comptes à créer"),
    (Outcome.UPDATED, "Comptes à modifier"),
    (Outcome.SUSPENDED, "Comptes à suspendre (absents du fichier)"),
    (Outcome.PROTECTED, "Comptes protégés (non modifiés)"),
    (Outcome.SKIPPED, "Personnes ignorées"),
)
_FIELDS = {
    "last_name": "nom",
    "first_name": "prénom",
    "login": "identifiant",
    "profile": "profil",
    "cohorts": "classes",
    "status": "état",
    "ent_id": "identifiant ENT",
}
# A plan of a whole school is long: the terminal gets the first lines of each section, --json everything.
SHOWN_PER_SECTION = 20


def _person(account: PlannedAccount) -> str:
    classes = f" ({', '.join(account.classes)})" if account.classes else ""
    line = f"ligne {account.line} : " if account.line is not None else ""
    return f"{line}{account.last_name} {account.first_name}{classes}"


def render_plan_text(plan: ImportPlan) -> str:
    lines = [
        "",
        "APERÇU DE L'IMPORTATION : rien n'a été modifié sur la plateforme.",
        f"{plan.file_name} : {plan.people_count} personnes.",
        "",
        f"Cohortes à créer : {len(plan.cohorts.create)}"
        + (f" ({', '.join(plan.cohorts.create)})" if plan.cohorts.create else ""),
        f"Cohortes à vider : {len(plan.cohorts.empty)}"
        + (f" ({', '.join(plan.cohorts.empty)})" if plan.cohorts.empty else ""),
        f"Cohortes inchangées : {plan.cohorts.unchanged}",
    ]
    for outcome, title in _SECTIONS:
        accounts = [account for account in plan.accounts if account.outcome is outcome]
        lines += ["", f"{title} : {len(accounts)}"]
        for account in accounts[:SHOWN_PER_SECTION]:
            lines.append(f"  {_person(account)}")
            lines += [
                f"      {_FIELDS.get(change.field, change.field)} : « {change.before} » → « {change.after} »"
                for change in account.changes
            ]
        if len(accounts) > SHOWN_PER_SECTION:
            lines.append(f"  … et {len(accounts) - SHOWN_PER_SECTION} autres (tout le détail avec --json).")
    lines += ["", f"Comptes inchangés : {plan.unchanged}"]
    if plan.held:
        lines += [
            "",
            f"{len(plan.held)} comptes absents du fichier seraient retenus (limite de sécurité) : "
            "ils ne seraient suspendus qu'après votre accord.",
        ]
    if plan.issues:
        lines += ["", f"Erreurs et remarques sur le fichier : {plan.issues_total}"]
        for issue in plan.issues[:5]:
            where = f"ligne {issue.line} : " if issue.line is not None else ""
            lines.append(f"  {where}{issue.message}")
    return "\n".join(lines)


def render_plan_json(plan: ImportPlan) -> dict[str, Any]:
    return {"dry_run": True, **plan.model_dump(mode="json")}
