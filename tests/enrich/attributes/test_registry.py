"""The registry as a whole: names, packages, the library document, and every attribute computing on an
empty card and on a year of transactions."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import get_args

import pytest

from finstance.enrich import attributes
from finstance.enrich.attributes import consumer
from finstance.enrich.attributes.attribute import NONE_DETECTED, NOT_ENOUGH_DATA, Unit
from finstance.enrich.model import AccountInfo, CardData
from tests.enrich.attributes.builders import CHEQUING, card, txn, year_card

NAME = re.compile(r"^[a-z0-9_]+$")

# Every name of the reference's list of attribute names seen (flinks-api.md §5.6) that our data can feed.
_DOCUMENTED_TEXT = """
account_age_days employer_name has_employer_income sum_employer_income sum_employer_income_30_days
sum_employer_income_previous_month sum_employer_income_3_months_ago count_employer_income_previous_month
average_monthly_employer_income average_monthly_employer_income_complex average_employer_income_deposit
employer_income_trend_simple sum_non_employer_income_30_days sum_non_employer_income_previous_month
average_monthly_non_employer_income_complex average_monthly_government_income_complex
sum_government_income_90_days sum_government_income_previous_month count_government_income_previous_month
sum_employment_insurance_income_90_days sum_social_assistance_income_90_days sum_wsib_income_90_days
sum_pension_income_90_days sum_child_support_income_government_90_days sum_disability_60_days
sum_other_income_90_days sum_total_credits_previous_month total_credits_30_days total_debits_30_days
average_monthly_debit total_deposits_trend_simple overall_activity_trend_simple debit_activity_trend_simple
credit_activity_trend_simple count_active_days balance_min balance_current balance_90_days_ago
balance_trend_simple count_days_negative_balance_90_days average_closing_balance_day_of_income
average_closing_balance_day_after_income average_monthly_free_cash_flow count_nsf_30_days count_nsf_60_days
count_nsf_90_days sum_nsf_60_days average_monthly_nsf_fees_count count_stop_payment_90_days
count_reversed_payments_because_of_nsf_30_days count_reversed_payments_because_of_nsf_60_days
count_reversed_payments_because_of_nsf_90_days sum_loan_payments sum_loan_payments_30_days
count_loan_payments_current_month average_monthly_loan_payments_complex
average_monthly_auto_loan_payments_complex average_monthly_mortgage_payments_complex
average_monthly_student_loan_payments_complex average_monthly_other_loan_payments_complex
other_loan_payments_average average_monthly_micro_loan_payments_complex sum_micro_loan_payments_60_days
average_micro_loan_payment micro_lender_name count_distinct_micro_lenders sum_loan_deposits_90_days
average_monthly_utility_payments_complex utility_payments_average average_monthly_telecom_payments_complex
telecom_payments_average average_monthly_recurring_payments_complex
average_monthly_recurring_transfers_in_complex
"""
DOCUMENTED = _DOCUMENTED_TEXT.split()


def test_there_are_enough_attributes_with_unique_well_formed_names() -> None:
    assert len(attributes.CONSUMER) >= 300
    assert len(attributes.BUSINESS) >= 40
    names = [*attributes.CONSUMER, *attributes.BUSINESS]
    assert len(names) == len(set(names))  # no name is both consumer and business
    for name in names:
        assert NAME.match(name), name
    for name, attribute in (*attributes.CONSUMER.items(), *attributes.BUSINESS.items()):
        assert attribute.name == name
        assert attribute.description.strip() and attribute.category.strip(), name
        assert attribute.unit in get_args(Unit), name
        assert attribute.window, name


def test_every_documented_name_is_there() -> None:
    missing = [n for n in DOCUMENTED if n not in attributes.CONSUMER]
    assert missing == []


def test_get_finds_consumer_and_business_names_exactly() -> None:
    consumer_attribute = attributes.get("sum_employer_income_30_days")
    assert consumer_attribute is attributes.CONSUMER["sum_employer_income_30_days"]
    assert (
        attributes.get("sum_business_revenue_30_days") is attributes.BUSINESS["sum_business_revenue_30_days"]
    )
    assert attributes.get("SUM_EMPLOYER_INCOME_30_DAYS") is None
    assert attributes.get("sum_of_everything") is None
    assert attributes.get("") is None


def test_every_attribute_is_in_its_packages() -> None:
    named = {attributes.INCOME, attributes.LENDING, attributes.CREDIT_RISK, attributes.USER_ANALYSIS}
    for attribute in attributes.CONSUMER.values():
        assert attributes.ALL in attribute.packages
        assert attributes.BUSINESS_ANALYSIS not in attribute.packages
        # Spending by kind is only in All; everything else is also in a use-case package.
        if attribute.category != consumer.SPENDING:
            assert attribute.packages & named, attribute.name
    for attribute in attributes.BUSINESS.values():
        assert attribute.packages == {attributes.BUSINESS_ANALYSIS, attributes.ALL_BUSINESS}
    assert set(attributes.package(attributes.ALL)) == set(attributes.CONSUMER.values())
    assert set(attributes.package(attributes.ALL_BUSINESS)) == set(attributes.BUSINESS.values())
    assert set(attributes.package(attributes.BUSINESS_ANALYSIS)) == set(attributes.BUSINESS.values())


def test_packages_hold_what_flinks_says() -> None:
    income = {a.name for a in attributes.package(attributes.INCOME)}
    lending = {a.name for a in attributes.package(attributes.LENDING)}
    credit_risk = {a.name for a in attributes.package(attributes.CREDIT_RISK)}
    user = {a.name for a in attributes.package(attributes.USER_ANALYSIS)}
    assert {"sum_employer_income_30_days", "sum_government_income_90_days", "employer_name"} <= income
    assert "count_nsf_30_days" not in income and "sum_groceries_30_days" not in income
    assert {"count_reversed_payments_because_of_nsf_30_days", "sum_loan_payments_30_days"} <= lending
    assert "sum_employer_income_30_days" in lending
    assert {"average_monthly_utility_payments_complex", "account_age_days", "balance_min"} <= credit_risk
    assert income | credit_risk <= user  # User Analysis = Income + Credit Risk + ...
    assert {"count_active_days", "sum_cash_deposits_30_days"} <= user - credit_risk
    assert "is_primary_account" in user
    assert "sum_groceries_30_days" not in user
    with pytest.raises(KeyError):
        attributes.package("Everything")


def test_library_lists_every_attribute_by_category() -> None:
    library = attributes.library("consumer")
    names = [a["Name"] for category in library for a in category["Attributes"]]  # type: ignore[attr-defined]
    assert names == list(attributes.CONSUMER)
    categories = [category["Category"] for category in library]
    assert len(categories) == len(set(categories))
    assert {"Employment Income", "Government Income", "Balances", "Micro Lenders", "Bills"} <= set(categories)
    first = library[0]["Attributes"][0]  # type: ignore[index]
    assert set(first) == {"Name", "Description"} and first["Description"]
    business = attributes.library("business")
    assert [a["Name"] for c in business for a in c["Attributes"]] == list(attributes.BUSINESS)  # type: ignore[attr-defined]


def _check_values(data: CardData) -> dict[str, object]:
    everything = (*attributes.CONSUMER.values(), *attributes.BUSINESS.values())
    results = attributes.compute(data, everything)
    ids = {t.txn.id for t in data.transactions}
    out: dict[str, object] = {}
    for attribute in everything:
        result = results[attribute.name]
        assert set(result.transactions) <= ids, attribute.name
        assert len(result.transactions) == len(set(result.transactions)), attribute.name
        value = attributes.wire_value(attribute, result)
        if value is not None:
            expected = {
                "currency": float,
                "count": int,
                "days": int,
                "label": str,
                "flag": str,
                "text": str,
                "ratio": float,
            }[attribute.unit]
            assert isinstance(value, expected), (attribute.name, value)
        out[attribute.name] = value
    return out


@pytest.mark.parametrize("accounts", [(), (CHEQUING,)])
def test_every_attribute_computes_on_an_empty_card(accounts: tuple[AccountInfo, ...]) -> None:
    values = _check_values(CardData(card(date(2024, 3, 20), []).country, date(2024, 3, 20), accounts, ()))
    assert values["sum_employer_income_30_days"] == 0.0
    assert values["count_nsf_90_days"] == 0
    assert values["employer_name"] == NONE_DETECTED and values["micro_lender_name"] == NONE_DETECTED
    assert values["has_employer_income"] == "NO"
    assert values["employer_income_trend_simple"] == NOT_ENOUGH_DATA
    assert values["average_monthly_employer_income"] is None  # no complete month
    assert values["account_age_days"] is None
    assert values["balance_current"] == (0.0 if accounts else None)


def test_every_attribute_computes_on_a_year_of_transactions() -> None:
    data = year_card()
    values = _check_values(data)
    fridays = sum(1 for k in range(365) if (data.as_of - timedelta(days=k)).weekday() == 4)
    assert fridays == 52
    assert values["count_employer_income"] == fridays
    assert values["sum_employer_income"] == fridays * 1000.0
    assert values["employer_name"] == "Acme Widgets"
    assert values["micro_lender_name"] == "Cash Money"
    # Jun 17, 2023 to Jun 15, 2024: the 20th of 12 months (Jun 20 to May 20), one car payment each.
    assert values["count_auto_loan_payments"] == 12
    # Complete months July to May: one car payment and one phone bill in each.
    assert values["average_monthly_auto_loan_payments_complex"] == 350.0
    assert values["average_monthly_telecom_payments_complex"] == 80.0
    # Credit card payments are transfers: the loan payments are the car's and the micro-loan's only.
    # Micro-loans are repaid on the 26th of Jun, Sep, Dec and Mar: 4 x 575.00.
    assert values["sum_micro_loan_payments"] == 2300.0
    assert values["sum_loan_payments"] == 12 * 350.0 + 2300.0
    # NSF fees on the 27th of Aug, Dec and Apr.
    assert values["count_nsf"] == 3
    assert values["account_age_days"] == 364
    assert values["employer_income_trend_simple"] == "CONSISTENT"


class CountedPasses(tuple):  # type: ignore[type-arg]
    """The card's transactions, counting each pass a computation makes over them."""

    passes = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        CountedPasses.passes += 1
        return super().__iter__()

    def __reversed__(self):  # type: ignore[no-untyped-def]
        CountedPasses.passes += 1
        return iter(self[::-1])


def test_computing_everything_reads_the_transactions_a_few_times_not_once_per_attribute() -> None:
    """What keeps all the attributes of 2,000 transactions at tens of milliseconds: the computation indexes
    the transactions once and every attribute reads the index. Counted, not timed, so that the machine's load
    cannot make the check fail: a scan per attribute would be hundreds of passes."""
    base = year_card()
    extra = [
        txn(f"x{k}_{j}", t.txn.date, ("Groceries", "Fuel", "Restaurants")[j], debit=1_000 + j)
        for k, t in enumerate(base.transactions)
        for j in range(3)
    ]
    data = card(base.as_of, [*reversed(base.transactions), *extra], base.accounts)
    assert len(data.transactions) > 1_800
    counted = replace(data, transactions=CountedPasses(data.transactions))
    everything = (*attributes.CONSUMER.values(), *attributes.BUSINESS.values())
    assert len(everything) > 500
    CountedPasses.passes = 0
    values = attributes.compute(counted, everything)
    assert values == attributes.compute(data, everything)
    assert 1 <= CountedPasses.passes <= 10, CountedPasses.passes
