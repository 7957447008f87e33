"""The category tree of each country: one table that serves ``GET /BankingServices/Categories/{CA|US}`` and
is the categorizer's whole label set.

Spellings follow Flinks' own API samples ("Food and Dining", "Transfers and Adjustments"). The two trees share
every primary category; they differ where the countries' money differs: government income (EI, CPP, OAS, CCB
and the GST/HST credit in Canada; Social Security, unemployment and IRS refunds in the U.S.) and the names of
person-to-person transfers (Interac e-Transfer; Zelle, Venmo, Cash App).

A sub-category is named once per country: :func:`primary_of` finds its primary category from its name alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from finstance.core.country import Country


@dataclass(frozen=True, slots=True)
class SubCategory:
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    description: str
    subcategories: tuple[SubCategory, ...]


def _c(name: str, description: str, *subs: tuple[str, str]) -> Category:
    return Category(name, description, tuple(SubCategory(n, d) for n, d in subs))


# Primary category names, for the code that tests membership (attributes, rules).
INCOME = "Income"
LOANS = "Loans"
BANK_FEES = "Bank Fees"
TRANSFERS = "Transfers and Adjustments"
FOOD = "Food and Dining"
SHOPPING = "Shopping"
TRANSPORTATION = "Transportation"
TRAVEL = "Travel"
UTILITIES = "Utilities"
HOME = "Home"
INSURANCE = "Insurance"
HEALTH = "Health"
ENTERTAINMENT = "Entertainment"
EDUCATION = "Education"
PERSONAL_CARE = "Personal Care"
TAXES = "Government and Taxes"
GIFTS = "Gifts and Donations"
CHILDREN = "Children"
BUSINESS = "Business Services"
UNCATEGORIZED = "Uncategorized"

# Sub-category names that other modules test for (the attribute engine, the categorizer's rules).
EMPLOYMENT_INCOME = "Employment Income"
EMPLOYMENT_INSURANCE = "Employment Insurance"  # CA: EI / AE
UNEMPLOYMENT_BENEFITS = "Unemployment Benefits"  # US: state unemployment insurance
GOVERNMENT_PENSION = "Government Pension"  # CA: CPP/QPP, OAS/GIS; US: Social Security retirement
RETIREMENT_INCOME = "Retirement Income"  # private pensions, annuities, RRIF/IRA withdrawals
CHILD_BENEFITS = "Child Benefits"  # CA: CCB and provincial family allowances
TAX_REFUNDS_AND_CREDITS = "Tax Refunds and Credits"  # CRA refunds, GST/HST credit, carbon rebate; IRS refunds
SOCIAL_ASSISTANCE = "Social Assistance"  # Ontario Works, aide sociale; SNAP/TANF
DISABILITY_BENEFITS = "Disability Benefits"  # ODSP, CPP-D, AISH; SSDI/SSI
WORKERS_COMPENSATION = "Workers Compensation"  # WSIB, CNESST, WorkSafeBC; state workers' comp
VETERANS_BENEFITS = "Veterans Benefits"
CHILD_SUPPORT = "Child Support"  # paid by the other parent or a government programme collecting it
INVESTMENT_INCOME = "Investment Income"
INTEREST_INCOME = "Interest Income"
RENTAL_INCOME = "Rental Income"
OTHER_INCOME = "Other Income"

MORTGAGE_PAYMENT = "Mortgage Payment"
AUTO_LOAN_PAYMENT = "Auto Loan Payment"
STUDENT_LOAN_PAYMENT = "Student Loan Payment"
PERSONAL_LOAN_PAYMENT = "Personal Loan Payment"
MICRO_LOAN_PAYMENT = "Micro Loan Payment"
LINE_OF_CREDIT_PAYMENT = "Line of Credit Payment"
CREDIT_CARD_PAYMENT = "Credit Card Payment"
BUY_NOW_PAY_LATER = "Buy Now Pay Later"
LOAN_DEPOSIT = "Loan Deposit"
MICRO_LOAN_DEPOSIT = "Micro Loan Deposit"

NSF_FEE = "NSF Fee"
OVERDRAFT_FEE = "Overdraft Fee"
SERVICE_CHARGE = "Service Charge"
ATM_FEE = "ATM Fee"
INTEREST_CHARGE = "Interest Charge"
STOP_PAYMENT_FEE = "Stop Payment Fee"
FOREIGN_TRANSACTION_FEE = "Foreign Transaction Fee"

INTERNAL_TRANSFER = "Internal Transfer"
PERSON_TO_PERSON = "Person-to-Person Transfer"
WIRE_TRANSFER = "Wire Transfer"
INVESTMENT_TRANSFER = "Investment Transfer"
CASH_DEPOSIT = "Cash Deposit"
CHEQUE_DEPOSIT = "Cheque Deposit"  # CA spelling
CHECK_DEPOSIT = "Check Deposit"  # US spelling
CASH_WITHDRAWAL = "Cash Withdrawal"
BALANCE_ADJUSTMENT = "Balance Adjustment"  # refunds, merchandise returns, corrections
RETURNED_PAYMENT = "Returned Payment"  # a debit returned unpaid (NSF reversal), or a returned deposit
STOP_PAYMENT = "Stop Payment"

GAMBLING = "Gambling"
TELECOM_SUBCATEGORIES = frozenset({"Mobile Phone", "Internet and Cable"})
UTILITY_SUBCATEGORIES = frozenset({"Electricity", "Natural Gas and Heating", "Water"})


def _income(country: Country) -> Category:
    ca = country is Country.CA
    subs: list[tuple[str, str]] = [
        (EMPLOYMENT_INCOME, "Pay from an employer: payroll deposits, direct deposits of wages and salary."),
    ]
    if ca:
        subs += [
            (EMPLOYMENT_INSURANCE, "Employment Insurance (EI / AE) benefits from the Government of Canada."),
            (GOVERNMENT_PENSION, "Canada Pension Plan, Quebec Pension Plan (RRQ), Old Age Security and GIS."),
            (CHILD_BENEFITS, "Canada Child Benefit (CCB / ACE) and provincial family allowances."),
            (
                TAX_REFUNDS_AND_CREDITS,
                "Income tax refunds (CRA, Revenu Quebec), the GST/HST credit, the Canada Carbon Rebate.",
            ),
            (
                SOCIAL_ASSISTANCE,
                "Provincial social assistance: Ontario Works, aide sociale, income assistance.",
            ),
            (DISABILITY_BENEFITS, "Disability support: ODSP, AISH, CPP disability benefits."),
            (WORKERS_COMPENSATION, "Workers' compensation: WSIB, CNESST, WorkSafeBC, WCB."),
            (VETERANS_BENEFITS, "Veterans Affairs Canada benefits."),
        ]
    else:
        subs += [
            (UNEMPLOYMENT_BENEFITS, "State unemployment insurance benefits."),
            (GOVERNMENT_PENSION, "Social Security retirement and survivor benefits (SSA TREAS 310)."),
            (TAX_REFUNDS_AND_CREDITS, "IRS and state income tax refunds, child tax credit payments."),
            (SOCIAL_ASSISTANCE, "Public assistance: SNAP, TANF, state welfare programmes."),
            (DISABILITY_BENEFITS, "Disability benefits: SSDI, SSI, state disability insurance."),
            (WORKERS_COMPENSATION, "Workers' compensation benefits."),
            (VETERANS_BENEFITS, "Department of Veterans Affairs benefits (VA BENEFITS)."),
        ]
    subs += [
        (RETIREMENT_INCOME, "Private pensions, annuities and retirement-plan withdrawals."),
        (CHILD_SUPPORT, "Child or spousal support received."),
        (INVESTMENT_INCOME, "Dividends and distributions."),
        (INTEREST_INCOME, "Interest paid by the bank on a deposit account."),
        (RENTAL_INCOME, "Rent received from tenants."),
        (OTHER_INCOME, "Other money received: side income, gig platforms, rebates."),
    ]
    return _c(INCOME, "Money coming in from work, governments, pensions and investments.", *subs)


def _transfers(country: Country) -> Category:
    p2p = (
        "Interac e-Transfers and other person-to-person payments, sent or received."
        if country is Country.CA
        else "Zelle, Venmo, Cash App, PayPal and other person-to-person payments, sent or received."
    )
    cheque = CHEQUE_DEPOSIT if country is Country.CA else CHECK_DEPOSIT
    return _c(
        TRANSFERS,
        "Money moved between accounts and people, deposits and withdrawals of cash, and corrections.",
        (INTERNAL_TRANSFER, "Between the end-user's own accounts at the same institution."),
        (PERSON_TO_PERSON, p2p),
        (WIRE_TRANSFER, "Wire transfers, sent or received."),
        (INVESTMENT_TRANSFER, "To or from a brokerage or investment account."),
        (CASH_DEPOSIT, "Cash deposited at a branch or ATM."),
        (cheque, "A cheque deposited, at a branch, an ATM or by mobile deposit."),
        (CASH_WITHDRAWAL, "Cash withdrawn at an ATM or a branch."),
        (BALANCE_ADJUSTMENT, "Refunds, merchandise returns, reversals and corrections."),
        (RETURNED_PAYMENT, "A payment returned unpaid (NSF, stopped or refused)."),
        (STOP_PAYMENT, "A payment stopped at the end-user's request."),
        ("Other Transfer", "Transfers whose purpose the description does not show."),
    )


def _common() -> tuple[Category, ...]:
    return (
        _c(
            LOANS,
            "Borrowing: loan payments, loan deposits and credit card payments.",
            (MORTGAGE_PAYMENT, "Mortgage payments to a bank or mortgage lender."),
            (AUTO_LOAN_PAYMENT, "Car loan and lease payments."),
            (STUDENT_LOAN_PAYMENT, "Student loan repayments (NSLSC, Sallie Mae, Navient, ...)."),
            (PERSONAL_LOAN_PAYMENT, "Instalment loans from banks and consumer lenders."),
            (MICRO_LOAN_PAYMENT, "Payday and short-term loan repayments."),
            (LINE_OF_CREDIT_PAYMENT, "Payments to a line of credit."),
            (CREDIT_CARD_PAYMENT, "Payments to a credit card."),
            (
                BUY_NOW_PAY_LATER,
                "Instalments to buy-now-pay-later services (Affirm, Klarna, Afterpay, PayBright).",
            ),
            (LOAN_DEPOSIT, "Loan proceeds and line of credit advances received."),
            (MICRO_LOAN_DEPOSIT, "Payday and short-term loan proceeds received."),
        ),
        _c(
            BANK_FEES,
            "Fees and interest charged by the bank.",
            (NSF_FEE, "Non-sufficient funds fees for a returned item."),
            (OVERDRAFT_FEE, "Overdraft fees and overdraft interest."),
            (SERVICE_CHARGE, "Monthly account fees and per-transaction service charges."),
            (ATM_FEE, "Fees for using another bank's ATM."),
            (INTEREST_CHARGE, "Interest charged on a credit card or line of credit."),
            (STOP_PAYMENT_FEE, "Fees for stopping a payment."),
            (FOREIGN_TRANSACTION_FEE, "Fees on purchases in a foreign currency."),
            ("Other Bank Fee", "Other fees charged by the bank (wire fees, cheque orders, ...)."),
        ),
        _c(
            FOOD,
            "Groceries, restaurants and everything eaten or drunk.",
            ("Groceries", "Supermarkets and grocers."),
            ("Restaurants", "Sit-down restaurants."),
            ("Fast Food", "Quick-service restaurants."),
            ("Coffee Shops", "Coffee shops and bakeries."),
            ("Food Delivery", "Meal delivery apps."),
            ("Alcohol and Bars", "Liquor stores, bars and pubs."),
        ),
        _c(
            SHOPPING,
            "Goods bought in stores and online.",
            ("General Merchandise", "Department stores, discount and warehouse stores."),
            ("Online Marketplaces", "Amazon, eBay and other online marketplaces."),
            ("Clothing", "Clothing, shoes and accessories."),
            ("Electronics", "Computers, phones and electronics."),
            ("Home Improvement", "Hardware and home improvement stores."),
            ("Pet Supplies", "Pet stores and veterinarians."),
            ("Other Shopping", "Other retail purchases."),
        ),
        _c(
            TRANSPORTATION,
            "Getting around: fuel, transit, ride sharing, parking and car upkeep.",
            ("Fuel", "Gas stations and EV charging."),
            ("Public Transit", "Buses, subways, commuter trains and transit passes."),
            ("Ride Share", "Uber, Lyft and taxis."),
            ("Parking and Tolls", "Parking and road tolls."),
            ("Auto Maintenance", "Car repairs, tires and maintenance."),
        ),
        _c(
            TRAVEL,
            "Trips: flights, hotels, car rentals.",
            ("Airlines", "Air travel."),
            ("Hotels", "Hotels and short-term rentals."),
            ("Car Rental", "Car rentals."),
            ("Other Travel", "Travel agencies, trains and cruises."),
        ),
        _c(
            UTILITIES,
            "Bills for utilities and telecom services.",
            ("Electricity", "Electric utilities."),
            ("Natural Gas and Heating", "Natural gas, heating oil and propane."),
            ("Water", "Water and sewer."),
            ("Internet and Cable", "Internet, cable and home phone."),
            ("Mobile Phone", "Mobile phone plans."),
        ),
        _c(
            HOME,
            "Housing costs other than the mortgage.",
            ("Rent", "Rent paid to a landlord or property manager."),
            ("Property Tax", "Municipal property taxes."),
            ("Condo Fees", "Condominium and homeowners' association fees."),
            ("Home Services", "Cleaning, security, moving and home services."),
            ("Furniture", "Furniture and home furnishings."),
        ),
        _c(
            INSURANCE,
            "Insurance premiums.",
            ("Auto Insurance", "Car insurance."),
            ("Home Insurance", "Home and tenant insurance."),
            ("Life Insurance", "Life insurance."),
            ("Health Insurance", "Health and dental insurance premiums."),
            ("Other Insurance", "Other insurance premiums."),
        ),
        _c(
            HEALTH,
            "Health care and fitness.",
            ("Pharmacy", "Pharmacies and drugstores."),
            ("Medical", "Doctors, clinics and hospitals."),
            ("Dental", "Dentists."),
            ("Vision", "Optometrists and eyewear."),
            ("Fitness", "Gyms and fitness classes."),
        ),
        _c(
            ENTERTAINMENT,
            "Leisure: streaming, events, games and gambling.",
            ("Streaming Services", "Video and music streaming subscriptions."),
            ("Movies and Events", "Cinemas, concerts, sports events and tickets."),
            ("Games", "Video games and game stores."),
            (GAMBLING, "Lotteries, casinos and betting."),
            ("Other Entertainment", "Other leisure spending."),
        ),
        _c(
            EDUCATION,
            "Tuition, courses and school supplies.",
            ("Tuition", "Universities, colleges and schools."),
            ("Books and Supplies", "Books and school supplies."),
        ),
        _c(
            PERSONAL_CARE,
            "Hair, beauty and personal services.",
            ("Hair and Beauty", "Hair salons, barbers and beauty shops."),
            ("Laundry and Dry Cleaning", "Laundromats and dry cleaners."),
        ),
        _c(
            TAXES,
            "Payments to governments.",
            ("Tax Payment", "Income tax and instalment payments."),
            ("Government Fees", "Licences, registrations, permits and fines."),
        ),
        _c(
            GIFTS,
            "Charitable donations and gifts.",
            ("Charity", "Donations to charities."),
        ),
        _c(
            CHILDREN,
            "Childcare and children's activities.",
            ("Childcare", "Daycare, babysitting and after-school care."),
            ("Child Support Paid", "Child or spousal support paid."),
        ),
        _c(
            BUSINESS,
            "Services bought by a business: software, advertising, shipping, payroll.",
            ("Software and Subscriptions", "Business software."),
            ("Advertising", "Advertising and marketing."),
            ("Shipping", "Couriers and postage."),
            ("Payroll Services", "Payroll paid out to employees and payroll providers' fees."),
            ("Merchant Services", "Card-processing deposits and fees."),
        ),
        _c(
            UNCATEGORIZED,
            "Transactions whose description does not say what they are.",
            ("Uncategorized", "Nothing in the description identifies the transaction."),
        ),
    )


@cache
def tree(country: Country) -> tuple[Category, ...]:
    """The country's category tree, in the order ``/Categories`` lists it."""
    common = _common()
    return (_income(country), common[0], common[1], _transfers(country), *common[2:])


@cache
def _index(country: Country) -> dict[str, str]:
    index: dict[str, str] = {}
    for category in tree(country):
        for sub in category.subcategories:
            if sub.name in index:
                raise ValueError(f"sub-category {sub.name!r} appears twice in the {country.value} tree")
            index[sub.name] = category.name
    return index


def primary_of(country: Country, subcategory: str) -> str:
    """The primary category a sub-category belongs to; KeyError if the country has no such sub-category."""
    return _index(country)[subcategory]


def subcategories(country: Country) -> frozenset[str]:
    return frozenset(_index(country))


def document(country: Country) -> list[dict[str, object]]:
    """The body of ``GET /BankingServices/Categories/{country}``."""
    return [
        {
            "PrimaryCategoryName": category.name,
            "Description": category.description,
            "SubCategories": [
                {"SubCategoryName": sub.name, "Description": sub.description}
                for sub in category.subcategories
            ],
        }
        for category in tree(country)
    ]
