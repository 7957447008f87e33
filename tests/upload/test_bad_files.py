"""Hostile and broken files: each gives a clear per-document refusal, quickly and within bounded memory."""

from __future__ import annotations

import io
import random
import time
import zlib

from PIL import Image
from pypdf import PdfWriter

from finstance.upload.pipeline import analyse, analyse_isolated
from finstance.upload.statement import ExtractionStatus
from tests.upload.test_fraud import ORIGINAL
from tests.upload.test_sandbox_statements import long_statement


def noise_png(size: int = 400) -> bytes:
    rng = random.Random(7)
    image = Image.frombytes("L", (size, size), bytes(rng.randrange(256) for _ in range(size * size)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def refusal(data: bytes) -> str | None:
    started = time.monotonic()
    report = analyse(data)
    assert time.monotonic() - started < 20
    assert report.result.statement is None
    assert report.result.status is ExtractionStatus.UNREADABLE
    assert report.result.reason
    return report.rejected


def test_not_a_pdf() -> None:
    assert refusal(b"MZ\x90\x00 an executable") == "unsupported_format"


def test_encrypted_pdf() -> None:
    writer = PdfWriter(io.BytesIO(ORIGINAL))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert refusal(out.getvalue()) == "encrypted"


def test_truncated_pdf() -> None:
    assert refusal(ORIGINAL[: len(ORIGINAL) // 2]) == "truncated"


def test_decompression_bomb() -> None:
    bomb = zlib.compress(b"\x00" * (96 * 1024 * 1024), 9)
    assert len(bomb) < 200_000
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(bomb), bomb)
    pdf = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n"
        b"4 0 obj\n" + body + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    assert refusal(pdf) == "decompression_bomb"


def test_thousands_of_pages() -> None:
    writer = PdfWriter()
    for _ in range(2500):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    assert refusal(out.getvalue()) == "too_many_pages"


def test_an_image_of_noise_and_a_pdf_of_it_give_no_data_in_bounded_time() -> None:
    png = noise_png()
    image = Image.open(io.BytesIO(png))
    out = io.BytesIO()
    image.save(out, format="PDF")
    for data in (png, out.getvalue()):
        started = time.monotonic()
        report = analyse(data)
        assert time.monotonic() - started < 60
        assert report.result.statement is None
        # Recognition reads specks as letters or nothing at all; either way no table, no data.
        assert report.result.status in {ExtractionStatus.UNREADABLE, ExtractionStatus.NO_TRANSACTION_TABLE}
        assert report.result.reason


def test_garbage_after_a_pdf_header_is_malformed() -> None:
    rng = random.Random(3)
    junk = b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(50_000)) + b"\n%%EOF\n"
    assert refusal(junk) in {"malformed", "no_text"}


def test_isolated_analysis_returns_the_report_and_a_timeout_is_a_refusal() -> None:
    report = analyse_isolated(ORIGINAL, cpu_seconds=30, memory_bytes=2 * 1024**3, timeout_seconds=60)
    assert report.result.status is ExtractionStatus.EXTRACTED
    assert report.fraud is not None
    slow = analyse_isolated(ORIGINAL, timeout_seconds=0.01)
    assert slow.rejected == "time_limit"
    assert slow.result.statement is None


def test_isolated_analysis_past_its_cpu_limit_is_a_refusal_not_a_crash() -> None:
    pdf, _ = long_statement(3000)  # about 70 pages: several seconds of reading
    started = time.monotonic()
    report = analyse_isolated(pdf, cpu_seconds=1, timeout_seconds=60)
    assert report.rejected == "resource_limit"
    assert report.result.statement is None
    assert time.monotonic() - started < 15
