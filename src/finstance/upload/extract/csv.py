"""Statements from CSV exports: a header row naming Date, Description and Amount or Debit/Credit columns,
and a Balance column (English or French names).

The running balance is what makes a CSV checkable: without a Balance column the file is refused as
unreconciled rather than taken on trust. Dates are read day first when any date says so, else month first.
"""

from __future__ import annotations

import csv
import io

from finstance.upload.extract.amounts import parse_amount
from finstance.upload.extract.dates import DateReading, numeric_order_evidence, parse_date
from finstance.upload.extract.reconcile import DraftRow, Reconciled, reconcile
from finstance.upload.extract.words import fold
from finstance.upload.statement import (
    ExtractedAccount,
    ExtractedStatement,
    ExtractionResult,
    ExtractionStatus,
)

_NAMES = {
    "date": {"date", "transaction date", "posted date", "posting date", "date de transaction"},
    "description": {"description", "details", "payee", "memo", "libelle", "transaction"},
    "amount": {"amount", "montant"},
    "debit": {"debit", "debits", "withdrawal", "withdrawals", "retrait", "retraits"},
    "credit": {"credit", "credits", "deposit", "deposits", "depot", "depots"},
    "balance": {"balance", "solde"},
}


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = fold(name).strip().strip("()$ ")
        for column, names in _NAMES.items():
            if key in names and column not in found:
                found[column] = index
    return found


def extract_csv(data: bytes) -> ExtractionResult:
    """The one account of a CSV export."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel()  # type: ignore[assignment]
    rows = [r for r in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in r)]
    if not rows:
        return ExtractionResult(ExtractionStatus.NO_TRANSACTION_TABLE, "the CSV file has no rows")
    columns = _columns(rows[0])
    money = "amount" in columns or {"debit", "credit"} <= columns.keys()
    if not ({"date", "description"} <= columns.keys() and money):
        return ExtractionResult(
            ExtractionStatus.NO_TRANSACTION_TABLE, "no Date, Description and Amount or Debit/Credit header"
        )
    if "balance" not in columns:
        return ExtractionResult(
            ExtractionStatus.UNRECONCILED, "no Balance column: nothing to reconcile against"
        )
    body = rows[1:]
    day_first = bool(numeric_order_evidence([r[columns["date"]] for r in body if len(r) > columns["date"]]))
    reading = DateReading(day_first=day_first)
    drafts = []
    for number, cells in enumerate(body, start=2):

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        when = parse_date(cell("date"), reading)
        balance = parse_amount(cell("balance"))
        if when is None or balance is None:
            return ExtractionResult(ExtractionStatus.UNREADABLE, f"line {number}: unreadable date or balance")
        debit = credit = None
        if "amount" in columns:
            amount = parse_amount(cell("amount"))
            if amount is None:
                return ExtractionResult(ExtractionStatus.UNREADABLE, f"line {number}: unreadable amount")
            debit, credit = (-amount, None) if amount < 0 else (None, amount)
        else:
            out, into = parse_amount(cell("debit")), parse_amount(cell("credit"))
            debit = abs(out) if out else None
            credit = abs(into) if into else None
            if debit is None and credit is None:
                return ExtractionResult(ExtractionStatus.UNREADABLE, f"line {number}: no debit or credit")
        drafts.append(DraftRow(when, cell("description"), debit, credit, balance, 0))
    outcome = reconcile(drafts, None, None, may_flip="amount" in columns)
    if not isinstance(outcome, Reconciled):
        return ExtractionResult(ExtractionStatus.UNRECONCILED, outcome, problems=(outcome,))
    dates = [t.date for t in outcome.transactions]
    account = ExtractedAccount(
        number="",
        title="Account",
        currency=None,
        opening_balance_cents=outcome.opening_cents,
        closing_balance_cents=outcome.closing_cents,
        sign=outcome.sign,
        transactions=outcome.transactions,
    )
    statement = ExtractedStatement(
        holder=None,
        period_start=min(dates) if dates else None,
        period_end=max(dates) if dates else None,
        accounts=(account,),
    )
    return ExtractionResult(ExtractionStatus.EXTRACTED, "read from CSV", statement)
