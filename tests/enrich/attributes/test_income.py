"""Income attributes: employer and government income, their sub-types, employer names, monthly averages."""

from __future__ import annotations

from datetime import date

from finstance.enrich import categories as c
from finstance.enrich.attributes.index import rounded_div
from tests.enrich.attributes.builders import card, result, txn, value, wire

AS_OF = date(2024, 6, 30)  # 30 days from Jun 1, 60 from May 2, 90 from Apr 2


def test_government_income_and_its_sub_types() -> None:
    data = card(
        AS_OF,
        [
            txn("sa", date(2024, 4, 25), c.SOCIAL_ASSISTANCE, credit=70_000, party="Ontario Works"),
            txn("dis1", date(2024, 4, 15), c.DISABILITY_BENEFITS, credit=30_000, party="ODSP"),
            txn("wsib", date(2024, 5, 10), c.WORKERS_COMPENSATION, credit=40_000, party="WSIB"),
            txn("dis2", date(2024, 5, 15), c.DISABILITY_BENEFITS, credit=30_000, party="ODSP"),
            txn("ret", date(2024, 6, 1), c.RETIREMENT_INCOME, credit=20_000, party="Sun Life"),
            txn("cpp", date(2024, 6, 3), c.GOVERNMENT_PENSION, credit=80_000, party="CPP"),
            txn("ei", date(2024, 6, 5), c.EMPLOYMENT_INSURANCE, credit=60_000, party="EI"),
            txn("cs", date(2024, 6, 12), c.CHILD_SUPPORT, credit=25_000, party="J Doe"),
            txn("pay", date(2024, 6, 14), c.EMPLOYMENT_INCOME, credit=200_000, party="Acme"),
            txn("ccb", date(2024, 6, 20), c.CHILD_BENEFITS, credit=50_000, party="CCB"),
            txn("other", date(2024, 6, 28), c.OTHER_INCOME, credit=5_000, party="Uber"),
            txn("int", date(2024, 6, 30), c.INTEREST_INCOME, credit=100),
        ],
    )
    # Government: SA 700 + disability 300 + 300 + WSIB 400 + CPP 800 + EI 600 + CCB 500 = 3,600.00 (the
    # private pension, child support, other income and interest are not government income).
    assert wire(data, "sum_government_income_90_days") == 3600.00
    assert wire(data, "sum_employment_insurance_income_90_days") == 600.00
    assert wire(data, "sum_pension_income_90_days") == 1000.00  # CPP 800 + the private pension 200
    assert wire(data, "sum_social_assistance_income_90_days") == 700.00
    assert wire(data, "sum_wsib_income_90_days") == 400.00
    assert wire(data, "sum_child_support_income_government_90_days") == 500.00
    assert wire(data, "sum_child_support_income_90_days") == 250.00
    assert wire(data, "sum_disability_60_days") == 300.00  # May 15 only: Apr 15 is 76 days back
    assert wire(data, "sum_disability_90_days") == 600.00
    assert wire(data, "sum_other_income_90_days") == 50.00
    # Non-employer income in June: 200 + 800 + 600 + 250 + 500 + 50 + 1 = 2,401.00 (not the 2,000 pay).
    assert wire(data, "sum_non_employer_income_30_days") == 2401.00
    assert wire(data, "sum_total_income_30_days") == 4401.00
    assert value(data, "count_government_income_90_days") == 7
    assert result(data, "sum_employment_insurance_income_90_days").transactions == ("ei",)
    # History Apr 15 to Jun 30: May and June are complete: (400 + 300 + 800 + 600 + 500) / 2 = 1,300.00.
    assert wire(data, "average_monthly_government_income_complex") == 1300.00
    assert value(data, "has_government_income") == "YES"


def test_employer_names_and_counts() -> None:
    data = card(
        AS_OF,
        [
            txn("a1", date(2024, 5, 3), c.EMPLOYMENT_INCOME, credit=100_000, party="Acme Widgets"),
            txn("b1", date(2024, 5, 10), c.EMPLOYMENT_INCOME, credit=150_000, party="Beta Corp"),
            txn("a2", date(2024, 5, 17), c.EMPLOYMENT_INCOME, credit=100_000, party="Acme Widgets"),
            txn("b2", date(2024, 6, 7), c.EMPLOYMENT_INCOME, credit=30_000, party="Beta Corp"),
        ],
    )
    # Acme 2,000.00 against Beta 1,800.00: Acme is the employer, behind it its two deposits.
    assert value(data, "employer_name") == "Acme Widgets"
    assert result(data, "employer_name").transactions == ("a2", "a1")
    assert value(data, "count_distinct_employers") == 2
    assert value(data, "has_employer_income") == "YES"
    # The average pay deposit: 3,800.00 / 4 = 950.00.
    assert wire(data, "average_employer_income_deposit") == 950.00
    # Jun 7 to Jun 30: 23 days since the last pay.
    assert value(data, "count_days_since_last_employer_income") == 23


def test_an_employer_tie_goes_to_the_most_recent_and_a_missing_counterparty_to_the_description() -> None:
    tie = card(
        AS_OF,
        [
            txn("x", date(2024, 6, 1), c.EMPLOYMENT_INCOME, credit=50_000, party="First Co"),
            txn("y", date(2024, 6, 2), c.EMPLOYMENT_INCOME, credit=50_000, party="Second Co"),
        ],
    )
    assert value(tie, "employer_name") == "Second Co"
    unnamed = card(
        AS_OF,
        [
            txn(
                "p",
                date(2024, 6, 1),
                c.EMPLOYMENT_INCOME,
                credit=50_000,
                description="PAYROLL DEP 00123 ACME #55",
            )
        ],
    )
    assert value(unnamed, "employer_name") == "PAYROLL DEP ACME"
    nobody = card(AS_OF, [txn("g", date(2024, 6, 1), "Groceries", debit=5_000)])
    assert wire(nobody, "employer_name") == "NONE_DETECTED"
    assert result(nobody, "employer_name").transactions == ()
    assert value(nobody, "has_employer_income") == "NO"
    assert value(nobody, "count_days_since_last_employer_income") is None


def test_monthly_averages_count_complete_months_only() -> None:
    biweekly = [
        date(2024, 1, 5), date(2024, 1, 19), date(2024, 2, 2), date(2024, 2, 16), date(2024, 3, 1),
        date(2024, 3, 15), date(2024, 3, 29), date(2024, 4, 5),
    ]  # fmt: skip
    pays = [txn(f"p{d.isoformat()}", d, c.EMPLOYMENT_INCOME, credit=100_000, party="Acme") for d in biweekly]
    # As of Apr 10 with history from Jan 5: January began before the history and April is not over, so
    # February (2 pays) and March (3 pays) count: 5,000.00 / 2 = 2,500.00.
    data = card(date(2024, 4, 10), pays)
    assert wire(data, "average_monthly_employer_income") == 2500.00
    assert wire(data, "average_monthly_employer_income_simple") == 2500.00
    assert wire(data, "average_monthly_employer_income_complex") == 2500.00
    assert len(result(data, "average_monthly_employer_income").transactions) == 5
    # A coffee on Jan 1 starts the history then: January counts too, 7,000.00 / 3 = 2,333.33.
    coffee = txn("coffee", date(2024, 1, 1), "Coffee Shops", debit=450)
    longer = card(date(2024, 4, 10), [coffee, *pays])
    assert wire(longer, "average_monthly_employer_income") == 2333.33
    assert value(longer, "average_monthly_employer_income") == 233_333
    # No complete month: null.
    short = card(date(2024, 4, 10), pays[-1:])
    assert value(short, "average_monthly_employer_income") is None


def test_rounding_halves_away_from_zero() -> None:
    assert rounded_div(5, 2) == 3
    assert rounded_div(-5, 2) == -3
    assert rounded_div(7, 3) == 2
    assert rounded_div(8, 3) == 3
    assert rounded_div(0, 4) == 0
