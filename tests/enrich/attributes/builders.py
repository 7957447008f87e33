"""Small cards written by hand: categorized transactions with the sub-category (and counterparty) the
categorizer would give, newest first as the engine reads them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from finstance.core.country import Country
from finstance.enrich import attributes, categories
from finstance.enrich.attributes import Result
from finstance.enrich.model import AccountInfo, Assignment, CardData, CategorizedTxn, Txn

CHEQUING = AccountInfo("chq", "Operations", "Chequing", 0)


def txn(
    ident: str,
    day: date,
    subcategory: str,
    *,
    credit: int | None = None,
    debit: int | None = None,
    balance: int | None = None,
    party: str | None = None,
    account: str = "chq",
    description: str | None = None,
    country: Country = Country.CA,
) -> CategorizedTxn:
    """One transaction; amounts in cents; exactly one of ``credit`` and ``debit``."""
    assert (credit is None) != (debit is None)
    category = categories.primary_of(country, subcategory)
    text = description or f"{subcategory.upper()} {party or ''}".strip()
    return CategorizedTxn(
        Txn(ident, account, day, text, debit, credit, balance),
        Assignment(category, subcategory, "test", party),
    )


def card(
    as_of: date,
    items: Sequence[CategorizedTxn],
    accounts: Sequence[AccountInfo] = (CHEQUING,),
    country: Country = Country.CA,
) -> CardData:
    """A card from transactions listed oldest first (the order they happened in within a day)."""
    newest_first = list(items)
    newest_first.reverse()  # a later transaction of the same day comes first, as a bank lists them
    newest_first.sort(key=lambda t: t.txn.date, reverse=True)  # stable: keeps that order within a day
    return CardData(country, as_of, tuple(accounts), tuple(newest_first))


def result(data: CardData, name: str, limit_days: int | None = None) -> Result:
    attribute = attributes.get(name)
    assert attribute is not None, name
    return attributes.compute(data, [attribute], limit_days)[name]


def value(data: CardData, name: str, limit_days: int | None = None) -> int | float | str | None:
    return result(data, name, limit_days).value


def wire(data: CardData, name: str, limit_days: int | None = None) -> int | float | str | None:
    attribute = attributes.get(name)
    assert attribute is not None, name
    return attributes.wire_value(attribute, result(data, name, limit_days))


def year_card(as_of: date = date(2024, 6, 15)) -> CardData:
    """A year of an ordinary life on one chequing account, running balances worked out as it goes:
    weekly pay of 1,000.00 (Fridays), rent of 1,500.00 on the 1st, a 4.50 coffee every day, a phone bill of
    80.00 on the 10th, a car loan payment of 350.00 on the 20th, a micro-loan repaid on some months, an
    NSF fee now and then, a credit card payment of 200.00 on the 25th."""
    start = as_of - timedelta(days=364)
    items: list[CategorizedTxn] = []
    balance = 300_000
    n = 0

    def add(day: date, sub: str, amount: int, party: str | None = None) -> None:
        nonlocal balance, n
        n += 1
        balance += amount
        credit, debit = (amount, None) if amount > 0 else (None, -amount)
        items.append(txn(f"y{n}", day, sub, credit=credit, debit=debit, balance=balance, party=party))

    day = start
    while day <= as_of:
        if day.weekday() == 4:
            add(day, categories.EMPLOYMENT_INCOME, 100_000, "Acme Widgets")
        if day.day == 1:
            add(day, "Rent", -150_000, "Landlord")
        if day.day == 10:
            add(day, "Mobile Phone", -8_000, "Rogers")
        if day.day == 20:
            add(day, categories.AUTO_LOAN_PAYMENT, -35_000, "Ford Credit")
        if day.day == 25:
            add(day, categories.CREDIT_CARD_PAYMENT, -20_000, "Visa")
        if day.day == 12 and day.month % 3 == 0:
            add(day, categories.MICRO_LOAN_DEPOSIT, 50_000, "Cash Money")
        if day.day == 26 and day.month % 3 == 0:
            add(day, categories.MICRO_LOAN_PAYMENT, -57_500, "Cash Money")
        if day.day == 27 and day.month % 4 == 0:
            add(day, categories.NSF_FEE, -4_800, None)
        add(day, "Coffee Shops", -450, "Tim Hortons")
        day += timedelta(days=1)
    return card(as_of, items, (AccountInfo("chq", "Operations", "Chequing", balance),))
