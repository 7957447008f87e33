"""NSF and risk, loans, micro-lenders and bills."""

from __future__ import annotations

from datetime import date

from finstance.enrich import categories as c
from tests.enrich.attributes.builders import card, result, txn, value, wire

AS_OF = date(2024, 6, 30)  # 30 days from Jun 1, 60 from May 2, 90 from Apr 2; Jun 30 ends June


RISK = card(
    AS_OF,
    [
        txn("apr1", date(2024, 4, 1), c.NSF_FEE, debit=4_800),  # 90 days back: out of every window
        txn("apr2", date(2024, 4, 2), c.NSF_FEE, debit=4_800),  # 89 back: the 90th day
        txn("may1", date(2024, 5, 1), c.NSF_FEE, debit=4_800),  # 60 back: out of the 60 days
        txn("may2", date(2024, 5, 2), c.NSF_FEE, debit=4_800),  # 59 back: the 60th day
        txn("ret1", date(2024, 5, 5), c.RETURNED_PAYMENT, credit=35_000),
        txn("may31", date(2024, 5, 31), c.NSF_FEE, debit=4_800),  # 30 back: out of the 30 days
        txn("jun1", date(2024, 6, 1), c.NSF_FEE, debit=4_800),  # 29 back: the 30th day
        txn("stop", date(2024, 6, 9), c.STOP_PAYMENT, debit=100),
        txn("stopfee", date(2024, 6, 10), c.STOP_PAYMENT_FEE, debit=2_000),
        txn("ret2", date(2024, 6, 15), c.RETURNED_PAYMENT, credit=12_000),
        txn("od", date(2024, 6, 16), c.OVERDRAFT_FEE, debit=500),
        txn("jun30", date(2024, 6, 30), c.NSF_FEE, debit=4_800),
    ],
)


def test_nsf_counts_by_window() -> None:
    assert value(RISK, "count_nsf_30_days") == 2
    assert result(RISK, "count_nsf_30_days").transactions == ("jun30", "jun1")
    assert value(RISK, "count_nsf_60_days") == 4
    assert value(RISK, "count_nsf_90_days") == 6
    assert value(RISK, "count_nsf") == 7
    assert wire(RISK, "sum_nsf_60_days") == 192.00  # 4 x 48.00
    assert value(RISK, "count_nsf_current_month") == 2
    assert value(RISK, "count_nsf_previous_month") == 3
    # April (2), May (3) and June (2) are complete: 7 / 3.
    assert wire(RISK, "average_monthly_nsf_fees_count") == 2.3333
    assert wire(RISK, "average_nsf_fee") == 48.00
    assert value(RISK, "has_nsf") == "YES"
    assert value(RISK, "count_days_since_last_nsf") == 0


def test_stop_payments_reversals_and_fees() -> None:
    assert value(RISK, "count_stop_payment_90_days") == 2  # the stop itself and its fee
    assert value(RISK, "count_reversed_payments_because_of_nsf_30_days") == 1
    assert value(RISK, "count_reversed_payments_because_of_nsf_60_days") == 2
    assert value(RISK, "count_reversed_payments_because_of_nsf_90_days") == 2
    # Every bank fee of June: NSF 2 x 48.00, the stop-payment fee 20.00, the overdraft fee 5.00.
    assert wire(RISK, "sum_bank_fees_30_days") == 121.00
    assert wire(RISK, "sum_overdraft_fees_30_days") == 5.00


LOANS = card(
    AS_OF,
    [
        txn("mort4", date(2024, 4, 1), c.MORTGAGE_PAYMENT, debit=200_000, party="TD Mortgage"),
        txn("elec", date(2024, 4, 15), "Electricity", debit=9_000, party="Hydro One"),
        txn("cell4", date(2024, 4, 18), "Mobile Phone", debit=8_000, party="Rogers"),
        txn("auto4", date(2024, 4, 20), c.AUTO_LOAN_PAYMENT, debit=35_000, party="Ford Credit"),
        txn("mort5", date(2024, 5, 1), c.MORTGAGE_PAYMENT, debit=200_000, party="TD Mortgage"),
        txn("loc", date(2024, 5, 10), c.LINE_OF_CREDIT_PAYMENT, debit=10_000, party="RBC"),
        txn("gas", date(2024, 5, 15), "Natural Gas and Heating", debit=6_000, party="Enbridge"),
        txn("cell5", date(2024, 5, 18), "Mobile Phone", debit=8_000, party="Rogers"),
        txn("auto5", date(2024, 5, 20), c.AUTO_LOAN_PAYMENT, debit=35_000, party="Ford Credit"),
        txn("mort6", date(2024, 6, 1), c.MORTGAGE_PAYMENT, debit=200_000, party="TD Mortgage"),
        txn("student", date(2024, 6, 5), c.STUDENT_LOAN_PAYMENT, debit=15_000, party="NSLSC"),
        txn("water", date(2024, 6, 15), "Water", debit=3_000, party="City"),
        txn("cell6", date(2024, 6, 18), "Mobile Phone", debit=8_000, party="Rogers"),
        txn("net", date(2024, 6, 19), "Internet and Cable", debit=7_000, party="Bell"),
        txn("auto6", date(2024, 6, 20), c.AUTO_LOAN_PAYMENT, debit=35_000, party="Ford Credit"),
        txn("visa", date(2024, 6, 25), c.CREDIT_CARD_PAYMENT, debit=50_000, party="Visa"),
    ],
)


def test_loan_payments_leave_credit_card_payments_out() -> None:
    # June: mortgage 2,000 + student 150 + auto 350 (the 500.00 Visa payment is a transfer).
    assert wire(LOANS, "sum_loan_payments_30_days") == 2500.00
    assert value(LOANS, "count_loan_payments_current_month") == 3
    assert "visa" not in result(LOANS, "sum_loan_payments").transactions
    # 3 x 350 + 3 x 2,000 + 150 + 100 = 7,300.00 over April, May and June.
    assert wire(LOANS, "sum_loan_payments") == 7300.00
    assert wire(LOANS, "average_monthly_loan_payments_complex") == 2433.33
    assert wire(LOANS, "average_monthly_auto_loan_payments_complex") == 350.00
    assert wire(LOANS, "average_monthly_mortgage_payments_complex") == 2000.00
    assert wire(LOANS, "average_monthly_student_loan_payments_complex") == 50.00
    # Other loans (the line of credit): 100.00 / 3.
    assert wire(LOANS, "average_monthly_other_loan_payments_complex") == 33.33
    assert wire(LOANS, "other_loan_payments_average") == 33.33
    assert value(LOANS, "count_distinct_lenders") == 4  # TD Mortgage, Ford Credit, RBC, NSLSC; not Visa
    assert wire(LOANS, "micro_lender_name") == "NONE_DETECTED"
    assert value(LOANS, "count_distinct_micro_lenders") == 0


def test_utility_and_telecom_bills() -> None:
    # Utilities 90 + 60 + 30 = 180.00 over 3 months; telecom 3 x 80 + 70 = 310.00 over 3 months.
    assert wire(LOANS, "average_monthly_utility_payments_complex") == 60.00
    assert wire(LOANS, "utility_payments_average") == 60.00
    assert wire(LOANS, "average_monthly_telecom_payments_complex") == 103.33
    assert wire(LOANS, "telecom_payments_average") == 103.33
    assert wire(LOANS, "sum_telecom_payments_30_days") == 150.00
    assert value(LOANS, "has_bill_payments") == "YES"


MICRO = card(
    AS_OF,
    [
        txn("bank", date(2024, 4, 1), c.LOAN_DEPOSIT, credit=100_000, party="RBC"),  # 90 days back
        txn("mm1", date(2024, 4, 10), c.MICRO_LOAN_DEPOSIT, credit=30_000, party="Money Mart"),
        txn("mm2", date(2024, 4, 24), c.MICRO_LOAN_PAYMENT, debit=34_500, party="Money Mart"),
        txn("cm1", date(2024, 5, 3), c.MICRO_LOAN_DEPOSIT, credit=50_000, party="Cash Money"),
        txn("cm2", date(2024, 5, 17), c.MICRO_LOAN_PAYMENT, debit=28_750, party="Cash Money"),
        txn("cm3", date(2024, 5, 31), c.MICRO_LOAN_PAYMENT, debit=28_750, party="Cash Money"),
        txn(
            "ef",
            date(2024, 6, 20),
            c.MICRO_LOAN_PAYMENT,
            debit=10_000,
            description="PAYDAY LOAN 4471 EASYFIN",
        ),
    ],
)


def test_micro_lenders() -> None:
    # Cash Money has 3 transactions, Money Mart 2, the unnamed one 1.
    assert value(MICRO, "micro_lender_name") == "Cash Money"
    assert result(MICRO, "micro_lender_name").transactions == ("cm3", "cm2", "cm1")
    assert value(MICRO, "count_distinct_micro_lenders") == 3
    # From May 2: 287.50 + 287.50 + 100.00 (the Apr 24 payment is 67 days back).
    assert wire(MICRO, "sum_micro_loan_payments_60_days") == 675.00
    # (345.00 + 287.50 + 287.50 + 100.00) / 4.
    assert wire(MICRO, "average_micro_loan_payment") == 255.00
    # Over April, May and June: 1,020.00 / 3.
    assert wire(MICRO, "average_monthly_micro_loan_payments_complex") == 340.00
    # Loan deposits from Apr 2: the two micro-loans, 300 + 500 (the bank loan is 90 days back).
    assert wire(MICRO, "sum_loan_deposits_90_days") == 800.00
    assert wire(MICRO, "sum_loan_deposits") == 1800.00
    assert value(MICRO, "has_micro_loan_deposits") == "YES"
    # Micro-loan payments are loan payments too.
    assert wire(MICRO, "sum_loan_payments_90_days") == 1020.00
