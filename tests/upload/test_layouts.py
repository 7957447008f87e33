"""Statements from another producer, in four layouts, extract exactly; one that does not add up: no data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from finstance.upload.extract.pdf import extract_pdf
from finstance.upload.statement import ExtractionStatus
from tests.upload.layouts import LAYOUTS, Shown
from tests.upload.test_sandbox_statements import long_statement, row, sandbox_statement


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout_extracts_exactly(name: str) -> None:
    build: Callable[[], tuple[bytes, Shown]] = LAYOUTS[name]
    pdf, shown = build()
    assert b"ReportLab" in pdf
    result = extract_pdf(pdf)
    assert result.status is ExtractionStatus.EXTRACTED, result.reason
    statement = result.statement
    assert statement is not None
    assert (statement.period_start, statement.period_end) == (shown.period_start, shown.period_end)
    assert statement.holder is not None
    assert statement.holder.name == shown.holder_name
    assert len(statement.accounts) == len(shown.accounts)
    for got, want in zip(statement.accounts, shown.accounts, strict=True):
        assert (got.number, got.title) == (want.number, want.title)
        assert (got.opening_balance_cents, got.closing_balance_cents) == (
            want.opening_cents,
            want.closing_cents,
        )
        assert [row(t) for t in got.transactions] == [row(t) for t in want.rows]


def test_french_statement_reads_day_first_dates_and_its_currency() -> None:
    pdf, _ = LAYOUTS["ca-french"]()
    statement = extract_pdf(pdf).statement
    assert statement is not None
    [account] = statement.accounts
    assert account.currency == "CAD"
    assert all(date(2026, 2, 1) <= t.date <= date(2026, 2, 28) for t in account.transactions)
    assert any(t.debit_cents is not None and t.debit_cents >= 100_000 for t in account.transactions)


def test_multipage_statement_keeps_two_line_descriptions_and_pages() -> None:
    pdf, _ = LAYOUTS["two-accounts-multipage"]()
    result = extract_pdf(pdf)
    assert result.statement is not None
    chequing, savings = result.statement.accounts
    assert all(" REF " in t.description for t in chequing.transactions)
    assert {t.page for t in chequing.transactions} >= {1, 2}
    assert savings.transactions[0].page >= 2
    assert "Canada" in result.statement.holder.address_lines if result.statement.holder else False


def test_a_statement_whose_running_balance_does_not_add_up_is_unreconciled_with_no_data() -> None:
    _, txs = long_statement(10)
    txs[4] = replace(txs[4], balance_cents=1)
    result = extract_pdf(sandbox_statement(txs, opening_cents=-5000))
    assert result.status is ExtractionStatus.UNRECONCILED
    assert result.statement is None
    assert "row 5" in result.reason
    assert "prints a balance of 1 cents" in result.reason


def test_a_statement_whose_closing_balance_does_not_add_up_is_unreconciled() -> None:
    _, txs = long_statement(10)
    result = extract_pdf(sandbox_statement(txs, opening_cents=-5000, closing_cents=txs[-1].balance_cents + 1))
    assert result.status is ExtractionStatus.UNRECONCILED
    assert result.statement is None
    assert "the closing balance is" in result.reason
