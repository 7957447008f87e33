"""The instance's Pay clock: the real clock plus an offset that only a sandbox control moves, forward only.

Every Pay time (a session's creation, its expiry, the cut-off that sends an EFT in a file, the day it
settles) reads this clock, so a test on a sandbox instance can advance it by days and see money settle, as
Plaid's and Stripe's test clocks let one do. Token lifetimes and the rest of the instance keep the real clock.
The offset lives in the store, so every process of the instance reads the same time.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.pay import tables

CLOCK = 1  # the id of the clock's one row
LONGEST_STEP = timedelta(days=400)  # one advance moves at most this far (a year of schedules, and some)


def offset(ctx: InstanceContext, db: DbSession, *, lock: bool = False) -> timedelta:
    """The clock's offset (none until a sandbox moves it); ``lock`` holds its row to the end of the
    transaction, writing it first if need be, so that one settlement runs at a time."""
    query = select(tables.PayClock.offset_seconds).where(tables.PayClock.id == CLOCK)
    if lock:
        # Written when Pay first has work to serialize (a Canadian instance with sessions), never before:
        # a U.S. store holds no Pay row at all.
        db.execute(
            ctx.store.insert(tables.PayClock)
            .values(id=CLOCK, offset_seconds=0)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        query = query.with_for_update()
    seconds = db.scalar(query)
    return timedelta(seconds=seconds or 0)


def now(ctx: InstanceContext, db: DbSession, *, lock: bool = False) -> datetime:
    return ctx.clock.now() + offset(ctx, db, lock=lock)


def advance_to(ctx: InstanceContext, db: DbSession, target: datetime) -> datetime:
    """Move the clock forward to ``target`` (in the caller's transaction, its row locked); a sandbox only."""
    if not ctx.spec.sandbox:
        raise errors.NotFound("Sandbox controls exist on sandbox instances only.")
    if target.tzinfo is None:
        raise errors.InvalidRequest("The time must name its offset from UTC (e.g. 2026-12-07T18:00:00Z).")
    current = now(ctx, db, lock=True)
    if target < current:
        raise errors.InvalidRequest(f"The Pay clock only moves forward: it is already {current.isoformat()}.")
    if target - current > LONGEST_STEP:
        raise errors.InvalidRequest(f"One step moves the clock at most {LONGEST_STEP.days} days.")
    # Whole seconds, rounded up: the clock reaches the target (a cut-off, say), never stops short of it.
    moved = math.ceil((offset(ctx, db) + (target - current)).total_seconds())
    db.execute(update(tables.PayClock).where(tables.PayClock.id == CLOCK).values(offset_seconds=moved))
    return ctx.clock.now() + timedelta(seconds=moved)
