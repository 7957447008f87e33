"""A profile: plain data describing what an institution knows about one end-user (holder, accounts,
transactions, statements).

An :class:`finstance.core.institution.Institution` yields one; Connect's aggregation saves it in the store.
Money is in integer minor units (cents) everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any


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
class StatementContent:
    """What one monthly statement shows besides its holder: the PDF is rendered from this (and the holder)
    when the statement is asked for, not at aggregation, where rendering twelve documents an account would
    cost more than the rest of the profile."""

    bank_name: str
    account_title: str
    account_number: str
    currency: str
    opening_balance_cents: int
    closing_balance_cents: int
    transactions: tuple[Transaction, ...]  # those of the period, oldest first

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form, as the store keeps it (transactions as compact rows)."""
        return {
            "bank": self.bank_name,
            "title": self.account_title,
            "number": self.account_number,
            "currency": self.currency,
            "opening": self.opening_balance_cents,
            "closing": self.closing_balance_cents,
            "rows": [
                [
                    t.id,
                    t.date.isoformat(),
                    t.description,
                    t.debit_cents,
                    t.credit_cents,
                    t.balance_cents,
                    t.seq,
                ]
                for t in self.transactions
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatementContent:
        return cls(
            bank_name=data["bank"],
            account_title=data["title"],
            account_number=data["number"],
            currency=data["currency"],
            opening_balance_cents=data["opening"],
            closing_balance_cents=data["closing"],
            transactions=tuple(
                Transaction(id_, date.fromisoformat(day), text, debit, credit, balance, seq)
                for id_, day, text, debit, credit, balance, seq in data["rows"]
            ),
        )


@dataclass(frozen=True, slots=True)
class Statement:
    unique_id: str  # stable id of the document
    period_start: date
    period_end: date
    content: StatementContent  # rendered as a PDF document on request (finstance.sandbox.pdf)


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
