"""Scans and pictures of statements, read by text recognition (tesseract): exactly what the text PDF holds,
or, when a figure is misread or hidden, a statement that does not reconcile and no data."""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from PIL import Image, ImageDraw

from finstance.upload.documents import DocumentKind
from finstance.upload.extract import extract_document, ocr
from finstance.upload.extract.pdf import extract_pdf, read_lines
from finstance.upload.extract.words import fold
from finstance.upload.pipeline import analyse
from finstance.upload.statement import ExtractedStatement, ExtractionStatus
from tests.upload.layouts import LAYOUTS
from tests.upload.test_fraud import ORIGINAL
from tests.upload.test_sandbox_statements import long_statement, row


@pytest.fixture(autouse=True)
def tesseract() -> None:
    if not ocr.available():
        if os.environ.get("FINSTANCE_REQUIRE_OCR"):
            pytest.fail("the tesseract program is required (apt-get install tesseract-ocr tesseract-ocr-fra)")
        pytest.skip(
            "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-fra); "
            ".ci/run installs it"
        )


def pictures(pdf: bytes, dpi: int = 300) -> list[Image.Image]:
    """The pages of a PDF as a scanner would give them: images, no text."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def scanned_pdf(images: list[Image.Image], dpi: int = 300) -> bytes:
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def encoded(image: Image.Image, kind: str, dpi: int = 300) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, dpi=(dpi, dpi), **({"quality": 95} if kind == "JPEG" else {}))
    return out.getvalue()


def rows(statement: ExtractedStatement | None) -> list[list[tuple[object, ...]]]:
    assert statement is not None
    return [[row(t) for t in account.transactions] for account in statement.accounts]


def test_a_scan_of_a_sandbox_statement_reads_back_exactly() -> None:
    text = extract_pdf(ORIGINAL)
    assert text.statement is not None
    scan = scanned_pdf(pictures(ORIGINAL))
    assert extract_pdf(scan).status is ExtractionStatus.UNREADABLE  # no text layer: only pixels
    report = analyse(scan)
    assert report.rejected is None, report.result.reason
    assert report.result.status is ExtractionStatus.EXTRACTED, report.result.reason
    scanned = report.result.statement
    assert scanned is not None
    assert rows(scanned) == rows(text.statement)
    assert [(a.number, a.opening_balance_cents, a.closing_balance_cents) for a in scanned.accounts] == [
        (a.number, a.opening_balance_cents, a.closing_balance_cents) for a in text.statement.accounts
    ]
    assert (scanned.period_start, scanned.period_end) == (
        text.statement.period_start,
        text.statement.period_end,
    )


@pytest.mark.parametrize(("layout", "kind"), [("ca-french", "PNG"), ("us-signed-amount", "JPEG")])
def test_a_picture_of_another_producer_s_statement_reads_back_exactly(layout: str, kind: str) -> None:
    build: Callable[[], tuple[bytes, object]] = LAYOUTS[layout]
    pdf, _ = build()
    [page] = pictures(pdf)
    data = encoded(page, kind)
    result = extract_document(data, DocumentKind(kind.lower()))
    assert result.status is ExtractionStatus.EXTRACTED, result.reason
    # Every figure and date exactly; descriptions as read, up to accents and spacing (É read as E).
    assert loose(rows(result.statement)) == loose(rows(extract_pdf(pdf).statement))


def loose(accounts: list[list[tuple[object, ...]]]) -> list[list[tuple[object, ...]]]:
    return [[(r[0], fold(str(r[1])).replace(" ", ""), *r[2:]) for r in rows] for rows in accounts]


def test_a_figure_hidden_on_the_scan_leaves_the_statement_unreconciled_with_no_data() -> None:
    text = extract_pdf(ORIGINAL)
    assert text.statement is not None
    first = text.statement.accounts[0].transactions[0]
    figure = f"{(first.debit_cents or first.credit_cents or 0) / 100:,.2f}"
    _, lines = read_lines(ORIGINAL)
    [word] = [
        w for ln in lines for w in ln.words if w.text == figure and first.description.split()[0] in ln.text
    ]
    [page] = pictures(ORIGINAL)
    scale = 300 / 72  # points to pixels: white out the first row's amount
    box = ((word.x0 - 1) * scale, (word.top - 1) * scale, (word.x1 + 1) * scale, (word.baseline + 3) * scale)
    ImageDraw.Draw(page).rectangle(box, fill=255)
    report = analyse(scanned_pdf([page]))
    assert report.result.statement is None
    assert report.result.status is ExtractionStatus.UNRECONCILED, report.result.reason


def test_an_image_too_large_to_read_is_refused_before_recognition() -> None:
    huge = Image.new("L", (9000, 9000), 255)
    result = extract_document(encoded(huge, "PNG"), DocumentKind.PNG)
    assert result.status is ExtractionStatus.UNREADABLE
    assert "too large" in result.reason


def test_a_scan_of_several_pages_reads_each_page_as_its_own() -> None:
    pdf, _ = long_statement(70)
    text = extract_pdf(pdf)
    assert text.statement is not None and text.pages >= 2
    scan = analyse(scanned_pdf(pictures(pdf)))
    assert scan.result.status is ExtractionStatus.EXTRACTED, scan.result.reason
    assert scan.result.pages == text.pages
    assert loose(rows(scan.result.statement)) == loose(rows(text.statement))
    assert {t.page for t in scan.result.statement.accounts[0].transactions} == set(range(1, text.pages + 1))


@pytest.mark.parametrize(
    ("read", "kept"),
    [
        ("|PAYROLL", "PAYROLL"),
        ("|=", ""),
        ("©", ""),
        ("2025-12-22.", "2025-12-22"),
        ("80.00,", "80.00"),
        ("févr.", "févr."),
        ("-", "-"),
        ("&", "&"),
        ("****", "****"),
        ("#4724", "#4724"),
        ("'", ""),
    ],
)
def test_what_recognition_keeps_of_a_word(read: str, kept: str) -> None:
    assert ocr.clean(read) == kept
