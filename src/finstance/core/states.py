"""The states of the core's records, as enums (stored as their text by ``store.types.EnumText``).

Kept apart from the tables so that code that only names a state (the CLI's options) loads no database
library.
"""

from __future__ import annotations

import enum


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"  # its login was deleted before it was sent: it never will be
