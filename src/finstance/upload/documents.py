"""What an uploaded file is, from its bytes (never its name), and the limits an upload must keep.

Limits are Flinks': at most 24 files, 20 MB a file and 180 MB in all. Kinds: PDF, JPEG, PNG and TIFF
(statements as documents or scans), OFX/QFX and CSV (statements as data); anything else is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

MAX_FILES = 24
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 180 * 1024 * 1024


class DocumentKind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    OFX = "ofx"  # OFX 1.x (SGML) or 2.x (XML); QFX is OFX with Quicken's tags
    CSV = "csv"

    @property
    def is_image(self) -> bool:
        return self in (DocumentKind.JPEG, DocumentKind.PNG, DocumentKind.TIFF)


class DocumentRejected(Exception):
    """A file or an upload that cannot be taken, with a stable reason code and a message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_OFX = re.compile(rb"^\s*(?:OFXHEADER\s*:|<\?xml[^>]*>\s*(?:<\?OFX|<OFX>)|<OFX>)", re.IGNORECASE)
_CSV_HEADER = re.compile(r"\bdate\b", re.IGNORECASE)


def sniff(data: bytes) -> DocumentKind:
    """The kind of ``data``; raises :class:`DocumentRejected` (``unsupported_format``) for anything else."""
    if not data:
        raise DocumentRejected("empty_file", "The file is empty.")
    head = data[:1024]
    if b"%PDF-" in head:
        return DocumentKind.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return DocumentKind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocumentKind.PNG
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return DocumentKind.TIFF
    if _OFX.search(head.lstrip(b"\xef\xbb\xbf")):
        return DocumentKind.OFX
    if _is_csv(head):
        return DocumentKind.CSV
    raise DocumentRejected(
        "unsupported_format", "The file is not a PDF, JPEG, PNG, TIFF, OFX/QFX or CSV document."
    )


def _is_csv(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    first = text.splitlines()[0] if text.splitlines() else ""
    return ("," in first or ";" in first or "\t" in first) and bool(_CSV_HEADER.search(first))


def check_upload(files: Sequence[bytes]) -> list[DocumentKind]:
    """The kind of every file of one upload, after checking Flinks' count and size limits."""
    if not files:
        raise DocumentRejected("no_files", "The upload has no files.")
    if len(files) > MAX_FILES:
        raise DocumentRejected(
            "too_many_files", f"An upload takes at most {MAX_FILES} files, not {len(files)}."
        )
    total = 0
    kinds = []
    for position, data in enumerate(files, start=1):
        if len(data) > MAX_FILE_BYTES:
            raise DocumentRejected(
                "file_too_large", f"File {position} is {len(data)} bytes; a file may be at most 20 MB."
            )
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise DocumentRejected(
                "upload_too_large", "The files of one upload may be at most 180 MB in all."
            )
        try:
            kinds.append(sniff(data))
        except DocumentRejected as exc:
            raise DocumentRejected(exc.code, f"File {position}: {exc.message}") from exc
    return kinds
