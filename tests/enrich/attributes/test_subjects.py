"""Subjects name only categories and sub-categories that the category trees have."""

from __future__ import annotations

from finstance.core.country import Country
from finstance.enrich import categories as c
from finstance.enrich.attributes import subjects
from finstance.enrich.attributes.subjects import Subject


def _all_subjects() -> list[Subject]:
    return [v for v in vars(subjects).values() if isinstance(v, Subject)]


def test_subjects_name_real_categories_and_sub_categories() -> None:
    known_subs = c.subcategories(Country.CA) | c.subcategories(Country.US)
    known_primary = {category.name for country in Country for category in c.tree(country)}
    found = _all_subjects()
    assert len(found) > 60
    for subject in found:
        assert (subject.subcategories or frozenset()) <= known_subs, subject.key
        assert subject.excluded <= known_subs, subject.key
        assert (subject.categories or frozenset()) <= known_primary, subject.key
        assert subject.excluded_categories <= known_primary, subject.key
    assert len({s.key for s in found}) == len(found)


def test_membership_follows_side_and_exclusions() -> None:
    assert subjects.EMPLOYER_INCOME.matches(c.INCOME, c.EMPLOYMENT_INCOME, credit=True)
    assert not subjects.EMPLOYER_INCOME.matches(c.INCOME, c.EMPLOYMENT_INCOME, credit=False)
    assert subjects.SPENDING.matches(c.FOOD, "Groceries", credit=False)
    assert not subjects.SPENDING.matches(c.LOANS, c.CREDIT_CARD_PAYMENT, credit=False)
    assert not subjects.SPENDING.matches(c.TRANSFERS, c.INTERNAL_TRANSFER, credit=False)
    assert subjects.TOTAL_DEBITS.matches(c.TRANSFERS, c.INTERNAL_TRANSFER, credit=False)
    assert not subjects.LOAN_PAYMENTS.matches(c.LOANS, c.CREDIT_CARD_PAYMENT, credit=False)
    assert not subjects.LOAN_PAYMENTS.matches(c.LOANS, c.LOAN_DEPOSIT, credit=True)
    assert subjects.BANK_FEES.matches(c.BANK_FEES, c.NSF_FEE, credit=False)
    assert not subjects.BUSINESS_EXPENSES.matches(c.LOANS, c.PERSONAL_LOAN_PAYMENT, credit=False)
    assert subjects.BUSINESS_EXPENSES.matches(c.BUSINESS, "Payroll Services", credit=False)
    assert subjects.STOP_PAYMENT.matches(c.TRANSFERS, c.STOP_PAYMENT, credit=True)
    assert subjects.STOP_PAYMENT.matches(c.BANK_FEES, c.STOP_PAYMENT_FEE, credit=False)
