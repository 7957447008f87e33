"""The categorization engine on hand-written descriptions: each rule family, direction, recurrence, French
wording, membership of every answer in the country's tree, and the sandbox bank's own descriptions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from finstance.core.country import Country
from finstance.enrich import categories
from finstance.enrich.categorize import categorize, categorize_one
from finstance.enrich.dictionaries import entries
from finstance.enrich.model import Assignment, Txn
from finstance.enrich.normalize import PROVINCES, normalize
from finstance.sandbox import activity, merchants
from finstance.sandbox.generator import generate_profile

CA, US = Country.CA, Country.US


def txn(
    description: str, amount: float, *, credit: bool = False, day: date = date(2025, 3, 3), i: int = 0
) -> Txn:
    cents = round(amount * 100)
    return Txn(f"t{i}", "acct", day, description, None if credit else cents, cents if credit else None)


def one(country: Country, description: str, amount: float = 25.0, *, credit: bool = False) -> Assignment:
    return categorize_one(country, txn(description, amount, credit=credit))


# -- normalization ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "core", "channel"),
    [
        ("Point of Sale - INTERAC RETAIL PURCHASE 215015119851 KENT AMHERST", "KENT AMHERST", "pos"),
        ("TIM HORTONS #2345 TORONTO ON", "TIM HORTONS", ""),
        ("CHECKCARD 0412 SQ *BLUE BOTTLE COFFEE OAKLAND CA", "BLUE BOTTLE COFFEE", "pos"),
        (
            "PURCHASE AUTHORIZED ON 04/12 TRADER JOE'S #552 SEATTLE WA S385102345 CARD 1234",
            "TRADER JOES",
            "pos",
        ),
        ("ACHAT INTERAC - IGA #8123", "IGA", "pos"),
        ("PAIEMENT FACTURE - HYDRO-QUÉBEC", "HYDRO QUEBEC", "bill"),
        ("PREAUTHORIZED DEBIT ROGERS", "ROGERS", "preauth"),
        ("APPLE.COM/BILL 866-712-7753 ON", "APPLE BILL", ""),
        ("POS W/D SHELL C01234 CALGARY AB", "SHELL", "pos"),
        ("DEP. DIRECT GOUV. CANADA AE", "GOUV CANADA AE", "deposit"),
        # Quebec's debit card prefixes: "VISA" here names the card network, not a credit card payment.
        ("ACHAT VISA DEBIT FONDATION CHU SAINTE-JUSTINE", "FONDATION CHU SAINTE JUSTINE", "pos"),
        ("ACHAT - DEBIT POULET FRIT KENTUCKY", "POULET FRIT KENTUCKY", "pos"),
        ("VISA DEBIT SHELL C01234", "SHELL", "pos"),
    ],
)
def test_normalize_strips_channels_numbers_and_places(description: str, core: str, channel: str) -> None:
    n = normalize(description)
    assert (n.core, n.channel) == (core, channel)


def test_normalize_reads_structured_ach_lines() -> None:
    assert (
        normalize("ACME INC DES:PAYROLL ID:XXXXX12345 INDN:DOE JOHN CO ID:XXXXX PPD").text
        == "ACME INC PAYROLL"
    )
    chase = "ORIG CO NAME:GLOBEX LLC ORIG ID:123 DESC DATE:250412 CO ENTRY DESCR:PAYROLL SEC:PPD TRACE#:0210"
    assert normalize(chase).text == "GLOBEX LLC PAYROLL"


# -- rule families ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "description", "amount", "credit", "sub", "rule"),
    [
        (CA, "NSF FEE", 48, False, categories.NSF_FEE, "fee.nsf"),
        (US, "NSF RETURNED ITEM FEE", 35, False, categories.NSF_FEE, "fee.nsf"),
        (CA, "FRAIS EFFET RETOURNE", 45, False, categories.NSF_FEE, "fee.nsf"),
        (US, "OVERDRAFT ITEM FEE", 34, False, categories.OVERDRAFT_FEE, "fee.overdraft"),
        (CA, "MONTHLY ACCOUNT FEE", 16.95, False, categories.SERVICE_CHARGE, "fee.service_charge"),
        (CA, "FRAIS D'ADMINISTRATION", 4, False, categories.SERVICE_CHARGE, "fee.service_charge"),
        (CA, "NON-TD ATM FEE", 3, False, categories.ATM_FEE, "fee.atm"),
        (
            US,
            "FOREIGN TRANSACTION FEE",
            1.2,
            False,
            categories.FOREIGN_TRANSACTION_FEE,
            "fee.foreign_transaction",
        ),
        (US, "STOP PAYMENT FEE", 30, False, categories.STOP_PAYMENT_FEE, "fee.stop_payment"),
        (CA, "INTEREST CHARGES - PURCHASES", 21, False, categories.INTEREST_CHARGE, "fee.interest"),
        (US, "OVERDRAFT FEE REVERSAL", 35, True, categories.BALANCE_ADJUSTMENT, "adjustment.fee_reversal"),
        (CA, "RETURNED ITEM - HYDRO ONE", 143, True, categories.RETURNED_PAYMENT, "transfer.returned"),
        (US, "ACH RETURN NSF GEICO", 120, True, categories.RETURNED_PAYMENT, "transfer.returned"),
        (CA, "CANADA CCB", 482, True, categories.CHILD_BENEFITS, "income.government.child_benefits"),
        (
            CA,
            "FED GOV'T/GOUV FED CCB/ACE",
            482,
            True,
            categories.CHILD_BENEFITS,
            "income.government.child_benefits",
        ),
        (
            CA,
            "EI CANADA",
            612,
            True,
            categories.EMPLOYMENT_INSURANCE,
            "income.government.employment_insurance",
        ),
        (
            CA,
            "CANADA CPP/RPC",
            900,
            True,
            categories.GOVERNMENT_PENSION,
            "income.government.government_pension",
        ),
        (
            CA,
            "OAS/SV CANADA",
            713,
            True,
            categories.GOVERNMENT_PENSION,
            "income.government.government_pension",
        ),
        (
            CA,
            "GST CANADA",
            87,
            True,
            categories.TAX_REFUNDS_AND_CREDITS,
            "income.government.tax_refunds_and_credits",
        ),
        (CA, "ONTARIO WORKS", 733, True, categories.SOCIAL_ASSISTANCE, "income.government.social_assistance"),
        (
            CA,
            "WSIB BENEFIT",
            945,
            True,
            categories.WORKERS_COMPENSATION,
            "income.government.workers_compensation",
        ),
        (
            US,
            "SSA TREAS 310 XXSOC SEC",
            1543,
            True,
            categories.GOVERNMENT_PENSION,
            "income.government.government_pension",
        ),
        (
            US,
            "SSI TREAS 310 XXSUPP SEC",
            943,
            True,
            categories.DISABILITY_BENEFITS,
            "income.government.disability_benefits",
        ),
        (
            US,
            "IRS TREAS 310 TAX REF",
            1210,
            True,
            categories.TAX_REFUNDS_AND_CREDITS,
            "income.government.tax_refunds_and_credits",
        ),
        (
            US,
            "NYS DOL UI DD",
            450,
            True,
            categories.UNEMPLOYMENT_BENEFITS,
            "income.government.unemployment_benefits",
        ),
        (
            US,
            "VACP TREAS 310 XXVA BENEF",
            1734,
            True,
            categories.VETERANS_BENEFITS,
            "income.government.veterans_benefits",
        ),
        (
            CA,
            "INTERAC E-TRANSFER AUTODEPOSIT FROM SARAH LEE",
            50,
            True,
            categories.PERSON_TO_PERSON,
            "p2p.etransfer",
        ),
        (US, "ZELLE PAYMENT TO JOHN SMITH", 45, False, categories.PERSON_TO_PERSON, "p2p.zelle"),
        (US, "VENMO PAYMENT 1023456789", 20, False, categories.PERSON_TO_PERSON, "p2p.venmo"),
        (US, "CASH APP*JOHN SMITH", 35, False, categories.PERSON_TO_PERSON, "p2p.cash_app"),
        (CA, "PAYROLL DEP ACME CORP", 2150, True, categories.EMPLOYMENT_INCOME, "income.payroll"),
        (CA, "INTEREST PAID", 1.34, True, categories.INTEREST_INCOME, "income.interest"),
        (US, "VANGUARD DIVIDEND", 24, True, categories.INVESTMENT_INCOME, "income.dividend"),
        (CA, "OMERS PENSION", 1120, True, categories.RETIREMENT_INCOME, "income.pension"),
        (CA, "TRANSFER TO SAVINGS", 100, False, categories.INTERNAL_TRANSFER, "transfer.internal"),
        (CA, "TFSA CONTRIBUTION", 500, False, categories.INVESTMENT_TRANSFER, "transfer.investment"),
        (US, "WIRE TRANSFER IN FED REF 20250412", 2500, True, categories.WIRE_TRANSFER, "transfer.wire"),
        (
            US,
            "ATM WITHDRAWAL 001234 5TH AVE NEW YORK NY",
            200,
            False,
            categories.CASH_WITHDRAWAL,
            "transfer.cash_withdrawal",
        ),
        (
            CA,
            "RETRAIT GAB CAISSE DESJARDINS",
            60,
            False,
            categories.CASH_WITHDRAWAL,
            "transfer.cash_withdrawal",
        ),
        (CA, "MOBILE CHEQUE DEPOSIT", 250, True, categories.CHEQUE_DEPOSIT, "transfer.cheque_deposit"),
        (
            US,
            "MOBILE DEPOSIT : REF NUMBER :712345678",
            350,
            True,
            categories.CHECK_DEPOSIT,
            "transfer.cheque_deposit",
        ),
        (CA, "PAYMENT - THANK YOU", 800, True, categories.CREDIT_CARD_PAYMENT, "loan.credit_card"),
        (
            CA,
            "PAYMENT TO LINE OF CREDIT",
            500,
            False,
            categories.LINE_OF_CREDIT_PAYMENT,
            "loan.line_of_credit",
        ),
        (CA, "LOC ADVANCE", 1000, True, categories.LOAN_DEPOSIT, "loan.line_of_credit_advance"),
        (CA, "MCAP SERVICE CORP MTG", 1412, False, categories.MORTGAGE_PAYMENT, "dict.mortgage_payment"),
        (US, "GM FINANCIAL PYMT", 412, False, categories.AUTO_LOAN_PAYMENT, "dict.auto_loan_payment"),
        (CA, "NSLSC LOAN PAYMENT", 210, False, categories.STUDENT_LOAN_PAYMENT, "dict.student_loan_payment"),
        (CA, "MONEY MART FIN SVCS", 168, False, categories.MICRO_LOAN_PAYMENT, "dict.micro_loan_payment"),
        (CA, "CASH MONEY LOAN DEPOSIT", 500, True, categories.MICRO_LOAN_DEPOSIT, "dict.micro_loan_deposit"),
        (
            US,
            "AFFIRM INC. DES:AFFIRM PAY ID:123",
            52,
            False,
            categories.BUY_NOW_PAY_LATER,
            "dict.buy_now_pay_later",
        ),
        (CA, "LOBLAWS #1023 TORONTO ON", 54, False, "Groceries", "dict.groceries"),
        (US, "SHELL OIL 57444012345 HOUSTON TX", 52, False, "Fuel", "dict.fuel"),
        (CA, "PRESTO FARE/TTC", 3.3, False, "Public Transit", "dict.public_transit"),
        (CA, "HYDRO ONE NETWORKS", 143, False, "Electricity", "dict.electricity"),
        (CA, "INTACT INSURANCE PAD", 142, False, "Auto Insurance", "dict.auto_insurance"),
        (CA, "OLG PLAYOLG.CA", 20, False, categories.GAMBLING, "dict.gambling"),
        (CA, "CLINIQUE DENTAIRE ROSEMONT", 180, False, "Dental", "keyword.dental"),
        (US, "TST* JOE'S DINER BROOKLYN NY", 46, False, "Restaurants", "keyword.restaurants"),
        (US, "CHECK 1042", 300, False, "Other Transfer", "transfer.cheque"),
        (CA, "XQZW 4411 UNREADABLE", 12, False, categories.UNCATEGORIZED, "fallback.uncategorized"),
    ],
)
def test_rule_families(
    country: Country, description: str, amount: float, credit: bool, sub: str, rule: str
) -> None:
    got = one(country, description, amount, credit=credit)
    assert (got.subcategory, got.rule) == (sub, rule)
    assert got.category == categories.primary_of(country, sub)


def test_counterparties_are_canonical_names_or_the_employer_named() -> None:
    assert one(CA, "TIM HORTONS #2468 OAKVILLE ON").counterparty == "Tim Hortons"
    assert one(CA, "MONEY MART FIN SVCS").counterparty == "Money Mart"
    assert one(CA, "CRA (REVENUE) TAX PAYMENT", 600).counterparty == "Canada Revenue Agency"
    assert one(CA, "PAYROLL - ACME CORP Paycheck", 1500, credit=True).counterparty == "Acme Corp"
    assert one(CA, "ACME CORP PAY", 1500, credit=True).counterparty == "Acme Corp"
    assert one(US, "DIRECT DEP ACME INC", 1500, credit=True).counterparty == "Acme Inc"
    assert one(CA, "PAIE ACME INC", 1500, credit=True).counterparty == "Acme Inc"


# -- direction --------------------------------------------------------------------------------------------


def test_direction_decides_between_purchase_refund_payment_and_deposit() -> None:
    assert one(CA, "UBER CANADA/UBERTRIP").subcategory == "Ride Share"
    assert one(CA, "UBER CANADA/UBEREATS").subcategory == "Food Delivery"
    assert one(US, "UBER *EATS").subcategory == "Food Delivery"
    refund = one(CA, "Point of Sale - INTERAC MDSE RETURN 1234 KENT AMHERST", 34.99, credit=True)
    assert (refund.category, refund.subcategory) == (categories.TRANSFERS, categories.BALANCE_ADJUSTMENT)
    assert refund.counterparty == "Kent Building Supplies"
    assert one(US, "BEST BUY #938 DALLAS TX", 120, credit=True).subcategory == categories.BALANCE_ADJUSTMENT
    assert one(US, "SPEEDY CASH ACH", 80).subcategory == categories.MICRO_LOAN_PAYMENT
    assert one(US, "SPEEDY CASH ACH", 300, credit=True).subcategory == categories.MICRO_LOAN_DEPOSIT
    assert one(CA, "CRA TAX PAYMENT", 600).subcategory == "Tax Payment"
    assert one(CA, "ADP CANADA PAYROLL", 2000, credit=True).subcategory == categories.EMPLOYMENT_INCOME
    assert one(US, "ADP PAYROLL FEES", 100).subcategory == "Payroll Services"


def test_country_spellings_follow_the_tree() -> None:
    assert one(CA, "MOBILE DEPOSIT", 100, credit=True).subcategory == categories.CHEQUE_DEPOSIT
    assert one(US, "MOBILE DEPOSIT", 100, credit=True).subcategory == categories.CHECK_DEPOSIT


# -- French -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "credit", "sub"),
    [
        ("DEP. DIRECT GOUV. CANADA AE", True, categories.EMPLOYMENT_INSURANCE),
        ("Dépôt direct - Allocation canadienne pour enfants", True, categories.CHILD_BENEFITS),
        ("REMBOURSEMENT D'IMPÔT REVENU QUÉBEC", True, categories.TAX_REFUNDS_AND_CREDITS),
        ("DEP. DIRECT - PAIE ACME INC", True, categories.EMPLOYMENT_INCOME),
        ("Virement Interac reçu - MARIE ROY", True, categories.PERSON_TO_PERSON),
        ("VIREMENT ENTRE COMPTES", False, categories.INTERNAL_TRANSFER),
        ("PAIEMENT FACTURE - VIDÉOTRON LTÉE", False, "Internet and Cable"),
        ("ACHAT INTERAC - PHARMAPRIX #0123", False, "Pharmacy"),
        ("FRAIS MENSUELS DU FORFAIT", False, categories.SERVICE_CHARGE),
        ("RETRAIT GAB", False, categories.CASH_WITHDRAWAL),
        ("HYPOTHÈQUE DESJARDINS", False, categories.MORTGAGE_PAYMENT),
        ("LOYER - GESTION IMMOBILIÈRE LAVOIE", False, "Rent"),
    ],
)
def test_french_wording(description: str, credit: bool, sub: str) -> None:
    assert one(CA, description, 100, credit=credit).subcategory == sub


# -- recurrence -------------------------------------------------------------------------------------------


def test_a_steady_biweekly_credit_from_an_unknown_payer_is_pay() -> None:
    start = date(2025, 1, 3)
    pay = [
        txn("GLOBEX HOLDINGS", 1800 + i * 3, credit=True, day=start + timedelta(days=14 * i), i=i)
        for i in range(5)
    ]
    other = txn("GLOBEX HOLDINGS", 40, day=start, i=99)
    got = categorize(US, [*pay, other])
    assert {a.rule for a in got[:5]} == {"recurrence.employer"}
    assert got[0].subcategory == categories.EMPLOYMENT_INCOME and got[0].counterparty == "Globex Holdings"
    assert got[5].rule == "fallback.uncategorized"  # the debit is not part of the credit group


def test_irregular_or_single_unknown_credits_stay_uncategorized() -> None:
    days = [date(2025, 1, 3), date(2025, 1, 5), date(2025, 3, 30)]
    got = categorize(US, [txn("GLOBEX HOLDINGS", 500, credit=True, day=d, i=i) for i, d in enumerate(days)])
    assert {a.rule for a in got} == {"fallback.uncategorized"}


def test_a_monthly_same_amount_debit_to_an_unknown_payee_is_named_but_not_guessed() -> None:
    days = [date(2025, m, 15) for m in range(1, 5)]
    got = categorize(CA, [txn("QWZ HOLDINGS 7731", 899.0, day=d, i=i) for i, d in enumerate(days)])
    assert {a.rule for a in got} == {"recurrence.unknown_debit"}
    assert got[0].category == categories.UNCATEGORIZED and got[0].counterparty == "QWZ Holdings"


# -- tree membership, order, purity -----------------------------------------------------------------------


def test_every_dictionary_subcategory_belongs_to_both_trees() -> None:
    for country in Country:
        for entry in entries(country):
            for sub in (entry.debit, entry.credit):
                spelled = (
                    {
                        categories.CHEQUE_DEPOSIT: categories.CHECK_DEPOSIT,
                        categories.EMPLOYMENT_INSURANCE: categories.UNEMPLOYMENT_BENEFITS,
                    }.get(sub, sub)
                    if country is US
                    else sub
                )
                categories.primary_of(country, spelled)


def test_every_answer_is_in_the_tree_and_order_is_kept() -> None:
    descriptions = [
        "NSF FEE", "CANADA CCB", "SSA TREAS 310 XXSOC SEC", "NYS DOL UI DD", "EI CANADA", "MOBILE DEPOSIT",
        "LOBLAWS", "KROGER", "PAYMENT - THANK YOU", "ZZZ", "RETURNED ITEM", "OAS/SV CANADA", "REFUND AMAZON",
    ]  # fmt: skip
    for country in Country:
        batch = [txn(d, 10 + i, credit=i % 2 == 0, i=i) for i, d in enumerate(descriptions)]
        got = categorize(country, batch)
        assert len(got) == len(batch)
        for t, a in zip(batch, got, strict=True):
            assert categories.primary_of(country, a.subcategory) == a.category
            assert a == categorize_one(country, t) or a.rule.startswith("recurrence.")
        assert categorize(country, batch) == got  # deterministic
    assert categorize(CA, []) == []


# -- the sandbox bank -------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", list(Country))
def test_the_sandbox_banks_descriptions_are_all_recognized(country: Country) -> None:
    today = date(2025, 6, 30)
    for user in ("greatday", "alice", "benoit", "chen"):
        profile = generate_profile(user, country, today)
        txns = [
            Txn(t.id, a.id, t.date, t.description, t.debit_cents, t.credit_cents, t.balance_cents)
            for a in profile.accounts
            for t in a.transactions
        ]
        got = categorize(country, txns)
        unknown = sorted(
            {t.description for t, a in zip(txns, got, strict=True) if a.category == "Uncategorized"}
        )
        assert not unknown, unknown
        for t, a in zip(txns, got, strict=True):
            if t.description == activity.NSF_FEE:
                assert a.subcategory == categories.NSF_FEE
            if t.description.startswith(activity.PAYROLL.split("{")[0]):
                assert a.subcategory == categories.EMPLOYMENT_INCOME and a.counterparty


@pytest.mark.parametrize("tables", [merchants.CA_TABLES, merchants.QC_TABLES, merchants.US_TABLES])
def test_the_sandbox_merchant_tables_name_known_counterparties(tables: merchants.Tables) -> None:
    country = US if tables is merchants.US_TABLES else CA
    expected = {
        "grocers": "Food and Dining", "restaurants": "Food and Dining", "gas_stations": "Transportation",
        "pharmacies": "Health", "internet": "Utilities", "mobile": "Utilities", "insurers": "Insurance",
    }  # fmt: skip
    for field, primary in expected.items():
        for name in getattr(tables, field):
            got = one(country, f"{name.upper()} #0412 TORONTO ON")
            assert got.rule.startswith("dict."), (name, got)
            if name not in ("Walmart Supercentre", "Walmart Supercenter"):  # general merchandise
                assert got.category == primary, (name, got)
    for name in (*tables.shops, *tables.online, *tables.transit, *(s for s, _ in tables.subscriptions)):
        assert one(country, name.upper()).category != categories.UNCATEGORIZED, name
    for name in tables.lenders:
        assert one(country, f"MORTGAGE PAYMENT - {name}", 1500).subcategory == categories.MORTGAGE_PAYMENT
    for name in tables.landlords:
        assert one(country, f"RENT - {name}", 1500).subcategory == "Rent"
    for region, name in merchants.ELECTRICITY.items():
        if (region in PROVINCES) == (country is CA):
            assert one(country, f"BILL PAYMENT - {name}", 90).subcategory == "Electricity", name
