"""The safety check: an account's rows must add up.

Opening balance plus credits less debits is the closing balance (for money held; the other way round for
money owed), and every printed running balance is the one the rows before it give. Which way the balance
runs, and for a single signed amount column which sign is money out, is not assumed: the reading that
reconciles is kept, money held first. An opening balance that is not printed is the first running balance
taken back by its row; without any printed balance nothing can be checked and the account fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from finstance.upload.statement import BalanceSign, ExtractedTransaction


@dataclass(frozen=True, slots=True)
class DraftRow:
    date: date
    description: str
    debit_cents: int | None
    credit_cents: int | None
    printed_balance_cents: int | None
    page: int


@dataclass(frozen=True, slots=True)
class Reconciled:
    sign: BalanceSign
    opening_cents: int
    closing_cents: int
    transactions: tuple[ExtractedTransaction, ...]


def flipped(rows: Sequence[DraftRow]) -> list[DraftRow]:
    """The rows with debits and credits swapped (a signed amount column where positive is money out)."""
    return [
        DraftRow(r.date, r.description, r.credit_cents, r.debit_cents, r.printed_balance_cents, r.page)
        for r in rows
    ]


def reconcile(
    rows: Sequence[DraftRow],
    opening_cents: int | None,
    closing_cents: int | None,
    *,
    may_flip: bool = False,
) -> Reconciled | str:
    """The account's transactions with running balances, or why its rows do not add up."""
    readings = [(sign, list(rows)) for sign in BalanceSign]
    if may_flip:
        readings += [(sign, flipped(rows)) for sign in BalanceSign]
    reasons: list[str] = []
    for sign, candidate in readings:
        outcome = _check(sign, candidate, opening_cents, closing_cents)
        if isinstance(outcome, Reconciled):
            return outcome
        reasons.append(outcome)
    return reasons[0]


def _check(
    sign: BalanceSign, rows: Sequence[DraftRow], opening: int | None, closing: int | None
) -> Reconciled | str:
    if opening is None:
        first = next((r for r in rows if r.printed_balance_cents is not None), None)
        if first is None or first is not rows[0]:
            if not rows and closing is not None:
                opening = closing
            else:
                return "no opening balance and no running balance on the first row"
        else:
            assert first.printed_balance_cents is not None
            opening = sign.apply(first.printed_balance_cents, first.credit_cents, first.debit_cents)
    running = opening
    out = []
    for index, row in enumerate(rows):
        running = sign.apply(running, row.debit_cents, row.credit_cents)
        if row.printed_balance_cents is not None and row.printed_balance_cents != running:
            return (
                f"row {index + 1} ({row.date.isoformat()} {row.description!r}, page {row.page}) prints a "
                f"balance of {row.printed_balance_cents} cents where the rows give {running}"
            )
        out.append(
            ExtractedTransaction(
                row.date, row.description, row.debit_cents, row.credit_cents, running, row.page
            )
        )
    if closing is not None and closing != running:
        return f"opening {opening} plus the rows gives {running} cents, the closing balance is {closing}"
    return Reconciled(sign, opening, running, tuple(out))
