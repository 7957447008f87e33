"""finstance's own statement PDFs come back exactly: every account, balance and transaction, cent for cent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from finstance.core.country import Country
from finstance.core.profile import Address, Holder, Statement, Transaction
from finstance.sandbox.generator import generate_profile
from finstance.sandbox.pdf import render_statement, render_statement_pdf
from finstance.upload.extract.pdf import extract_pdf
from finstance.upload.statement import BalanceSign, ExtractedStatement, ExtractedTransaction, ExtractionStatus


def row(t: Transaction | ExtractedTransaction) -> tuple[object, ...]:
    return (t.date, t.description, t.debit_cents, t.credit_cents, t.balance_cents)


def assert_same(extracted: ExtractedStatement, statement: Statement, holder: Holder) -> None:
    content = statement.content
    assert extracted.period_start == statement.period_start
    assert extracted.period_end == statement.period_end
    assert extracted.holder is not None
    assert extracted.holder.name == holder.name
    assert extracted.holder.address_lines[0] == holder.address.civic_address
    [account] = extracted.accounts
    assert account.number == content.account_number
    assert account.title == content.account_title
    assert account.currency == content.currency
    assert account.opening_balance_cents == content.opening_balance_cents
    assert account.closing_balance_cents == content.closing_balance_cents
    assert [row(t) for t in account.transactions] == [row(t) for t in content.transactions]


@pytest.mark.parametrize(("username", "country"), [("alice", Country.CA), ("greatday", Country.US)])
def test_every_statement_of_a_sandbox_profile_extracts_exactly(username: str, country: Country) -> None:
    profile = generate_profile(username, country, date(2026, 3, 15))
    count = 0
    for account in profile.accounts:
        for statement in account.statements:
            result = extract_pdf(render_statement(profile.holder, statement))
            assert result.status is ExtractionStatus.EXTRACTED, result.reason
            assert result.statement is not None
            assert_same(result.statement, statement, profile.holder)
            count += len(statement.content.transactions)
    assert count > 500


def test_credit_products_run_their_balance_as_money_owed() -> None:
    profile = generate_profile("alice", Country.CA, date(2026, 3, 15))
    signs = []
    for account in profile.accounts:
        result = extract_pdf(render_statement(profile.holder, account.statements[-1]))
        assert result.statement is not None
        signs.append(result.statement.accounts[0].sign)
    assert signs == [BalanceSign.HELD, BalanceSign.HELD, BalanceSign.OWED, BalanceSign.OWED]


HOLDER = Holder(
    name="Émilie Côté",
    address=Address("1001 Rue Lenoir Suite A114", "Montréal", "QC", "H4C 2Z6", "CA"),
    email="emilie@example.com",
    phone_number="5145550123",
)


def long_statement(count: int) -> tuple[bytes, list[Transaction]]:
    balance, txs = -5000, []
    for i in range(count):
        debit = i % 3 != 0
        amount = 99 + i * 1237
        balance += -amount if debit else amount
        txs.append(
            Transaction(
                f"t{i}",
                date(2025, 3, 1) + timedelta(days=i % 31),
                f"CAFÉ (DÉPÔT) NO {i:03d}",
                amount if debit else None,
                None if debit else amount,
                balance,
                i,
            )
        )
    return sandbox_statement(txs, opening_cents=-5000), txs


def sandbox_statement(
    txs: list[Transaction], *, opening_cents: int, closing_cents: int | None = None
) -> bytes:
    """A March 2025 statement of finstance's own layout showing ``txs``."""
    return render_statement_pdf(
        bank_name="Flinks Capital",
        holder=HOLDER,
        account_title="Chequing Account",
        account_number="7641238",
        currency="CAD",
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        opening_balance_cents=opening_cents,
        closing_balance_cents=txs[-1].balance_cents if closing_cents is None else closing_cents,
        transactions=txs,
    )


def test_a_three_page_statement_with_negative_balances_and_accents_extracts_exactly() -> None:
    pdf, txs = long_statement(120)
    result = extract_pdf(pdf)
    assert result.status is ExtractionStatus.EXTRACTED, result.reason
    assert result.pages == 3
    assert result.statement is not None
    [account] = result.statement.accounts
    assert account.opening_balance_cents == -5000
    assert [row(t) for t in account.transactions] == [row(t) for t in txs]
    assert [t.page for t in account.transactions][-1] == 3
    assert result.statement.holder is not None
    assert result.statement.holder.address_lines[1] == "Montréal QC H4C 2Z6"


def test_an_empty_statement_extracts_with_no_transactions() -> None:
    profile = generate_profile("alice", Country.CA, date(2026, 3, 15))
    statement = profile.accounts[0].statements[0]
    empty = Statement(
        statement.unique_id,
        statement.period_start,
        statement.period_end,
        statement.content.__class__(
            statement.content.bank_name,
            statement.content.account_title,
            statement.content.account_number,
            statement.content.currency,
            12345,
            12345,
            (),
        ),
    )
    result = extract_pdf(render_statement(profile.holder, empty))
    assert result.status is ExtractionStatus.EXTRACTED, result.reason
    assert result.statement is not None
    [account] = result.statement.accounts
    assert account.transactions == ()
    assert account.opening_balance_cents == account.closing_balance_cents == 12345
