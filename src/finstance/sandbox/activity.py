"""Day-by-day banking activity of a sandbox end-user: chequing, savings, credit card, line of credit.

**Sign convention.** Chequing and savings balances are money held. Credit products (card, line of credit)
carry the amount owed as a positive balance, as Flinks reports a card's ``Current`` balance: a debit
(purchase, interest, advance) raises it, a credit (payment, refund) lowers it.

**Why history does not depend on "today".** Every day's events come from a random generator seeded by
the user and the calendar date, and every amount that depends on a balance is computed from a balance the
user resets each month: chequing is swept to a monthly target on the 1st (to or from savings), savings is
swept to its target on the 2nd (to or from investments), the card is paid down to a monthly carry that is
itself a function of the previous month's purchases, the line of credit is brought to a monthly target.
Simulating from three months before the first date of interest therefore makes every transaction, and
every running balance, from that date on the same whatever day the simulation ends.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from finstance.core.country import Country
from finstance.sandbox.lifestyle import Lifestyle, Merchant

CHEQUING, SAVINGS, CARD, LOC = 0, 1, 2, 3
CREDIT_PRODUCTS = frozenset({CARD, LOC})

PAYROLL = "PAYROLL - {employer} Paycheck"
NSF_FEE = "NSF FEE"
RETURNED_ITEM = "RETURNED ITEM - "
CARD_PAYMENT = "PAYMENT - CREDIT CARD"
CARD_PAYMENT_RECEIVED = "PAYMENT - THANK YOU"
LOC_PAYMENT = "PAYMENT - LINE OF CREDIT"
LOC_PAYMENT_RECEIVED = "PAYMENT RECEIVED"
LOC_ADVANCE = "ADVANCE TO CHEQUING"
LOC_ADVANCE_RECEIVED = "TRANSFER FROM LINE OF CREDIT"
TO_SAVINGS, FROM_CHEQUING = "TRANSFER TO SAVINGS", "TRANSFER FROM CHEQUING"
TO_CHEQUING, FROM_SAVINGS = "TRANSFER TO CHEQUING", "TRANSFER FROM SAVINGS"
SWEEP = " - AUTO-SWEEP"
REFUND = "REFUND - "
INTEREST_PAID = "INTEREST PAID"
CARD_INTEREST = "INTEREST CHARGES - PURCHASES"
LOC_INTEREST = "INTEREST CHARGE"
MONTHLY_FEE = "MONTHLY ACCOUNT FEE"
CHEQUE = "CHEQUE #"

# A steady user's chequing ends every day with at least this much: Pay's sandbox test users, whose
# payments in the widget must not fail on the simulated balance of the day.
STEADY_FLOOR_CENTS = 50000

_PAY_EPOCH = date(2020, 1, 3)  # a Friday
_REFERENCE_YEAR = 2025


@dataclass(frozen=True, slots=True)
class Entry:
    day: date
    description: str
    debit_cents: int | None
    credit_cents: int | None
    balance_cents: int


def seeded(key: str, label: str) -> random.Random:
    return random.Random(hashlib.sha256(f"{key}|{label}".encode()).digest())


def effect(account: int, debit_cents: int | None, credit_cents: int | None) -> int:
    """How a transaction moves the account's balance (see the sign convention)."""
    delta = (credit_cents or 0) - (debit_cents or 0)
    return -delta if account in CREDIT_PRODUCTS else delta


def is_payday(life: Lifestyle, day: date) -> bool:
    return (day - _PAY_EPOCH).days % 14 == life.pay_phase


def pay_cents(life: Lifestyle, year: int) -> int:
    return round(life.pay_cents * 1.025 ** (year - _REFERENCE_YEAR))


@dataclass(frozen=True, slots=True)
class _Month:
    """What the user plans for one calendar month; a function of the month alone."""

    tight: bool  # chequing is left short: a cheque bounces on the 1st
    chequing_target: int
    cheque: int  # amount of the bouncing cheque (tight months)
    carry_target: int  # card balance deliberately left unpaid (interest is charged on it)
    loc_target: int
    savings_target: int
    electricity_factor: float
    refund_day: int  # 0: none planned
    card_day: int  # day of the card payment: the first payday from the 15th
    loc_day: int  # day of the line-of-credit payment or advance: the first payday
    last_day: int


def _plan(life: Lifestyle, key: str, year: int, month: int) -> _Month:
    rng = seeded(key, f"month|{year}-{month:02d}")
    index = year * 12 + month - 1
    tight = not life.steady and (index + life.phase) % 5 == 0
    buffer = rng.randint(15000, 40000) if tight else round(rng.randint(90000, 220000) * life.scale)
    carry = (
        round(rng.randint(20000, 120000) * life.scale)
        if (index + life.phase) % 4 == 1 or rng.random() < 0.2
        else 0
    )
    wave = math.sin(2 * math.pi * (index + life.phase) / 12)
    season = (1.35, 1.3, 1.15, 1.0, 0.9, 1.05, 1.2, 1.2, 0.95, 0.95, 1.1, 1.3)[month - 1]
    if life.country is Country.US:
        season = 2.3 - season  # air conditioning: summers are the expensive months
    first = date(year, month, 1)
    last_day = ((first + timedelta(days=32)).replace(day=1) - timedelta(days=1)).day
    paydays = [d for d in range(1, last_day + 1) if is_payday(life, first.replace(day=d))]
    growth = 1 + 0.006 * (index - _REFERENCE_YEAR * 12)
    return _Month(
        tight=tight,
        chequing_target=life.housing.cents + buffer,
        cheque=buffer + life.overdraft_cents + rng.randint(20000, 70000) if tight else 0,
        carry_target=carry,
        loc_target=round(life.loc_target_cents * (1 + 0.3 * wave) / 10000) * 10000,
        savings_target=max(
            100000, round(life.savings_target_cents * growth * rng.uniform(0.97, 1.03) / 1000) * 1000
        ),
        electricity_factor=season * rng.uniform(0.85, 1.15),
        refund_day=rng.randint(3, 27) if index % 2 == life.phase % 2 or rng.random() < 0.3 else 0,
        card_day=next(d for d in paydays if d >= 15),
        loc_day=paydays[0],
        last_day=last_day,
    )


class _Book:
    """Running balances and the entries posted so far."""

    def __init__(self, opening: list[int]) -> None:
        self.balance = opening
        self.entries: list[list[Entry]] = [[] for _ in opening]

    def post(self, account: int, day: date, description: str, cents: int, *, debit: bool) -> None:
        if cents <= 0:
            return
        debit_cents, credit_cents = (cents, None) if debit else (None, cents)
        self.balance[account] += effect(account, debit_cents, credit_cents)
        self.entries[account].append(
            Entry(day, description, debit_cents, credit_cents, self.balance[account])
        )

    def move(self, day: date, source: int, target: int, cents: int, out_desc: str, in_desc: str) -> None:
        """A transfer between two of the user's accounts (never refused)."""
        self.post(source, day, out_desc, cents, debit=True)
        self.post(target, day, in_desc, cents, debit=False)


@dataclass(frozen=True, slots=True)
class _Spend:
    account: int
    description: str
    cents: int
    refund: bool = False  # a credit from a merchant
    income: bool = False  # money received (e-transfer)


def _draw_spending(life: Lifestyle, day: date, rng: random.Random) -> list[_Spend]:
    """The day's discretionary activity; depends only on the user and the date."""
    weekend = day.weekday() >= 5
    scale = life.scale
    out: list[_Spend] = []

    def cents(low: float, high: float, mode: float) -> int:
        return round(rng.triangular(low, high, mode) * 100 * scale)

    def shop(places: tuple[Merchant, ...], debit_share: float, low: float, high: float, mode: float) -> None:
        place = rng.choice(places)
        on_debit = rng.random() < debit_share
        amount = cents(low, high, mode)
        out.append(_Spend(CHEQUING, place.debit, amount) if on_debit else _Spend(CARD, place.card, amount))

    if rng.random() < (0.42 if weekend else 0.27):
        shop(life.grocers, 0.35, 12, 240, 70)
    if rng.random() < (0.6 if weekend else 0.42):
        if rng.random() < 0.5:
            shop(life.restaurants, 0.15, 3.5, 9, 5)
        else:
            shop(life.restaurants, 0.15, 14, 110, 32)
    if rng.random() < 0.12:
        shop(life.gas_stations, 0.1, 35, 95, 60)
    if rng.random() < (0.15 if weekend else 0.07):
        shop(life.shops, 0.2, 10, 260, 45)
    if rng.random() < 0.04:
        shop(life.pharmacies, 0.4, 6, 70, 18)
    if rng.random() < 0.07:
        out.append(_Spend(CARD, rng.choice(life.online), cents(12, 180, 40)))
    if rng.random() < 0.10:
        out.append(_Spend(CARD, rng.choice(life.transit), cents(3, 45, 12)))
    if rng.random() < 0.04:
        out.append(_Spend(CHEQUING, life.atm, rng.choice((40, 60, 80, 100, 120, 200)) * 100))
    if rng.random() < 0.05:
        amount = rng.choice((20, 25, 40, 50, 60, 75, 100, 150, 200, 300)) * 100
        out.append(_Spend(CHEQUING, life.etransfer_sent + rng.choice(life.friends), amount))
    if rng.random() < 0.03:
        amount = rng.choice((20, 25, 40, 50, 60, 80, 120)) * 100
        out.append(_Spend(CHEQUING, life.etransfer_received + rng.choice(life.friends), amount, income=True))
    if rng.random() < 0.012:
        out.append(_refund(life, rng))
    return out


def _refund(life: Lifestyle, rng: random.Random) -> _Spend:
    merchant = rng.choice([*(s.card for s in life.shops), *life.online])
    return _Spend(CARD, REFUND + merchant, round(rng.triangular(15, 150, 35) * 100 * life.scale), refund=True)


class _Simulation:
    def __init__(self, life: Lifestyle, key: str, start: date) -> None:
        self.life, self.key = life, key
        first = _plan(life, key, start.year, start.month)
        self.book = _Book([first.chequing_target, first.savings_target, 0, first.loc_target])
        self.month = first
        self.card_closing = 0  # card balance at the end of the previous month
        self.card_purchases = 0  # net purchases on the card this month (excluding payments, interest)
        self.carry = 0

    def run(self, start: date, end: date) -> list[list[Entry]]:
        day = start
        while day <= end:
            self.day(day)
            day += timedelta(days=1)
        return self.book.entries

    def day(self, day: date) -> None:
        life, book = self.life, self.book
        rng = seeded(self.key, f"day|{day.isoformat()}")
        if day.day == 1:
            self.start_month(day)
        month = self.month
        if day.day == 2:
            self.sweep_savings(day, month.savings_target)
        if is_payday(life, day):
            amount = pay_cents(life, day.year)
            if rng.random() < 0.2:  # overtime, a bonus
                amount += round(amount * rng.uniform(0.02, 0.08))
            book.post(CHEQUING, day, PAYROLL.format(employer=life.employer), amount, debit=False)
            book.move(day, CHEQUING, SAVINGS, life.savings_transfer_cents, TO_SAVINGS, FROM_CHEQUING)
        for bill in life.bills:
            if bill.day == day.day:
                factor = month.electricity_factor if bill.seasonal else 1.0
                self.bill(day, bill.description, round(bill.cents * factor))
        for sub in life.subscriptions:
            if sub.day == day.day:
                self.spend(day, _Spend(CARD, sub.description, sub.cents))
        if day.day == month.loc_day:
            self.settle_loc(day)
        if day.day == month.card_day:
            book.move(
                day, CHEQUING, CARD, self.card_closing - self.carry, CARD_PAYMENT, CARD_PAYMENT_RECEIVED
            )
        spending = _draw_spending(life, day, rng)
        if day.day == month.refund_day:
            spending.append(_refund(life, rng))
        for item in spending:
            self.spend(day, item)
        if day.day == month.last_day:
            self.end_month(day)
        if life.steady and book.balance[CHEQUING] < STEADY_FLOOR_CENTS:  # savings keeps chequing funded
            need = STEADY_FLOOR_CENTS - book.balance[CHEQUING]
            book.move(day, SAVINGS, CHEQUING, need, TO_CHEQUING + SWEEP, FROM_SAVINGS + SWEEP)

    def start_month(self, day: date) -> None:
        life, book = self.life, self.book
        self.month = month = _plan(life, self.key, day.year, day.month)
        self.card_closing = book.balance[CARD]
        self.carry = min(month.carry_target, max(0, self.card_purchases))
        self.card_purchases = 0
        self.sweep_chequing(day, month.chequing_target)
        self.bill(day, life.housing.description, life.housing.cents)
        if month.tight:
            self.bill(day, f"{CHEQUE}{100 + (day.year * 12 + day.month) % 900}", month.cheque)

    def end_month(self, day: date) -> None:
        life, book = self.life, self.book
        book.post(CHEQUING, day, MONTHLY_FEE, life.monthly_fee_cents, debit=True)
        book.post(
            SAVINGS, day, INTEREST_PAID, round(book.balance[SAVINGS] * life.savings_rate / 12), debit=False
        )
        book.post(CARD, day, CARD_INTEREST, round(self.carry * life.card_apr / 12), debit=True)
        book.post(LOC, day, LOC_INTEREST, round(book.balance[LOC] * life.loc_apr / 12), debit=True)

    def sweep_chequing(self, day: date, target: int) -> None:
        """Bring chequing to ``target`` against savings."""
        excess = self.book.balance[CHEQUING] - target
        if excess > 0:
            self.book.move(day, CHEQUING, SAVINGS, excess, TO_SAVINGS + SWEEP, FROM_CHEQUING + SWEEP)
        else:
            self.book.move(day, SAVINGS, CHEQUING, -excess, TO_CHEQUING + SWEEP, FROM_SAVINGS + SWEEP)

    def sweep_savings(self, day: date, target: int) -> None:
        """Bring savings to ``target`` against the user's investment account (outside the bank)."""
        excess = self.book.balance[SAVINGS] - target
        description = self.life.investment_in if excess > 0 else self.life.investment_out
        self.book.post(SAVINGS, day, description, abs(excess), debit=excess > 0)

    def settle_loc(self, day: date) -> None:
        excess = self.book.balance[LOC] - self.month.loc_target
        if excess > 0:
            self.book.move(day, CHEQUING, LOC, excess, LOC_PAYMENT, LOC_PAYMENT_RECEIVED)
        else:
            self.book.move(day, LOC, CHEQUING, -excess, LOC_ADVANCE, LOC_ADVANCE_RECEIVED)

    def bill(self, day: date, description: str, cents: int) -> None:
        """A pre-authorised debit or cheque on chequing: returned, with a fee, beyond the overdraft limit."""
        book = self.book
        book.post(CHEQUING, day, description, cents, debit=True)
        if book.balance[CHEQUING] < -self.life.overdraft_cents:
            payee = description.split(" - ", 1)[-1]
            book.post(CHEQUING, day, RETURNED_ITEM + payee, cents, debit=False)
            book.post(CHEQUING, day, NSF_FEE, self.life.nsf_fee_cents, debit=True)

    def spend(self, day: date, item: _Spend) -> None:
        book = self.book
        if item.account == CARD:
            self.card_purchases += -item.cents if item.refund else item.cents
            book.post(CARD, day, item.description, item.cents, debit=not item.refund)
        elif item.income:
            book.post(CHEQUING, day, item.description, item.cents, debit=False)
        elif book.balance[CHEQUING] - item.cents >= -self.life.overdraft_cents:  # else: declined at the till
            book.post(CHEQUING, day, item.description, item.cents, debit=True)


@dataclass(frozen=True, slots=True)
class Ledger:
    opening: tuple[int, ...]  # balance of each account just before the first day
    entries: tuple[tuple[Entry, ...], ...]  # per account, oldest first


def simulate(life: Lifestyle, key: str, first_day: date, last_day: date) -> Ledger:
    """The four accounts' entries from ``first_day`` to ``last_day``.

    Nothing returned depends on ``last_day`` (or on ``first_day``) beyond which days are included: the
    simulation starts three months earlier, long enough for every balance to forget its arbitrary start.
    """
    start = warm_up_start(first_day)
    simulation = _Simulation(life, key, start)
    opening = list(simulation.book.balance)
    accounts = simulation.run(start, last_day)
    kept: list[tuple[Entry, ...]] = []
    for position, entries in enumerate(accounts):
        earlier = [e for e in entries if e.day < first_day]
        if earlier:
            opening[position] = earlier[-1].balance_cents
        kept.append(tuple(entries[len(earlier) :]))
    return Ledger(tuple(opening), tuple(kept))


def warm_up_start(first_day: date) -> date:
    """The 1st of the month three months before ``first_day``'s month."""
    index = first_day.year * 12 + first_day.month - 1 - 3
    return date(index // 12, index % 12 + 1, 1)
