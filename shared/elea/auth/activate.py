"""POST /activation: the manager chooses a new password with the one-time link from the e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from elea.auth.services import AuthServices
from elea.credentials.errors import ActivationLinkInvalid
from elea.credentials.password_policy import check_password_policy
from elea.credentials.tokens import token_digest
from elea.establishments.manager_account import set_manager_status
from elea.observability import logger
from elea.ports.platform import AccountStatus


@dataclass(frozen=True)
class Activated:
    uai: str
    platform_url: str | None


def activate_account(token: str, new_password: str, services: AuthServices) -> Activated:
    """Unknown, used, replaced and expired tokens all get ActivationLinkInvalid after the same work:
    one token lookup and one argon2 hash, so neither the answer nor its timing tells them apart."""
    digest = token_digest(token)
    credential = services.credentials.manager_by_token(digest)
    # The rules that do not depend on the account first: what they answer cannot tell tokens apart.
    check_password_policy(new_password, username="")
    now = services.clock()
    new_hash = services.hashing.hash(new_password)  # also on failing paths: equal cost
    if credential is None or not credential.accepts_token(digest, now):
        raise ActivationLinkInvalid()
    # Only a live token learns that its password contains the UAI: an expired one (whose pointer still
    # names a UAI) must get the same answer as an unknown one.
    check_password_policy(new_password, username=credential.uai)
    if not services.credentials.activate(credential.uai, token_digest=digest, password_hash=new_hash, at=now):
        raise ActivationLinkInvalid()  # a concurrent request used it first
    establishment = services.establishments.get(credential.uai)
    platform_url = None
    if establishment is not None:
        platform_url = services.academy.platform_url(establishment)
        platform = services.platforms(services.academy.platform_id(establishment))
        set_manager_status(platform, credential.uai, AccountStatus.ACTIVE)
    logger.info("management account activated", extra={"uai": credential.uai})
    return Activated(uai=credential.uai, platform_url=platform_url)
