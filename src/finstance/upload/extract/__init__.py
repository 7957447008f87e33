"""Statements out of uploaded documents: text PDFs, scans and pictures (recognised), OFX/QFX and CSV, into one
result type."""

from __future__ import annotations

from finstance.upload.documents import DocumentKind
from finstance.upload.extract import ocr
from finstance.upload.extract.csv import extract_csv
from finstance.upload.extract.ofx import extract_ofx
from finstance.upload.extract.pdf import MAX_PAGES, extract_lines, extract_pdf
from finstance.upload.statement import ExtractionResult, ExtractionStatus


def extract_document(data: bytes, kind: DocumentKind, *, max_pages: int = MAX_PAGES) -> ExtractionResult:
    """The statement in ``data`` (of the sniffed ``kind``), reconciled, or the reason it is not."""
    if kind is DocumentKind.PDF:
        return extract_pdf(data, max_pages=max_pages)
    if kind is DocumentKind.OFX:
        return extract_ofx(data)
    if kind is DocumentKind.CSV:
        return extract_csv(data)
    return extract_recognised(data, kind, max_pages=max_pages)


def extract_recognised(data: bytes, kind: DocumentKind, *, max_pages: int = MAX_PAGES) -> ExtractionResult:
    """The statement in a scanned PDF or a picture, read by text recognition (``extract/ocr.py``)."""
    try:
        if kind is DocumentKind.PDF:
            recognised = ocr.recognise_pdf(data, max_pages=max_pages)
        else:
            recognised = ocr.recognise_picture(data, max_pages=max_pages)
    except ocr.RecognitionError as exc:
        return ExtractionResult(ExtractionStatus.UNREADABLE, f"text recognition failed: {exc}")
    if not recognised.lines:
        return ExtractionResult(
            ExtractionStatus.UNREADABLE, "text recognition found no text", pages=recognised.pages
        )
    return extract_lines(recognised.pages, recognised.lines)


__all__ = ["extract_document", "extract_recognised"]
