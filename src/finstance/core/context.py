"""The context a service runs in: one instance, its store, its clock, its settings and its products."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from finstance.core.clock import Clock
from finstance.core.instance import InstanceSpec, Settings
from finstance.core.store import Store
from finstance.core.wake import Wake

if TYPE_CHECKING:
    from finstance.core.product import JobHandler, Product


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
    products: tuple[Product, ...] = ()  # the products mounted on this instance (its country gets them)
    wake: Wake = field(default_factory=Wake)  # set when this process commits an outbox event (core/wake.py)

    def key_hashes(self) -> tuple[str, str]:
        return (self.keys or StaticKeys(self.spec)).current()

    def job_handler(self, kind: str) -> JobHandler | None:
        for product in self.products:
            if kind in product.jobs:
                return product.jobs[kind]
        return None
