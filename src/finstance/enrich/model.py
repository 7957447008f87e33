"""The values Enrich computes over: transactions as the categorizer sees them, their categories, and a card's
data as the attribute engine sees it. Plain, immutable, money in integer cents.

The same values come from a connected login's stored data (Connect's named reads) and from transactions a
client uploads, so the engines never know where their input came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from finstance.core.country import Country


@dataclass(frozen=True, slots=True)
class Txn:
    """One bank transaction: exactly one of ``debit_cents`` and ``credit_cents`` is set (and positive)."""

    id: str
    account_id: str
    date: date
    description: str
    debit_cents: int | None
    credit_cents: int | None
    balance_cents: int | None = None  # the running balance after it, when known

    @property
    def amount_cents(self) -> int:
        """Signed: credits positive, debits negative."""
        return self.credit_cents if self.credit_cents is not None else -(self.debit_cents or 0)


@dataclass(frozen=True, slots=True)
class Assignment:
    """What the categorizer decided for one transaction, and why."""

    category: str  # a primary category of the country's tree
    subcategory: str  # one of that category's sub-categories
    rule: str  # the id of the rule that decided it, e.g. "payroll.keyword" or "merchant.groceries"
    counterparty: str | None = None  # the employer, merchant, lender or payer it names, normalized


@dataclass(frozen=True, slots=True)
class CategorizedTxn:
    txn: Txn
    assignment: Assignment


@dataclass(frozen=True, slots=True)
class AccountInfo:
    id: str
    category: str  # Operations, Credits, Loans, Investments, Products
    type: str  # Chequing, Savings, CreditCard, LineOfCredit, ...
    balance_current_cents: int


@dataclass(frozen=True, slots=True)
class CardData:
    """Everything the attribute engine reads: one card's accounts and categorized transactions.

    ``as_of`` is the day the data describes (the aggregation's day for a login, the newest transaction's day
    for uploaded transactions); every window ("30 days", "previous month") is counted back from it.
    ``transactions`` is newest first.
    """

    country: Country
    as_of: date
    accounts: tuple[AccountInfo, ...]
    transactions: tuple[CategorizedTxn, ...] = field(default=())
