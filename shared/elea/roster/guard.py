"""Whole-file refusals, checked before any parsing (owned by the SIECLE/guard work)."""

from __future__ import annotations

from typing import BinaryIO


def check_size(size: int, max_bytes: int, source_name: str) -> None:
    raise NotImplementedError


def looks_like_xml(head: bytes) -> bool:
    raise NotImplementedError


def read_single_xml_from_zip(stream: BinaryIO, source_name: str) -> bytes:
    raise NotImplementedError
