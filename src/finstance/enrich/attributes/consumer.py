"""The consumer attributes: income, cash flow, balances, NSF and risk, loans and micro-lenders, bills,
activity, transfers and spending, each in its library category, and the packages each category is in.

Most names come from the grammar (:mod:`.grammar`); the rest are declared by hand with the functions of
:mod:`.derived`. Packages follow Flinks' descriptions: Income is the income categories; Lending adds cash
flow, balances, NSF and risk, and liabilities (loans, micro-lenders); Credit Risk is the financial picture
(account, balances, income sources, loans, bills, NSF); User Analysis is Income and Credit Risk plus the
primary-account and fraud-flavoured views (account, activity, transfers and cash). Every consumer
attribute is also in All, and spending by kind (groceries, travel, ...) only there.
"""

from __future__ import annotations

from finstance.enrich.attributes import derived
from finstance.enrich.attributes import subjects as s
from finstance.enrich.attributes.attribute import ALL, CREDIT_RISK, INCOME, LENDING, USER_ANALYSIS, Attribute
from finstance.enrich.attributes.grammar import MONTHLY, TREND, Catalogue
from finstance.enrich.attributes.windows import (
    ALL_HISTORY,
    DAY_WINDOWS,
    FULL_WINDOWS,
    MONTH_WINDOWS,
    days_window,
)

EMPLOYMENT = "Employment Income"
GOVERNMENT = "Government Income"
NON_EMPLOYMENT = "Non-Employment Income"
TOTAL_INCOME = "Total Income"
CASH_FLOW = "Cash Flow"
BALANCES = "Balances"
RISK = "NSF and Risk"
LOANS = "Loans"
MICRO = "Micro Lenders"
BILLS = "Bills"
ACCOUNT = "Account"
ACTIVITY = "Activity"
TRANSFERS = "Transfers and Cash"
SPENDING = "Spending"

_INCOME_PACKAGES = frozenset({INCOME, LENDING, CREDIT_RISK})
_LIABILITIES = frozenset({LENDING, CREDIT_RISK})
CATEGORY_PACKAGES: dict[str, frozenset[str]] = {
    EMPLOYMENT: _INCOME_PACKAGES,
    GOVERNMENT: _INCOME_PACKAGES,
    NON_EMPLOYMENT: _INCOME_PACKAGES,
    TOTAL_INCOME: _INCOME_PACKAGES,
    CASH_FLOW: _LIABILITIES,
    BALANCES: _LIABILITIES,
    RISK: _LIABILITIES,
    LOANS: _LIABILITIES,
    MICRO: _LIABILITIES,
    BILLS: frozenset({CREDIT_RISK}),
    ACCOUNT: frozenset({CREDIT_RISK}),
    ACTIVITY: frozenset({USER_ANALYSIS}),
    TRANSFERS: frozenset({USER_ANALYSIS}),
    SPENDING: frozenset(),  # spending by kind describes habits, not risk: in All only
}


def packages_of(category: str) -> frozenset[str]:
    """A category's packages; User Analysis holds everything Income and Credit Risk hold."""
    packages = CATEGORY_PACKAGES[category]
    if packages & {INCOME, CREDIT_RISK}:
        packages |= {USER_ANALYSIS}
    return packages | {ALL}


RECENT = (days_window(30), days_window(90))
DAY_AND_HISTORY = (*DAY_WINDOWS, ALL_HISTORY)


def _income(cat: Catalogue) -> None:
    cat.sums(s.EMPLOYER_INCOME, EMPLOYMENT, FULL_WINDOWS)
    cat.monthly_average(s.EMPLOYER_INCOME, EMPLOYMENT, variants=True)
    cat.item_average(s.EMPLOYER_INCOME, EMPLOYMENT)
    cat.has(s.EMPLOYER_INCOME, EMPLOYMENT)
    cat.trend(s.EMPLOYER_INCOME, EMPLOYMENT)
    cat.add(
        "employer_name",
        EMPLOYMENT,
        "The main employer: the party (the categorizer's counterparty, else the description without digits) "
        "whose pay deposits total the most over the history, the most recent on a tie; NONE_DETECTED without "
        "pay deposits.",
        "text",
        "all",
        derived.main_party(s.EMPLOYER_INCOME),
    )
    cat.add(
        "count_distinct_employers",
        EMPLOYMENT,
        "Number of distinct parties paying pay deposits over the history.",
        "count",
        "all",
        derived.distinct_parties(s.EMPLOYER_INCOME),
    )
    cat.add(
        "count_days_since_last_employer_income",
        EMPLOYMENT,
        "Days from the newest pay deposit to the as-of day (0 on the day); null without pay deposits.",
        "days",
        "all",
        derived.days_since_last(s.EMPLOYER_INCOME),
    )

    cat.sums(s.GOVERNMENT, GOVERNMENT, FULL_WINDOWS)
    cat.monthly_average(s.GOVERNMENT, GOVERNMENT, variants=True)
    cat.item_average(s.GOVERNMENT, GOVERNMENT)
    cat.has(s.GOVERNMENT, GOVERNMENT)
    cat.trend(s.GOVERNMENT, GOVERNMENT)
    for subject in (
        s.EMPLOYMENT_INSURANCE,
        s.GOVERNMENT_PENSION,
        s.SOCIAL_ASSISTANCE,
        s.WSIB,
        s.CHILD_BENEFITS,
        s.DISABILITY,
        s.TAX_REFUNDS,
        s.VETERANS,
    ):
        cat.sums(subject, GOVERNMENT, DAY_WINDOWS)
        cat.monthly_average(subject, GOVERNMENT)

    cat.sums(s.NON_EMPLOYER_INCOME, NON_EMPLOYMENT, FULL_WINDOWS)
    cat.monthly_average(s.NON_EMPLOYER_INCOME, NON_EMPLOYMENT, variants=True)
    cat.trend(s.NON_EMPLOYER_INCOME, NON_EMPLOYMENT)
    for subject in (s.PENSION, s.CHILD_SUPPORT, s.INVESTMENT, s.RENTAL, s.OTHER_INCOME):
        cat.sums(subject, NON_EMPLOYMENT, DAY_WINDOWS)
        cat.monthly_average(subject, NON_EMPLOYMENT)

    cat.sums(s.TOTAL_INCOME, TOTAL_INCOME, FULL_WINDOWS)
    cat.monthly_average(s.TOTAL_INCOME, TOTAL_INCOME, variants=True)
    cat.item_average(s.TOTAL_INCOME, TOTAL_INCOME)
    cat.trend(s.TOTAL_INCOME, TOTAL_INCOME)
    cat.add(
        "count_distinct_income_sources",
        TOTAL_INCOME,
        "Number of distinct parties paying income (every Income credit) over the history.",
        "count",
        "all",
        derived.distinct_parties(s.TOTAL_INCOME),
    )


def _cash_flow(cat: Catalogue) -> None:
    for subject in (s.TOTAL_CREDITS, s.TOTAL_DEBITS):
        cat.sums(subject, CASH_FLOW, FULL_WINDOWS)
        cat.item_average(subject, CASH_FLOW)
        cat.monthly_average(subject, CASH_FLOW)
        for window in DAY_WINDOWS:
            cat.alias(f"{subject.key}{window.suffix}", f"sum_{subject.key}{window.suffix}")
    cat.alias("average_monthly_credit", "average_monthly_total_credits")
    cat.alias("average_monthly_debit", "average_monthly_total_debits")
    cat.trend(s.TOTAL_CREDITS, CASH_FLOW, name="total_deposits_trend_simple")
    cat.trend(s.TOTAL_DEBITS, CASH_FLOW, name="total_debits_trend_simple")

    cat.sums(s.INFLOWS, CASH_FLOW, DAY_WINDOWS)
    cat.monthly_average(s.INFLOWS, CASH_FLOW)
    cat.sums(s.SPENDING, CASH_FLOW, FULL_WINDOWS)
    cat.monthly_average(s.SPENDING, CASH_FLOW)
    cat.trend(s.SPENDING, CASH_FLOW)

    flow = f"{s.INFLOWS.what}, less {s.SPENDING.what}"
    for window in FULL_WINDOWS:
        cat.add(
            f"free_cash_flow{window.suffix}",
            CASH_FLOW,
            f"Free cash flow {window.phrase}: {flow}.",
            "currency",
            window.key,
            derived.net_flow(s.INFLOWS, s.SPENDING, window),
        )
    cat.add(
        "average_monthly_free_cash_flow",
        CASH_FLOW,
        f"Average free cash flow per month ({flow}): {MONTHLY}.",
        "currency",
        "complete_months",
        derived.net_flow_monthly_average(s.INFLOWS, s.SPENDING),
    )
    cat.add(
        "free_cash_flow_trend_simple",
        CASH_FLOW,
        f"Trend of the monthly free cash flow ({flow}): {TREND}.",
        "label",
        "complete_months",
        derived.net_flow_trend(s.INFLOWS, s.SPENDING),
    )
    for window in (days_window(90), ALL_HISTORY):
        cat.add(
            f"ratio_spending_to_income{window.suffix}",
            CASH_FLOW,
            f"Total of {s.SPENDING.what}, over the total of {s.INFLOWS.what}, {window.phrase} "
            "(4 decimals); null when nothing came in.",
            "ratio",
            window.key,
            derived.ratio(s.SPENDING, s.INFLOWS, window),
        )

    recurring = (
        "with a recurring party (seen in at least 3 distinct calendar months, at most twice a month on "
        "average)"
    )
    for name, subject in (
        ("average_monthly_recurring_payments", s.SPENDING),
        ("average_monthly_recurring_transfers_in", s.TRANSFERS_IN),
    ):
        cat.add(
            name,
            CASH_FLOW,
            f"Average per month of the {subject.what} {recurring}: {MONTHLY}.",
            "currency",
            "complete_months",
            derived.recurring_monthly_average(subject),
        )
        cat.variants(name)
    cat.add(
        "count_recurring_payees",
        CASH_FLOW,
        f"Number of parties paid {s.SPENDING.what} {recurring}.",
        "count",
        "all",
        derived.recurring_parties(s.SPENDING),
    )


def _balances(cat: Catalogue) -> None:
    closing = "daily closing balance (the Operations accounts' balances after each day's last transaction)"
    cat.add(
        "balance_current",
        BALANCES,
        "Current balance: the sum of the current balances of the Operations accounts (of every account given "
        "when none is an Operations account).",
        "currency",
        "all",
        derived.balance_current,
    )
    for window in DAY_AND_HISTORY:
        for stat, word in (("min", "Lowest"), ("max", "Highest")):
            cat.add(
                f"balance_{stat}{window.suffix}",
                BALANCES,
                f"{word} {closing} {window.phrase}.",
                "currency",
                window.key,
                derived.balance_stat(window, stat),
            )
        cat.add(
            f"average_daily_balance{window.suffix}",
            BALANCES,
            f"Average {closing} {window.phrase}.",
            "currency",
            window.key,
            derived.balance_stat(window, "average"),
        )
        cat.add(
            f"count_days_negative_balance{window.suffix}",
            BALANCES,
            f"Number of days whose {closing} was below zero, {window.phrase}.",
            "days",
            window.key,
            derived.days_negative(window),
        )
    for days in (30, 60, 90):
        cat.add(
            f"balance_{days}_days_ago",
            BALANCES,
            f"The {closing} {days} days before the as-of day; null before the history starts.",
            "currency",
            f"{days}_days_ago",
            derived.balance_days_ago(days),
        )
    for back in range(1, len(MONTH_WINDOWS)):
        window = MONTH_WINDOWS[back]
        cat.add(
            f"balance_end_of{window.suffix}",
            BALANCES,
            f"The {closing} on the last day of the month, {window.phrase}; null before the history starts.",
            "currency",
            window.key,
            derived.balance_month_end(back),
        )
    cat.add(
        "balance_trend_simple",
        BALANCES,
        "Trend of the month-end closing balances (the Operations accounts'): the last 3 complete months' "
        "against the 3 before: INCREASING above +10% of the earlier total's size, DECREASING below -10%, "
        "CONSISTENT between, NOT_ENOUGH_DATA with fewer than 6 complete months.",
        "label",
        "complete_months",
        derived.balance_trend,
    )
    for offset, when in ((0, "day of"), (1, "day after")):
        cat.add(
            f"average_closing_balance_{when.replace(' ', '_')}_income",
            BALANCES,
            f"Average {closing} on the {when} each pay deposit (employer income), over the history; days "
            "after the as-of day are left out; null without pay deposits.",
            "currency",
            "all",
            derived.closing_around(s.EMPLOYER_INCOME, offset),
        )


def _risk(cat: Catalogue) -> None:
    cat.sums(s.NSF, RISK, FULL_WINDOWS)
    cat.monthly_average(s.NSF, RISK)
    cat.monthly_count(s.NSF, RISK, "average_monthly_nsf_fees_count")
    cat.item_average(s.NSF, RISK)
    cat.has(s.NSF, RISK)
    cat.trend(s.NSF, RISK, count=True, name="nsf_trend_simple")
    cat.add(
        "count_days_since_last_nsf",
        RISK,
        "Days from the newest NSF fee to the as-of day (0 on the day); null without NSF fees.",
        "days",
        "all",
        derived.days_since_last(s.NSF),
    )
    for subject in (s.OVERDRAFT, s.BANK_FEES, s.GAMBLING):
        cat.sums(subject, RISK, DAY_WINDOWS)
        cat.monthly_average(subject, RISK)
    cat.item_average(s.BANK_FEES, RISK)
    cat.has(s.OVERDRAFT, RISK)
    cat.has(s.GAMBLING, RISK)
    for subject in (s.STOP_PAYMENT, s.NSF_REVERSALS):
        cat.sums(subject, RISK, DAY_WINDOWS, aggregates=("count",))


def _loans(cat: Catalogue) -> None:
    cat.sums(s.LOAN_PAYMENTS, LOANS, FULL_WINDOWS)
    cat.monthly_average(s.LOAN_PAYMENTS, LOANS, variants=True)
    cat.item_average(s.LOAN_PAYMENTS, LOANS)
    cat.has(s.LOAN_PAYMENTS, LOANS)
    cat.trend(s.LOAN_PAYMENTS, LOANS)
    cat.add(
        "count_distinct_lenders",
        LOANS,
        f"Number of distinct parties receiving {s.LOAN_PAYMENTS.what}.",
        "count",
        "all",
        derived.distinct_parties(s.LOAN_PAYMENTS),
    )
    for subject in (
        s.MORTGAGE,
        s.AUTO_LOAN,
        s.STUDENT_LOAN,
        s.PERSONAL_LOAN,
        s.LINE_OF_CREDIT,
        s.BNPL,
        s.OTHER_LOAN,
    ):
        cat.sums(subject, LOANS, DAY_WINDOWS)
        cat.monthly_average(subject, LOANS, variants=True)
    cat.alias("other_loan_payments_average", "average_monthly_other_loan_payments")
    cat.sums(s.CREDIT_CARD_PAYMENTS, LOANS, DAY_WINDOWS)
    cat.monthly_average(s.CREDIT_CARD_PAYMENTS, LOANS)
    cat.sums(s.LOAN_DEPOSITS, LOANS, DAY_WINDOWS)
    cat.monthly_average(s.LOAN_DEPOSITS, LOANS)
    cat.has(s.LOAN_DEPOSITS, LOANS)
    for window in (days_window(90), ALL_HISTORY):
        cat.add(
            f"ratio_loan_payments_to_income{window.suffix}",
            LOANS,
            f"Total of {s.LOAN_PAYMENTS.what}, over the total of {s.INFLOWS.what}, {window.phrase} "
            "(4 decimals); null when nothing came in.",
            "ratio",
            window.key,
            derived.ratio(s.LOAN_PAYMENTS, s.INFLOWS, window),
        )


def _micro(cat: Catalogue) -> None:
    cat.sums(s.MICRO_LOAN_PAYMENTS, MICRO, FULL_WINDOWS)
    cat.monthly_average(s.MICRO_LOAN_PAYMENTS, MICRO, variants=True)
    cat.item_average(s.MICRO_LOAN_PAYMENTS, MICRO)
    cat.has(s.MICRO_LOAN_PAYMENTS, MICRO)
    cat.sums(s.MICRO_LOAN_DEPOSITS, MICRO, DAY_WINDOWS)
    cat.monthly_average(s.MICRO_LOAN_DEPOSITS, MICRO)
    cat.item_average(s.MICRO_LOAN_DEPOSITS, MICRO)
    cat.has(s.MICRO_LOAN_DEPOSITS, MICRO)
    cat.add(
        "micro_lender_name",
        MICRO,
        "The main micro-lender: the party (the categorizer's counterparty, else the description without "
        "digits) with the most micro-loan payments and deposits over the history, the most recent on a tie; "
        "NONE_DETECTED without any.",
        "text",
        "all",
        derived.main_party(s.MICRO_LOANS, by_count=True),
    )
    cat.add(
        "count_distinct_micro_lenders",
        MICRO,
        "Number of distinct parties among the micro-loan payments and deposits over the history.",
        "count",
        "all",
        derived.distinct_parties(s.MICRO_LOANS),
    )
    cat.add(
        "count_days_since_last_micro_loan",
        MICRO,
        "Days from the newest micro-loan payment or deposit to the as-of day; null without any.",
        "days",
        "all",
        derived.days_since_last(s.MICRO_LOANS),
    )


def _bills(cat: Catalogue) -> None:
    for subject in (s.UTILITIES, s.TELECOM):
        cat.sums(subject, BILLS, DAY_WINDOWS)
        cat.monthly_average(subject, BILLS, variants=True)
        cat.alias(f"{subject.key}_average", f"average_monthly_{subject.key}")
    for subject in (s.INSURANCE, s.RENT, s.BILLS):
        cat.sums(subject, BILLS, DAY_WINDOWS)
        cat.monthly_average(subject, BILLS)
    cat.has(s.BILLS, BILLS)


def _account_and_activity(cat: Catalogue) -> None:
    cat.add(
        "account_age_days",
        ACCOUNT,
        "Days from the oldest transaction to the as-of day; null without transactions.",
        "days",
        "all",
        derived.account_age_days,
    )
    cat.add(
        "count_accounts",
        ACCOUNT,
        "Number of accounts the attributes were computed over.",
        "count",
        "all",
        derived.count_accounts,
    )
    cat.add(
        "count_days_since_last_transaction",
        ACCOUNT,
        "Days from the newest transaction to the as-of day; null without transactions.",
        "days",
        "all",
        derived.days_since_last(s.TRANSACTIONS),
    )
    cat.add(
        "is_primary_account",
        ACCOUNT,
        "YES when income (any Income credit: pay, benefits, pensions, ...) was deposited in at least 2 of "
        "the last 3 complete months (in every one when fewer) and bills were paid over the history; null "
        "without a complete month.",
        "flag",
        "complete_months",
        derived.is_primary_account(s.TOTAL_INCOME, s.BILLS),
    )

    cat.sums(s.TRANSACTIONS, ACTIVITY, FULL_WINDOWS, aggregates=("count",))
    cat.monthly_count(s.TRANSACTIONS, ACTIVITY)
    for window in DAY_AND_HISTORY:
        cat.add(
            f"count_active_days{window.suffix}",
            ACTIVITY,
            f"Number of distinct days with at least one transaction, {window.phrase}.",
            "days",
            window.key,
            derived.active_days(s.TRANSACTIONS, window),
        )
    cat.trend(s.TRANSACTIONS, ACTIVITY, count=True, name="overall_activity_trend_simple")
    cat.trend(s.TOTAL_DEBITS, ACTIVITY, count=True, name="debit_activity_trend_simple")
    cat.trend(s.TOTAL_CREDITS, ACTIVITY, count=True, name="credit_activity_trend_simple")


def _transfers_and_spending(cat: Catalogue) -> None:
    for subject in (
        s.E_TRANSFERS_IN,
        s.E_TRANSFERS_OUT,
        s.INTERNAL_IN,
        s.INTERNAL_OUT,
        s.WIRES_IN,
        s.WIRES_OUT,
        s.CASH_DEPOSITS,
        s.CHEQUE_DEPOSITS,
        s.CASH_WITHDRAWALS,
        s.REFUNDS,
        s.TRANSFERS_IN,
    ):
        cat.sums(subject, TRANSFERS, RECENT, whole_history=False)
        cat.monthly_average(subject, TRANSFERS)
    for subject in (
        s.GROCERIES,
        s.FOOD,
        s.SHOPPING,
        s.TRANSPORTATION,
        s.TRAVEL,
        s.ENTERTAINMENT,
        s.HEALTH,
        s.EDUCATION,
        s.PERSONAL_CARE,
        s.HOME,
        s.CHILDREN,
        s.TAXES,
        s.CHARITY,
        s.UNCATEGORIZED,
    ):
        cat.sums(subject, SPENDING, RECENT, whole_history=False)
        cat.monthly_average(subject, SPENDING)


def declare() -> dict[str, Attribute]:
    cat = Catalogue(packages_of)
    _income(cat)
    _cash_flow(cat)
    _balances(cat)
    _risk(cat)
    _loans(cat)
    _micro(cat)
    _bills(cat)
    _account_and_activity(cat)
    _transfers_and_spending(cat)
    return cat.attributes
