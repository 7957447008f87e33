"""The job that reads an upload: each document in a child process under CPU, memory and time limits
(:func:`finstance.upload.pipeline.analyse_isolated`), then, in one transaction, every document's outcome, the
statements that reconcile saved under the upload's loginId through Connect (its KYC and GetAccountsDetail
webhooks with them), and an ``UploadFraudAlert`` webhook when a document looks tampered with.

A document that does not reconcile is never saved in part: it keeps its status and reason. When no document
gives a statement the upload fails and so does its job, so a cached ``/Authorize`` and the data calls on the
loginId answer the failure instead of waiting.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from finstance.connect import intake
from finstance.core import errors, jobs, webhooks
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.store import tables as core_tables
from finstance.upload import tables
from finstance.upload.combine import combine
from finstance.upload.fraud import FraudAnalysis, Verdict
from finstance.upload.pipeline import DocumentReport, analyse_isolated
from finstance.upload.profile import to_profile
from finstance.upload.statement import ExtractedStatement, ExtractionStatus
from finstance.upload.tables import DocumentStatus, UploadStatus

log = logging.getLogger("finstance.upload")

FRAUD_ALERT = "UploadFraudAlert"
ALERTED = (Verdict.WARNING, Verdict.HIGH_RISK)
CURRENCY = {Country.CA: "CAD", Country.US: "USD"}
_STATUS = {
    ExtractionStatus.EXTRACTED: DocumentStatus.PROCESSED,
    ExtractionStatus.UNRECONCILED: DocumentStatus.UNRECONCILED,
    ExtractionStatus.NO_TRANSACTION_TABLE: DocumentStatus.NO_TRANSACTIONS,
    ExtractionStatus.UNREADABLE: DocumentStatus.REJECTED,
}


def _reason_code(report: DocumentReport) -> str | None:
    if report.rejected:
        return report.rejected
    return {
        ExtractionStatus.UNRECONCILED: "unreconciled",
        ExtractionStatus.NO_TRANSACTION_TABLE: "no_transaction_table",
        ExtractionStatus.UNREADABLE: "unreadable",
    }.get(report.result.status)


def _signals(fraud: FraudAnalysis) -> list[dict[str, Any]]:
    return [
        {
            "type": s.type.value,
            "page": s.page,
            "evidence": [{"specific_type": e.specific_type, "value": e.value} for e in s.evidence],
        }
        for s in fraud.signals
    ]


def process(ctx: InstanceContext, job: core_tables.Job) -> None:
    upload_id = str(job.payload.get("upload_id", ""))
    with ctx.store.read() as db:
        upload = db.get(tables.Upload, upload_id)
        pending = (
            list(
                db.execute(
                    select(tables.UploadDocument.id, tables.UploadDocument.content)
                    .where(
                        tables.UploadDocument.upload_id == upload_id,
                        tables.UploadDocument.status == DocumentStatus.PENDING,
                    )
                    .order_by(tables.UploadDocument.position)
                )
            )
            if upload is not None
            else []
        )
    if upload is None:  # forgotten meanwhile (DeleteCard): nothing to read
        with ctx.store.write() as db:
            jobs.complete(db, job.id, ctx.clock.now())
        return
    reports = {doc_id: analyse_isolated(content or b"") for doc_id, content in pending}
    statements: list[ExtractedStatement] = [
        r.result.statement for r in reports.values() if r.result.ok and r.result.statement is not None
    ]
    now = ctx.clock.now()
    saved = False
    with ctx.store.write() as db:
        row = db.get(tables.Upload, upload_id, with_for_update=True)
        if row is None:
            jobs.complete(db, job.id, now)
            return
        alerts = []
        for doc_id, report in reports.items():
            document = db.get(tables.UploadDocument, doc_id)
            if document is None:
                continue
            result = report.result
            document.status = _STATUS[result.status]
            document.reason_code = _reason_code(report)
            document.reason = None if result.ok else result.reason
            document.pages = result.pages
            if result.ok and result.statement is not None:
                document.accounts = len(result.statement.accounts)
                document.transactions = sum(len(a.transactions) for a in result.statement.accounts)
            if report.fraud is not None:
                document.verdict = report.fraud.verdict.value
                document.signals = _signals(report.fraud)
                if report.fraud.verdict in ALERTED:
                    alerts.append((document, report.fraud))
        row.finished_at = now
        if statements:
            profile = to_profile(
                combine(statements),
                key=row.login_id,
                country=ctx.spec.country.value,
                currency=CURRENCY[ctx.spec.country],
            )
            saved = intake.deliver(ctx, db, row.login_id, profile, now=now)
        row.status = UploadStatus.COMPLETED if saved else UploadStatus.FAILED
        if not webhooks.endpoint_urls(db):
            alerts = []  # no endpoint: nothing would be delivered, keep no copy
        for document, fraud in alerts:
            webhooks.emit(
                ctx,
                db,
                FRAUD_ALERT,
                {
                    "LoginId": row.login_id,
                    "UploadId": row.id,
                    "DocumentId": document.id,
                    "FileName": document.name,
                    "Status": fraud.verdict.value,
                    "FraudSignals": sorted({s.type.value for s in fraud.signals}),
                },
                row.login_id,
                seq=2,
            )
        if saved:
            jobs.complete(db, job.id, now)
        else:
            jobs.fail(db, job.id, now, errors.AggregationError.flinks_code)
    if saved:
        intake.delivered(ctx, row.login_id)
    log.info(
        "upload %s read: %d document(s), %s", upload_id, len(reports), "saved" if saved else "nothing saved"
    )
