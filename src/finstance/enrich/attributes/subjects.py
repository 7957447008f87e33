"""Subjects: the kinds of transaction an attribute adds up or counts, defined on the categorizer's output.

A subject is a side (credits, debits, or either) and a membership rule over primary categories and
sub-categories (:mod:`finstance.enrich.categories`). Money moved between the end-user's own accounts
(Internal Transfer, Credit Card Payment, Investment Transfer) is never spending, income, revenue nor a loan
payment; it counts only in the plain ``total_credits`` / ``total_debits`` subjects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from finstance.enrich import categories as c

Side = Literal["credit", "debit", "any"]

# Money that only moves between the end-user's own accounts.
OWN_MONEY_MOVES = frozenset({c.INTERNAL_TRANSFER, c.CREDIT_CARD_PAYMENT, c.INVESTMENT_TRANSFER})
LOAN_PROCEEDS = frozenset({c.LOAN_DEPOSIT, c.MICRO_LOAN_DEPOSIT})
GOVERNMENT_INCOME = frozenset(
    {
        c.EMPLOYMENT_INSURANCE,
        c.UNEMPLOYMENT_BENEFITS,
        c.GOVERNMENT_PENSION,
        c.CHILD_BENEFITS,
        c.TAX_REFUNDS_AND_CREDITS,
        c.SOCIAL_ASSISTANCE,
        c.DISABILITY_BENEFITS,
        c.WORKERS_COMPENSATION,
        c.VETERANS_BENEFITS,
    }
)
HOUSING_BILLS = frozenset({"Rent", "Condo Fees", "Property Tax"})


@dataclass(frozen=True, slots=True)
class Subject:
    """Transactions of one ``side`` in ``subcategories`` or ``categories`` (both None: every one), less
    the ``excluded`` sub-categories and the ``excluded_categories``. ``what`` is how descriptions name
    them; ``item`` names one of them in ``average_{item}`` (None: no per-transaction average)."""

    key: str
    what: str
    side: Side
    subcategories: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    excluded: frozenset[str] = frozenset()
    item: str | None = None
    excluded_categories: frozenset[str] = frozenset()

    def matches(self, category: str, subcategory: str, credit: bool) -> bool:
        if (self.side == "credit" and not credit) or (self.side == "debit" and credit):
            return False
        if subcategory in self.excluded or category in self.excluded_categories:
            return False
        if self.subcategories is None and self.categories is None:
            return True
        return (self.subcategories is not None and subcategory in self.subcategories) or (
            self.categories is not None and category in self.categories
        )


def subs(*names: str) -> frozenset[str]:
    return frozenset(names)


def cats(*names: str) -> frozenset[str]:
    return frozenset(names)


# -- income ------------------------------------------------------------------------------------------
EMPLOYER_INCOME = Subject(
    "employer_income",
    "pay deposits from an employer (Employment Income credits)",
    "credit",
    subs(c.EMPLOYMENT_INCOME),
    item="employer_income_deposit",
)
GOVERNMENT = Subject(
    "government_income",
    "government benefit deposits (employment insurance, government pensions, child benefits, tax refunds and "
    "credits, social assistance, disability, workers' compensation and veterans benefits)",
    "credit",
    GOVERNMENT_INCOME,
    item="government_income_deposit",
)
EMPLOYMENT_INSURANCE = Subject(
    "employment_insurance_income",
    "employment insurance (EI) or unemployment benefit deposits",
    "credit",
    subs(c.EMPLOYMENT_INSURANCE, c.UNEMPLOYMENT_BENEFITS),
)
GOVERNMENT_PENSION = Subject(
    "government_pension_income",
    "government pension deposits (CPP/QPP, OAS/GIS, Social Security)",
    "credit",
    subs(c.GOVERNMENT_PENSION),
)
SOCIAL_ASSISTANCE = Subject(
    "social_assistance_income", "social assistance deposits", "credit", subs(c.SOCIAL_ASSISTANCE)
)
WSIB = Subject(
    "wsib_income",
    "workers' compensation deposits (WSIB, CNESST, WorkSafeBC, ...)",
    "credit",
    subs(c.WORKERS_COMPENSATION),
)
CHILD_BENEFITS = Subject(
    "child_support_income_government",
    "government child benefit deposits (CCB and provincial allowances)",
    "credit",
    subs(c.CHILD_BENEFITS),
)
DISABILITY = Subject("disability", "disability benefit deposits", "credit", subs(c.DISABILITY_BENEFITS))
TAX_REFUNDS = Subject(
    "tax_refund_income",
    "income tax refunds and government credits received",
    "credit",
    subs(c.TAX_REFUNDS_AND_CREDITS),
)
VETERANS = Subject("veterans_income", "veterans benefit deposits", "credit", subs(c.VETERANS_BENEFITS))
NON_EMPLOYER_INCOME = Subject(
    "non_employer_income",
    "income other than pay from an employer (Income credits but Employment Income)",
    "credit",
    categories=cats(c.INCOME),
    excluded=subs(c.EMPLOYMENT_INCOME),
)
PENSION = Subject(
    "pension_income",
    "pension deposits, government and private (Government Pension, Retirement Income)",
    "credit",
    subs(c.GOVERNMENT_PENSION, c.RETIREMENT_INCOME),
)
CHILD_SUPPORT = Subject(
    "child_support_income", "child or spousal support received", "credit", subs(c.CHILD_SUPPORT)
)
INVESTMENT = Subject(
    "investment_income",
    "dividends, distributions and interest received",
    "credit",
    subs(c.INVESTMENT_INCOME, c.INTEREST_INCOME),
)
RENTAL = Subject("rental_income", "rent received from tenants", "credit", subs(c.RENTAL_INCOME))
OTHER_INCOME = Subject("other_income", "other income (Other Income credits)", "credit", subs(c.OTHER_INCOME))
TOTAL_INCOME = Subject(
    "total_income",
    "income of every kind (every Income credit; no transfers, no loan proceeds)",
    "credit",
    categories=cats(c.INCOME),
    item="income_deposit",
)

# -- flows -------------------------------------------------------------------------------------------
TOTAL_CREDITS = Subject(
    "total_credits", "credits of every kind, transfers between own accounts included", "credit", item="credit"
)
TOTAL_DEBITS = Subject(
    "total_debits",
    "debits of every kind, transfers between own accounts and credit card payments included",
    "debit",
    item="debit",
)
INFLOWS = Subject(
    "credits_excluding_transfers",
    "credits other than transfers between own accounts, credit card payments, investment transfers and loan "
    "proceeds",
    "credit",
    excluded=OWN_MONEY_MOVES | LOAN_PROCEEDS,
)
SPENDING = Subject(
    "spending",
    "debits other than transfers between own accounts, credit card payments and investment transfers",
    "debit",
    excluded=OWN_MONEY_MOVES,
)
TRANSACTIONS = Subject("transactions", "transactions, credits and debits", "any")

# -- transfers and cash ------------------------------------------------------------------------------
E_TRANSFERS_IN = Subject(
    "e_transfers_in",
    "person-to-person transfers received (Interac e-Transfer, Zelle, Venmo, ...)",
    "credit",
    subs(c.PERSON_TO_PERSON),
)
E_TRANSFERS_OUT = Subject(
    "e_transfers_out",
    "person-to-person transfers sent (Interac e-Transfer, Zelle, Venmo, ...)",
    "debit",
    subs(c.PERSON_TO_PERSON),
)
INTERNAL_IN = Subject(
    "internal_transfers_in",
    "transfers received from the end-user's own accounts",
    "credit",
    subs(c.INTERNAL_TRANSFER),
)
INTERNAL_OUT = Subject(
    "internal_transfers_out",
    "transfers sent to the end-user's own accounts",
    "debit",
    subs(c.INTERNAL_TRANSFER),
)
WIRES_IN = Subject("wire_transfers_in", "wire transfers received", "credit", subs(c.WIRE_TRANSFER))
WIRES_OUT = Subject("wire_transfers_out", "wire transfers sent", "debit", subs(c.WIRE_TRANSFER))
CASH_DEPOSITS = Subject("cash_deposits", "cash deposited at a branch or ATM", "credit", subs(c.CASH_DEPOSIT))
CHEQUE_DEPOSITS = Subject(
    "cheque_deposits", "cheques deposited", "credit", subs(c.CHEQUE_DEPOSIT, c.CHECK_DEPOSIT)
)
CASH_WITHDRAWALS = Subject(
    "cash_withdrawals", "cash withdrawn at an ATM or branch", "debit", subs(c.CASH_WITHDRAWAL)
)
REFUNDS = Subject(
    "refunds",
    "refunds, returns and corrections credited (Balance Adjustment credits)",
    "credit",
    subs(c.BALANCE_ADJUSTMENT),
)
TRANSFERS_IN = Subject(
    "transfers_in",
    "transfers received from other people or institutions (Transfers and Adjustments credits other than "
    "internal transfers, investment transfers, refunds and returned payments)",
    "credit",
    categories=cats(c.TRANSFERS),
    excluded=OWN_MONEY_MOVES | subs(c.BALANCE_ADJUSTMENT, c.RETURNED_PAYMENT),
)

# -- fees and risk -----------------------------------------------------------------------------------
NSF = Subject("nsf", "non-sufficient funds fees (NSF Fee debits)", "debit", subs(c.NSF_FEE), item="nsf_fee")
OVERDRAFT = Subject("overdraft_fees", "overdraft fees and overdraft interest", "debit", subs(c.OVERDRAFT_FEE))
BANK_FEES = Subject(
    "bank_fees",
    "fees and interest charged by the bank",
    "debit",
    categories=cats(c.BANK_FEES),
    item="bank_fee",
)
STOP_PAYMENT = Subject(
    "stop_payment",
    "stopped payments and stop-payment fees (Stop Payment or Stop Payment Fee)",
    "any",
    subs(c.STOP_PAYMENT, c.STOP_PAYMENT_FEE),
)
NSF_REVERSALS = Subject(
    "reversed_payments_because_of_nsf",
    "payments returned unpaid (Returned Payment, either side)",
    "any",
    subs(c.RETURNED_PAYMENT),
)
GAMBLING = Subject("gambling", "gambling debits (lotteries, casinos, betting)", "debit", subs(c.GAMBLING))

# -- loans -------------------------------------------------------------------------------------------
LOAN_PAYMENTS = Subject(
    "loan_payments",
    "loan payments (Loans debits: mortgage, auto, student, personal, micro, line of credit and buy-now-pay-"
    "later; credit card payments excluded)",
    "debit",
    categories=cats(c.LOANS),
    excluded=subs(c.CREDIT_CARD_PAYMENT),
    item="loan_payment",
)
MORTGAGE = Subject("mortgage_payments", "mortgage payments", "debit", subs(c.MORTGAGE_PAYMENT))
AUTO_LOAN = Subject("auto_loan_payments", "car loan and lease payments", "debit", subs(c.AUTO_LOAN_PAYMENT))
STUDENT_LOAN = Subject(
    "student_loan_payments", "student loan payments", "debit", subs(c.STUDENT_LOAN_PAYMENT)
)
PERSONAL_LOAN = Subject(
    "personal_loan_payments", "personal instalment loan payments", "debit", subs(c.PERSONAL_LOAN_PAYMENT)
)
LINE_OF_CREDIT = Subject(
    "line_of_credit_payments", "line of credit payments", "debit", subs(c.LINE_OF_CREDIT_PAYMENT)
)
BNPL = Subject(
    "buy_now_pay_later_payments", "buy-now-pay-later instalments", "debit", subs(c.BUY_NOW_PAY_LATER)
)
OTHER_LOAN = Subject(
    "other_loan_payments",
    "loan payments other than mortgage, auto, student and micro loans (personal loans, lines of credit, "
    "buy-now-pay-later)",
    "debit",
    subs(c.PERSONAL_LOAN_PAYMENT, c.LINE_OF_CREDIT_PAYMENT, c.BUY_NOW_PAY_LATER),
)
CREDIT_CARD_PAYMENTS = Subject(
    "credit_card_payments",
    "credit card payments (a transfer, not a loan payment)",
    "debit",
    subs(c.CREDIT_CARD_PAYMENT),
)
LOAN_DEPOSITS = Subject(
    "loan_deposits",
    "loan proceeds received (Loan Deposit and Micro Loan Deposit credits)",
    "credit",
    LOAN_PROCEEDS,
)
MICRO_LOAN_PAYMENTS = Subject(
    "micro_loan_payments",
    "payday and short-term loan repayments (Micro Loan Payment debits)",
    "debit",
    subs(c.MICRO_LOAN_PAYMENT),
    item="micro_loan_payment",
)
MICRO_LOAN_DEPOSITS = Subject(
    "micro_loan_deposits",
    "payday and short-term loan proceeds received (Micro Loan Deposit credits)",
    "credit",
    subs(c.MICRO_LOAN_DEPOSIT),
    item="micro_loan_deposit",
)
MICRO_LOANS = Subject(
    "micro_loans",
    "micro-lender transactions (Micro Loan Payment and Micro Loan Deposit)",
    "any",
    subs(c.MICRO_LOAN_PAYMENT, c.MICRO_LOAN_DEPOSIT),
)

# -- bills -------------------------------------------------------------------------------------------
UTILITIES = Subject(
    "utility_payments",
    "utility bills (electricity, natural gas and heating, water)",
    "debit",
    c.UTILITY_SUBCATEGORIES,
)
TELECOM = Subject(
    "telecom_payments", "telecom bills (mobile phone, internet and cable)", "debit", c.TELECOM_SUBCATEGORIES
)
INSURANCE = Subject("insurance_payments", "insurance premiums", "debit", categories=cats(c.INSURANCE))
RENT = Subject("rent_payments", "rent paid", "debit", subs("Rent"))
BILLS = Subject(
    "bill_payments",
    "bills: utilities, telecom, insurance premiums, rent, condo fees and property tax",
    "debit",
    subcategories=c.UTILITY_SUBCATEGORIES | c.TELECOM_SUBCATEGORIES | HOUSING_BILLS,
    categories=cats(c.INSURANCE),
)

# -- spending by kind --------------------------------------------------------------------------------
GROCERIES = Subject("groceries", "grocery purchases", "debit", subs("Groceries"))
FOOD = Subject("food_and_dining", "food and dining (groceries included)", "debit", categories=cats(c.FOOD))
SHOPPING = Subject(
    "shopping", "shopping (goods bought in stores and online)", "debit", categories=cats(c.SHOPPING)
)
TRANSPORTATION = Subject(
    "transportation",
    "transportation (fuel, transit, ride share, parking, car upkeep)",
    "debit",
    categories=cats(c.TRANSPORTATION),
)
TRAVEL = Subject("travel", "travel (flights, hotels, car rentals)", "debit", categories=cats(c.TRAVEL))
ENTERTAINMENT = Subject(
    "entertainment",
    "entertainment (streaming, events, games, gambling)",
    "debit",
    categories=cats(c.ENTERTAINMENT),
)
HEALTH = Subject("health", "health care and fitness", "debit", categories=cats(c.HEALTH))
EDUCATION = Subject(
    "education", "tuition, courses and school supplies", "debit", categories=cats(c.EDUCATION)
)
PERSONAL_CARE = Subject("personal_care", "personal care", "debit", categories=cats(c.PERSONAL_CARE))
HOME = Subject(
    "home",
    "housing costs other than the mortgage (rent, property tax, condo fees, home services, furniture)",
    "debit",
    categories=cats(c.HOME),
)
CHILDREN = Subject("children", "childcare and child support paid", "debit", categories=cats(c.CHILDREN))
TAXES = Subject(
    "tax_payments", "payments to governments (taxes, licences, fines)", "debit", categories=cats(c.TAXES)
)
CHARITY = Subject("charity", "charitable donations", "debit", categories=cats(c.GIFTS))
UNCATEGORIZED = Subject(
    "uncategorized_debits", "debits the categorizer could not place", "debit", subs(c.UNCATEGORIZED)
)

# -- business ----------------------------------------------------------------------------------------
BUSINESS_REVENUE = Subject(
    "business_revenue",
    "revenue: credits other than transfers between own accounts, credit card payments, investment transfers, "
    "loan proceeds, refunds and returned payments",
    "credit",
    excluded=OWN_MONEY_MOVES | LOAN_PROCEEDS | subs(c.BALANCE_ADJUSTMENT, c.RETURNED_PAYMENT),
    item="business_revenue_deposit",
)
BUSINESS_LOAN_DEPOSITS = Subject(
    "business_loan_deposits",
    "loan proceeds received (Loan Deposit and Micro Loan Deposit credits)",
    "credit",
    LOAN_PROCEEDS,
    item="business_loan_deposit",
)
BUSINESS_EXPENSES = Subject(
    "business_operating_expenses",
    "operating expenses: debits other than transfers between own accounts, investment transfers and Loans "
    "debits (loan and credit card payments); bank fees included",
    "debit",
    excluded=OWN_MONEY_MOVES,
    item="business_operating_expense",
    excluded_categories=cats(c.LOANS),
)
BUSINESS_LOAN_PAYMENTS = Subject(
    "business_loan_payments",
    "loan payments (Loans debits but credit card payments)",
    "debit",
    categories=cats(c.LOANS),
    excluded=subs(c.CREDIT_CARD_PAYMENT),
    item="business_loan_payment",
)
BUSINESS_CARD_PAYMENTS = Subject(
    "business_credit_card_payments", "credit card payments", "debit", subs(c.CREDIT_CARD_PAYMENT)
)
BUSINESS_FEES = Subject(
    "business_fees", "bank fees and interest charged", "debit", categories=cats(c.BANK_FEES)
)
BUSINESS_NSF = Subject("business_nsf", "non-sufficient funds fees", "debit", subs(c.NSF_FEE))
BUSINESS_PAYROLL = Subject(
    "business_payroll", "payroll paid out (Payroll Services debits)", "debit", subs("Payroll Services")
)
BUSINESS_MERCHANT_DEPOSITS = Subject(
    "business_merchant_services_deposits",
    "card-processing deposits (Merchant Services credits)",
    "credit",
    subs("Merchant Services"),
)
BUSINESS_TAXES = Subject(
    "business_tax_payments",
    "payments to governments (taxes, licences, fines)",
    "debit",
    categories=cats(c.TAXES),
)
BUSINESS_SOFTWARE = Subject(
    "business_services",
    "business services bought (software, advertising, shipping)",
    "debit",
    subs("Software and Subscriptions", "Advertising", "Shipping"),
)
BUSINESS_TRANSACTIONS = Subject("business_transactions", "transactions, credits and debits", "any")
