"""The local environment of the accounts commands (activate, login): the same moto stack and state dir as
`run`, opened as the operator commands' local session (elea_cli.targets.operator_session)."""

from __future__ import annotations

from elea_cli.targets.operator_session import OperatorSession, local_session

# Kept under its old names for the local-only commands (activate, login).
LocalAccounts = OperatorSession
local_accounts = local_session

__all__ = ["LocalAccounts", "local_accounts"]
