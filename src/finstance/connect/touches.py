"""Touches of a RequestId's idle clock that a kept answer leaves for later.

A data call restarts its RequestId's idle clock (30 minutes), at most once a second
(``data.TOUCH_GRANULARITY``). When the fast lane answers a call whose session is due such a touch, the answer
does not wait for a write: the touch is handed to one background thread of the process, once per session
however many calls see it due, and written as a compare-and-set on the idle clock the call read (a session
touched or ended meanwhile is left as it is). Without this, every call of the second in which the touch is
due would go the slow way at once, and queue behind the write.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from sqlalchemy import update

from finstance.connect import tables
from finstance.core.context import InstanceContext

log = logging.getLogger("finstance.connect")

_pending: set[tuple[int, str]] = set()
_lock = threading.Lock()
_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="finstance-touch")


def touch_later(ctx: InstanceContext, session_id: str, seen: datetime) -> None:
    """Restart the session's idle clock soon, unless a touch of it is already waiting."""
    key = (id(ctx.store), session_id)
    with _lock:
        if key in _pending:
            return
        _pending.add(key)
    _writer.submit(_touch, ctx, session_id, seen, key)


def _touch(ctx: InstanceContext, session_id: str, seen: datetime, key: tuple[int, str]) -> None:
    s = tables.Session
    try:
        with ctx.store.write() as db:
            db.execute(
                update(s)
                .where(s.id == session_id, s.last_activity_at == seen)
                .values(last_activity_at=ctx.clock.now())
            )
    except Exception as exc:  # the next call that finds the touch due tries again
        log.warning("a session's idle clock was not restarted: %s", type(exc).__name__)
    finally:
        with _lock:
            _pending.discard(key)


def settle() -> None:
    """Wait until the touches handed over so far are written (tests, shutdown)."""
    _writer.submit(lambda: None).result()
