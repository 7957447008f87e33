"""The context a service runs in: one instance, its store, its clock and its settings."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import Protocol

from finstance.clock import Clock
from finstance.instance import InstanceSpec, Settings
from finstance.store import Store


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


class KeySource(Protocol):
    """Where the current key hashes of an instance come from (they change when keys are rotated)."""

    def current(self) -> tuple[str, str]:
        """(secret key hash, x-api-key hash)."""
        ...


@dataclass(frozen=True, slots=True)
class StaticKeys:
    spec: InstanceSpec

    def current(self) -> tuple[str, str]:
        return self.spec.secret_key_hash, self.spec.api_key_hash


@dataclass(frozen=True, slots=True)
class InstanceContext:
    """Handed explicitly to every service call; there is no global "current instance"."""

    spec: InstanceSpec
    store: Store
    clock: Clock
    settings: Settings
    worker_name: str = field(default_factory=_worker_name)
    keys: KeySource | None = None

    def key_hashes(self) -> tuple[str, str]:
        return (self.keys or StaticKeys(self.spec)).current()
