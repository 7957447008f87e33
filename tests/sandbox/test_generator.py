"""Synthetic Flinks Capital profiles: determinism, ledger arithmetic, realism, statements."""

from __future__ import annotations

import io
import itertools
import re
import uuid
from datetime import date, timedelta
from functools import cache

import pytest
from pypdf import PdfReader

from finstance.core.country import Country
from finstance.core.profile import Account, BankProfile, Transaction
from finstance.sandbox import activity
from finstance.sandbox.generator import (
    _NAMESPACE,
    HISTORY_DAYS,
    INSTITUTION_NUMBER,
    generate_profile,
    uuid5_text,
)
from finstance.sandbox.institutions import FLINKS_CAPITAL_ROUTING_NUMBERS, aba_checksum_ok
from finstance.sandbox.pdf import money, render_statement

TODAY = date(2026, 1, 15)
USERS = ("greatday", "alice", "bob", "test_pending")


@cache
def profile(username: str, country: Country, today: date = TODAY, salt: str = "") -> BankProfile:
    return generate_profile(username, country, today, salt=salt)


def all_profiles() -> list[BankProfile]:
    return [profile(u, c) for u in USERS for c in Country]


def row(tx: Transaction) -> tuple[object, ...]:
    return (tx.id, tx.date, tx.description, tx.debit_cents, tx.credit_cents, tx.balance_cents)


def descriptions(account: Account) -> list[str]:
    return [t.description for t in account.transactions]


# --- determinism and stability ---------------------------------------------------------------------


def test_same_inputs_give_equal_profiles_with_byte_identical_pdfs() -> None:
    a = generate_profile("alice", Country.CA, TODAY, salt="s1")
    b = generate_profile("alice", Country.CA, TODAY, salt="s1")
    assert a == b
    assert [render_statement(a.holder, s) for acc in a.accounts for s in acc.statements] == [
        render_statement(b.holder, s) for acc in b.accounts for s in acc.statements
    ]


def test_username_is_case_insensitive() -> None:
    assert generate_profile("GreatDay", Country.CA, TODAY) == profile("greatday", Country.CA)


def test_different_users_salts_and_countries_get_different_data() -> None:
    base = profile("alice", Country.CA)
    others = [
        profile("bob", Country.CA),
        profile("alice", Country.CA, salt="other"),
        profile("alice", Country.US),
    ]
    for other in others:
        assert other.holder != base.holder
        assert {a.id for a in other.accounts}.isdisjoint(a.id for a in base.accounts)
        assert descriptions(other.accounts[2]) != descriptions(base.accounts[2])


@pytest.mark.parametrize("country", list(Country))
@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        (TODAY, date(2026, 3, 3)),
        (date(2025, 12, 31), date(2026, 1, 1)),
        (date(2024, 2, 29), date(2025, 1, 1)),
    ],
)
def test_refreshing_later_keeps_ids_amounts_and_balances_of_overlapping_days(
    country: Country, earlier: date, later: date
) -> None:
    first, second = profile("alice", country, earlier), profile("alice", country, later)
    overlap_start = later - timedelta(days=HISTORY_DAYS)
    for a, b in zip(first.accounts, second.accounts, strict=True):
        assert a.id == b.id
        old = [row(t) for t in a.transactions if t.date >= overlap_start]
        new = [row(t) for t in b.transactions if t.date <= earlier]
        assert old
        assert old == new


# --- ledger arithmetic -----------------------------------------------------------------------------


def test_running_balance_follows_every_transaction_of_every_account() -> None:
    for p in all_profiles():
        for position, account in enumerate(p.accounts):
            txs = account.transactions
            for prev, tx in itertools.pairwise(txs):
                moved = activity.effect(position, tx.debit_cents, tx.credit_cents)
                assert tx.balance_cents == prev.balance_cents + moved, (account.type, tx)
            assert account.balance_current_cents == txs[-1].balance_cents


def test_exactly_one_of_debit_and_credit_is_set_and_positive() -> None:
    for p in all_profiles():
        for account in p.accounts:
            for tx in account.transactions:
                assert (tx.debit_cents is None) != (tx.credit_cents is None), tx
                assert (tx.debit_cents or tx.credit_cents or 0) > 0, tx


def test_history_spans_400_days_oldest_first_and_stops_at_today() -> None:
    for p in all_profiles():
        for account in p.accounts:
            txs = account.transactions
            assert [t.seq for t in txs] == list(range(len(txs)))
            assert [t.date for t in txs] == sorted(t.date for t in txs)
            assert txs[0].date >= TODAY - timedelta(days=HISTORY_DAYS)
            assert txs[-1].date <= TODAY
        chequing = p.accounts[0].transactions
        assert (chequing[-1].date - chequing[0].date).days >= 365


def test_transaction_ids_are_unique_guids() -> None:
    ids = [t.id for p in all_profiles() for a in p.accounts for t in a.transactions]
    assert len(ids) == len(set(ids))
    assert all(str(uuid.UUID(i)) == i for i in ids)


# --- realism ---------------------------------------------------------------------------------------


def test_every_kind_of_activity_appears_for_every_user() -> None:
    for p in all_profiles():
        chequing, savings, card, loc = (descriptions(a) for a in p.accounts)
        assert any(d.startswith("PAYROLL - ") and d.endswith(" Paycheck") for d in chequing)
        assert any(d.startswith(("RENT - ", "MORTGAGE PAYMENT - ")) for d in chequing)
        assert any(d.startswith("BILL PAYMENT - ") for d in chequing)  # electricity, internet, phone
        assert activity.CARD_PAYMENT in chequing
        assert activity.CARD_PAYMENT_RECEIVED in card
        assert any(d.startswith("TRANSFER TO SAVINGS") for d in chequing)
        assert any(d.startswith("TRANSFER FROM CHEQUING") for d in savings)
        assert activity.NSF_FEE in chequing
        assert any(d.startswith(activity.REFUND) for d in card)
        assert activity.INTEREST_PAID in savings
        assert activity.CARD_INTEREST in card
        assert activity.LOC_INTEREST in loc


def test_card_payments_from_chequing_match_credits_on_the_card() -> None:
    for p in all_profiles():
        chequing, _, card, _ = p.accounts
        paid = [
            (t.date, t.debit_cents) for t in chequing.transactions if t.description == activity.CARD_PAYMENT
        ]
        received = [
            (t.date, t.credit_cents)
            for t in card.transactions
            if t.description == activity.CARD_PAYMENT_RECEIVED
        ]
        assert paid
        assert paid == received


def test_transfers_between_chequing_and_savings_balance_out() -> None:
    for p in all_profiles():
        chequing, savings, _, _ = p.accounts
        out = sorted(
            (t.date, t.debit_cents)
            for t in chequing.transactions
            if t.description.startswith("TRANSFER TO SAVINGS")
        )
        into = sorted(
            (t.date, t.credit_cents)
            for t in savings.transactions
            if t.description.startswith("TRANSFER FROM CHEQUING")
        )
        assert out == into


def test_nsf_fee_follows_an_item_returned_beyond_the_overdraft_limit() -> None:
    for p in all_profiles():
        chequing = p.accounts[0]
        txs = chequing.transactions
        fees = [i for i, t in enumerate(txs) if t.description == activity.NSF_FEE]
        assert fees
        for i in fees:
            bounced, returned = txs[i - 2], txs[i - 1]
            assert returned.description.startswith(activity.RETURNED_ITEM)
            assert returned.credit_cents == bounced.debit_cents
            assert bounced.balance_cents < -(chequing.overdraft_limit_cents or 0)


TOPPED, DRAWN = activity.FROM_SAVINGS + activity.SWEEP, activity.TO_CHEQUING + activity.SWEEP


@pytest.mark.parametrize("username", ["Happy1", "Happy2", "Happy3", "Unhappy1"])
def test_pay_test_users_end_every_day_with_a_funded_chequing_account_whatever_the_login(
    username: str,
) -> None:
    """A Pay session's outcome for its test users is their name's: no login of theirs (the salt) and no day
    leaves chequing short of a sandbox payment, where a user of the same lifestyle would bounce items."""
    for salt in (str(uuid.UUID(int=n)) for n in range(12)):
        p = profile(username, Country.CA, TODAY, salt)
        chequing, savings = p.accounts[0], p.accounts[1]
        end_of_day = {t.date: t.balance_cents for t in chequing.transactions}
        assert min(end_of_day.values()) >= activity.STEADY_FLOOR_CENTS
        assert activity.NSF_FEE not in descriptions(chequing)
        topped = [(t.date, t.credit_cents) for t in chequing.transactions if t.description == TOPPED]
        drawn = [(t.date, t.debit_cents) for t in savings.transactions if t.description == DRAWN]
        assert topped == drawn  # each top-up comes out of savings


def test_accounts_are_chequing_savings_card_and_line_of_credit() -> None:
    for p in all_profiles():
        kinds = [(a.category, a.type, a.account_type) for a in p.accounts]
        assert kinds == [
            ("Operations", "Chequing", "Personal"),
            ("Operations", "Savings", "Personal"),
            ("Credits", "CreditCard", "Personal"),
            ("Credits", "LineOfCredit", "Personal"),
        ]
        assert len({a.id for a in p.accounts}) == 4


def test_available_balance_adds_overdraft_on_chequing_and_is_limit_minus_owed_on_credit() -> None:
    for p in all_profiles():
        chequing, savings, card, loc = p.accounts
        assert chequing.overdraft_limit_cents is not None
        assert (
            chequing.balance_available_cents
            == chequing.balance_current_cents + chequing.overdraft_limit_cents
        )
        assert savings.balance_available_cents == savings.balance_current_cents
        for credit in (card, loc):
            assert credit.limit_cents is not None
            assert 0 <= credit.balance_current_cents <= credit.limit_cents  # amount owed, positive
            assert all(0 <= t.balance_cents <= credit.limit_cents for t in credit.transactions)
            assert credit.balance_available_cents == credit.limit_cents - credit.balance_current_cents
        assert card.last_four_digits is not None
        assert card.account_number.endswith(card.last_four_digits)


def test_greatday_in_canada_keeps_the_documented_sample_identity() -> None:
    p = profile("greatday", Country.CA)
    address = p.holder.address
    assert (address.civic_address, address.city, address.province, address.postal_code, address.country) == (
        "25 york street",
        "Toronto",
        "ON",
        "M5J 2V5",
        "CA",
    )
    assert (p.holder.email, p.holder.phone_number) == ("test_user1@nomail.com", "9051234567")
    chequing = p.accounts[0]
    assert (chequing.title, chequing.account_number, chequing.transit_number) == (
        "Chequing Account",
        "7641238",
        "12347",
    )
    assert (chequing.institution_number, chequing.overdraft_limit_cents) == ("777", 10050)
    assert "PAYROLL - Stripe Paycheck" in descriptions(chequing)


@pytest.mark.parametrize("username", USERS)
def test_canadian_profiles_use_cad_transit_numbers_and_postal_codes(username: str) -> None:
    p = profile(username, Country.CA)
    address = p.holder.address
    assert re.fullmatch(r"[ABCEGHJ-NPRSTVXY]\d[A-Z] \d[A-Z]\d", address.postal_code)
    assert address.province in {"ON", "QC", "BC", "AB", "MB", "SK", "NS", "NB", "NL"}
    assert re.fullmatch(r"\d{10}", p.holder.phone_number)
    for account in p.accounts:
        assert account.currency == "CAD"
        assert account.routing_number is None
    for account in p.accounts[:2]:
        assert re.fullmatch(r"\d{5}", account.transit_number or "")
        assert account.institution_number == INSTITUTION_NUMBER
        assert re.fullmatch(r"\d{7}", account.account_number)


@pytest.mark.parametrize("username", USERS)
def test_us_profiles_use_usd_valid_routing_numbers_and_zip_codes(username: str) -> None:
    p = profile(username, Country.US)
    address = p.holder.address
    assert re.fullmatch(r"\d{5}", address.postal_code)
    assert re.fullmatch(r"[A-Z]{2}", address.province)
    assert address.country == "US"
    assert re.fullmatch(r"\d{10}", p.holder.phone_number)
    for account in p.accounts:
        assert account.currency == "USD"
        assert account.transit_number is None
        assert account.institution_number is None
    for account in p.accounts[:2]:
        assert account.routing_number in FLINKS_CAPITAL_ROUTING_NUMBERS
        assert aba_checksum_ok(account.routing_number or "")
        assert re.fullmatch(r"\d{8,12}", account.account_number)


# --- statements ------------------------------------------------------------------------------------


def test_twelve_monthly_statements_per_account_for_the_full_months_before_today() -> None:
    p = profile("alice", Country.CA)
    expected_starts = [date(2025, m, 1) for m in range(1, 13)]
    for account in p.accounts:
        assert [s.period_start for s in account.statements] == expected_starts
        for s in account.statements:
            assert s.period_end == (s.period_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        assert len({s.unique_id for s in account.statements}) == 12
    later = profile("alice", Country.CA, date(2026, 2, 10))
    assert later.accounts[0].statements[0].unique_id == p.accounts[0].statements[1].unique_id


@pytest.mark.parametrize("country", list(Country))
def test_statement_pdfs_open_and_show_account_period_balances_and_transactions(country: Country) -> None:
    p = profile("bob", country)
    for position, account in enumerate(p.accounts):
        for statement in account.statements:
            reader = PdfReader(io.BytesIO(render_statement(p.holder, statement)))
            text = "\n".join(page.extract_text() for page in reader.pages)
            assert account.account_number in text
            assert f"{statement.period_start.isoformat()} to {statement.period_end.isoformat()}" in text
            month = [
                t for t in account.transactions if statement.period_start <= t.date <= statement.period_end
            ]
            assert month
            assert any(t.description in text for t in month)
            closing = month[-1].balance_cents
            opening = month[0].balance_cents - activity.effect(
                position, month[0].debit_cents, month[0].credit_cents
            )
            assert f"{money(opening)} {account.currency}" in text
            assert f"{money(closing)} {account.currency}" in text


@pytest.mark.parametrize("name", ["", "a|2026-01-05|0", "Élodie|CA|3|2025-12-31|17", "x" * 300])
def test_uuid5_text_is_the_standard_uuid5(name: str) -> None:
    assert uuid5_text(name) == str(uuid.uuid5(_NAMESPACE, name))
