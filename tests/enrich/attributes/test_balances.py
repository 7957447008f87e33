"""Balances: daily closing balances per account summed over the Operations accounts, negative days, balances
around pay days, derived running balances, month-end balances and their trend."""

from __future__ import annotations

import dataclasses
from datetime import date

from finstance.enrich import categories as c
from finstance.enrich.attributes import balances
from finstance.enrich.attributes.windows import month_first, month_last
from finstance.enrich.model import AccountInfo, CategorizedTxn
from tests.enrich.attributes.builders import card, result, txn, value, wire

CHQ = AccountInfo("chq", "Operations", "Chequing", 50_000)
SAV = AccountInfo("sav", "Operations", "Savings", 15_000)
VISA = AccountInfo("visa", "Credits", "CreditCard", 30_000)

# Chequing opens at 200.00; savings at 50.00; the credit card is not money and stays out of the sums.
CHEQUING_ITEMS = [
    txn("pay1", date(2024, 3, 1), c.EMPLOYMENT_INCOME, credit=100_000, balance=120_000, party="Acme"),
    txn("rent", date(2024, 3, 1), "Rent", debit=150_000, balance=-30_000),  # later that day: closes at -300
    txn("etr", date(2024, 3, 3), c.PERSON_TO_PERSON, credit=40_000, balance=10_000),
    txn("food", date(2024, 3, 5), "Groceries", debit=20_000, balance=-10_000),
    txn("pay2", date(2024, 3, 8), c.EMPLOYMENT_INCOME, credit=60_000, balance=50_000, party="Acme"),
]
OTHER_ITEMS = [
    txn("save", date(2024, 3, 2), c.INTERNAL_TRANSFER, credit=10_000, balance=15_000, account="sav"),
    txn("shop", date(2024, 3, 4), "Clothing", debit=5_000, balance=30_000, account="visa"),
]
# Closing balances, Mar 1 to Mar 10 (chequing + savings):
#   Mar 1  -300 + 50  = -250      Mar 5  -100 + 150 = 50       Mar 8-10  500 + 150 = 650
#   Mar 2  -300 + 150 = -150      Mar 6-7 50
#   Mar 3-4 100 + 150 = 250
DATA = card(date(2024, 3, 10), [*CHEQUING_ITEMS, *OTHER_ITEMS], (CHQ, SAV, VISA))


def test_daily_closing_balances_sum_the_operations_accounts() -> None:
    closing = balances.daily_closing(
        tuple(reversed(DATA.transactions)), DATA.accounts, date(2024, 3, 1), date(2024, 3, 10)
    )
    assert closing == [-25_000, -15_000, 25_000, 25_000, 5_000, 5_000, 5_000, 65_000, 65_000, 65_000]


def test_balance_attributes() -> None:
    assert wire(DATA, "balance_current") == 650.00  # 500 + 150, not the card's 300
    assert wire(DATA, "balance_min") == -250.00
    assert wire(DATA, "balance_max") == 650.00
    # (-250 - 150 + 250 + 250 + 3 x 50 + 3 x 650) / 10 = 2,200 / 10.
    assert wire(DATA, "average_daily_balance") == 220.00
    assert value(DATA, "count_days_negative_balance") == 2
    assert value(DATA, "count_days_negative_balance_90_days") == 2
    assert result(DATA, "balance_min").transactions == ()
    # Before the history (Feb 9, 30 days back): unknown.
    assert value(DATA, "balance_30_days_ago") is None


def test_balances_on_and_after_pay_days() -> None:
    # Pay on Mar 1 (-250) and Mar 8 (650): 200.00; the days after, Mar 2 (-150) and Mar 9 (650): 250.00.
    assert wire(DATA, "average_closing_balance_day_of_income") == 200.00
    assert wire(DATA, "average_closing_balance_day_after_income") == 250.00
    assert result(DATA, "average_closing_balance_day_of_income").transactions == ("pay2", "pay1")
    # Chequing alone, as of the Mar 8 pay day: Mar 9 is not there yet, only Mar 2 (-300.00) counts.
    today = card(date(2024, 3, 8), CHEQUING_ITEMS, (CHQ,))
    assert value(today, "average_closing_balance_day_after_income") == -30_000
    paid_today = card(date(2024, 3, 1), CHEQUING_ITEMS[:1], (CHQ,))
    assert value(paid_today, "average_closing_balance_day_after_income") is None


def test_windows_of_balances_start_where_the_history_does() -> None:
    # The 30 days ending Mar 10 reach back before Mar 1: only Mar 1 to Mar 10 count.
    assert wire(DATA, "balance_min_30_days") == -250.00
    # As of Mar 10 the 90 days ago is Dec 12: before the history.
    assert value(DATA, "balance_90_days_ago") is None
    later = dataclasses.replace(DATA, as_of=date(2024, 6, 8))
    # 90 days before Jun 8 is Mar 10: the closing balance then was 650.00.
    assert wire(later, "balance_90_days_ago") == 650.00
    assert wire(later, "balance_end_of_3_months_ago") == 650.00  # Mar 31
    assert value(later, "balance_end_of_4_months_ago") is None  # Feb 29, before the history
    # The 30 days ending Jun 8: no transactions, 650.00 every day, none negative.
    assert value(later, "count_days_negative_balance_30_days") == 0
    assert wire(later, "average_daily_balance_30_days") == 650.00


def test_running_balances_missing_are_derived_from_the_current_balance() -> None:
    bare = [
        dataclasses.replace(t, txn=dataclasses.replace(t.txn, balance_cents=None)) for t in CHEQUING_ITEMS
    ]
    derived = card(date(2024, 3, 10), bare, (CHQ,))
    assert balances.running_balances(bare, 50_000) == [120_000, -30_000, 10_000, -10_000, 50_000]
    assert wire(derived, "balance_min") == -300.00
    # One known balance in the middle is enough: back and forward from it.
    middle = [*bare[:2], CHEQUING_ITEMS[2], *bare[3:]]
    assert balances.running_balances(middle, None) == [120_000, -30_000, 10_000, -10_000, 50_000]
    assert balances.running_balances(bare, None) is None


def test_a_card_without_operations_accounts_sums_what_it_was_given() -> None:
    only_card = card(date(2024, 3, 10), [OTHER_ITEMS[1]], (VISA,))
    assert wire(only_card, "balance_current") == 300.00
    assert wire(only_card, "balance_max") == 300.00
    no_accounts = card(date(2024, 3, 10), CHEQUING_ITEMS, ())
    assert wire(no_accounts, "balance_current") == 500.00  # the last closing balance
    assert wire(no_accounts, "balance_min") == -300.00


def _month_ends(ends: list[int]) -> list[CategorizedTxn]:
    """One transaction on the last day of each month from Oct 2023, leaving the balance at ``ends``."""
    items, balance = [], 0
    for k, end in enumerate(ends):
        last = month_last(month_first(date(2023, 10, 1), -k))
        amount = end - balance
        credit, debit = (amount, None) if amount > 0 else (None, -amount)
        items.append(txn(f"e{k}", last, c.BALANCE_ADJUSTMENT, credit=credit, debit=debit, balance=end))
        balance = end
    return items


def test_balance_trend_compares_month_end_balances() -> None:
    start = txn("s", date(2023, 10, 1), "Groceries", debit=100, balance=-100)
    # October to March end at 1,000 x 3 then 1,100 x 3: +10% exactly, CONSISTENT; 1,101 on the last: up.
    flat = card(date(2024, 3, 31), [start, *_month_ends([100_000] * 3 + [110_000] * 3)])
    assert value(flat, "balance_trend_simple") == "CONSISTENT"
    up = card(date(2024, 3, 31), [start, *_month_ends([100_000] * 3 + [110_000, 110_000, 110_001])])
    assert value(up, "balance_trend_simple") == "INCREASING"
    down = card(date(2024, 3, 31), [start, *_month_ends([100_000] * 3 + [50_000] * 3)])
    assert value(down, "balance_trend_simple") == "DECREASING"
    five = card(date(2024, 2, 29), [start, *_month_ends([100_000] * 5)])
    assert value(five, "balance_trend_simple") == "NOT_ENOUGH_DATA"
