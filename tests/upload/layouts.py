"""Bank statements in layouts other than finstance's own, drawn by a different PDF producer (reportlab).

Each builder returns the PDF and what it shows (:class:`Shown`), so a test can ask for an exact
extraction. The layouts differ in what matters to a reader: column names and languages, date and amount
formats, one signed amount column or two, balances in the table or in a summary, accounts continued over
pages, descriptions on two lines.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Row:
    date: date
    description: str
    debit_cents: int | None
    credit_cents: int | None
    balance_cents: int


@dataclass(frozen=True)
class ShownAccount:
    number: str
    title: str
    currency: str
    opening_cents: int
    closing_cents: int
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Shown:
    holder_name: str
    period_start: date
    period_end: date
    accounts: tuple[ShownAccount, ...]


_MERCHANTS = (
    "TIM HORTONS #1234",
    "METRO PLUS MONTRÉAL",
    "PAYROLL DEPOSIT ACME",
    "HYDRO-QUÉBEC",
    "E-TRANSFER TO J. SMITH",
    "AMAZON.CA MKTP",
    "SHELL C12345",
    "COSTCO WHOLESALE W512",
    "INTEREST PAID",
    "NETFLIX.COM",
)


def activity(
    seed: int, start: date, days: int, count: int, opening: int, *, long_names: bool = False
) -> tuple[Row, ...]:
    """``count`` dated rows from ``start`` with running balances (money held) from ``opening``."""
    rng = random.Random(seed)
    balance, rows = opening, []
    offsets = sorted(rng.randrange(days) for _ in range(count))
    for offset in offsets:
        name = rng.choice(_MERCHANTS)
        if long_names:
            name = f"{name} REF {rng.randrange(10**8):08d} POINT OF SALE PURCHASE"
        amount = rng.choice((rng.randrange(100, 9_999), rng.randrange(10_000, 250_000)))
        if rng.random() < 0.45:
            balance += amount
            rows.append(Row(start + timedelta(days=offset), name, None, amount, balance))
        else:
            balance -= amount
            rows.append(Row(start + timedelta(days=offset), name, amount, None, balance))
    return tuple(rows)


def account(number: str, title: str, currency: str, opening: int, rows: tuple[Row, ...]) -> ShownAccount:
    closing = rows[-1].balance_cents if rows else opening
    return ShownAccount(number, title, currency, opening, closing, rows)


def english(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{frac:02d}"


def french(cents: int) -> str:
    return english(cents).replace(",", " ").replace(".", ",")


def _canvas(buffer: io.BytesIO, title: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=LETTER, invariant=True)
    canvas.setTitle(title)
    canvas.setAuthor("Example Bank")
    return canvas


def _address(canvas: Canvas, x: float, y: float, lines: Sequence[str], font: str = "Helvetica") -> None:
    canvas.setFont(f"{font}-Bold" if font == "Helvetica" else font, 10)
    canvas.drawString(x, y, lines[0])
    canvas.setFont(font, 10)
    for i, line in enumerate(lines[1:], start=1):
        canvas.drawString(x, y - 12 * i, line)


def ca_english() -> tuple[bytes, Shown]:
    """Withdrawals / Deposits / Balance, "Jan 05" dates with no year, opening and closing table rows."""
    start, end = date(2026, 1, 1), date(2026, 1, 31)
    acct = account(
        "00123-4567890", "Everyday Chequing Account", "CAD", 254_310, activity(1, start, 31, 28, 254_310)
    )
    buffer = io.BytesIO()
    c = _canvas(buffer, "Statement")
    c.setFont("Times-Bold", 16)
    c.drawString(40, 750, "MAPLE TRUST BANK")
    c.setFont("Times-Roman", 9)
    c.drawRightString(572, 752, "Statement period: January 1, 2026 to January 31, 2026")
    _address(c, 40, 700, ["JEAN TREMBLAY", "45 RUE SAINT-PAUL APT 3", "QUEBEC QC G1K 3V8"], "Times-Roman")
    c.setFont("Times-Roman", 9)
    c.drawString(330, 700, f"{acct.title}")
    c.drawString(330, 688, f"Account number: {acct.number}")
    c.drawString(330, 676, "All amounts in CAD")
    y = 620
    cols = [("Date", 40, "l"), ("Description", 100, "l"), ("Withdrawals ($)", 400, "r"),
            ("Deposits ($)", 480, "r"), ("Balance ($)", 572, "r")]  # fmt: skip
    c.setFont("Times-Bold", 9)
    for label, x, align in cols:
        (c.drawString if align == "l" else c.drawRightString)(x, y, label)
    y -= 14
    c.setFont("Times-Roman", 9)
    c.drawString(40, y, start.strftime("%b %d"))
    c.drawString(100, y, "Opening Balance")
    c.drawRightString(572, y, english(acct.opening_cents))
    for row in acct.rows:
        y -= 12
        c.drawString(40, y, row.date.strftime("%b %d"))
        c.drawString(100, y, row.description)
        if row.debit_cents is not None:
            c.drawRightString(400, y, english(row.debit_cents))
        if row.credit_cents is not None:
            c.drawRightString(480, y, english(row.credit_cents))
        c.drawRightString(572, y, english(row.balance_cents))
    y -= 12
    c.drawString(40, y, end.strftime("%b %d"))
    c.drawString(100, y, "Closing Balance")
    c.drawRightString(572, y, english(acct.closing_cents))
    c.setFont("Times-Roman", 7)
    c.drawString(40, 40, "Maple Trust Bank is a member of CDIC. Page 1 of 1")
    c.showPage()
    c.save()
    return buffer.getvalue(), Shown("JEAN TREMBLAY", start, end, (acct,))


def ca_french() -> tuple[bytes, Shown]:
    """Retraits / Dépôts / Solde, dd/mm/yyyy dates, "1 234,56" amounts, balances in a summary."""
    start, end = date(2026, 2, 1), date(2026, 2, 28)
    acct = account("0042-1234567", "Compte chèques", "CAD", 1_234_567, activity(2, start, 28, 22, 1_234_567))
    buffer = io.BytesIO()
    c = _canvas(buffer, "Relevé")
    c.setFont("Helvetica-Bold", 14)
    c.drawString(40, 750, "Caisse Populaire Exemple")
    c.setFont("Helvetica", 9)
    c.drawRightString(572, 750, "Relevé de compte")
    c.drawRightString(572, 738, f"Période du {start:%d/%m/%Y} au {end:%d/%m/%Y}")
    _address(c, 40, 700, ["MARIE-ÈVE LÉVESQUE", "1200 BOUL. RENÉ-LÉVESQUE O.", "MONTRÉAL QC H3B 4W8"])
    c.setFont("Helvetica", 9)
    c.drawString(330, 700, f"Compte : {acct.title}")
    c.drawString(330, 688, f"Numéro de compte : {acct.number}")
    c.drawString(330, 676, "Devise : CAD")
    c.drawString(330, 660, "Solde d'ouverture")
    c.drawRightString(572, 660, f"{french(acct.opening_cents)} $")
    c.drawString(330, 648, "Solde de clôture")
    c.drawRightString(572, 648, f"{french(acct.closing_cents)} $")
    y = 600
    c.setFont("Helvetica-Bold", 9)
    c.drawString(40, y, "Date")
    c.drawString(110, y, "Description")
    c.drawRightString(410, y, "Retraits")
    c.drawRightString(490, y, "Dépôts")
    c.drawRightString(572, y, "Solde")
    c.setFont("Helvetica", 9)
    for row in acct.rows:
        y -= 13
        c.drawString(40, y, f"{row.date:%d/%m/%Y}")
        c.drawString(110, y, row.description)
        if row.debit_cents is not None:
            c.drawRightString(410, y, french(row.debit_cents))
        if row.credit_cents is not None:
            c.drawRightString(490, y, french(row.credit_cents))
        c.drawRightString(572, y, french(row.balance_cents))
    c.setFont("Helvetica", 7)
    c.drawString(40, 40, "Page 1 de 1")
    c.showPage()
    c.save()
    return buffer.getvalue(), Shown("MARIE-ÈVE LÉVESQUE", start, end, (acct,))


def us_signed_amount() -> tuple[bytes, Shown]:
    """One signed Amount column, MM/DD/YYYY, no running balance: only beginning and ending balances."""
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    acct = account("XXXXXX4821", "Premier Checking", "USD", 81_250, activity(3, start, 31, 25, 81_250))
    buffer = io.BytesIO()
    c = _canvas(buffer, "Statement")
    c.setFont("Courier-Bold", 13)
    c.drawString(40, 750, "LIBERTY NATIONAL BANK")
    c.setFont("Courier", 8)
    c.drawRightString(572, 750, f"Statement Period {start:%m/%d/%Y} - {end:%m/%d/%Y}")
    _address(c, 40, 700, ["ROBERT J. JOHNSON", "742 EVERGREEN TERRACE", "SPRINGFIELD IL 62704"], "Courier")
    c.setFont("Courier", 8)
    c.drawString(330, 700, f"{acct.title}  Account Number: {acct.number}")
    c.drawString(330, 688, "Beginning Balance")
    c.drawRightString(572, 688, f"${english(acct.opening_cents)}")
    c.drawString(330, 676, "Ending Balance")
    c.drawRightString(572, 676, f"${english(acct.closing_cents)}")
    y = 630
    c.setFont("Courier-Bold", 8)
    c.drawString(40, y, "Date")
    c.drawString(120, y, "Description")
    c.drawRightString(572, y, "Amount")
    c.setFont("Courier", 8)
    for row in acct.rows:
        y -= 11
        c.drawString(40, y, f"{row.date:%m/%d/%Y}")
        c.drawString(120, y, row.description)
        signed = (row.credit_cents or 0) - (row.debit_cents or 0)
        c.drawRightString(572, y, english(signed))
    c.showPage()
    c.save()
    return buffer.getvalue(), Shown("ROBERT J. JOHNSON", start, end, (acct,))


def two_accounts_multipage() -> tuple[bytes, Shown]:
    """Chequing over two pages then savings, "05 Jan" dates, descriptions on two lines, totals rows."""
    start, end = date(2025, 12, 15), date(2026, 1, 14)
    chequing = account(
        "5550001234", "Chequing", "CAD", 310_000, activity(4, start, 31, 52, 310_000, long_names=True)
    )
    savings = account(
        "5550009876", "High Interest Savings", "CAD", 5_000_000, activity(5, start, 31, 9, 5_000_000)
    )
    buffer = io.BytesIO()
    c = _canvas(buffer, "Combined statement")
    page = [1]

    def top(first: bool) -> float:
        c.setFont("Helvetica-Bold", 12)
        c.drawString(40, 755, "NORTHERN SHORE FINANCIAL")
        c.setFont("Helvetica", 8)
        c.drawRightString(572, 755, "Statement from Dec 15, 2025 to Jan 14, 2026")
        if first:
            _address(c, 40, 710, ["Alex Morgan", "88 Harbour St Unit 1201", "Toronto ON M5J 2L2", "Canada"])
            return 640
        return 720

    def footer() -> None:
        c.setFont("Helvetica", 7)
        c.drawCentredString(306, 30, f"Page {page[0]}")

    def new_page() -> float:
        footer()
        c.showPage()
        page[0] += 1
        return top(first=False)

    def header(y: float) -> None:
        c.setFont("Helvetica-Bold", 8)
        c.drawString(40, y, "Date")
        c.drawString(90, y, "Transaction details")
        c.drawRightString(400, y, "Debits")
        c.drawRightString(480, y, "Credits")
        c.drawRightString(572, y, "Balance")
        c.setFont("Helvetica", 8)

    def draw(acct: ShownAccount, y: float) -> float:
        c.setFont("Helvetica-Bold", 10)
        c.drawString(40, y, f"{acct.title} - Account # {acct.number}")
        y -= 24
        header(y)
        y -= 12
        c.drawString(90, y, "Balance forward")
        c.drawRightString(572, y, english(acct.opening_cents))
        for row in acct.rows:
            if y < 90:
                y = new_page()
                header(y)
            y -= 11
            first, _, rest = row.description.partition(" REF ")
            c.drawString(40, y, f"{row.date:%d %b}")
            c.drawString(90, y, first)
            if row.debit_cents is not None:
                c.drawRightString(400, y, english(row.debit_cents))
            if row.credit_cents is not None:
                c.drawRightString(480, y, english(row.credit_cents))
            c.drawRightString(572, y, english(row.balance_cents))
            if rest:
                y -= 10
                c.drawString(90, y, f"REF {rest}")
        y -= 12
        c.setFont("Helvetica-Bold", 8)
        c.drawString(90, y, "Totals")
        c.drawRightString(400, y, english(sum(r.debit_cents or 0 for r in acct.rows)))
        c.drawRightString(480, y, english(sum(r.credit_cents or 0 for r in acct.rows)))
        y -= 30
        c.setFont("Helvetica", 8)
        c.drawString(40, y, "Closing balance")
        c.drawRightString(572, y, english(acct.closing_cents))
        return y - 40

    y = draw(chequing, top(first=True))
    if y < 200:
        y = new_page()
    draw(savings, y)
    footer()
    c.showPage()
    c.save()
    return buffer.getvalue(), Shown("Alex Morgan", start, end, (chequing, savings))


LAYOUTS: dict[str, Callable[[], tuple[bytes, Shown]]] = {
    "ca-english": ca_english,
    "ca-french": ca_french,
    "us-signed-amount": us_signed_amount,
    "two-accounts-multipage": two_accounts_multipage,
}
