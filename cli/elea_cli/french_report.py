"""What `elea-import run` shows: progress in the platform's words, then the French report or JSON."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, TextIO

from elea.credentials.publish_sheets import login_sheets_keys
from elea.models.import_record import ImportStatus
from elea.models.outcome_counts import OutcomeCounts
from elea_local.runner import LocalRunResult

FORMAT_LABELS = {
    "ent-csv": "ENT « Export classique »",
    "siecle-eleves": "SIECLE « Élèves sans adresses »",
    "sts-emp": "STS-web (emploi du temps)",
}


class ProgressPrinter:
    """Prints one line per step as the handlers answer (Map iterations answer from threads)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._chunks = 0
        self._chunks_done = 0

    def __call__(self, function: str, answer: dict[str, Any]) -> None:
        with self._lock:
            for line in self._lines(function, answer):
                print(line, file=self._stream, flush=True)

    def _lines(self, function: str, answer: dict[str, Any]) -> list[str]:
        if function == "ParseFunction":
            return self._parsed(answer)
        if function == "ClassesFunction":
            return [
                f"Étape 2 — Importation des classes : {answer['created']} cohortes créées, "
                f"{answer['unchanged']} inchangées, {answer['emptied']} vidées.",
                "Étape 3 — Importation des utilisateurs",
            ]
        if function == "UsersFunction":
            self._chunks_done += 1
            return [f"  lot {self._chunks_done}/{self._chunks} traité"]
        if function == "DeprovisionFunction":
            return [
                f"  comptes absents du fichier : {answer['suspended']} suspendus, "
                f"{answer['held']} en attente d'approbation"
            ]
        if function in ("ReportFunction", "ReportFailureFunction"):
            return ["Étape 4 — Rapport d'activité"]
        return []

    def _parsed(self, answer: dict[str, Any]) -> list[str]:
        if answer["status"] == "duplicate":
            return ["Ce fichier est déjà importé par une autre exécution : rien n'est refait."]
        if answer["status"] == "refused":
            return [f"Étape 1 — Dépôt du fichier : {answer['file_name']} refusé."]
        self._chunks = len(answer["chunks"])
        errors = f", {answer['error_rows']} lignes en erreur" if answer["error_rows"] else ""
        file_format = FORMAT_LABELS.get(answer["format"] or "", answer["format"])
        return [
            f"Étape 1 — Dépôt du fichier : {answer['file_name']} ({file_format}), "
            f"{answer['people_count']} personnes, {answer['classes_count']} classes{errors}.",
            f"{answer['people_count']} utilisateurs en cours de traitement…",
        ]


def headline(counts: OutcomeCounts) -> str:
    """As the platform words it at the end of an import: « actualisés » are the file's accounts brought up to
    date, modified or already so (the detail below tells them apart)."""
    return (
        f"{counts.updated + counts.unchanged} utilisateurs actualisés, {counts.created} utilisateurs créés, "
        f"{counts.protected} utilisateurs protégés"
    )


def render_text(result: LocalRunResult, *, state_dir: Path | None = None) -> str:
    """`state_dir`: the one in use, named in the commands it suggests (as the activation hint does)."""
    record = result.record
    if record is None:
        return "L'import n'a laissé aucun enregistrement : consultez le journal technique."
    lines: list[str] = [""]
    if record.status is ImportStatus.COMPLETED:
        counts = record.counts or OutcomeCounts()
        cohorts = record.cohorts
        lines += ["IMPORTATION TERMINÉE", headline(counts), ""]
        rows = [
            ("créés", counts.created),
            ("modifiés", counts.updated),
            ("inchangés", counts.unchanged),
            ("protégés", counts.protected),
            ("suspendus", counts.suspended),
            ("ignorés", counts.skipped),
            ("erreurs", counts.errors),
        ]
        if cohorts is not None:
            rows += [
                ("cohortes créées", cohorts.created),
                ("cohortes inchangées", cohorts.unchanged),
                ("cohortes vidées", cohorts.emptied),
            ]
        rows.append(("suspensions en attente d'approbation", len(record.held)))
        width = max(len(label) for label, _ in rows) + 2
        lines += [f"  {label} {'.' * (width - len(label))} {value}" for label, value in rows]
        if result.report is not None and result.report.notices:
            lines += ["", "À SAVOIR :"]
            for notice in result.report.notices:
                lines += [f"  - {notice.message}", f"    {notice.hint}"]
        if result.report is not None and result.report.class_spellings:
            lines += ["", "CLASSES :"]
            lines += [f"  - {spelling.message}" for spelling in result.report.class_spellings]
        if record.checks:
            lines += ["", "CONTRÔLES AVANT SUSPENSION NON SATISFAITS : aucun compte n'a été suspendu."]
            for check in record.checks:
                lines += [f"  - {check.message}", f"    Que faire : {check.hint}", f"    Code : {check.code}"]
        if record.held:
            why = "contrôles ci-dessus" if record.checks else "limite de sécurité"
            lines += [
                "",
                f"{len(record.held)} comptes absents du fichier n'ont pas été suspendus ({why}).",
                f"Pour les suspendre : elea-import approve {record.import_id}"
                + ("" if state_dir is None else f" --state-dir {state_dir}"),
            ]
        if result.report is not None and result.report.issues:
            lines += ["", "Premières remarques sur le fichier :"]
            for issue in result.report.issues[:5]:
                where = f"ligne {issue.line} : " if issue.line is not None else ""
                lines.append(f"  {where}{issue.message}")
    else:
        title = "IMPORTATION REFUSÉE" if record.status is ImportStatus.REFUSED else "IMPORTATION INTERROMPUE"
        lines += [title]
        if record.failure is not None:
            lines += record.failure.what_was_written()
            lines.append(f"Erreur : {record.failure.message}")
            if record.failure.hint:
                lines.append(f"Que faire : {record.failure.hint}")
            lines.append(f"Code : {record.failure.code}")
    lines += [
        "",
        "Fichier d'export supprimé du dépôt."
        if result.export_deleted
        else "ATTENTION : le fichier d'export n'a pas été supprimé.",
    ]
    # By name: the login sheets' CSV sits beside the report and must not be taken for it.
    report_name = record.report.csv_key.rpartition("/")[2] if record.report and record.report.csv_key else None
    sheet_names = {key.rpartition("/")[2] for key in login_sheets_keys(record.uai or "", record.import_id)}
    for path in result.report_files:
        if path.name == report_name:
            lines.append(f"Rapport détaillé (une ligne par personne) : {path}")
    sheets = [path for path in result.report_files if path.name in sheet_names]
    if sheets:
        lines.append("Fiches de connexion des nouveaux comptes sans ENT (mots de passe initiaux, confidentiel) :")
        lines += [f"  {path}" for path in sheets]
    lines.append(f"Identifiant de l'import : {record.import_id}")
    return "\n".join(lines)


def render_json(result: LocalRunResult) -> dict[str, Any]:
    record = result.record
    counts = (record.counts if record else None) or OutcomeCounts()
    cohorts = record.cohorts if record and record.cohorts else None
    return {
        "import_id": result.import_id,
        "status": None if record is None else record.status.value,
        "uai": None if record is None else record.uai,
        "file": None if record is None else record.file_name,
        "format": None if record is None else record.format,
        "people": 0 if record is None else record.people_count,
        "counts": counts.model_dump(),
        "cohorts": {"created": 0, "unchanged": 0, "emptied": 0} if cohorts is None else cohorts.model_dump(),
        "held": 0 if record is None else len(record.held),
        "export_deleted": result.export_deleted,
        "failure": None if record is None or record.failure is None else record.failure.model_dump(),
        "issues": [] if result.report is None else [issue.model_dump(mode="json") for issue in result.report.issues],
        "report_files": [str(path) for path in result.report_files],
        "checks": [] if record is None else [check.model_dump() for check in record.checks],
        "notices": [] if result.report is None else [notice.model_dump() for notice in result.report.notices],
    }
