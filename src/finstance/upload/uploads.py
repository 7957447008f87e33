"""An upload from its files to its loginId: taken (limits and kinds checked, files kept in the instance's
store, a loginId opened, the job queued, all in one transaction), then read back as its state and its fraud
analysis.

Files are refused as a whole only for Flinks' batch limits (24 files, 20 MB a file, 180 MB in all) or an
empty batch; a file of a kind Upload cannot read is kept as a rejected document with its reason, so the
end-user sees which file failed and why while the others go on.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from finstance.connect import intake, reads
from finstance.core import errors, jobs
from finstance.core.context import InstanceContext
from finstance.core.identifiers import canonical
from finstance.upload import tables, wire
from finstance.upload.documents import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, DocumentRejected, sniff
from finstance.upload.tables import DocumentStatus, UploadStatus

PROCESS = "upload.process"  # the job kind that reads an upload's documents
MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class File:
    name: str
    content: bytes


def _limits(files: Sequence[File]) -> None:
    if not files:
        raise errors.InvalidRequest("An upload needs at least one file.")
    if len(files) > MAX_FILES:
        raise errors.InvalidRequest(f"An upload takes at most {MAX_FILES} files, not {len(files)}.")
    total = 0
    for position, f in enumerate(files, start=1):
        if len(f.content) > MAX_FILE_BYTES:
            raise errors.PayloadTooLarge(f"File {position} is larger than 20 MB, the most a file may be.")
        total += len(f.content)
    if total > MAX_TOTAL_BYTES:
        raise errors.PayloadTooLarge("The files of one upload may be at most 180 MB in all.")


def _clean_name(name: str, position: int) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:MAX_NAME] or f"document-{position}"


def create(
    ctx: InstanceContext,
    files: Sequence[File],
    *,
    source: str,
    language: str = "en",
    client_id: str | None = None,
    page: str | None = None,
) -> wire.UploadState:
    """Take an upload: its files kept, its loginId opened, its job queued. Raises 400/413 for a bad batch."""
    _limits(files)
    now = ctx.clock.now()
    with ctx.store.write() as db:
        login_id = intake.open_login(ctx, db, language=language, now=now)
        upload_id = ctx.spec.ids.random()
        job = jobs.enqueue(
            ctx, db, kind=PROCESS, login_id=login_id, request_id=None, run_after=now,
            payload={"upload_id": upload_id},
        )  # fmt: skip
        db.add(
            tables.Upload(
                id=upload_id,
                login_id=login_id,
                source=source,
                client_id=client_id,
                page=page,
                status=UploadStatus.PENDING,
                job_id=job.id,
                created_at=now,
                finished_at=None,
            )
        )
        db.flush()
        for position, f in enumerate(files):
            try:
                kind: str | None = sniff(f.content).value
                status, code, reason = DocumentStatus.PENDING, None, None
            except DocumentRejected as exc:
                kind, status, code, reason = None, DocumentStatus.REJECTED, exc.code, exc.message
            db.add(
                tables.UploadDocument(
                    id=ctx.spec.ids.random(),
                    upload_id=upload_id,
                    login_id=login_id,
                    position=position,
                    name=_clean_name(f.name, position + 1),
                    kind=kind,
                    size=len(f.content),
                    content=f.content,
                    status=status,
                    reason_code=code,
                    reason=reason,
                )
            )
        db.flush()
        return _state(db, db.get(tables.Upload, upload_id))


def _state(db: DbSession, upload: tables.Upload | None) -> wire.UploadState:
    assert upload is not None
    documents = db.scalars(
        select(tables.UploadDocument)
        .where(tables.UploadDocument.upload_id == upload.id)
        .order_by(tables.UploadDocument.position)
    )
    return wire.UploadState(
        http_status_code=200,
        upload_id=upload.id,
        login_id=upload.login_id,
        status=upload.status.value,
        documents=[
            wire.DocumentState(
                document_id=d.id,
                file_name=d.name,
                kind=d.kind,
                status=d.status.value,
                reason=wire.DocumentReason(code=d.reason_code, message=d.reason or "")
                if d.reason_code
                else None,
                pages=d.pages,
                accounts=d.accounts,
                transactions=d.transactions,
                fraud_verdict=d.verdict,
            )
            for d in documents
        ],
    )


def _not_found() -> errors.NotFound:
    return errors.NotFound("No upload of this instance has this UploadId.")


def state(
    ctx: InstanceContext, upload_id: str, *, client_id: str | None = None, page: str | None = None
) -> wire.UploadState:
    """An upload's state; only to the API client (or the upload page) that sent it when one is given."""
    key = canonical(upload_id)
    with ctx.store.read() as db:
        upload = db.get(tables.Upload, key) if key else None
        if (
            upload is None
            or (client_id is not None and upload.client_id != client_id)
            or (page is not None and upload.page != page)
        ):
            raise _not_found()
        return _state(db, upload)


def advance(ctx: InstanceContext, upload_id: str) -> None:
    """Read a pending upload in this process unless another has claimed it (as Connect's data calls run a
    due aggregation): an instance without a worker still reads its uploads."""
    with ctx.store.read() as db:
        upload = db.get(tables.Upload, upload_id)
        job_id = upload.job_id if upload is not None and upload.status is UploadStatus.PENDING else None
    if job_id is not None:
        jobs.try_run(ctx, job_id)


def read_now(ctx: InstanceContext, upload_id: str, *, timeout: float = 600.0) -> wire.UploadState:
    """Read an upload in this process (the CLI's way), or wait for the worker that claimed it first."""
    deadline = time.monotonic() + timeout
    advance(ctx, upload_id)
    while True:
        found = state(ctx, upload_id)
        if found.status != UploadStatus.PENDING.value or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


def of_login(ctx: InstanceContext, login_id: str) -> list[wire.UploadState]:
    with ctx.store.read() as db:
        uploads = db.scalars(
            select(tables.Upload).where(tables.Upload.login_id == login_id).order_by(tables.Upload.created_at)
        )
        return [_state(db, u) for u in uploads]


def _signals(stored: list[dict[str, Any]]) -> list[wire.FraudSignal]:
    grouped: dict[tuple[str, int], list[list[dict[str, str]]]] = {}
    for signal in stored:
        grouped.setdefault((signal["type"], signal["page"]), []).append(signal["evidence"])
    return [
        wire.FraudSignal(
            type=kind,
            page_number=page,
            count=len(occurrences),
            underlying_data=[
                wire.UnderlyingData(
                    details=[wire.FraudDetail(specific_type=e["specific_type"], value=e["value"]) for e in ev]
                )
                for ev in occurrences
            ],
        )
        for (kind, page), occurrences in grouped.items()
    ]


def fraud_analysis(ctx: InstanceContext, login_id: str | None) -> wire.FraudAnalysisResponse:
    """FraudAnalysis of a login's uploaded documents: another instance's loginId is refused as such, an
    unknown one with INVALID_LOGIN, one still being read with 202 OPERATION_PENDING. A login of this instance
    with no uploaded document (a bank connection) has no document to find fraud in."""
    with ctx.store.read() as db:
        login = reads.find_login(ctx, db, login_id)
        uploads = list(
            db.scalars(
                select(tables.Upload)
                .where(tables.Upload.login_id == login.id)
                .order_by(tables.Upload.created_at)
            )
        )
        if any(u.status is UploadStatus.PENDING for u in uploads):
            raise errors.OperationPending("The documents of this login are still being read.")
        documents = list(
            db.scalars(
                select(tables.UploadDocument)
                .where(tables.UploadDocument.login_id == login.id, tables.UploadDocument.verdict.is_not(None))
                .order_by(tables.UploadDocument.upload_id, tables.UploadDocument.position)
            )
        )
    analyses = [
        wire.DocumentAnalysis(
            status=d.verdict or "",
            document_id=d.id,
            file_name=d.name,
            full_analysis=[
                wire.FullAnalysis(document_type="BankStatement", fraud_signals=_signals(d.signals or []))
            ],
        )
        for d in documents
    ]
    found = any(a.full_analysis[0].fraud_signals for a in analyses)
    return wire.FraudAnalysisResponse(
        http_status_code=200,
        message=wire.FRAUD if found else wire.NO_FRAUD,
        login=wire.LoginRef(login_id=login.id, request_id=uploads[-1].id if uploads else None),
        document_analysis=analyses,
    )
