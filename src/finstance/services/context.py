"""The context a service runs in: one instance, its store, its clock and its settings."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

from finstance.clock import Clock
from finstance.instance import InstanceSpec, Settings
from finstance.store import Store


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@dataclass(frozen=True, slots=True)
class InstanceContext:
    """Handed explicitly to every service call; there is no global "current instance"."""

    spec: InstanceSpec
    store: Store
    clock: Clock
    settings: Settings
    worker_name: str = field(default_factory=_worker_name)
