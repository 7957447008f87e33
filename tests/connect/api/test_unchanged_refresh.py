"""A refresh that brings the data saved last time writes nothing; one that brings other data replaces it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from finstance.connect import tables
from finstance.connect.aggregation import save_profile
from finstance.core.country import Country
from finstance.core.institution import ProfileRequest
from finstance.core.profile import BankProfile
from finstance.core.store import Store
from finstance.sandbox.capital import FlinksCapital

LOGIN = "2f0c7e8a-1b3d-4c5e-8f9a-0b1c2d3e4f50"


def profile(day: date) -> BankProfile:
    return FlinksCapital().profile(ProfileRequest("greatday_nomfa", Country.CA, day, LOGIN))


def stored(db: DbSession) -> dict[str, Any]:
    t, s, a = tables.Transaction, tables.Statement, tables.Account
    return {
        "transactions": db.execute(
            select(
                t.pk, t.account_id, t.id, t.date, t.seq, t.description, t.debit, t.credit, t.balance
            ).order_by(t.pk)
        ).all(),
        "statements": db.execute(select(s.pk, s.account_id, s.unique_id, s.content).order_by(s.pk)).all(),
        "accounts": db.execute(select(a.id, a.position, a.balance_current).order_by(a.id)).all(),
        "holder": db.execute(
            select(tables.Holder.name, tables.Login.data_digest).join(
                tables.Login, tables.Login.id == tables.Holder.login_id
            )
        ).all(),
    }


def expected(p: BankProfile) -> set[tuple[Any, ...]]:
    return {
        (a.id, t.id, t.date, t.seq, t.description, t.debit_cents, t.credit_cents, t.balance_cents)
        for a in p.accounts
        for t in a.transactions
    }


def save(db: DbSession, data: BankProfile) -> bool:
    login = db.get(tables.Login, LOGIN)
    assert login is not None
    return save_profile(db, login, data)


def new_store(url: str) -> Store:
    store = Store(url)
    store.migrate()
    with store.write() as db:
        db.add(tables.Login(id=LOGIN, institution="FlinksCapital", username="greatday_nomfa",
                            language="en", created_at=datetime.now(UTC)))  # fmt: skip
    return store


def test_the_same_data_again_writes_nothing(store_url: str) -> None:
    store = new_store(store_url)
    try:
        with store.write() as db:
            assert save(db, profile(date(2026, 12, 3)))
        with store.read() as db:
            before = stored(db)
        assert len(before["transactions"]) > 100 and before["holder"][0][1] is not None
        with store.write() as db:
            assert not save(db, profile(date(2026, 12, 3)))
        with store.read() as db:
            after = stored(db)
        assert after == before  # the same rows, under the same keys: nothing was deleted and inserted again
    finally:
        store.dispose()


def test_other_data_replaces_what_was_saved(store_url: str) -> None:
    store = new_store(store_url)
    first, second = profile(date(2026, 12, 3)), profile(date(2027, 1, 20))
    assert expected(first) != expected(second)
    try:
        with store.write() as db:
            assert save(db, first)
        with store.read() as db:
            before = stored(db)
        with store.write() as db:
            assert save(db, second)
        with store.read() as db:
            after = stored(db)
        assert {row[1:] for row in after["transactions"]} == expected(second)
        assert after["holder"][0][1] != before["holder"][0][1]
        assert len(after["statements"]) == sum(len(a.statements) for a in second.accounts)
        # and back: the first day's data is saved again, not mistaken for what is there
        with store.write() as db:
            assert save(db, first)
        with store.read() as db:
            assert {row[1:] for row in stored(db)["transactions"]} == expected(first)
    finally:
        store.dispose()


def test_data_saved_without_a_digest_is_replaced(store_url: str) -> None:
    """Rows saved before logins kept a digest: the next refresh writes them again, with their digest."""
    store = new_store(store_url)
    try:
        with store.write() as db:
            assert save(db, profile(date(2026, 12, 3)))
            db.execute(update(tables.Login).values(data_digest=None))
        with store.write() as db:
            assert save(db, profile(date(2026, 12, 3)))
        with store.read() as db:
            after = stored(db)
        assert after["holder"][0][1] is not None
        assert {row[1:] for row in after["transactions"]} == expected(profile(date(2026, 12, 3)))
    finally:
        store.dispose()


def test_one_transaction_or_statement_changed_is_saved(store_url: str) -> None:
    """The digest covers every row: one transaction's description, or one statement's period, is enough."""
    store = new_store(store_url)
    first = profile(date(2026, 12, 3))
    account = first.accounts[0]
    renamed = replace(account.transactions[-1], description="RENAMED AT THE BANK")
    one_transaction = replace(
        first,
        accounts=(replace(account, transactions=(*account.transactions[:-1], renamed)), *first.accounts[1:]),
    )
    assert account.statements
    moved = replace(account.statements[0], period_end=account.statements[0].period_end.replace(day=1))
    one_statement = replace(
        first, accounts=(replace(account, statements=(moved, *account.statements[1:])), *first.accounts[1:])
    )
    try:
        with store.write() as db:
            assert save(db, first)
        with store.write() as db:
            assert save(db, one_transaction)
        with store.read() as db:
            assert {row[1:] for row in stored(db)["transactions"]} == expected(one_transaction)
        with store.write() as db:
            assert save(db, first)
        with store.write() as db:
            assert save(db, one_statement)  # only one statement differs from what is there
        with store.read() as db:
            ends = set(db.scalars(select(tables.Statement.period_end)))
        assert moved.period_end in ends
    finally:
        store.dispose()
