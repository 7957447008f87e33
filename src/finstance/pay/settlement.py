"""Settlement: the Pay clock's work on the whole instance. Every request the clock made due moves (an idle
session expires, an accepted EFT is sent at its file day's cut-off, money settles the next business day),
and every file day whose cut-off passed gets its CPA-005 file (pay/files.py).

It runs on every pass of the instance's worker (:func:`tick`, which reads before it writes, so an instance
with nothing due takes no write lock), when a sandbox advances the Pay clock, and with ``finstance pay
settle``. Runs are serialized by the Pay clock's row lock; each is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from finstance.core.context import InstanceContext
from finstance.pay import calendar, clock, files, records

BATCH = 1000  # rows moved per statement; a run takes as many batches as are due


@dataclass(frozen=True, slots=True)
class Settled:
    now: datetime  # the Pay clock's time of the run
    moved: int  # sessions the clock moved
    files: tuple[files.FileSummary, ...]  # the files written


def settle(ctx: InstanceContext, db: DbSession, now: datetime) -> Settled:
    """Move everything due by ``now`` and write the files due, in the caller's transaction (which holds the
    Pay clock's lock)."""
    moved = 0
    for s in records.CARRIERS:
        after = ""
        while True:  # keyset over the due rows, so a row the clock cannot move yet is never read twice
            query = select(s).where(s.due_at <= now, s.id > after).order_by(s.id).limit(BATCH)
            rows: list[records.Carrier] = list(db.scalars(query))
            for row in rows:
                records.catch_up(ctx, db, row, now)
            moved += len(rows)
            if len(rows) < BATCH:
                break
            after = rows[-1].id
    written = files.write_due(ctx, db, now)
    db.flush()
    summaries = tuple(s for made in written for s in files.summaries(db, made.file_date))
    return Settled(now, moved, summaries)


def due(ctx: InstanceContext) -> bool:
    """Whether a run would do anything now: one indexed read each for moves and files."""
    with ctx.store.read() as db:
        now = clock.now(ctx, db)
        for s in records.CARRIERS:
            if db.scalar(select(s.id).where(s.due_at <= now).limit(1)) is not None:
                return True
            first = db.scalar(
                select(s.file_date)
                .where(s.file_id.is_(None), s.file_date.is_not(None))
                .order_by(s.file_date)
                .limit(1)
            )
            if first is not None and calendar.cutoff_instant(first) <= now:
                return True
        return False


def run(ctx: InstanceContext) -> Settled:
    with ctx.store.write() as db:
        return settle(ctx, db, clock.now(ctx, db, lock=True))


def tick(ctx: InstanceContext) -> Settled | None:
    """The worker's pass: a run when something is due."""
    return run(ctx) if due(ctx) else None
