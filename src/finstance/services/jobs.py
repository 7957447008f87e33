"""Background jobs kept in the instance's store, claimed by whichever process gets there first.

Claiming is one conditional UPDATE (``WHERE status = 'pending'``, or a running job whose lease ran out),
atomic on SQLite and PostgreSQL alike, so N API processes and workers of one instance never run a job
twice at the same time. A crashed claimer's job is claimed again once its lease expires.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session as DbSession

from finstance import errors
from finstance.services.context import InstanceContext
from finstance.store import models

log = logging.getLogger("finstance.jobs")

AGGREGATE = "aggregate"
MAX_ATTEMPTS = 5

Handler = Callable[[InstanceContext, models.Job], None]
_HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def enqueue(
    ctx: InstanceContext,
    db: DbSession,
    *,
    kind: str,
    login_id: str,
    request_id: str | None,
    run_after: datetime,
    payload: dict[str, object] | None = None,
) -> models.Job:
    job = models.Job(
        id=ctx.spec.ids.random(),
        kind=kind,
        login_id=login_id,
        request_id=request_id,
        status="pending",
        run_after=run_after,
        attempts=0,
        payload=payload or {},
        created_at=ctx.clock.now(),
    )
    db.add(job)
    return job


def latest_job(db: DbSession, login_id: str) -> models.Job | None:
    return db.scalars(
        select(models.Job)
        .where(models.Job.login_id == login_id)
        .order_by(models.Job.created_at.desc(), models.Job.id.desc())
        .limit(1)
    ).first()


def latest_job_id(db: DbSession, login_id: str) -> str | None:
    job = latest_job(db, login_id)
    return job.id if job else None


def active_job(db: DbSession, login_id: str) -> models.Job | None:
    return db.scalars(
        select(models.Job).where(
            models.Job.login_id == login_id, models.Job.status.in_(("pending", "running"))
        )
    ).first()


def _claimable(now: datetime, lease: timedelta) -> object:
    return or_(
        (models.Job.status == "pending") & (models.Job.run_after <= now),
        (models.Job.status == "running") & (models.Job.claimed_at < now - lease),
    )


def claim(ctx: InstanceContext, job_id: str) -> bool:
    now = ctx.clock.now()
    with ctx.store.write() as db:
        result = db.execute(
            update(models.Job)
            .where(models.Job.id == job_id, _claimable(now, ctx.settings.job_lease))  # type: ignore[arg-type]
            .values(
                status="running", claimed_by=ctx.worker_name, claimed_at=now, attempts=models.Job.attempts + 1
            )
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def run_claimed(ctx: InstanceContext, job_id: str) -> None:
    """Run a job this process has claimed; record how it ended."""
    with ctx.store.read() as db:
        job = db.get(models.Job, job_id)
        if job is None:
            return
        db.expunge(job)
    try:
        _HANDLERS[job.kind](ctx, job)
    except errors.FlinksError as exc:
        _finish(ctx, job_id, "failed", exc.flinks_code)
    except Exception as exc:  # the type only: the message of a store error carries the row's values
        log.error("job %s (%s) failed: %s", job.id, job.kind, type(exc).__name__)
        if job.attempts >= MAX_ATTEMPTS:
            _finish(ctx, job_id, "failed", errors.AggregationError.flinks_code)
        else:
            _retry_later(ctx, job_id, job.attempts)


def try_run(ctx: InstanceContext, job_id: str) -> bool:
    """Claim and run one job now if it is due. Used by API processes so progress needs no worker."""
    if not claim(ctx, job_id):
        return False
    run_claimed(ctx, job_id)
    return True


def run_due(ctx: InstanceContext, limit: int = 20) -> int:
    now = ctx.clock.now()
    with ctx.store.read() as db:
        ids = list(
            db.scalars(
                select(models.Job.id)
                .where(_claimable(now, ctx.settings.job_lease))  # type: ignore[arg-type]
                .order_by(models.Job.run_after)
                .limit(limit)
            )
        )
    return sum(1 for job_id in ids if try_run(ctx, job_id))


def complete(db: DbSession, job_id: str, now: datetime, error_code: str | None = None) -> None:
    """Mark a job done inside the handler's own transaction, with the state it changed."""
    db.execute(
        update(models.Job)
        .where(models.Job.id == job_id)
        .values(status="done", finished_at=now, error_code=error_code)
    )


def _finish(ctx: InstanceContext, job_id: str, status: str, error_code: str | None) -> None:
    with ctx.store.write() as db:
        db.execute(
            update(models.Job)
            .where(models.Job.id == job_id)
            .values(status=status, finished_at=ctx.clock.now(), error_code=error_code)
        )


def _retry_later(ctx: InstanceContext, job_id: str, attempts: int) -> None:
    with ctx.store.write() as db:
        db.execute(
            update(models.Job)
            .where(models.Job.id == job_id)
            .values(status="pending", run_after=ctx.clock.now() + timedelta(seconds=2**attempts))
        )
