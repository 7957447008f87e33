"""Background jobs kept in the instance's store, claimed by whichever process gets there first.

A job's kind names its handler, which the product that queues it declares (``Product.jobs``).
Claiming is one conditional UPDATE (``WHERE status = 'pending'``, or a running job whose lease ran out),
atomic on SQLite and PostgreSQL alike, so N API processes and workers of one instance never run a job
twice at the same time. A crashed claimer's job is claimed again once its lease expires.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, ScalarSelect, Select, Table, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.states import JobStatus
from finstance.core.store import tables

log = logging.getLogger("finstance.jobs")

MAX_ATTEMPTS = 5


def enqueue(
    ctx: InstanceContext,
    db: DbSession,
    *,
    kind: str,
    login_id: str,
    request_id: str | None,
    run_after: datetime,
    payload: dict[str, object] | None = None,
) -> tables.Job:
    job = tables.Job(
        id=ctx.spec.ids.random(),
        kind=kind,
        login_id=login_id,
        request_id=request_id,
        status=JobStatus.PENDING,
        run_after=run_after,
        attempts=0,
        payload=payload or {},
        created_at=ctx.clock.now(),
    )
    db.add(job)
    return job


def latest_job(db: DbSession, login_id: str) -> tables.Job | None:
    return db.scalars(
        select(tables.Job)
        .where(tables.Job.login_id == login_id)
        .order_by(tables.Job.created_at.desc(), tables.Job.id.desc())
        .limit(1)
    ).first()


def latest_job_id(db: DbSession, login_id: str) -> str | None:
    """The id of :func:`latest_job`, read without loading the job (its payload can be large)."""
    found: str | None = db.connection().execute(LATEST_ID, {"login_id": login_id}).scalar()
    return found


def _latest_id(login_id: ColumnElement[Any]) -> Select[str]:
    return (
        select(tables.Job.id)
        .where(tables.Job.login_id == login_id)
        .order_by(tables.Job.created_at.desc(), tables.Job.id.desc())
        .limit(1)
    )


def latest_job_id_of(login_id: ColumnElement[Any]) -> ScalarSelect[Any]:
    """:func:`latest_job_id` as an expression of a statement (``login_id`` a parameter or a column)."""
    return _latest_id(login_id).scalar_subquery()


LATEST_ID = _latest_id(bindparam("login_id"))


def active_job(db: DbSession, login_id: str) -> tables.Job | None:
    return db.scalars(
        select(tables.Job).where(
            tables.Job.login_id == login_id, tables.Job.status.in_((JobStatus.PENDING, JobStatus.RUNNING))
        )
    ).first()


_JOBS = cast(Table, tables.Job.__table__)
# A job any process may claim (params ``now`` and ``expired``, the claims older than the lease): due and
# pending, or running under a lease that expired (its process died).
_CLAIMABLE = or_(
    and_(_JOBS.c.status == JobStatus.PENDING, _JOBS.c.run_after <= bindparam("now")),
    and_(_JOBS.c.status == JobStatus.RUNNING, _JOBS.c.claimed_at < bindparam("expired")),
)
# Claim one job: the hot path of a poll that runs a due job, in Core statements run on the driver
# (Store.change_on, Store.first), which cost a fraction of an ORM unit of work.
_CLAIM = (
    update(_JOBS)
    .where(_JOBS.c.id == bindparam("job_id"), _CLAIMABLE)
    .values(
        status=JobStatus.RUNNING,
        claimed_by=bindparam("worker"),
        claimed_at=bindparam("now"),
        attempts=_JOBS.c.attempts + 1,
    )
)
_JOB = select(*_JOBS.c).where(_JOBS.c.id == bindparam("job_id"))
_DUE = select(_JOBS.c.id).where(_CLAIMABLE).order_by(_JOBS.c.run_after).limit(bindparam("limit"))


def _claim_params(ctx: InstanceContext) -> dict[str, Any]:
    now = ctx.clock.now()
    return {"now": now, "expired": now - ctx.settings.job_lease}


def claim(ctx: InstanceContext, job_id: str) -> bool:
    params = {**_claim_params(ctx), "job_id": job_id, "worker": ctx.worker_name}
    with ctx.store.transaction() as conn:
        return ctx.store.change_on(conn, _CLAIM, params) == 1


def run_claimed(ctx: InstanceContext, job_id: str) -> None:
    """Run a job this process has claimed; record how it ended."""
    row = ctx.store.first(_JOB, {"job_id": job_id})
    if row is None:
        return
    job = tables.Job(**dict(zip(_JOBS.c.keys(), row, strict=True)))  # a copy no session holds
    handler = ctx.job_handler(job.kind)
    if handler is None:  # no product of this instance runs this kind: it never will, here
        log.error("job %s: no product of instance %s runs jobs of kind %r", job.id, ctx.spec.name, job.kind)
        _finish(ctx, job_id, JobStatus.FAILED, errors.AggregationError.flinks_code)
        return
    try:
        handler(ctx, job)
    except errors.FlinksError as exc:
        _finish(ctx, job_id, JobStatus.FAILED, exc.flinks_code)
    except Exception as exc:  # the type only: the message of a store error carries the row's values
        log.error("job %s (%s) failed: %s", job.id, job.kind, type(exc).__name__)
        if job.attempts >= MAX_ATTEMPTS:
            _finish(ctx, job_id, JobStatus.FAILED, errors.AggregationError.flinks_code)
        else:
            _retry_later(ctx, job_id, job.attempts)


def try_run(ctx: InstanceContext, job_id: str) -> bool:
    """Claim and run one job now if it is due. Used by API processes so progress needs no worker."""
    if not claim(ctx, job_id):
        return False
    run_claimed(ctx, job_id)
    return True


def run_due(ctx: InstanceContext, limit: int = 20) -> int:
    with ctx.store.read() as db:
        ids = list(db.scalars(_DUE, {**_claim_params(ctx), "limit": limit}))
    return sum(1 for job_id in ids if try_run(ctx, job_id))


def complete(db: DbSession, job_id: str, now: datetime, error_code: str | None = None) -> None:
    """Mark a job done inside the handler's own transaction, with the state it changed."""
    db.execute(
        update(tables.Job)
        .where(tables.Job.id == job_id)
        .values(status=JobStatus.DONE, finished_at=now, error_code=error_code)
    )


def fail(db: DbSession, job_id: str, now: datetime, error_code: str) -> None:
    """Mark a job failed inside the handler's own transaction, with the state it recorded of why."""
    db.execute(
        update(tables.Job)
        .where(tables.Job.id == job_id)
        .values(status=JobStatus.FAILED, finished_at=now, error_code=error_code)
    )


def _finish(ctx: InstanceContext, job_id: str, status: JobStatus, error_code: str | None) -> None:
    with ctx.store.write() as db:
        db.execute(
            update(tables.Job)
            .where(tables.Job.id == job_id)
            .values(status=status, finished_at=ctx.clock.now(), error_code=error_code)
        )


def _retry_later(ctx: InstanceContext, job_id: str, attempts: int) -> None:
    with ctx.store.write() as db:
        db.execute(
            update(tables.Job)
            .where(tables.Job.id == job_id)
            .values(status=JobStatus.PENDING, run_after=ctx.clock.now() + timedelta(seconds=2**attempts))
        )
