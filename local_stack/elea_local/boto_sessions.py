"""boto3 sessions of the local stack sharing one botocore loader per process.

Each boto3 session has its own loader, which reads and parses the services' JSON models again (about
0.15 s a service); a local run opens several sessions (the runner's own, the handlers' default one, made
afresh for each run's call counting), so a shared loader reads each model once per process.
"""

from __future__ import annotations

import functools

import boto3
import botocore.session
from botocore.loaders import Loader, create_loader


@functools.cache
def _loader() -> Loader:
    return create_loader()


def _botocore_session() -> botocore.session.Session:
    session = botocore.session.get_session()
    session.register_component("data_loader", _loader())
    return session


def local_session(region_name: str | None = None) -> boto3.session.Session:
    return boto3.session.Session(region_name=region_name, botocore_session=_botocore_session())


def setup_default_session() -> None:
    """A fresh boto3 default session (what the handlers' clients use), on the shared loader."""
    boto3.setup_default_session(botocore_session=_botocore_session())
