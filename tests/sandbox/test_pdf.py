"""The dependency-free PDF writer: valid structure, escaping, extractable text, pagination."""

from __future__ import annotations

import io
import re
import zlib
from datetime import date, timedelta

from pypdf import PdfReader

from finstance.core.profile import Address, Holder, Transaction
from finstance.sandbox.pdf import money, pdf_string, render_statement_pdf, write_pdf

HOLDER = Holder(
    name="Émilie Côté",
    address=Address("1001 Rue Lenoir Suite A114", "Montréal", "QC", "H4C 2Z6", "CA"),
    email="emilie@example.com",
    phone_number="5145550123",
)


def transactions(count: int, start: date = date(2025, 3, 1)) -> list[Transaction]:
    balance, out = 100000, []
    for i in range(count):
        debit = i % 3 != 0
        amount = 1000 + i * 37
        balance += -amount if debit else amount
        out.append(
            Transaction(
                id=f"tx-{i}",
                date=start + timedelta(days=i % 28),
                description=f"MERCHANT NUMBER {i:03d}",
                debit_cents=amount if debit else None,
                credit_cents=None if debit else amount,
                balance_cents=balance,
                seq=i,
            )
        )
    return out


def statement(txs: list[Transaction], **overrides: object) -> bytes:
    args: dict[str, object] = {
        "bank_name": "Flinks Capital",
        "holder": HOLDER,
        "account_title": "Chequing Account",
        "account_number": "7641238",
        "currency": "CAD",
        "period_start": date(2025, 3, 1),
        "period_end": date(2025, 3, 31),
        "opening_balance_cents": 100000,
        "closing_balance_cents": txs[-1].balance_cents if txs else 100000,
        "transactions": txs,
    }
    args.update(overrides)
    return render_statement_pdf(**args)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_xref_offsets_point_at_their_objects_and_startxref_at_the_table() -> None:
    pdf = statement(transactions(5))
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    startxref = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[startxref:].startswith(b"xref\n0 ")
    entries = re.findall(rb"(\d{10}) 00000 n \n", pdf[startxref:])
    assert entries
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj\n" % number)


def test_catalog_uses_helvetica_with_winansi_encoding_and_compressed_streams() -> None:
    pdf = statement(transactions(3))
    assert b"/BaseFont /Helvetica /Encoding /WinAnsiEncoding" in pdf
    assert b"/Type /Catalog" in pdf
    stream = re.search(rb"/FlateDecode >>\nstream\n(.*?)\nendstream", pdf, re.DOTALL).group(1)  # type: ignore[union-attr]
    assert b"Tj" in zlib.decompress(stream)


def test_pdf_strings_escape_parentheses_and_backslashes() -> None:
    assert pdf_string(r"a(b)c\d") == rb"(a\(b\)c\\d)"
    assert pdf_string("Dépôt") == b"(D\xe9p\xf4t)"  # WinAnsi bytes
    assert pdf_string("tab\there") == b"(tab\\011here)"


def test_text_with_parentheses_backslashes_and_accents_is_extractable() -> None:
    tx = transactions(1)[0]
    odd = Transaction(tx.id, tx.date, r"REFUND (PARTIAL) C:\DIR - CAFÉ DÉPÔT", 500, None, 99500, 0)
    text = "\n".join(text_of(statement([odd])))
    assert r"REFUND (PARTIAL) C:\DIR - CAFÉ DÉPÔT" in text
    assert "Émilie Côté" in text
    assert "Montréal QC" in text


def test_statement_shows_account_period_and_balances() -> None:
    txs = transactions(4)
    text = text_of(statement(txs))[0]
    assert "Flinks Capital" in text
    assert "7641238" in text
    assert "2025-03-01 to 2025-03-31" in text
    assert f"Opening balance {money(100000)} CAD" in text
    assert f"Closing balance {money(txs[-1].balance_cents)} CAD" in text
    assert "MERCHANT NUMBER 002" in text


def test_long_statements_continue_on_more_pages() -> None:
    txs = transactions(120)
    pages = text_of(statement(txs))
    assert len(pages) == 3
    every_page = "\n".join(pages)
    assert all(tx.description in every_page for tx in txs)
    assert "MERCHANT NUMBER 119" in pages[-1]
    assert all(f"Page {i} of 3" in page for i, page in enumerate(pages, start=1))
    assert all("7641238" in page for page in pages)


def test_empty_statement_says_so() -> None:
    text = text_of(statement([]))[0]
    assert "No transactions during this period." in text


def test_same_statement_gives_the_same_bytes_and_creation_date_from_period_end() -> None:
    first, second = statement(transactions(30)), statement(transactions(30))
    assert first == second
    assert b"/CreationDate (D:20250331000000Z)" in first
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata is not None
    assert reader.metadata.title == "Flinks Capital statement 7641238 2025-03-01 to 2025-03-31"


def test_write_pdf_handles_several_raw_pages() -> None:
    pdf = write_pdf(
        [b"BT /F1 12 Tf 72 720 Td (one) Tj ET", b"BT /F2 12 Tf 72 720 Td (two) Tj ET"],
        title="t",
        created=date(2025, 1, 1),
    )
    assert [t.strip() for t in text_of(pdf)] == ["one", "two"]


def test_money_uses_thousands_separators_and_a_leading_minus() -> None:
    assert money(0) == "0.00"
    assert money(5) == "0.05"
    assert money(123456789) == "1,234,567.89"
    assert money(-10050) == "-100.50"
