"""French lines the accounts commands print, shared so every command says things the same way."""

from __future__ import annotations

from pathlib import Path


def print_mails(mails: list[Path]) -> None:
    if not mails:
        return
    print("Courriels envoyés (à ouvrir avec votre messagerie) :")
    for path in mails:
        print(f"  {path}")
