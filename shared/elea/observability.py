"""One Powertools Logger, Metrics and Tracer for the whole code base (reused across modules)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "elea-import"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace="EleaImport", service=SERVICE)
tracer = Tracer(service=SERVICE)
