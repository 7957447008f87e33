"""One uploaded document from bytes to a report: kind, safety checks, extraction and fraud analysis.

Every failure is a per-document outcome (:class:`DocumentReport` with a reason code), never an exception
that takes the batch down. PDFs are checked before any parser sees them, within fixed bounds: the file
must end in ``%%EOF`` (else truncated), no Flate stream may inflate past 64 MB nor all of them past
256 MB (a decompression bomb is measured by inflating it in bounded pieces, never whole), the document
must not be encrypted and may have at most 200 pages. :func:`analyse_isolated` runs the same in a child
process under CPU-time and address-space limits (``resource.setrlimit``) and a wall-clock timeout, for a
worker that must survive a hostile file.
"""

from __future__ import annotations

import io
import pickle
import re
import subprocess
import sys
import zlib
from dataclasses import dataclass

from finstance.upload.documents import DocumentKind, DocumentRejected, sniff
from finstance.upload.extract import extract_document, ocr
from finstance.upload.extract.pdf import MAX_PAGES, extract_lines, read_lines
from finstance.upload.fraud import FraudAnalysis, analyse_pdf
from finstance.upload.statement import ExtractionResult, ExtractionStatus

MAX_STREAM_INFLATED = 64 * 1024 * 1024
MAX_TOTAL_INFLATED = 256 * 1024 * 1024
_CHUNK = 64 * 1024
_STREAM = re.compile(rb"stream\r?\n")


@dataclass(frozen=True, slots=True)
class DocumentReport:
    kind: DocumentKind | None
    result: ExtractionResult
    fraud: FraudAnalysis | None = None
    rejected: str | None = None  # reason code when the document was refused before extraction

    @classmethod
    def refused(cls, kind: DocumentKind | None, code: str, message: str) -> DocumentReport:
        return cls(kind, ExtractionResult(ExtractionStatus.UNREADABLE, message), None, code)


def _inflated_size(data: bytes, start: int, limit: int) -> int:
    inflater = zlib.decompressobj()
    size, position = 0, start
    try:
        while not inflater.eof and position < len(data):
            piece = data[position : position + _CHUNK]
            position += len(piece)
            size += len(inflater.decompress(piece, limit + 1 - size))
            while inflater.unconsumed_tail and size <= limit:
                size += len(inflater.decompress(inflater.unconsumed_tail, limit + 1 - size))
            if size > limit:
                break
    except zlib.error:
        return 0  # not a Flate stream (images, other filters): nothing is inflated by the text reader
    return size


def check_pdf(data: bytes, *, max_pages: int = MAX_PAGES) -> None:
    """Raise :class:`DocumentRejected` unless the PDF is complete, small once inflated, open and short."""
    if b"%%EOF" not in data[-1024:]:
        raise DocumentRejected("truncated", "The PDF is incomplete: it does not end with %%EOF.")
    total = 0
    for m in _STREAM.finditer(data):
        size = _inflated_size(data, m.end(), MAX_STREAM_INFLATED)
        total += size
        if size > MAX_STREAM_INFLATED or total > MAX_TOTAL_INFLATED:
            raise DocumentRejected(
                "decompression_bomb", "The PDF holds compressed data that inflates past the allowed size."
            )
    from pypdf import PdfReader  # the PDF libraries load when a document is read, not with the server
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentRejected("encrypted", "The PDF is password-protected or encrypted.")
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise DocumentRejected("malformed", f"The PDF cannot be read: {exc}") from exc
    if pages > max_pages:
        raise DocumentRejected("too_many_pages", f"The PDF has {pages} pages; at most {max_pages} are read.")
    if pages == 0:
        raise DocumentRejected("malformed", "The PDF has no pages.")


def analyse(data: bytes, *, max_pages: int = MAX_PAGES) -> DocumentReport:
    """Sniff, check, extract and (for PDFs) analyse one document."""
    try:
        kind = sniff(data)
    except DocumentRejected as exc:
        return DocumentReport.refused(None, exc.code, exc.message)
    if kind is not DocumentKind.PDF:
        return DocumentReport(kind, extract_document(data, kind))
    try:
        check_pdf(data, max_pages=max_pages)
        pages, lines = read_lines(data, max_pages=max_pages)
    except DocumentRejected as exc:
        return DocumentReport.refused(kind, exc.code, exc.message)
    except Exception as exc:  # a parser's failure on a hostile file is that file's outcome
        return DocumentReport.refused(kind, "malformed", f"The PDF cannot be read: {type(exc).__name__}")
    if not lines:  # a scan: its pages are recognised
        try:
            recognised = ocr.recognise_pdf(data, max_pages=max_pages)
        except ocr.RecognitionError as exc:
            return DocumentReport.refused(kind, "no_text", f"The PDF has no text layer and {exc}.")
        pages, lines = recognised.pages, recognised.lines
        if not lines:
            return DocumentReport.refused(
                kind, "no_text", "The PDF has no text layer and text recognition found no text in it."
            )
    result = extract_lines(pages, lines)
    return DocumentReport(kind, result, analyse_pdf(data, lines, pages, result))


def analyse_isolated(
    data: bytes,
    *,
    cpu_seconds: int = 60,
    memory_bytes: int = 2 * 1024**3,
    timeout_seconds: float = 120.0,
    max_pages: int = MAX_PAGES,
) -> DocumentReport:
    """:func:`analyse` in a child process with CPU, memory and wall-clock limits; a limit hit is a report.

    The child is a fresh interpreter running :mod:`finstance.upload.child` (not a ``multiprocessing`` child,
    which would import the parent's main script again: a script without a ``__main__`` guard, or a server
    started from one, would run twice). The document goes in on its standard input and the report comes
    back pickled on its standard output; what it writes on its standard error is dropped, since a parser's
    warning may quote the document.
    """
    command = [
        sys.executable,
        "-m",
        "finstance.upload.child",
        str(cpu_seconds),
        str(memory_bytes),
        str(max_pages),
    ]
    try:
        done = subprocess.run(  # noqa: S603 (our own module, with numbers as arguments)
            command, input=data, capture_output=True, timeout=timeout_seconds, check=False
        )
    except subprocess.TimeoutExpired:
        return DocumentReport.refused(None, "time_limit", "Reading the document took too long.")
    if done.returncode == 0 and done.stdout:
        try:
            report = pickle.loads(done.stdout)  # noqa: S301 (written by our own child process)
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            report = None
        if isinstance(report, DocumentReport):
            return report
    return DocumentReport.refused(None, "resource_limit", "Reading the document exceeded its limits.")
