"""A profile: plain data describing what an institution knows about one end-user (holder, accounts,
transactions, statements).

An :class:`finstance.core.institution.Institution` yields one; Connect's aggregation saves it in the store.
Money is in integer minor units (cents) everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True, slots=True)
class Address:
    civic_address: str
    city: str
    province: str  # province (CA) or state (US) code
    postal_code: str  # postal code (CA) or ZIP code (US)
    country: str  # "CA" or "US"
    po_box: str | None = None


@dataclass(frozen=True, slots=True)
class Holder:
    name: str
    address: Address
    email: str
    phone_number: str


@dataclass(frozen=True, slots=True)
class Transaction:
    id: str  # GUID, stable for the same user, account, day and position in the day
    date: date
    description: str
    debit_cents: int | None  # money out, positive, or None
    credit_cents: int | None  # money in, positive, or None
    balance_cents: int  # running balance after this transaction
    seq: int  # order within the account, oldest first (0-based)


@dataclass(frozen=True, slots=True)
class Statement:
    unique_id: str  # stable id of the document
    period_start: date
    period_end: date
    pdf: bytes  # a real PDF document


@dataclass(frozen=True, slots=True)
class Account:
    id: str  # GUID, stable for the same user and account position
    title: str
    account_number: str
    transit_number: str | None
    institution_number: str | None
    routing_number: str | None  # US accounts
    last_four_digits: str | None  # cards
    category: str  # Operations | Credits | Products | Other
    type: str  # Chequing | Savings | CreditCard | LineOfCredit | ...
    currency: str  # CAD | USD
    account_type: str  # Personal | Business
    balance_current_cents: int
    balance_available_cents: int | None
    limit_cents: int | None
    overdraft_limit_cents: int | None
    eft_eligible_ratio: float
    etransfer_eligible_ratio: float
    transactions: tuple[Transaction, ...]  # oldest first
    statements: tuple[Statement, ...] = field(default=())  # oldest first, one a month


@dataclass(frozen=True, slots=True)
class BankProfile:
    holder: Holder
    accounts: tuple[Account, ...]

    def since(self, first_day: date) -> BankProfile:
        """The same profile with only the transactions from ``first_day`` on (a shorter history)."""
        accounts = tuple(
            replace(a, transactions=tuple(t for t in a.transactions if t.date >= first_day))
            for a in self.accounts
        )
        return replace(self, accounts=accounts)
