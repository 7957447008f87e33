"""Rate limits on the authentication paths, counted in the instance's store so N processes share them.

Fixed windows (``Settings.rate_window``): each hit increments one row per limit and window with a single
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (atomic on SQLite and PostgreSQL), in its own transaction,
so a hit counts even when the request then fails. Past the limit the answer is 401 TOO_MANY_REQUESTS (the
code Flinks documents for throttling) with ``Retry-After``: the seconds left in the window.

Limits (all in :class:`finstance.core.instance.Settings`; 0 turns one off):

- ``token_rate``: GenerateAuthorizeToken calls per instance;
- ``bad_secret_rate``: wrong secret keys per instance; once reached, even the right key waits for the next
  window: that is what stops a brute force (at the price of a window's lock-out for the integrator);
- ``authorize_rate``: Authorize calls per instance;
- ``login_rate``: Authorize calls per loginId, or per institution and username in live mode.

The cap on wrong MFA answers per session lives with the session (``Settings.max_failed_answers``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.store import tables


def _window(now: datetime, size: timedelta) -> datetime:
    seconds = int(size.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def _key(ctx: InstanceContext, *parts: str) -> str:
    """Keyed with the instance's own secret: no two instances hold the same key for the same name."""
    return hmac.new(ctx.spec.derive_key, "|".join(parts).encode(), hashlib.sha256).hexdigest()


def count(ctx: InstanceContext, *parts: str) -> int:
    """Add one hit to the counter named by ``parts`` in the current window; returns the new count."""
    with ctx.store.transaction() as conn:
        return count_on(ctx, conn, *parts)


def count_in(ctx: InstanceContext, db: DbSession, *parts: str) -> int:
    """:func:`count` in the caller's write transaction (it counts only if that transaction commits)."""
    return count_on(ctx, db.connection(), *parts)


def count_on(ctx: InstanceContext, conn: Connection, *parts: str) -> int:
    """:func:`count` in the write transaction of ``conn``."""
    params = {"key": _key(ctx, *parts), "start": _window(ctx.clock.now(), ctx.settings.rate_window)}
    row = ctx.store.first_on(conn, _upsert(ctx.store.backend), params)
    assert row is not None  # the upsert returns the count it made
    value: int = row[0]
    return value


@cache
def _upsert(backend: str) -> Any:
    """One hit: the counter's row made, or its count raised, atomically; returns the new count. One
    statement of each backend, built once (building a statement costs more than running this one)."""
    dialect = postgresql if backend == "postgresql" else sqlite
    table = tables.RateCounter.__table__
    stmt = dialect.insert(table).values(key=bindparam("key"), window_start=bindparam("start"), count=1)
    return stmt.on_conflict_do_update(
        index_elements=["key", "window_start"], set_={"count": table.c.count + 1}
    ).returning(table.c.count)


# The count of one counter in one window, a hot read (Store.first).
_PEEK = select(tables.RateCounter.count).where(
    tables.RateCounter.key == bindparam("key"), tables.RateCounter.window_start == bindparam("start")
)


def peek(ctx: InstanceContext, *parts: str) -> int:
    """The current count of a counter, without adding to it."""
    start = _window(ctx.clock.now(), ctx.settings.rate_window)
    row = ctx.store.first(_PEEK, {"key": _key(ctx, *parts), "start": start})
    return int(row[0]) if row is not None else 0


def peek_in(ctx: InstanceContext, db: DbSession, *parts: str) -> int:
    start = _window(ctx.clock.now(), ctx.settings.rate_window)
    row = db.get(tables.RateCounter, (_key(ctx, *parts), start))
    return row.count if row is not None else 0


def too_many(ctx: InstanceContext) -> errors.TooManyRequests:
    now = ctx.clock.now()
    end = _window(now, ctx.settings.rate_window) + ctx.settings.rate_window
    wait = max(1, int((end - now).total_seconds() + 0.999))
    return errors.TooManyRequests(headers={"Retry-After": str(wait)})


def hit(ctx: InstanceContext, limit: int, *parts: str) -> None:
    """Count one hit and refuse it when the counter is past ``limit`` (0: no limit)."""
    if limit > 0 and count(ctx, *parts) > limit:
        raise too_many(ctx)


def check(ctx: InstanceContext, limit: int, *parts: str) -> None:
    """Refuse when the counter has reached ``limit``, without counting (0: no limit)."""
    if limit > 0 and peek(ctx, *parts) >= limit:
        raise too_many(ctx)


def check_in(ctx: InstanceContext, db: DbSession, limit: int, *parts: str) -> None:
    """:func:`check` in the caller's transaction."""
    if limit > 0 and peek_in(ctx, db, *parts) >= limit:
        raise too_many(ctx)


def prune(ctx: InstanceContext) -> int:
    """Forget the windows that are over."""
    start = _window(ctx.clock.now(), ctx.settings.rate_window)
    with ctx.store.write() as db:
        result = db.execute(delete(tables.RateCounter).where(tables.RateCounter.window_start < start))
        return int(getattr(result, "rowcount", 0) or 0)
