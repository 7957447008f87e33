"""A tiny, dependency-free PDF 1.4 writer for sandbox bank statements.

Only what a statement needs: US Letter pages, the standard Helvetica and Helvetica-Bold fonts with
WinAnsiEncoding (so French accents survive), text, rules, Flate-compressed content streams, a correct
cross-reference table. Output is deterministic: the same statement gives the same bytes (the creation
date is the end of the statement period and the document ID is a hash of the content).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from datetime import date

from finstance.core.profile import Holder, Statement, Transaction

PAGE_WIDTH, PAGE_HEIGHT = 612, 792
_LEFT, _RIGHT, _BOTTOM = 50, 562, 60
_ROW = 13

# Advance widths (1/1000 em) of Helvetica for ASCII 32..126, from the Adobe core font metrics.
_HELVETICA_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` set in Helvetica at ``size`` (accented letters as their base letter)."""
    total = 0
    for ch in text:
        code = ord(ch)
        total += _HELVETICA_WIDTHS[code - 32] if 32 <= code <= 126 else 556
    return total * size / 1000


def pdf_string(text: str) -> bytes:
    """``text`` as a PDF literal string in WinAnsiEncoding, with ``(``, ``)`` and ``\\`` escaped."""
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte == 127:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    out += b")"
    return bytes(out)


class _Page:
    """The drawing operators of one page."""

    def __init__(self) -> None:
        self.ops: list[bytes] = []

    def text(self, x: float, y: float, text: str, *, size: float = 9, bold: bool = False) -> None:
        font = b"/F2" if bold else b"/F1"
        self.ops.append(b"BT %s %g Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET" % (font, size, x, y, pdf_string(text)))

    def text_right(self, x: float, y: float, text: str, *, size: float = 9, bold: bool = False) -> None:
        self.text(x - text_width(text, size), y, text, size=size, bold=bold)

    def rule(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.5) -> None:
        self.ops.append(b"%g w %.2f %.2f m %.2f %.2f l S" % (width, x1, y1, x2, y2))

    def shade(self, x: float, y: float, w: float, h: float, *, gray: float = 0.92) -> None:
        self.ops.append(b"q %g g %.2f %.2f %.2f %.2f re f Q" % (gray, x, y, w, h))

    def content(self) -> bytes:
        return b"\n".join(self.ops) + b"\n"


def write_pdf(pages: Sequence[bytes], *, title: str, created: date) -> bytes:
    """Assemble a PDF from page content streams (fonts F1 Helvetica, F2 Helvetica-Bold)."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
    stamp = created.strftime("D:%Y%m%d000000Z").encode()
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the page objects are numbered
        font % b"Helvetica",
        font % b"Helvetica-Bold",
        b"<< /Title %s /Producer (finstance sandbox) /CreationDate (%s) /ModDate (%s) >>"
        % (pdf_string(title), stamp, stamp),
    ]
    kids: list[bytes] = []
    for content in pages:
        stream = zlib.compress(content, 6)
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (PAGE_WIDTH, PAGE_HEIGHT, len(objects))
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    doc_id = hashlib.sha256(out).hexdigest()[:32].encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        doc_id,
        doc_id,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def money(cents: int) -> str:
    """``-1234567`` -> ``-12,345.67``."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{frac:02d}"


def _fit(text: str, width: float, size: float) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "...", size) > width:
        text = text[:-1]
    return text + "..."


# Table columns: date, description (left edges); debit, credit, balance (right edges).
_COL_DATE, _COL_DESC, _COL_DEBIT, _COL_CREDIT, _COL_BALANCE = _LEFT, 112, 402, 482, _RIGHT


def _table_header(page: _Page, y: float) -> None:
    page.shade(_LEFT - 4, y - 4, _RIGHT - _LEFT + 8, _ROW + 2)
    page.text(_COL_DATE, y, "Date", bold=True)
    page.text(_COL_DESC, y, "Description", bold=True)
    page.text_right(_COL_DEBIT, y, "Debit", bold=True)
    page.text_right(_COL_CREDIT, y, "Credit", bold=True)
    page.text_right(_COL_BALANCE, y, "Balance", bold=True)


def render_statement_pdf(
    *,
    bank_name: str,
    holder: Holder,
    account_title: str,
    account_number: str,
    currency: str,
    period_start: date,
    period_end: date,
    opening_balance_cents: int,
    closing_balance_cents: int,
    transactions: Sequence[Transaction],
) -> bytes:
    """One account's monthly statement as a PDF document; pages are added as the table overflows."""
    period = f"{period_start.isoformat()} to {period_end.isoformat()}"
    debits = sum(t.debit_cents or 0 for t in transactions)
    credits = sum(t.credit_cents or 0 for t in transactions)

    first = _Page()
    first.text(_LEFT, 740, bank_name, size=20, bold=True)
    first.text_right(_RIGHT, 744, "Account Statement", size=13, bold=True)
    first.text_right(_RIGHT, 728, f"Statement period: {period}")
    address = holder.address
    lines = [
        address.civic_address,
        f"{address.city} {address.province}  {address.postal_code}",
        address.country,
    ]
    first.text(_LEFT, 690, holder.name, size=10, bold=True)
    for i, line in enumerate(lines, start=1):
        first.text(_LEFT, 690 - 13 * i, line, size=10)
    details = [("Account", account_title), ("Account number", account_number), ("Currency", currency)]
    summary = [
        ("Opening balance", money(opening_balance_cents)),
        ("Total debits", money(debits)),
        ("Total credits", money(credits)),
        ("Closing balance", money(closing_balance_cents)),
    ]
    for i, (label, value) in enumerate(details):
        first.text(_LEFT, 620 - 13 * i, f"{label}:", bold=True)
        first.text(_LEFT + 85, 620 - 13 * i, value)
    first.rule(350, 697, _RIGHT, 697)
    for i, (label, value) in enumerate(summary):
        first.text(356, 684 - 14 * i, label, bold=i == 3)
        first.text_right(_RIGHT, 684 - 14 * i, f"{value} {currency}", bold=i == 3)
    first.rule(350, 630, _RIGHT, 630)

    pages = [first]
    page, y = first, 570.0
    _table_header(page, y)
    y -= _ROW + 4
    if not transactions:
        page.text(_COL_DESC, y, "No transactions during this period.")
    for tx in transactions:
        if y < _BOTTOM:
            page = _Page()
            pages.append(page)
            page.text(_LEFT, 740, bank_name, size=12, bold=True)
            page.text_right(_RIGHT, 740, f"{account_title} {account_number} - {period}")
            y = 712.0
            _table_header(page, y)
            y -= _ROW + 4
        page.text(_COL_DATE, y, tx.date.isoformat())
        page.text(_COL_DESC, y, _fit(tx.description, _COL_DEBIT - _COL_DESC - 60, 9))
        if tx.debit_cents is not None:
            page.text_right(_COL_DEBIT, y, money(tx.debit_cents))
        if tx.credit_cents is not None:
            page.text_right(_COL_CREDIT, y, money(tx.credit_cents))
        page.text_right(_COL_BALANCE, y, money(tx.balance_cents))
        y -= _ROW

    for number, p in enumerate(pages, start=1):
        p.rule(_LEFT, 45, _RIGHT, 45, width=0.3)
        p.text(_LEFT, 32, f"{bank_name} - synthetic sandbox statement", size=7)
        p.text_right(_RIGHT, 32, f"Page {number} of {len(pages)}", size=7)
    title = f"{bank_name} statement {account_number} {period}"
    return write_pdf([p.content() for p in pages], title=title, created=period_end)


def render_statement(holder: Holder, statement: Statement) -> bytes:
    """The PDF document of ``statement`` for ``holder``: the same bytes for the same inputs."""
    content = statement.content
    return render_statement_pdf(
        bank_name=content.bank_name,
        holder=holder,
        account_title=content.account_title,
        account_number=content.account_number,
        currency=content.currency,
        period_start=statement.period_start,
        period_end=statement.period_end,
        opening_balance_cents=content.opening_balance_cents,
        closing_balance_cents=content.closing_balance_cents,
        transactions=content.transactions,
    )
