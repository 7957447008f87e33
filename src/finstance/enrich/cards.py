"""A login's card as Enrich computes over it: its accounts and categorized transactions, read from the
instance's own store through Connect's named reads, narrowed by the request's account filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from finstance.connect import reads
from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.enrich.categorize import categorize
from finstance.enrich.model import AccountInfo, CardData, CategorizedTxn, Txn

ALLOWED_ACCOUNT_CATEGORIES = frozenset({"Operations"})
# The transactions Enrich reads: those GetAccountsDetail serves with Days365, counted back from the day of the
# login's last aggregation, so every transaction an answer names is one the client can see there.
HISTORY = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class AccountFilters:
    """``Filters.AccountCategory`` and ``AccountFilter`` of a custom /Attributes request."""

    categories: tuple[str, ...] | None = None
    account_ids: tuple[str, ...] | None = None


def load(
    ctx: InstanceContext, login_id: str, last_refresh: datetime | None, filters: AccountFilters | None = None
) -> CardData:
    """The login's card, a year of transactions categorized, as of the day of its last aggregation."""
    as_of = last_refresh.date() if last_refresh is not None else ctx.clock.now().date()
    with ctx.store.read() as db:
        accounts = reads.accounts(db, login_id)
        rows = reads.transactions(db, login_id, since=as_of - HISTORY)
    if filters is not None:
        accounts = _filtered(accounts, filters)
        kept = {a.id for a in accounts}
        rows = [r for r in rows if r.account_id in kept]
    txns = [
        Txn(r.id, r.account_id, r.date, r.description, r.debit_cents, r.credit_cents, r.balance_cents)
        for r in rows
    ]
    return card_of(ctx, as_of, [_info(a) for a in accounts], txns)


def card_of(
    ctx: InstanceContext, as_of: date, accounts: Sequence[AccountInfo], txns: Sequence[Txn]
) -> CardData:
    """A card of the instance's country from transactions newest first."""
    assignments = categorize(ctx.spec.country, txns)
    return CardData(
        country=ctx.spec.country,
        as_of=as_of,
        accounts=tuple(accounts),
        transactions=tuple(CategorizedTxn(t, a) for t, a in zip(txns, assignments, strict=True)),
    )


def _info(a: reads.AccountView) -> AccountInfo:
    return AccountInfo(a.id, a.category, a.type, a.balance_current_cents)


def _filtered(accounts: list[reads.AccountView], filters: AccountFilters) -> list[reads.AccountView]:
    if filters.account_ids is not None:
        known = {a.id for a in accounts}
        ids = {i.strip().lower() for i in filters.account_ids}
        for raw in filters.account_ids:
            if raw.strip().lower() not in known:
                raise errors.InvalidRequest(f"The AccountId: {raw} in AccountFilter is not valid")
        accounts = [a for a in accounts if a.id in ids]
    if filters.categories is not None:
        wanted = {c.strip().lower() for c in filters.categories}
        accounts = [a for a in accounts if a.category.lower() in wanted]
    return accounts
