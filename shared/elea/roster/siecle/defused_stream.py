"""Streams an XML export through defusedxml's SAX parser, with source line numbers.

SAX keeps memory bounded (no tree is built) and its locator gives the line of every
element. defusedxml refuses any DOCTYPE, entity declaration or external reference, so
neither XXE nor entity expansion ("billion laughs") can happen.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, InputSource, Locator

from defusedxml.common import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from elea.errors import RosterRefused
from elea.roster.siecle.element_reader import ElementReader

_REEXPORT_HINT = (
    "Exportez le fichier à nouveau depuis SIECLE (Exports > Exports standard > Élèves sans adresses) "
    "ou STS-web, et déposez-le sans l'ouvrir ni le modifier."
)

# Chooses the reader from the root element's tag and line; raises RosterRefused if none fits.
ReaderChooser = Callable[[str, int], ElementReader]


class _PathHandler(ContentHandler):
    """Turns SAX events into (path, attributes/text, line) calls on the chosen reader."""

    def __init__(self, choose_reader: ReaderChooser) -> None:
        super().__init__()
        self._choose_reader = choose_reader
        self.reader: ElementReader | None = None
        self._locator: Locator | None = None
        self._path: list[str] = []
        self._text: list[str] = []

    def setDocumentLocator(self, locator: Locator) -> None:
        self._locator = locator

    @property
    def line(self) -> int:
        return 0 if self._locator is None else self._locator.getLineNumber() or 0

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        line = self.line
        if self.reader is None:
            self.reader = self._choose_reader(name, line)
        self._path.append(name)
        # Only the text of the innermost element is kept: memory stays bounded by one value.
        self._text.clear()
        attributes: Mapping[str, str] = dict(attrs.items())
        self.reader.start(tuple(self._path), attributes, line)

    def endElement(self, name: str) -> None:
        if self.reader is None:  # SAX never ends an element it did not start
            return
        self.reader.end(tuple(self._path), "".join(self._text), self.line)
        self._path.pop()
        self._text.clear()

    def characters(self, content: str) -> None:
        self._text.append(content)


def stream_xml(
    data: bytes, source_name: str, choose_reader: ReaderChooser, *, encoding_override: str | None = None
) -> ElementReader:
    """Parses `data`, feeding the reader picked from the root element; returns that reader.

    `encoding_override` replaces the encoding the prolog declares (expat is told before parsing).

    Raises RosterRefused "xml_forbidden_construct" (DOCTYPE, entities, external references)
    or "xml_malformed" (with the parser's line), and lets the readers' own refusals through.
    """
    handler = _PathHandler(choose_reader)
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(handler)
    try:
        source = InputSource()
        source.setByteStream(io.BytesIO(data))
        if encoding_override is not None:
            source.setEncoding(encoding_override)
        parser.parse(source)
    except DefusedXmlException as error:
        line = handler.line or None
        raise RosterRefused(
            f"Le fichier « {source_name} » contient une déclaration de type de document (DOCTYPE) "
            f"ou d'entités{_at_line(line)} : ces constructions sont refusées par sécurité.",
            code="xml_forbidden_construct",
            file=source_name,
            line=line,
            hint="Les exports de SIECLE et de STS-web n'en contiennent jamais : le fichier a été modifié. "
            + _REEXPORT_HINT,
        ) from error
    except SAXParseException as error:
        line = error.getLineNumber() or None
        raise RosterRefused(
            f"Le fichier « {source_name} » n'est pas un document XML bien formé{_at_line(line)}.",
            code="xml_malformed",
            file=source_name,
            line=line,
            hint="Le fichier est peut-être tronqué, mal encodé ou modifié à la main. " + _REEXPORT_HINT,
        ) from error
    if handler.reader is None:  # expat refuses a document without an element, so this is defensive
        raise RosterRefused(
            f"Le fichier « {source_name} » ne contient aucun élément XML.",
            code="xml_malformed",
            file=source_name,
            hint=_REEXPORT_HINT,
        )
    return handler.reader


def _at_line(line: int | None) -> str:
    return "" if line is None else f" (ligne {line})"
