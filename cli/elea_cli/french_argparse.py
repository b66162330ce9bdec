"""`elea-import` speaks French in its help and usage errors too: argparse's own sentences ("usage:",
"the following arguments are required", "invalid choice"…) are translated through its gettext hooks,
and a usage error says where to find help."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

# argparse 3.11's message ids (argparse.py, `_()` calls), in the words of the project's messages.
FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et s'arrête",
    "show program's version number and exit": "affiche la version et s'arrête",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s : %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande inconnue %(parser_name)r "
    "(commandes possibles : %(choices)s)",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "not allowed with argument %s": "impossible avec l'argument %s",
    "ignored explicit argument %r": "valeur ignorée : %r",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur incorrecte : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix inconnu : %(value)r (choix possibles : %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
}
_PLURALS = {("expected %s argument", "expected %s arguments"): ("%s valeur attendue", "%s valeurs attendues")}


def french(message: str) -> str:
    return FRENCH.get(message, message)


def french_plural(singular: str, plural: str, count: int) -> str:
    one, many = _PLURALS.get((singular, plural), (singular, plural))
    return one if count == 1 else many


def speak_french() -> None:
    """argparse looks its `_` and `ngettext` up at each message: pointing them at the French table is the
    gettext override (a catalogue of our own, without .mo files). Called by build_parser, not at import."""
    setattr(argparse, "_", french)  # noqa: B010 - a module global, not an attribute argparse declares
    setattr(argparse, "ngettext", french_plural)  # noqa: B010


class FrenchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # What a user meets first after a typo: the usage, the error, then where the help is.
        self.print_usage(sys.stderr)
        root = self.prog.split()[0]
        helps = f"{self.prog} --help" if self.prog == root else f"{self.prog} --help (ou {root} --help)"
        self.exit(2, f"{self.prog} : erreur : {message}\nQue faire : vérifiez la commande ; l'aide : {helps}.\n")
