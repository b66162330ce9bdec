"""In-memory CredentialStore with the same conditional semantics as the DynamoDB adapter."""

from __future__ import annotations

from datetime import datetime, timedelta

from elea.credentials.manager_credential import ManagerCredential, ManagerStatus


class InMemoryCredentialStore:
    def __init__(self) -> None:
        self.managers: dict[str, ManagerCredential] = {}
        self.tokens: dict[str, str] = {}  # digest → uai

    def manager(self, uai: str) -> ManagerCredential | None:
        return self.managers.get(uai)

    def manager_by_token(self, token_digest: str) -> ManagerCredential | None:
        uai = self.tokens.get(token_digest)
        credential = self.managers.get(uai) if uai else None
        return credential if credential is not None and credential.token_digest == token_digest else None

    def save_issued(self, credential: ManagerCredential, *, replaced_token_digest: str | None) -> None:
        if replaced_token_digest is not None:
            self.tokens.pop(replaced_token_digest, None)
        self.managers[credential.uai] = credential
        if credential.token_digest is not None:
            self.tokens[credential.token_digest] = credential.uai

    def mark_mail_sent(self, uai: str, *, token_digest: str, at: datetime) -> None:
        current = self.managers[uai]
        if current.token_digest == token_digest:
            self.managers[uai] = current.model_copy(update={"mail_sent_at": at})

    def activate(self, uai: str, *, token_digest: str, password_hash: str, at: datetime) -> bool:
        current = self.managers.get(uai)
        if (
            current is None
            or current.token_digest != token_digest
            or current.status is not ManagerStatus.PENDING_ACTIVATION
        ):
            return False
        self.managers[uai] = current.model_copy(
            update={
                "status": ManagerStatus.ACTIVE,
                "password_hash": password_hash,
                "token_digest": None,
                "token_expires_at": None,
                "activated_at": at,
            }
        )
        self.tokens.pop(token_digest, None)
        return True

    def reserve_login_attempt(self, uai: str, *, at: datetime, window: timedelta, limit: int) -> bool:
        current = self.managers.get(uai)
        if current is None:
            return False
        if current.attempts_since is not None and current.attempts_since > at - window:
            if current.login_attempts >= limit:
                return False
            self.managers[uai] = current.model_copy(update={"login_attempts": current.login_attempts + 1})
            return True
        self.managers[uai] = current.model_copy(update={"login_attempts": 1, "attempts_since": at})
        return True

    def clear_login_attempts(self, uai: str) -> None:
        current = self.managers[uai]
        self.managers[uai] = current.model_copy(update={"login_attempts": 0, "attempts_since": None})
