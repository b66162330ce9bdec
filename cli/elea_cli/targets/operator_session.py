"""One code path for the operator commands, whatever the target: the target only says which environment
(table names, bucket, sender…) the real adapters are built from.

- local: the state dir's moto stack, with the environment template.yaml gives the functions; the tables are
  saved and the e-mails written as .eml when the session closes. stdout goes to the log meanwhile: print after.
- deployed: the ELEA_* variables (the stack's Outputs), on real AWS with boto3's usual credentials.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from botocore.exceptions import NoCredentialsError, NoRegionError, PartialCredentialsError

from elea.composition.approval import approve_import
from elea.composition.registry import registry_services
from elea.composition.report_mail import report_mail_services
from elea.config.accounts_settings import RegistrySettings, ReportMailSettings
from elea.config.deployment_settings import DeploymentSettings
from elea.config.step_settings import ApprovalSettings
from elea.errors import EleaError
from elea.establishments.services import RegistryServices
from elea.logic.approve_held import Approval
from elea.mail.send_report import ReportMailServices


class AwsAccessMissing(EleaError):
    code = "aws_access_missing"


class MoodleOnlyLocally(EleaError):
    code = "moodle_option_local_only"


@dataclass
class OperatorSession:
    """What a command needs, valid while its session is open; `mails` (local .eml files) is filled when it closes."""

    environment: Mapping[str, str]
    mails: list[Path] = field(default_factory=list)

    def registry(self) -> RegistryServices:
        return registry_services(RegistrySettings.from_environ(self.environment))

    def report_mail(self) -> ReportMailServices:
        return report_mail_services(ReportMailSettings.from_environ(self.environment))

    def approve(self, import_id: str) -> Approval:
        return approve_import(import_id, ApprovalSettings.from_environ(self.environment))


@contextmanager
def operator_session(args: argparse.Namespace) -> Iterator[OperatorSession]:
    moodle_url: str | None = getattr(args, "moodle", None)
    if getattr(args, "deployed", False):
        if moodle_url is not None:
            raise MoodleOnlyLocally(
                "--moodle vaut pour la plateforme locale : déployée, chaque établissement a la plateforme Éléa "
                "que le registre lui donne.",
                hint="Retirez --moodle, ou --deployed.",
            )
        with deployed_session() as session:
            yield session
    else:
        with local_session(args.state_dir, moodle_url=moodle_url) as session:
            yield session


@contextmanager
def local_session(state_dir: Path, *, moodle_url: str | None = None) -> Iterator[OperatorSession]:
    from elea_local.runner import LocalChain  # moto is imported only for a local target

    chain = LocalChain(state_dir, moodle_url=moodle_url)
    with chain.session() as aws:
        session = OperatorSession(environment=chain.function_environment())
        yield session
    session.mails = aws.mails


@contextmanager
def deployed_session(environ: Mapping[str, str] | None = None) -> Iterator[OperatorSession]:
    settings = DeploymentSettings.from_environ(environ)
    try:
        yield OperatorSession(environment=settings.function_environment())
    except (NoCredentialsError, PartialCredentialsError, NoRegionError) as error:
        # Not a ClientError (no call reached AWS): the adapters cannot translate it, the operator can fix it.
        raise AwsAccessMissing(
            f"Impossible de joindre AWS : identifiants ou région absents ({type(error).__name__}).",
            hint="Configurez vos identifiants AWS comme pour la CLI aws (AWS_PROFILE ou aws configure, "
            "et AWS_REGION = la région de la pile), puis recommencez.",
        ) from None
