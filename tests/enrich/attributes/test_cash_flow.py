"""Flows: total credits and debits (transfers included), spending and free cash flow (transfers excluded),
recurring payments and transfers in, ratios."""

from __future__ import annotations

from datetime import date, timedelta

from finstance.enrich import categories as c
from finstance.enrich.model import CategorizedTxn
from tests.enrich.attributes.builders import card, result, txn, value, wire

# As of Mar 31, 2024 with history from Mar 1: March is complete; the 30 days start on Mar 2.
MARCH = card(
    date(2024, 3, 31),
    [
        txn("pay", date(2024, 3, 1), c.EMPLOYMENT_INCOME, credit=300_000, party="Acme"),
        txn("in", date(2024, 3, 2), c.INTERNAL_TRANSFER, credit=50_000),
        txn("rent", date(2024, 3, 3), "Rent", debit=150_000, party="Landlord"),
        txn("visa", date(2024, 3, 5), c.CREDIT_CARD_PAYMENT, debit=40_000, party="Visa"),
        txn("out", date(2024, 3, 6), c.INTERNAL_TRANSFER, debit=20_000),
        txn("food", date(2024, 3, 10), "Groceries", debit=15_000, party="Loblaws"),
        txn("loan", date(2024, 3, 12), c.LOAN_DEPOSIT, credit=100_000, party="RBC"),
        txn("pl", date(2024, 3, 20), c.PERSONAL_LOAN_PAYMENT, debit=25_000, party="RBC"),
        txn("etr", date(2024, 3, 25), c.PERSON_TO_PERSON, credit=10_000, party="Mom"),
    ],
)


def test_totals_include_transfers_and_spending_leaves_them_out() -> None:
    # Every credit: 3,000 + 500 + 1,000 + 100 = 4,600.00; every debit: 1,500 + 400 + 200 + 150 + 250.
    assert wire(MARCH, "sum_total_credits_current_month") == 4600.00
    assert wire(MARCH, "sum_total_debits_current_month") == 2500.00
    # The 30 days start on Mar 2: the Mar 1 pay is the 31st day back.
    assert wire(MARCH, "total_credits_30_days") == 1600.00
    assert wire(MARCH, "total_debits_30_days") == 2500.00
    assert wire(MARCH, "average_monthly_debit") == 2500.00
    # Spending leaves out the credit card payment and the internal transfer: 1,500 + 150 + 250.
    assert wire(MARCH, "sum_spending_current_month") == 1900.00
    assert set(result(MARCH, "sum_spending_current_month").transactions) == {"rent", "food", "pl"}
    # Credits but transfers and loan proceeds: the pay and the e-Transfer, 3,100.00.
    assert wire(MARCH, "sum_credits_excluding_transfers_90_days") == 3100.00
    # Loan payments leave out the credit card payment.
    assert wire(MARCH, "sum_loan_payments_current_month") == 250.00
    assert wire(MARCH, "sum_credit_card_payments_30_days") == 400.00


def test_free_cash_flow() -> None:
    # 3,100.00 in, 1,900.00 out: 1,200.00, in March and on average over the one complete month.
    assert wire(MARCH, "free_cash_flow_current_month") == 1200.00
    assert wire(MARCH, "average_monthly_free_cash_flow") == 1200.00
    assert set(result(MARCH, "average_monthly_free_cash_flow").transactions) == {
        "pay",
        "etr",
        "rent",
        "food",
        "pl",
    }
    # In the 30 days (from Mar 2) the pay is out: 100.00 - 1,900.00.
    assert wire(MARCH, "free_cash_flow_30_days") == -1800.00
    # 1,900 / 3,100 = 0.61290...; 250 / 3,100 = 0.08064...
    assert wire(MARCH, "ratio_spending_to_income_90_days") == 0.6129
    assert wire(MARCH, "ratio_loan_payments_to_income_90_days") == 0.0806
    nothing_in = card(date(2024, 3, 31), [txn("r", date(2024, 3, 3), "Rent", debit=150_000)])
    assert value(nothing_in, "ratio_spending_to_income_90_days") is None


def _monthly(
    ident: str, sub: str, days: list[date], cents: int, party: str, credit: bool = False
) -> list[CategorizedTxn]:
    return [
        txn(
            f"{ident}{d.month}{d.day}",
            d,
            sub,
            credit=cents if credit else None,
            debit=None if credit else cents,
            party=party,
        )
        for d in days
    ]


def test_recurring_payments_and_transfers_in() -> None:
    firsts = [date(2024, m, 1) for m in (1, 2, 3, 4)]
    items = [
        *_monthly("netflix", "Streaming Services", [d + timedelta(days=4) for d in firsts], 1_699, "Netflix"),
        *_monthly("gym", "Fitness", [date(2024, m, 8) for m in (2, 3, 4)], 5_000, "GoodLife"),
        # Ten coffees a month in January to March: too often for a bill.
        *_monthly(
            "tim", "Coffee Shops", [date(2024, m, d) for m in (1, 2, 3) for d in range(10, 20)], 450, "Tims"
        ),
        *_monthly("dentist", "Dental", [date(2024, 2, 20)], 20_000, "Dr Smile"),
        *_monthly(
            "mom", c.PERSON_TO_PERSON, [d + timedelta(days=14) for d in firsts], 20_000, "Mom", credit=True
        ),
        *_monthly(
            "sav", c.INTERNAL_TRANSFER, [d + timedelta(days=2) for d in firsts], 30_000, "Own", credit=True
        ),
    ]
    # History Jan 1 to Apr 30: four complete months.
    data = card(date(2024, 4, 30), [txn("start", date(2024, 1, 1), "Groceries", debit=100), *items])
    # Recurring: Netflix (4 months, 67.96) and the gym (3 months, 150.00): 217.96 / 4 = 54.49.
    assert wire(data, "average_monthly_recurring_payments_complex") == 54.49
    assert wire(data, "average_monthly_recurring_payments_simple") == 54.49
    assert value(data, "count_recurring_payees") == 2
    assert len(result(data, "average_monthly_recurring_payments_complex").transactions) == 7
    # Mom's e-Transfers recur; the internal transfers are the end-user's own money.
    assert wire(data, "average_monthly_recurring_transfers_in_complex") == 200.00


def test_averages_and_counts_of_credits_and_debits() -> None:
    # Four credits (3,000 + 500 + 1,000 + 100) and five debits (1,500 + 400 + 200 + 150 + 250).
    assert wire(MARCH, "average_credit") == 1150.00
    assert wire(MARCH, "average_debit") == 500.00
    assert value(MARCH, "count_total_credits_current_month") == 4
    assert value(MARCH, "count_total_debits_current_month") == 5
