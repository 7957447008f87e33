"""What Upload reads out of one document: the holder, the statement period and each account with its
balances and transactions, money in integer cents.

An extraction either reconciles (every account's opening balance plus its credits less its debits is its
closing balance, and every printed running balance agrees) and carries the statement, or it does not and
carries only a status and a reason: never part of a statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class BalanceSign(StrEnum):
    """How a balance moves: money held (deposit accounts) or money owed (credit cards, lines of credit)."""

    HELD = "held"  # credits raise the balance, debits lower it
    OWED = "owed"  # debits raise the balance, credits lower it

    def apply(self, balance_cents: int, debit_cents: int | None, credit_cents: int | None) -> int:
        change = (credit_cents or 0) - (debit_cents or 0)
        return balance_cents + change if self is BalanceSign.HELD else balance_cents - change


@dataclass(frozen=True, slots=True)
class ExtractedTransaction:
    date: date
    description: str
    debit_cents: int | None  # money out, positive, or None
    credit_cents: int | None  # money in, positive, or None
    balance_cents: int  # running balance after this transaction (printed, or computed when not printed)
    page: int  # 1-based page the row starts on (0 for files without pages)


@dataclass(frozen=True, slots=True)
class ExtractedAccount:
    number: str
    title: str
    currency: str | None  # ISO code when the document says it
    opening_balance_cents: int
    closing_balance_cents: int
    sign: BalanceSign
    transactions: tuple[ExtractedTransaction, ...]  # in statement order

    @property
    def total_debits_cents(self) -> int:
        return sum(t.debit_cents or 0 for t in self.transactions)

    @property
    def total_credits_cents(self) -> int:
        return sum(t.credit_cents or 0 for t in self.transactions)


@dataclass(frozen=True, slots=True)
class HolderInfo:
    name: str
    address_lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExtractedStatement:
    holder: HolderInfo | None
    period_start: date | None
    period_end: date | None
    accounts: tuple[ExtractedAccount, ...]


class ExtractionStatus(StrEnum):
    EXTRACTED = "Extracted"  # reconciled: the statement is complete
    UNRECONCILED = "Unreconciled"  # rows were read but balances do not add up
    NO_TRANSACTION_TABLE = "NoTransactionTable"  # no table with recognisable column headers
    UNREADABLE = "Unreadable"  # the file could not be read as a statement at all


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    status: ExtractionStatus
    reason: str
    statement: ExtractedStatement | None = None  # set only when EXTRACTED
    pages: int = 0
    problems: tuple[str, ...] = field(default=())  # what failed to reconcile, account by account

    @property
    def ok(self) -> bool:
        return self.status is ExtractionStatus.EXTRACTED
