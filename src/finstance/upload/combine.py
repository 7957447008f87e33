"""The statements of one upload as one: an account met in several documents (three months of one chequing
account) becomes one account whose transactions run from its earliest statement to its latest.

Accounts are matched by their number (digits only) and currency, else by their title. Statements are taken in
date order; a transaction already met in an overlapping statement (same date, description, amounts and running
balance) is kept once. The holder is the first one a document names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from finstance.upload.statement import ExtractedAccount, ExtractedStatement, ExtractedTransaction


def _key(account: ExtractedAccount) -> tuple[str, str]:
    digits = re.sub(r"\D", "", account.number)
    return (digits or account.title.casefold().strip(), account.currency or "")


def _start(statement: ExtractedStatement) -> date:
    if statement.period_start is not None:
        return statement.period_start
    dates = [t.date for a in statement.accounts for t in a.transactions]
    return min(dates) if dates else date.max


def _fingerprint(t: ExtractedTransaction) -> tuple[object, ...]:
    return (
        t.date,
        " ".join(t.description.split()).casefold(),
        t.debit_cents,
        t.credit_cents,
        t.balance_cents,
    )


def combine(statements: Sequence[ExtractedStatement]) -> ExtractedStatement:
    """One statement holding every account of ``statements`` (at least one)."""
    if not statements:
        raise ValueError("nothing to combine")
    ordered = sorted(statements, key=_start)
    merged: dict[tuple[str, str], ExtractedAccount] = {}
    seen: dict[tuple[str, str], set[tuple[object, ...]]] = {}
    for statement in ordered:
        for account in statement.accounts:
            key = _key(account)
            known = merged.get(key)
            if known is None:
                merged[key] = account
                seen[key] = {_fingerprint(t) for t in account.transactions}
                continue
            fresh = tuple(t for t in account.transactions if _fingerprint(t) not in seen[key])
            seen[key].update(_fingerprint(t) for t in fresh)
            merged[key] = ExtractedAccount(
                number=known.number or account.number,
                title=known.title or account.title,
                currency=known.currency or account.currency,
                opening_balance_cents=known.opening_balance_cents,
                closing_balance_cents=account.closing_balance_cents,
                sign=known.sign,
                transactions=known.transactions + fresh,
            )
    holder = next((s.holder for s in ordered if s.holder is not None and s.holder.name), None)
    starts = [s.period_start for s in ordered if s.period_start is not None]
    ends = [s.period_end for s in ordered if s.period_end is not None]
    return ExtractedStatement(
        holder=holder,
        period_start=min(starts) if starts else None,
        period_end=max(ends) if ends else None,
        accounts=tuple(merged.values()),
    )
