"""Statements out of uploaded documents: text PDFs, OFX/QFX and CSV, into one result type."""

from __future__ import annotations

from finstance.upload.documents import DocumentKind
from finstance.upload.extract.csv import extract_csv
from finstance.upload.extract.ofx import extract_ofx
from finstance.upload.extract.pdf import MAX_PAGES, extract_pdf
from finstance.upload.statement import ExtractionResult, ExtractionStatus


def extract_document(data: bytes, kind: DocumentKind, *, max_pages: int = MAX_PAGES) -> ExtractionResult:
    """The statement in ``data`` (of the sniffed ``kind``), reconciled, or the reason it is not."""
    if kind is DocumentKind.PDF:
        return extract_pdf(data, max_pages=max_pages)
    if kind is DocumentKind.OFX:
        return extract_ofx(data)
    if kind is DocumentKind.CSV:
        return extract_csv(data)
    return ExtractionResult(
        ExtractionStatus.UNREADABLE,
        f"{kind.value.upper()} images need text recognition, which is not offered yet",
    )


__all__ = ["extract_document"]
