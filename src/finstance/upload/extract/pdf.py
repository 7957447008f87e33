"""Statements from text PDFs: tables, accounts, period, holder, then the safety check.

The document is read as lines of positioned words (:mod:`.words`). Every transaction table is found by
its header (:mod:`.tables`). The lines between one table and the next say whose the next table is: an
account number there that differs from the current account's starts a new account, its title and
currency come from the same lines; a table with no new number continues the current account (a
statement's later pages). Opening and closing balances are read from labelled lines around the tables
or labelled rows inside them. The statement period is the first line that carries two full dates (one
with a period keyword first); numeric dates are read day first or month first from the evidence of the
document (a part above 12), else from the reading that puts more rows in the period, else day first for
French statements and month first otherwise. The holder is the block of lines above the first table that
ends in a postal or ZIP code line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from finstance.upload.extract.amounts import parse_amount
from finstance.upload.extract.dates import DateReading, dates_in, numeric_order_evidence, parse_date
from finstance.upload.extract.reconcile import DraftRow, Reconciled, reconcile
from finstance.upload.extract.tables import (
    CLOSING_LABEL,
    OPENING_LABEL,
    ColumnKind,
    Table,
    header_columns,
    read_table,
)
from finstance.upload.extract.words import Line, Word, fold, join_words, lines_of, words_of_page
from finstance.upload.statement import (
    ExtractedAccount,
    ExtractedStatement,
    ExtractionResult,
    ExtractionStatus,
    HolderInfo,
)

MAX_PAGES = 200

_ACCOUNT_NUMBER = re.compile(
    r"(?:account|acct|compte|folio)\s*(?:number|no\.?|nbr|#|n[o°]\.?|numero)?\s*[:#]?\s*"
    r"([0-9*x•]+(?:[ \-][0-9*x•]+)*)"
)
_NUMBER_LABEL_FIRST = re.compile(
    r"(?:numero|no\.?|n[o°])\s+de\s+compte\s*:?\s*([0-9*x•]+(?:[ \-][0-9*x•]+)*)"
)
_TITLE_LABEL = re.compile(r"^(?:account|account name|account type|product|compte|type de compte)\s*:\s*(.+)$")
_PRODUCT = re.compile(
    r"chequing|checking|savings|epargne|cheques|visa|mastercard|amex|line of credit|marge|credit card"
    r"|carte de credit|compte"
)
_CURRENCY = re.compile(r"\b(CAD|USD|EUR)\b")
_PERIOD_KEYWORD = re.compile(r"period|periode|from|du |statement|releve|to |au ")
_CA_POSTAL = re.compile(r"\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b")
_US_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_COUNTRY_LINE = re.compile(r"^(?:CA|US|USA|Canada|United States)$")
_FRENCH_HINT = re.compile(r"\b(?:releve|solde|retraits|depots|compte)\b")


@dataclass(slots=True)
class AccountDraft:
    number: str
    title: str
    currency: str | None
    tables: list[Table] = field(default_factory=list)
    opening_cents: int | None = None
    closing_cents: int | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """What the reader saw: lines, tables and which account each table belongs to."""

    pages: int
    lines: tuple[Line, ...]
    tables: tuple[Table, ...]
    accounts: tuple[AccountDraft, ...]


def read_lines(data: bytes, *, max_pages: int = MAX_PAGES) -> tuple[int, list[Line]]:
    """The number of pages and every line of every page, in reading order."""
    import pdfplumber  # the PDF libraries load when a document is read, not with the server

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
        if count > max_pages:
            raise ValueError(f"{count} pages, more than {max_pages}")
        lines: list[Line] = []
        for number, page in enumerate(pdf.pages, start=1):
            lines.extend(lines_of(words_of_page(page, number)))
            page.flush_cache()
        return count, lines


def read_layout(pages: int, lines: Sequence[Line]) -> Layout:
    tables: list[Table] = []
    regions: list[list[Line]] = []
    index, region_start = 0, 0
    while index < len(lines):
        columns = header_columns(lines[index])
        if columns is None:
            index += 1
            continue
        regions.append(list(lines[region_start:index]))
        table = read_table(lines, index, columns)
        tables.append(table)
        index = region_start = table.end_index
    trailing = list(lines[region_start:])
    accounts = _accounts(tables, regions, trailing, lines)
    return Layout(pages, tuple(lines), tuple(tables), tuple(accounts))


def _label_value(line: Line, label: re.Pattern[str]) -> int | None:
    words = line.words
    for start in range(len(words)):
        for end in range(start + 1, min(start + 6, len(words)) + 1):
            if label.fullmatch(fold(join_words(words[start:end]))):
                return _amount_after(words[end:])
    return None


def _amount_after(words: Sequence[Word]) -> int | None:
    for start in range(len(words)):
        for width in (3, 2, 1):
            piece = words[start : start + width]
            if len(piece) == width and (value := parse_amount(join_words(piece))) is not None:
                return value
    return None


def _number_in(text: str) -> tuple[str, int] | None:
    folded = fold(text)
    for pattern in (_NUMBER_LABEL_FIRST, _ACCOUNT_NUMBER):
        for m in pattern.finditer(folded):
            number = m[1].strip()
            if sum(c.isdigit() for c in number) >= 3:
                return text[m.start(1) : m.start(1) + len(number)], m.start()
    return None


def _account_header(region: Sequence[Line]) -> tuple[str, str, str | None, int] | None:
    """Number, title, currency and the index of the number's line in ``region``, when it names an account."""
    for position, line in enumerate(region):
        for segment in line.segments():
            text = join_words(segment)
            found = _number_in(text)
            if found is None:
                continue
            number, label_at = found
            title = _title(region, text[:label_at].strip(" -:|,"))
            currency = next((m[1] for ln in region if (m := _CURRENCY.search(ln.text))), None)
            return number, title, currency, position
    return None


def _title(region: Sequence[Line], before_number: str) -> str:
    for line in region:
        for segment in line.segments():
            m = _TITLE_LABEL.match(fold(join_words(segment)))
            if m:
                text = join_words(segment)
                return text[text.index(":") + 1 :].strip()
    if before_number and _PRODUCT.search(fold(before_number)):
        return before_number
    for line in region:
        for segment in line.segments():
            text = join_words(segment)
            if _PRODUCT.search(fold(text)) and not _number_in(text) and len(text) <= 60:
                return text
    return before_number or "Account"


def _accounts(
    tables: Sequence[Table],
    regions: Sequence[Sequence[Line]],
    trailing: Sequence[Line],
    lines: Sequence[Line],
) -> list[AccountDraft]:
    accounts: list[AccountDraft] = []
    document_currency = next((m[1] for ln in lines if (m := _CURRENCY.search(ln.text))), None)
    for table, region in zip(tables, regions, strict=True):
        header = _account_header(region)
        current = accounts[-1] if accounts else None
        split = header[3] if header is not None else len(region)
        if header is not None and (current is None or header[0] != current.number):
            number, title, currency, _ = header
            if current is not None:
                _balances(current, region[:split], opening=False)
            current = AccountDraft(number, title, currency or document_currency)
            accounts.append(current)
            _balances(current, region, opening=True, closing=not accounts[:-1])
        elif current is None:
            current = AccountDraft("", _title(region, ""), document_currency)
            accounts.append(current)
            _balances(current, region, opening=True)
        else:
            _balances(current, region, opening=False)
        current.tables.append(table)
        if table.opening_cents is not None and current.opening_cents is None:
            current.opening_cents = table.opening_cents
        if table.closing_cents is not None:
            current.closing_cents = table.closing_cents
    if accounts:
        _balances(accounts[-1], trailing, opening=False)
    return accounts


def _balances(account: AccountDraft, region: Sequence[Line], *, opening: bool, closing: bool = True) -> None:
    for line in region:
        if opening and account.opening_cents is None:
            account.opening_cents = _label_value(line, OPENING_LABEL)
        if closing and account.closing_cents is None:
            account.closing_cents = _label_value(line, CLOSING_LABEL)


def _period(lines: Sequence[Line], reading: DateReading) -> tuple[date, date] | None:
    fallback = None
    for line in lines:
        for segment in line.segments(gap_ems=4.0):
            text = join_words(segment)
            found = dates_in(text, reading)
            if len(found) >= 2 and found[0] <= found[1]:
                if _PERIOD_KEYWORD.search(fold(text)):
                    return found[0], found[1]
                fallback = fallback or (found[0], found[1])
    return fallback


def _holder(lines: Sequence[Line]) -> HolderInfo | None:
    segments = [(ln, seg) for ln in lines for seg in ln.segments(gap_ems=3.0)]
    for index, (_, segment) in enumerate(segments):
        text = join_words(segment)
        if not (_CA_POSTAL.search(text) or _US_ZIP.search(text)):
            continue
        block = [segment]
        x0, baseline = segment[0].x0, segment[0].baseline
        for _, above in reversed(segments[:index]):
            if abs(above[0].x0 - x0) <= 2 and 0 < baseline - above[0].baseline <= 2.2 * above[0].size:
                block.insert(0, above)
                baseline = above[0].baseline
            elif above[0].baseline < baseline - 2.2 * segment[0].size:
                break
        for _, below in segments[index + 1 :]:
            gap = below[0].baseline - segment[0].baseline
            if abs(below[0].x0 - x0) <= 2 and 0 < gap <= 2.2 * below[0].size:
                if _COUNTRY_LINE.match(join_words(below)):
                    block.append(below)
                break
        if len(block) >= 2:
            return HolderInfo(join_words(block[0]), tuple(join_words(s) for s in block[1:]))
    return None


def _reading(layout: Layout) -> DateReading:
    head = [ln.text for ln in layout.lines[:80]]
    cells = [row.date_text for table in layout.tables for row in table.rows]
    evidence = numeric_order_evidence(head + cells)
    french = bool(_FRENCH_HINT.search(fold(" ".join(head))))
    orders = [evidence] if evidence is not None else [french, not french]
    best: tuple[int, DateReading] | None = None
    for day_first in orders:
        reading = DateReading(day_first=day_first)
        period = _period(layout.lines, reading)
        if period is not None:
            reading = DateReading(day_first, period[0], period[1])
        inside = 0
        for cell in cells:
            value = parse_date(cell, reading)
            if value is not None and (period is None or period[0] <= value <= period[1]):
                inside += 1
        if best is None or inside > best[0]:
            best = (inside, reading)
    assert best is not None
    return best[1]


def _draft_rows(account: AccountDraft, reading: DateReading) -> list[DraftRow] | str:
    rows = []
    for table in account.tables:
        for row in table.rows:
            when = parse_date(row.date_text, reading)
            if when is None:
                return f"unreadable date {row.date_text!r} on page {row.page}"
            debit = credit = None
            if ColumnKind.AMOUNT in row.amounts:
                amount = row.amounts[ColumnKind.AMOUNT]
                debit, credit = (-amount, None) if amount < 0 else (None, amount)
            else:
                out, into = row.amounts.get(ColumnKind.DEBIT), row.amounts.get(ColumnKind.CREDIT)
                if out is not None:
                    debit, credit = (out, None) if out >= 0 else (None, -out)
                if into is not None and credit is None and debit is None:
                    debit, credit = (None, into) if into >= 0 else (-into, None)
            if debit is None and credit is None:
                return f"row without an amount on page {row.page}: {row.description!r}"
            rows.append(
                DraftRow(when, row.description, debit, credit, row.amounts.get(ColumnKind.BALANCE), row.page)
            )
    return rows


def extract_pdf(data: bytes, *, max_pages: int = MAX_PAGES) -> ExtractionResult:
    """The statement in a text PDF, reconciled, or the reason it could not be."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pages, lines = read_lines(data, max_pages=max_pages)
    except (PDFEncryptionError, PDFPasswordIncorrect):
        return ExtractionResult(ExtractionStatus.UNREADABLE, "the document is encrypted")
    except (PDFSyntaxError, ValueError) as exc:
        return ExtractionResult(ExtractionStatus.UNREADABLE, f"not a readable PDF: {exc}")
    return extract_lines(pages, lines)


def extract_lines(pages: int, lines: Sequence[Line]) -> ExtractionResult:
    if not lines:
        return ExtractionResult(ExtractionStatus.UNREADABLE, "the document has no text layer", pages=pages)
    layout = read_layout(pages, lines)
    if not layout.tables:
        return ExtractionResult(
            ExtractionStatus.NO_TRANSACTION_TABLE,
            "no transaction table with known column headers",
            pages=pages,
        )
    reading = _reading(layout)
    accounts, problems = [], []
    for draft in layout.accounts:
        rows = _draft_rows(draft, reading)
        label = draft.number or draft.title
        if isinstance(rows, str):
            problems.append(f"{label}: {rows}")
            continue
        amount_column = any(t.column(ColumnKind.AMOUNT) for t in draft.tables)
        outcome = reconcile(rows, draft.opening_cents, draft.closing_cents, may_flip=amount_column)
        if not isinstance(outcome, Reconciled):
            problems.append(f"{label}: {outcome}")
            continue
        accounts.append(
            ExtractedAccount(
                number=draft.number,
                title=draft.title,
                currency=draft.currency,
                opening_balance_cents=outcome.opening_cents,
                closing_balance_cents=outcome.closing_cents,
                sign=outcome.sign,
                transactions=outcome.transactions,
            )
        )
    if problems:
        return ExtractionResult(
            ExtractionStatus.UNRECONCILED, "; ".join(problems), pages=pages, problems=tuple(problems)
        )
    first_table = layout.tables[0]
    above = [
        ln for ln in layout.lines if ln.page == first_table.page and ln.baseline < first_table.header.baseline
    ]
    statement = ExtractedStatement(
        holder=_holder(above),
        period_start=reading.period_start,
        period_end=reading.period_end,
        accounts=tuple(accounts),
    )
    return ExtractionResult(ExtractionStatus.EXTRACTED, "reconciled", statement, pages=pages)
