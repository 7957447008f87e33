"""Business attributes: revenue, loan deposits, operating expenses, liabilities, fees, payroll, balances."""

from __future__ import annotations

from datetime import date

from finstance.enrich import attributes
from finstance.enrich import categories as c
from finstance.enrich.model import AccountInfo
from tests.enrich.attributes.builders import card, result, txn, value, wire

# As of Mar 31, 2024, history from Mar 1: March is complete; the 30 days start on Mar 2.
SHOP = card(
    date(2024, 3, 31),
    [
        txn("square", date(2024, 3, 1), "Merchant Services", credit=250_000, party="Square"),
        txn("client", date(2024, 3, 4), c.PERSON_TO_PERSON, credit=80_000, party="Client Co"),
        txn("own", date(2024, 3, 5), c.INTERNAL_TRANSFER, credit=100_000),
        txn("loan", date(2024, 3, 6), c.LOAN_DEPOSIT, credit=500_000, party="BDC"),
        txn("refund", date(2024, 3, 7), c.BALANCE_ADJUSTMENT, credit=3_000),
        txn("payroll", date(2024, 3, 8), "Payroll Services", debit=120_000, party="ADP"),
        txn("saas", date(2024, 3, 9), "Software and Subscriptions", debit=9_900, party="Shopify"),
        txn("loanpay", date(2024, 3, 10), c.PERSONAL_LOAN_PAYMENT, debit=60_000, party="BDC"),
        txn("visa", date(2024, 3, 11), c.CREDIT_CARD_PAYMENT, debit=30_000, party="Visa"),
        txn("nsf", date(2024, 3, 12), c.NSF_FEE, debit=4_800),
        txn("fee", date(2024, 3, 13), c.SERVICE_CHARGE, debit=1_500),
        txn("save", date(2024, 3, 14), c.INTERNAL_TRANSFER, debit=50_000),
    ],
)


def test_revenue_leaves_out_transfers_loans_and_refunds() -> None:
    # Square 2,500 + the client's e-Transfer 800; not the transfer, the loan or the refund.
    assert wire(SHOP, "sum_business_revenue_current_month") == 3300.00
    assert result(SHOP, "sum_business_revenue_current_month").transactions == ("client", "square")
    assert wire(SHOP, "sum_business_revenue_30_days") == 800.00  # Mar 1 is the 31st day back
    assert wire(SHOP, "average_monthly_business_revenue") == 3300.00
    assert wire(SHOP, "sum_business_merchant_services_deposits_90_days") == 2500.00
    assert value(SHOP, "business_main_revenue_source") == "Square"
    assert value(SHOP, "business_count_distinct_revenue_sources") == 2
    assert wire(SHOP, "sum_business_loan_deposits_30_days") == 5000.00
    assert value(SHOP, "has_business_loan_deposits") == "YES"


def test_expenses_liabilities_and_fees() -> None:
    # Payroll 1,200 + software 99 + NSF 48 + service charge 15; no loan, card or transfer.
    assert wire(SHOP, "sum_business_operating_expenses_current_month") == 1362.00
    assert wire(SHOP, "sum_business_payroll_30_days") == 1200.00
    assert wire(SHOP, "sum_business_loan_payments_30_days") == 600.00
    assert wire(SHOP, "sum_business_credit_card_payments_30_days") == 300.00
    assert wire(SHOP, "sum_business_fees_30_days") == 63.00
    assert value(SHOP, "count_business_nsf_30_days") == 1
    # 3,300 - 1,362 = 1,938.00; 1,362 / 3,300 = 0.41272...; 600 / 3,300 = 0.18181...
    assert wire(SHOP, "business_net_operating_cash_flow") == 1938.00
    assert wire(SHOP, "business_average_monthly_net_operating_cash_flow") == 1938.00
    assert wire(SHOP, "business_ratio_operating_expenses_to_revenue") == 0.4127
    assert wire(SHOP, "business_ratio_loan_payments_to_revenue") == 0.1818


def test_business_balances() -> None:
    # Opens at 100.00; Mar 1 pays 300.00 out (-200.00), Mar 4 600.00 comes in (400.00). As of Mar 5:
    # -200, -200, -200, 400, 400.
    account = AccountInfo("biz", "Operations", "Chequing", 40_000)
    data = card(
        date(2024, 3, 5),
        [
            txn("rent", date(2024, 3, 1), "Rent", debit=30_000, balance=-20_000, account="biz"),
            txn("sale", date(2024, 3, 4), "Merchant Services", credit=60_000, balance=40_000, account="biz"),
        ],
        (account,),
    )
    assert value(data, "business_count_days_negative_balance_30_days") == 3
    assert wire(data, "business_average_daily_balance_30_days") == 40.00  # (-600 + 800) / 5
    assert wire(data, "business_balance_min") == -200.00
    assert wire(data, "business_balance_current") == 400.00


def test_revenue_trend() -> None:
    start = txn("start", date(2023, 10, 1), "Shipping", debit=1_000)
    sales = [
        txn(
            f"s{m}",
            date(y, m, 15),
            "Merchant Services",
            credit=100_000 if y == 2023 else 120_000,
            party="Square",
        )
        for y, m in [(2023, 10), (2023, 11), (2023, 12), (2024, 1), (2024, 2), (2024, 3)]
    ]
    data = card(date(2024, 3, 31), [start, *sales])
    assert value(data, "business_revenue_trend_simple") == "INCREASING"  # +20%
    assert value(data, "business_operating_expenses_trend_simple") == "DECREASING"  # 10.00 to nothing


def test_business_names_are_their_own() -> None:
    for name in attributes.BUSINESS:
        assert "business" in name, name
