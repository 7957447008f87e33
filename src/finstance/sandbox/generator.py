"""Deterministic, realistic data for one end-user of the sandbox bank "Flinks Capital".

``generate_profile(username, country, today, salt=...)`` returns the holder's KYC and four accounts, in
this order: chequing, savings, credit card, line of credit, each with transactions from
``today - 400 days`` to ``today`` (oldest first) and one statement for each of the 12 full calendar months
before ``today``'s month (what it shows; :func:`finstance.sandbox.pdf.render_statement` makes its PDF).

Determinism and stability:

* Everything is seeded from ``(username.lower(), country, salt)``; the same inputs give equal profiles,
  PDFs included, byte for byte.
* The activity of a calendar day is seeded by that day, and ids are ``uuid5`` of salt, user, account
  position, date and position within the day. So a transaction keeps its id, description, amount and
  running balance whatever ``today`` is (refreshing later only adds days). See
  :mod:`finstance.sandbox.activity` for how balances are kept independent of the window.

Money is in cents. Balance sign convention: chequing and savings hold money (``balance_current_cents``
may go negative within the overdraft); for the credit card and the line of credit
``balance_current_cents`` is the amount owed, positive, as Flinks reports it, and each transaction's
``balance_cents`` follows the same rule: purchases, advances and interest (debits) raise it, payments and
refunds (credits) lower it. ``balance_available_cents`` is ``current + overdraft`` on chequing,
``current`` on savings and ``limit - owed`` on credit products.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from finstance.core.country import Country
from finstance.core.profile import Account, BankProfile, Statement, StatementContent, Transaction
from finstance.sandbox.activity import CARD, CHEQUING, LOC, SAVINGS, Entry, seeded, simulate
from finstance.sandbox.holders import PAY_PAYORS, is_greatday, make_holder
from finstance.sandbox.institutions import FLINKS_CAPITAL_ROUTING_NUMBERS
from finstance.sandbox.lifestyle import Lifestyle, make_lifestyle

BANK_NAME = "Flinks Capital"
INSTITUTION_NUMBER = "777"  # Flinks Capital's Canadian institution number (docs sample)
HISTORY_DAYS = 400
STATEMENT_MONTHS = 12

_NAMESPACE = uuid.UUID("6f1b7e52-3c0a-5d43-9a8e-1f2c4b5d6e70")
_GREATDAY_CHEQUING, _GREATDAY_TRANSIT = "7641238", "12347"  # docs sample


@dataclass(frozen=True, slots=True)
class _Kind:
    title_ca: str
    title_us: str
    category: str
    type: str


_KINDS = {
    CHEQUING: _Kind("Chequing Account", "Checking Account", "Operations", "Chequing"),
    SAVINGS: _Kind("Savings Account", "Savings Account", "Operations", "Savings"),
    CARD: _Kind("Visa Credit Card", "Visa Credit Card", "Credits", "CreditCard"),
    LOC: _Kind("Personal Line of Credit", "Personal Line of Credit", "Credits", "LineOfCredit"),
}


@dataclass(frozen=True, slots=True)
class _Identity:
    account_number: str
    transit_number: str | None
    institution_number: str | None
    routing_number: str | None
    last_four_digits: str | None


def generate_profile(username: str, country: Country, today: date, *, salt: str = "") -> BankProfile:
    """The holder and accounts of ``username`` at the sandbox bank, as of the end of ``today``."""
    user = username.lower()
    key = hashlib.sha256(f"{user}\x1f{country.value}\x1f{salt}".encode()).hexdigest()
    rng = seeded(key, "profile")
    greatday = is_greatday(user, country)
    holder, city = make_holder(rng, country, user)
    life = make_lifestyle(rng, country, city, greatday=greatday, steady=user in PAY_PAYORS)
    identities = _identities(rng, country, greatday)

    ledger = simulate(life, key, today - timedelta(days=HISTORY_DAYS), today)
    accounts = []
    for position, identity in enumerate(identities):
        ids = _IdMaker(salt, user, country, position)
        opening = ledger.opening[position]
        transactions = _transactions(ids, ledger.entries[position])
        current = transactions[-1].balance_cents if transactions else opening
        statements = _statements(ids, position, identity, country, today, opening, transactions)
        accounts.append(
            _account(ids.account(), position, identity, country, life, current, transactions, statements)
        )
    return BankProfile(holder=holder, accounts=tuple(accounts))


def _transactions(ids: _IdMaker, entries: Sequence[Entry]) -> tuple[Transaction, ...]:
    out = []
    previous, index_in_day = None, 0
    for seq, e in enumerate(entries):
        index_in_day = index_in_day + 1 if e.day == previous else 0
        previous = e.day
        tx_id = ids.transaction(e.day, index_in_day)
        out.append(
            Transaction(tx_id, e.day, e.description, e.debit_cents, e.credit_cents, e.balance_cents, seq)
        )
    return tuple(out)


def _identities(rng: random.Random, country: Country, greatday: bool) -> list[_Identity]:
    """Account numbers: CA 7 digits with transit and institution; US 8-12 digits with a routing number.

    Only deposit accounts carry EFT details; the card's number is masked.
    """
    transit = _GREATDAY_TRANSIT if greatday else f"{rng.randint(10000, 99999)}"
    routing = rng.choice(FLINKS_CAPITAL_ROUTING_NUMBERS)
    card_last_four = f"{rng.randint(0, 9999):04d}"
    out = []
    for position in (CHEQUING, SAVINGS, LOC):
        if country is Country.CA:
            number = f"{rng.randint(1000000, 9999999)}"
        else:
            length = rng.randint(8, 12)
            number = f"{rng.randint(10 ** (length - 1), 10**length - 1)}"
        if position == CHEQUING and greatday:
            number = _GREATDAY_CHEQUING
        deposit = position != LOC
        out.append(
            _Identity(
                account_number=number,
                transit_number=transit if deposit and country is Country.CA else None,
                institution_number=INSTITUTION_NUMBER if deposit and country is Country.CA else None,
                routing_number=routing if deposit and country is Country.US else None,
                last_four_digits=None,
            )
        )
    card = _Identity(f"**** **** **** {card_last_four}", None, None, None, card_last_four)
    return [out[0], out[1], card, out[2]]


class _IdMaker:
    """Stable identifiers: ``uuid5`` of salt, user, country, account position and what is named."""

    def __init__(self, salt: str, user: str, country: Country, position: int) -> None:
        self.prefix = f"{salt}|{user}|{country.value}|{position}"

    def account(self) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self.prefix}|account"))

    def transaction(self, day: date, index_in_day: int) -> str:
        return uuid5_text(f"{self.prefix}|{day.isoformat()}|{index_in_day}")

    def statement(self, period_start: date) -> str:
        return uuid.uuid5(_NAMESPACE, f"{self.prefix}|statement|{period_start:%Y-%m}").hex.upper()


def uuid5_text(name: str) -> str:
    """``str(uuid.uuid5(_NAMESPACE, name))``, without building a UUID object: a profile names a thousand
    transactions, and the object's construction and formatting cost more than the hash."""
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + name.encode(), usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _month_starts(today: date, count: int) -> list[date]:
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count, index)]


def _statements(
    ids: _IdMaker,
    position: int,
    identity: _Identity,
    country: Country,
    today: date,
    opening: int,
    transactions: tuple[Transaction, ...],
) -> tuple[Statement, ...]:
    kind = _KINDS[position]
    days = [t.date for t in transactions]
    out = []
    for start in _month_starts(today, STATEMENT_MONTHS):
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        lo, hi = bisect_left(days, start), bisect_left(days, end + timedelta(days=1))
        month = transactions[lo:hi]
        before = transactions[lo - 1].balance_cents if lo else opening
        closing = month[-1].balance_cents if month else before
        content = StatementContent(
            bank_name=BANK_NAME,
            account_title=kind.title_ca if country is Country.CA else kind.title_us,
            account_number=identity.account_number,
            currency=country.currency,
            opening_balance_cents=before,
            closing_balance_cents=closing,
            transactions=month,
        )
        out.append(Statement(ids.statement(start), start, end, content))
    return tuple(out)


def _account(
    account_id: str,
    position: int,
    identity: _Identity,
    country: Country,
    life: Lifestyle,
    current: int,
    transactions: tuple[Transaction, ...],
    statements: tuple[Statement, ...],
) -> Account:
    kind = _KINDS[position]
    limit = {CARD: life.card_limit_cents, LOC: life.loc_limit_cents}.get(position)
    overdraft = life.overdraft_cents if position == CHEQUING else None
    available = limit - current if limit is not None else current + (overdraft or 0)
    operations = kind.category == "Operations"
    return Account(
        id=account_id,
        title=kind.title_ca if country is Country.CA else kind.title_us,
        account_number=identity.account_number,
        transit_number=identity.transit_number,
        institution_number=identity.institution_number,
        routing_number=identity.routing_number,
        last_four_digits=identity.last_four_digits,
        category=kind.category,
        type=kind.type,
        currency=country.currency,
        account_type="Personal",
        balance_current_cents=current,
        balance_available_cents=available,
        limit_cents=limit,
        overdraft_limit_cents=overdraft,
        eft_eligible_ratio=1.0 if operations else 0.0,
        etransfer_eligible_ratio=1.0 if operations and country is Country.CA else 0.0,
        transactions=transactions,
        statements=statements,
    )


__all__ = [
    "BANK_NAME",
    "HISTORY_DAYS",
    "INSTITUTION_NUMBER",
    "STATEMENT_MONTHS",
    "generate_profile",
]
