"""Fraud signals on real statement PDFs: untouched ones are trusted, edited ones say why they are not."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfWriter

from finstance.core.country import Country
from finstance.core.profile import Statement
from finstance.sandbox.generator import generate_profile
from finstance.sandbox.pdf import money, render_statement
from finstance.upload.fraud import FraudSignal, SignalType, Verdict, verdict_of
from finstance.upload.pipeline import DocumentReport, analyse
from finstance.upload.statement import ExtractionStatus
from tests.upload.layouts import LAYOUTS
from tests.upload.test_sandbox_statements import sandbox_statement

PROFILE = generate_profile("alice", Country.CA, date(2026, 3, 15))
STATEMENT: Statement = PROFILE.accounts[0].statements[-1]
ORIGINAL = render_statement(PROFILE.holder, STATEMENT)


def edited(pdf: bytes, old: bytes, new: bytes, metadata: dict[str, str] | None = None) -> bytes:
    """``pdf`` with ``old`` replaced by ``new`` in page 1's content, saved as an incremental update."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    stream = writer.pages[0]["/Contents"].get_object()
    content = stream.get_data()
    assert content.count(old) == 1
    stream.set_data(content.replace(old, new))
    if metadata:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def types(report: DocumentReport) -> set[SignalType]:
    assert report.fraud is not None
    return {s.type for s in report.fraud.signals}


def amount_op() -> tuple[bytes, int]:
    tx = next(t for t in STATEMENT.content.transactions if t.debit_cents and t.debit_cents > 1000)
    assert tx.debit_cents is not None
    return b"(%s) Tj" % money(tx.debit_cents).encode(), tx.debit_cents


def test_unedited_statements_are_trusted() -> None:
    report = analyse(ORIGINAL)
    assert report.result.status is ExtractionStatus.EXTRACTED
    assert report.fraud is not None
    assert report.fraud.verdict is Verdict.TRUST
    assert report.fraud.signals == ()


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_unedited_statements_of_another_producer_are_trusted(name: str) -> None:
    report = analyse(LAYOUTS[name]()[0])
    assert report.fraud is not None
    assert report.fraud.verdict is Verdict.TRUST, report.fraud.signals


def test_an_amount_changed_in_acrobat_after_the_fact_is_high_risk_with_its_reasons() -> None:
    old, cents = amount_op()
    new_text = money(cents - 100)
    pdf = edited(
        ORIGINAL,
        old,
        b"(%s) Tj" % new_text.encode(),
        {"/ModDate": "D:20260301120000Z", "/Producer": "Adobe Acrobat Pro (64-bit) 24.1"},
    )
    assert pdf.count(b"%%EOF") == 2
    report = analyse(pdf)
    assert report.result.status is ExtractionStatus.UNRECONCILED
    assert report.result.statement is None
    assert report.fraud is not None
    assert report.fraud.verdict is Verdict.HIGH_RISK
    assert types(report) == {
        SignalType.EDITING_SOFTWARE,
        SignalType.UNUSUAL_SOURCE,
        SignalType.AMOUNT_EDITS,
        SignalType.UNRECONCILED,
    }
    amount = next(s for s in report.fraud.signals if s.type is SignalType.AMOUNT_EDITS)
    assert amount.page == 1
    assert {(e.specific_type, e.value) for e in amount.evidence} == {
        ("Incremental updates", "1"),
        ("Changed text", new_text),
    }


def test_a_changed_date_is_attributed_to_the_date_column() -> None:
    days = [t.date for t in STATEMENT.content.transactions]
    tx = next(t for t in STATEMENT.content.transactions if days.count(t.date) == 1 and t.date.day < 28)
    old = b"(%s) Tj" % tx.date.isoformat().encode()
    pdf = edited(ORIGINAL, old, b"(%s) Tj" % tx.date.replace(day=tx.date.day + 1).isoformat().encode())
    report = analyse(pdf)
    assert report.result.status is ExtractionStatus.EXTRACTED  # still adds up: only the edit betrays it
    assert types(report) == {SignalType.DATE_EDITS}
    assert report.fraud is not None
    assert report.fraud.verdict is Verdict.HIGH_RISK


def test_an_account_number_changed_is_account_information() -> None:
    number = STATEMENT.content.account_number.encode()
    pdf = edited(ORIGINAL, b"(%s) Tj" % number, b"(%s) Tj" % number[::-1])
    assert SignalType.ACCOUNT_EDITS in types(analyse(pdf))


def test_an_amount_in_another_font_or_off_its_baseline_is_caught_in_the_content_itself() -> None:
    old, _ = amount_op()
    # Same bytes length and revision count as a bank would produce: rewrite the whole file, not an update.
    content_match = re.compile(rb"/F1 9 Tf 1 0 0 1 ([\d.]+) ([\d.]+) Tm " + re.escape(old))
    writer = PdfWriter(io.BytesIO(ORIGINAL))
    stream = writer.pages[0]["/Contents"].get_object()
    content = stream.get_data()
    m = content_match.search(content)
    assert m is not None
    bold = content[: m.start()] + m[0].replace(b"/F1 9 Tf", b"/F2 9 Tf") + content[m.end() :]
    stream.set_data(bold)
    out = io.BytesIO()
    writer.write(out)
    report = analyse(out.getvalue())
    assert report.fraud is not None
    font = next(s for s in report.fraud.signals if s.type is SignalType.AMOUNT_EDITS)
    assert "Helvetica-Bold" in font.evidence[0].value

    y = float(m[2])
    shifted = content[: m.start()] + m[0].replace(m[2], b"%.2f" % (y + 1.2)) + content[m.end() :]
    stream.set_data(shifted)
    out = io.BytesIO()
    writer.write(out)
    report = analyse(out.getvalue())
    assert SignalType.MISALIGNED in types(report)


def test_verdict_rule() -> None:
    def signal(kind: SignalType) -> FraudSignal:
        return FraudSignal(kind, 1, ())

    assert verdict_of([]) is Verdict.TRUST
    assert verdict_of([signal(SignalType.EMPTY)]) is Verdict.NORMAL
    assert verdict_of([signal(SignalType.MISALIGNED), signal(SignalType.EMPTY)]) is Verdict.WARNING
    assert (
        verdict_of([signal(SignalType.MISALIGNED), signal(SignalType.EDITING_SOFTWARE)]) is Verdict.HIGH_RISK
    )
    assert verdict_of([signal(SignalType.UNRECONCILED)]) is Verdict.HIGH_RISK


def test_a_statement_with_no_transactions_is_empty_data_and_normal() -> None:
    report = analyse(sandbox_statement([], opening_cents=5000, closing_cents=5000))
    assert report.result.status is ExtractionStatus.EXTRACTED
    assert types(report) == {SignalType.EMPTY}
    assert report.fraud is not None
    assert report.fraud.verdict is Verdict.NORMAL


def test_a_document_with_no_transaction_table_is_missing_data() -> None:
    pdf = render_statement(PROFILE.holder, STATEMENT)
    writer = PdfWriter(io.BytesIO(pdf))
    stream = writer.pages[0]["/Contents"].get_object()
    stream.set_data(stream.get_data().replace(b"(Description) Tj", b"(Narrative) Tj"))
    out = io.BytesIO()
    writer.write(out)
    report = analyse(out.getvalue())
    assert report.result.status is ExtractionStatus.NO_TRANSACTION_TABLE
    assert types(report) == {SignalType.MISSING}
