"""The business attributes (GetBusinessAnalysisAttributes, GetAllBusinessAttributes): revenue, loan
deposits, operating expenses, liabilities and loan payments, fees, NSF, payroll, merchant-services deposits,
balances and trends of a business's accounts.

Revenue is the credits other than money moved between the business's own accounts, loan proceeds, refunds
and returned payments; operating expenses are the debits other than own-account moves and Loans debits
(loan and credit card payments, which are liabilities). Windows, monthly averages, balances and trends are
those of the consumer attributes (:mod:`.windows`, :mod:`.trend`, :mod:`.balances`). Every business
attribute is in both business packages; names start with ``business_`` or carry a ``business_`` subject, so
none is also a consumer name.
"""

from __future__ import annotations

from finstance.enrich.attributes import derived
from finstance.enrich.attributes import subjects as s
from finstance.enrich.attributes.attribute import ALL_BUSINESS, BUSINESS_ANALYSIS, Attribute
from finstance.enrich.attributes.grammar import MONTHLY, TREND, Catalogue
from finstance.enrich.attributes.windows import ALL_HISTORY, DAY_WINDOWS, FULL_WINDOWS, days_window

REVENUE = "Business Revenue"
LOAN_DEPOSITS = "Business Loan Deposits"
EXPENSES = "Operating Expenses"
LIABILITIES = "Liabilities and Loan Payments"
FEES = "Fees and Other Expenses"
CASH_FLOW = "Business Cash Flow"
BALANCES = "Business Balances"
ACTIVITY = "Business Activity"


def packages_of(category: str) -> frozenset[str]:
    return frozenset({BUSINESS_ANALYSIS, ALL_BUSINESS})


def declare() -> dict[str, Attribute]:
    cat = Catalogue(packages_of)
    cat.sums(s.BUSINESS_REVENUE, REVENUE, FULL_WINDOWS)
    cat.monthly_average(s.BUSINESS_REVENUE, REVENUE)
    cat.item_average(s.BUSINESS_REVENUE, REVENUE)
    cat.trend(s.BUSINESS_REVENUE, REVENUE)
    cat.add(
        "business_count_distinct_revenue_sources",
        REVENUE,
        "Number of distinct parties (the categorizer's counterparty, else the description without digits) "
        "behind the revenue over the history.",
        "count",
        "all",
        derived.distinct_parties(s.BUSINESS_REVENUE),
    )
    cat.add(
        "business_main_revenue_source",
        REVENUE,
        "The party behind the most revenue over the history, the most recent on a tie; NONE_DETECTED without "
        "revenue.",
        "text",
        "all",
        derived.main_party(s.BUSINESS_REVENUE),
    )
    cat.sums(s.BUSINESS_MERCHANT_DEPOSITS, REVENUE, DAY_WINDOWS)
    cat.monthly_average(s.BUSINESS_MERCHANT_DEPOSITS, REVENUE)

    cat.sums(s.BUSINESS_LOAN_DEPOSITS, LOAN_DEPOSITS, DAY_WINDOWS)
    cat.monthly_average(s.BUSINESS_LOAN_DEPOSITS, LOAN_DEPOSITS)
    cat.item_average(s.BUSINESS_LOAN_DEPOSITS, LOAN_DEPOSITS)
    cat.has(s.BUSINESS_LOAN_DEPOSITS, LOAN_DEPOSITS)

    cat.sums(s.BUSINESS_EXPENSES, EXPENSES, FULL_WINDOWS)
    cat.monthly_average(s.BUSINESS_EXPENSES, EXPENSES)
    cat.trend(s.BUSINESS_EXPENSES, EXPENSES)
    for subject in (s.BUSINESS_PAYROLL, s.BUSINESS_SOFTWARE, s.BUSINESS_TAXES):
        cat.sums(subject, EXPENSES, DAY_WINDOWS)
        cat.monthly_average(subject, EXPENSES)
    cat.has(s.BUSINESS_PAYROLL, EXPENSES)

    cat.sums(s.BUSINESS_LOAN_PAYMENTS, LIABILITIES, DAY_WINDOWS)
    cat.monthly_average(s.BUSINESS_LOAN_PAYMENTS, LIABILITIES)
    cat.item_average(s.BUSINESS_LOAN_PAYMENTS, LIABILITIES)
    cat.add(
        "business_count_distinct_lenders",
        LIABILITIES,
        f"Number of distinct parties receiving {s.BUSINESS_LOAN_PAYMENTS.what}.",
        "count",
        "all",
        derived.distinct_parties(s.BUSINESS_LOAN_PAYMENTS),
    )
    cat.sums(s.BUSINESS_CARD_PAYMENTS, LIABILITIES, DAY_WINDOWS)
    cat.monthly_average(s.BUSINESS_CARD_PAYMENTS, LIABILITIES)

    cat.sums(s.BUSINESS_FEES, FEES, DAY_WINDOWS)
    cat.monthly_average(s.BUSINESS_FEES, FEES)
    cat.sums(s.BUSINESS_NSF, FEES, DAY_WINDOWS)
    cat.has(s.BUSINESS_NSF, FEES)

    flow = f"{s.BUSINESS_REVENUE.what}, less {s.BUSINESS_EXPENSES.what}"
    for window in (*DAY_WINDOWS, ALL_HISTORY):
        cat.add(
            f"business_net_operating_cash_flow{window.suffix}",
            CASH_FLOW,
            f"Net operating cash flow {window.phrase}: {flow}.",
            "currency",
            window.key,
            derived.net_flow(s.BUSINESS_REVENUE, s.BUSINESS_EXPENSES, window),
        )
    cat.add(
        "business_average_monthly_net_operating_cash_flow",
        CASH_FLOW,
        f"Average net operating cash flow per month ({flow}): {MONTHLY}.",
        "currency",
        "complete_months",
        derived.net_flow_monthly_average(s.BUSINESS_REVENUE, s.BUSINESS_EXPENSES),
    )
    cat.add(
        "business_net_operating_cash_flow_trend_simple",
        CASH_FLOW,
        f"Trend of the monthly net operating cash flow ({flow}): {TREND}.",
        "label",
        "complete_months",
        derived.net_flow_trend(s.BUSINESS_REVENUE, s.BUSINESS_EXPENSES),
    )
    for window in (days_window(90), ALL_HISTORY):
        cat.add(
            f"business_ratio_operating_expenses_to_revenue{window.suffix}",
            CASH_FLOW,
            f"Operating expenses over revenue {window.phrase} (4 decimals); null without revenue.",
            "ratio",
            window.key,
            derived.ratio(s.BUSINESS_EXPENSES, s.BUSINESS_REVENUE, window),
        )
        cat.add(
            f"business_ratio_loan_payments_to_revenue{window.suffix}",
            CASH_FLOW,
            f"Loan payments over revenue {window.phrase} (4 decimals); null without revenue.",
            "ratio",
            window.key,
            derived.ratio(s.BUSINESS_LOAN_PAYMENTS, s.BUSINESS_REVENUE, window),
        )

    closing = "daily closing balance (the Operations accounts' balances after each day's last transaction)"
    cat.add(
        "business_balance_current",
        BALANCES,
        "Current balance: the sum of the current balances of the Operations accounts (of every account given "
        "when none is an Operations account).",
        "currency",
        "all",
        derived.balance_current,
    )
    for window in (*DAY_WINDOWS, ALL_HISTORY):
        cat.add(
            f"business_average_daily_balance{window.suffix}",
            BALANCES,
            f"Average {closing} {window.phrase}.",
            "currency",
            window.key,
            derived.balance_stat(window, "average"),
        )
        cat.add(
            f"business_balance_min{window.suffix}",
            BALANCES,
            f"Lowest {closing} {window.phrase}.",
            "currency",
            window.key,
            derived.balance_stat(window, "min"),
        )
        cat.add(
            f"business_count_days_negative_balance{window.suffix}",
            BALANCES,
            f"Number of days whose {closing} was below zero, {window.phrase}.",
            "days",
            window.key,
            derived.days_negative(window),
        )
    cat.add(
        "business_balance_trend_simple",
        BALANCES,
        "Trend of the month-end closing balances: the last 3 complete months' against the 3 before: "
        "INCREASING above +10% of the earlier total's size, DECREASING below -10%, CONSISTENT between, "
        "NOT_ENOUGH_DATA with fewer than 6 complete months.",
        "label",
        "complete_months",
        derived.balance_trend,
    )

    cat.add(
        "business_account_age_days",
        ACTIVITY,
        "Days from the oldest transaction to the as-of day; null without transactions.",
        "days",
        "all",
        derived.account_age_days,
    )
    cat.sums(s.BUSINESS_TRANSACTIONS, ACTIVITY, DAY_WINDOWS, aggregates=("count",))
    for window in (*DAY_WINDOWS, ALL_HISTORY):
        cat.add(
            f"business_count_active_days{window.suffix}",
            ACTIVITY,
            f"Number of distinct days with at least one transaction, {window.phrase}.",
            "days",
            window.key,
            derived.active_days(s.BUSINESS_TRANSACTIONS, window),
        )
    cat.trend(s.BUSINESS_TRANSACTIONS, ACTIVITY, count=True, name="business_activity_trend_simple")
    return cat.attributes
