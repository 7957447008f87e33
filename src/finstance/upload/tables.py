"""Upload's tables: an upload (one end-user's batch of documents, one loginId) and its documents, with their
bytes, what was read from each and its fraud analysis.

The files stay in the instance's own store, as everything else of the instance does; DeleteCard removes them
with the login (:mod:`finstance.upload.forget`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from finstance.core.store.tables import GUID, Base
from finstance.core.store.types import EnumText, UTCDateTime


class UploadStatus(enum.StrEnum):
    PENDING = "Pending"  # waiting for the worker
    COMPLETED = "Completed"  # at least one document's data was saved under the loginId
    FAILED = "Failed"  # no document could be read as a complete statement


class DocumentStatus(enum.StrEnum):
    PENDING = "Pending"
    PROCESSED = "Processed"  # read, reconciled, saved
    UNRECONCILED = "Unreconciled"  # rows read, balances do not add up: nothing saved
    NO_TRANSACTIONS = "NoTransactionTable"  # no statement table found
    REJECTED = "Rejected"  # refused before reading (format, limits, encrypted, truncated, ...)


class Upload(Base):
    __tablename__ = "uploads"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    login_id: Mapped[str] = mapped_column(GUID, index=True)
    source: Mapped[str] = mapped_column(String(16))  # api, connect, cli
    client_id: Mapped[str | None] = mapped_column(String(36))  # the API client that sent it
    page: Mapped[str | None] = mapped_column(String(32))  # the upload page (its ticket's nonce) that sent it
    status: Mapped[UploadStatus] = mapped_column(EnumText(UploadStatus))
    job_id: Mapped[str] = mapped_column(GUID)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UploadDocument(Base):
    __tablename__ = "upload_documents"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    upload_id: Mapped[str] = mapped_column(GUID, ForeignKey("uploads.id", ondelete="CASCADE"), index=True)
    login_id: Mapped[str] = mapped_column(GUID, index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str | None] = mapped_column(String(8))  # pdf, jpeg, png, tiff, ofx, csv
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[DocumentStatus] = mapped_column(EnumText(DocumentStatus, 24))
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    accounts: Mapped[int] = mapped_column(Integer, default=0)
    transactions: Mapped[int] = mapped_column(Integer, default=0)
    verdict: Mapped[str | None] = mapped_column(String(16))  # Trust, Normal, Warning, High Risk
    signals: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # the fraud signals and evidence
