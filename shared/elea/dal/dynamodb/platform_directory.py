"""The basin platforms of a deployment, all in one DynamoDB platform table (one adapter per platform id)."""

from __future__ import annotations

import threading

from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.ports.platform import Platform
from elea.ports.platform_directory import PlatformDirectory


def dynamodb_platform_directory(table_name: str) -> PlatformDirectory:
    adapters: dict[str, Platform] = {}
    lock = threading.Lock()

    def platform(platform_id: str) -> Platform:
        with lock:
            if platform_id not in adapters:
                adapters[platform_id] = DynamoDbPlatform(table_name, platform_id)
            return adapters[platform_id]

    return platform
