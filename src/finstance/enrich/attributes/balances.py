"""Daily closing balances of a card, from its transactions' running balances.

An account's closing balance on a day is its running balance after that day's last transaction; on a day
without transactions it is the previous day's; before its first transaction it is the balance that
transaction started from (its running balance less its amount). A transaction without a running balance
takes one from its neighbours: the newer one's less the newer one's amount, else the older one's plus its
own amount; an account with none at all is anchored on its current balance (the newest transaction leaves
the account at its current balance). An account whose balances cannot be known is left out.

The card's closing balance on a day is the sum over its Operations accounts (chequing and savings): credit
cards and loans hold debts, not money. A card given no Operations account sums every account it was given
(so a request filtered down to one credit card still has balances); a card given no account at all sums
the accounts its transactions name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from finstance.enrich.model import AccountInfo, CategorizedTxn

OPERATIONS = "operations"


def balance_accounts(
    accounts: Sequence[AccountInfo], items: Sequence[CategorizedTxn]
) -> dict[str, int | None]:
    """The accounts whose balances make the card's, each with its current balance (None: not known)."""
    operations = [a for a in accounts if a.category.strip().lower() == OPERATIONS]
    chosen = operations or list(accounts)
    if chosen:
        return {a.id: a.balance_current_cents for a in chosen}
    return dict.fromkeys(dict.fromkeys(t.txn.account_id for t in items))


def running_balances(items: Sequence[CategorizedTxn], current: int | None) -> list[int] | None:
    """The balance after each of one account's transactions (oldest first), or None if it cannot be known."""
    after: list[int | None] = [t.txn.balance_cents for t in items]
    count = len(after)
    if count and after[-1] is None and current is not None and all(b is None for b in after):
        after[-1] = current
    for i in range(count - 2, -1, -1):  # back from a known newer balance
        newer = after[i + 1]
        if after[i] is None and newer is not None:
            after[i] = newer - items[i + 1].txn.amount_cents
    for i in range(1, count):  # forward from a known older balance
        older = after[i - 1]
        if after[i] is None and older is not None:
            after[i] = older + items[i].txn.amount_cents
    known = [b for b in after if b is not None]
    return known if len(known) == count else None


def daily_closing(
    items: Sequence[CategorizedTxn], accounts: Sequence[AccountInfo], start: date, as_of: date
) -> list[int] | None:
    """The card's closing balance on each day from ``start`` to ``as_of`` (``items`` oldest first, all
    within those days), or None when no account's balance can be known."""
    days = (as_of - start).days + 1
    chosen = balance_accounts(accounts, items)
    per_account: dict[str, list[CategorizedTxn]] = {account: [] for account in chosen}
    for item in items:
        bucket = per_account.get(item.txn.account_id)
        if bucket is not None:
            bucket.append(item)
    total = [0] * days
    known = False
    first = start.toordinal()
    for account, own in per_account.items():
        current = chosen[account]
        if not own:
            if current is None:
                continue
            total = [t + current for t in total]
            known = True
            continue
        after = running_balances(own, current)
        if after is None:
            continue
        known = True
        balance = after[0] - own[0].txn.amount_cents  # what the first transaction started from
        day = 0
        for item, closing in zip(own, after, strict=True):
            offset = item.txn.date.toordinal() - first
            while day < offset:
                total[day] += balance
                day += 1
            balance = closing
        while day < days:
            total[day] += balance
            day += 1
    return total if known else None
