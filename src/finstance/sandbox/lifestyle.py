"""A sandbox end-user's habits: employer, pay, housing, bills, favourite shops and account parameters.

Everything here is drawn once per user (from the profile seed) and never depends on the date, so the
day-by-day activity in :mod:`finstance.sandbox.activity` is a function of the calendar alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from finstance.core.country import Country
from finstance.sandbox.merchants import TRANSIT, City, Tables, electricity_provider, tables_for

GREATDAY_EMPLOYER = "Stripe"  # docs sample: "PAYROLL - Stripe Paycheck", Credit 1500.25
GREATDAY_PAY_CENTS = 150025
GREATDAY_OVERDRAFT_CENTS = 10050  # docs sample: "OverdraftLimit": 100.5


@dataclass(frozen=True, slots=True)
class Merchant:
    card: str  # as printed on a credit-card statement
    debit: str  # as printed on a chequing account when paid by debit card


@dataclass(frozen=True, slots=True)
class Bill:
    description: str
    day: int  # day of the month it is debited
    cents: int
    seasonal: bool  # electricity: varies with the season


@dataclass(frozen=True, slots=True)
class Lifestyle:
    country: Country
    employer: str
    pay_cents: int  # net pay per (bi-weekly, Friday) paycheque in 2025; +2.5 % a year
    pay_phase: int  # 0 or 7: which Fridays are paydays
    scale: float  # spending level relative to a typical earner
    housing: Bill  # rent or mortgage, on the 1st
    bills: tuple[Bill, ...]  # pre-authorised debits on chequing
    subscriptions: tuple[Bill, ...]  # charged to the credit card
    grocers: tuple[Merchant, ...]
    restaurants: tuple[Merchant, ...]
    gas_stations: tuple[Merchant, ...]
    shops: tuple[Merchant, ...]
    pharmacies: tuple[Merchant, ...]
    online: tuple[str, ...]
    transit: tuple[str, ...]
    friends: tuple[str, ...]  # e-transfer / Zelle counterparties
    atm: str
    etransfer_sent: str  # prefix, followed by a friend's name
    etransfer_received: str
    investment_in: str
    investment_out: str
    savings_transfer_cents: int  # moved to savings every payday
    savings_target_cents: int  # savings balance kept (the rest swept to investments) in 2025
    savings_rate: float
    card_limit_cents: int
    card_apr: float
    loc_limit_cents: int
    loc_target_cents: int  # typical amount owed on the line of credit
    loc_apr: float
    overdraft_cents: int
    nsf_fee_cents: int
    monthly_fee_cents: int
    phase: int  # 0..11: shifts the monthly cycles (tight months, card carry, LOC use) between users
    steady: bool = False  # no tight month, chequing topped up daily (activity.STEADY_FLOOR_CENTS)


def _store(rng: random.Random, name: str, city: City, country: Country) -> Merchant:
    number = rng.randint(100, 9999)
    card = f"{name.upper()} #{number:04d} {city.name.upper()} {city.region}"
    debit = "INTERAC PURCHASE" if country is Country.CA else "DEBIT CARD PURCHASE"
    return Merchant(card, f"{debit} - {name.upper()} #{number:04d}")


def _stores(
    rng: random.Random, names: tuple[str, ...], k: int, city: City, country: Country
) -> tuple[Merchant, ...]:
    return tuple(_store(rng, name, city, country) for name in rng.sample(names, k))


def make_lifestyle(
    rng: random.Random, country: Country, city: City, *, greatday: bool, steady: bool = False
) -> Lifestyle:
    t: Tables = tables_for(country, city.region)
    ca = country is Country.CA
    pay = GREATDAY_PAY_CENTS if greatday else rng.randint(1500, 3200) * 100 + rng.randint(0, 99)
    scale = min(1.4, max(0.6, pay / 240000))
    monthly_income = pay * 26 / 12
    if rng.random() < 0.6:
        housing = Bill(
            f"RENT - {rng.choice(t.landlords)}", 1, round(monthly_income * 0.28 / 500) * 500, False
        )
    else:
        housing = Bill(f"MORTGAGE PAYMENT - {rng.choice(t.lenders)}", 1, round(monthly_income * 0.3), False)
    bills = [
        Bill(
            f"BILL PAYMENT - {electricity_provider(country, city.region)}",
            rng.randint(8, 14),
            rng.randint(5500, 13000),
            True,
        ),
        Bill(
            f"BILL PAYMENT - {rng.choice(t.internet)}",
            rng.randint(3, 9),
            rng.randint(65, 110) * 100 - 1,
            False,
        ),
        Bill(
            f"BILL PAYMENT - {rng.choice(t.mobile)}",
            rng.randint(16, 24),
            rng.randint(40, 95) * 100 + 50,
            False,
        ),
    ]
    if rng.random() < 0.6:
        bills.append(
            Bill(
                f"INSURANCE - {rng.choice(t.insurers)}", rng.randint(15, 27), rng.randint(8000, 21000), False
            )
        )
    subscriptions = tuple(
        Bill(name, rng.randint(1, 28), cents, False) for name, cents in rng.sample(t.subscriptions, 2)
    )
    friends = tuple(f"{rng.choice(t.first_names)} {rng.choice(t.last_names)}" for _ in range(4))
    loc_limit = rng.choice((1000000, 1500000, 2500000))
    return Lifestyle(
        country=country,
        employer=GREATDAY_EMPLOYER if greatday else rng.choice(t.employers),
        pay_cents=pay,
        pay_phase=rng.choice((0, 7)),
        scale=scale,
        housing=housing,
        bills=tuple(bills),
        subscriptions=subscriptions,
        grocers=_stores(rng, t.grocers, 3, city, country),
        restaurants=_stores(rng, t.restaurants, 5, city, country),
        gas_stations=_stores(rng, t.gas_stations, 2, city, country),
        shops=_stores(rng, t.shops, 4, city, country),
        pharmacies=_stores(rng, t.pharmacies, 1, city, country),
        online=t.online,
        transit=(*t.transit, TRANSIT[city.name]) if city.name in TRANSIT else t.transit,
        friends=friends,
        atm=f"{'ABM' if ca else 'ATM'} WITHDRAWAL - {city.name.upper()}",
        etransfer_sent="INTERAC E-TRANSFER SENT - " if ca else "ZELLE PAYMENT TO ",
        etransfer_received="INTERAC E-TRANSFER RECEIVED - " if ca else "ZELLE PAYMENT FROM ",
        investment_in=t.investment_in,
        investment_out=t.investment_out,
        savings_transfer_cents=max(2500, round(pay * rng.uniform(0.05, 0.12) / 2500) * 2500),
        savings_target_cents=rng.randint(60, 250) * 10000,
        savings_rate=rng.choice((0.015, 0.0225, 0.03) if ca else (0.004, 0.035, 0.0425)),
        card_limit_cents=rng.choice([c for c in (500000, 750000, 1000000, 1500000) if c >= 600000 * scale]),
        card_apr=rng.choice((0.1999, 0.2099) if ca else (0.2199, 0.2499)),
        loc_limit_cents=loc_limit,
        loc_target_cents=round(loc_limit * rng.uniform(0.2, 0.4) / 10000) * 10000,
        loc_apr=rng.choice((0.0845, 0.0945, 0.1095)),
        overdraft_cents=GREATDAY_OVERDRAFT_CENTS if greatday else rng.choice((5000, 10000, 25000, 50000)),
        nsf_fee_cents=4800 if ca else 3500,
        monthly_fee_cents=rng.choice((400, 1095, 1695) if ca else (500, 1200)),
        phase=rng.randrange(12),
        steady=steady,
    )
