"""AttributesDetail: the transactions behind each value are exactly those that make it, newest first."""

from __future__ import annotations

from datetime import date

from finstance.enrich import attributes
from finstance.enrich import categories as c
from finstance.enrich.model import CardData
from tests.enrich.attributes.builders import card, result, txn, year_card

NOT_PER_TRANSACTION = ("distinct", "accounts", "recurring", "active_days", "days_")


def _check(data: CardData) -> int:
    txns = {t.txn.id: t.txn for t in data.transactions}
    everything = (*attributes.CONSUMER.values(), *attributes.BUSINESS.values())
    results = attributes.compute(data, everything)
    checked = 0
    for attribute in everything:
        found = results[attribute.name]
        days = [txns[i].date for i in found.transactions]
        assert days == sorted(days, reverse=True), attribute.name  # newest first
        if attribute.name.startswith("sum_"):
            assert found.value == sum(abs(txns[i].amount_cents) for i in found.transactions), attribute.name
            checked += 1
        elif attribute.name.startswith("count_") and not any(
            w in attribute.name for w in NOT_PER_TRANSACTION
        ):
            assert found.value == len(found.transactions), attribute.name
            checked += 1
    return checked


def test_sums_and_counts_are_their_transactions_on_a_year() -> None:
    assert _check(year_card()) > 400


def test_sums_and_counts_are_their_transactions_on_a_mixed_card() -> None:
    data = card(
        date(2024, 3, 31),
        [
            txn("pay", date(2024, 3, 1), c.EMPLOYMENT_INCOME, credit=300_000, party="Acme"),
            txn("ei", date(2024, 2, 10), c.EMPLOYMENT_INSURANCE, credit=50_000),
            txn("visa", date(2024, 3, 5), c.CREDIT_CARD_PAYMENT, debit=40_000),
            txn("nsf", date(2024, 3, 6), c.NSF_FEE, debit=4_800),
            txn("micro", date(2024, 1, 6), c.MICRO_LOAN_PAYMENT, debit=20_000, party="Cash Money"),
            txn("cash", date(2024, 3, 7), c.CASH_DEPOSIT, credit=9_000),
        ],
    )
    assert _check(data) > 400


def test_values_without_transactions_list_none() -> None:
    data = year_card()
    for name in ("balance_current", "balance_min", "balance_trend_simple", "account_age_days"):
        assert result(data, name).transactions == (), name
    # A name lists its party's transactions; a flag the transactions that raise it.
    assert len(result(data, "employer_name").transactions) == 52
    assert len(result(data, "has_employer_income").transactions) == 52
