"""SIECLE ElevesSansAdresses and STS-web sts_emp readers (owned by the SIECLE work)."""

from __future__ import annotations

from elea.models.roster import Roster


def read_xml_export(data: bytes, source_name: str) -> Roster:
    raise NotImplementedError
