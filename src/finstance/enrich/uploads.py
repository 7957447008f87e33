"""Transactions a client sends in (``/attributes/upload``, ``/Categorization/Upload``), checked by the rules
Flinks documents and turned into the values the engines compute over.

The rules: ``OriginCountry`` (also spelled ``"Origin Country"``) is ``ca`` or ``us``; every transaction has a
``TransactionDate`` written ``YYYY/MM/DD``, a ``Description`` and exactly one of ``Debit`` and ``Credit``
(a positive amount with at most two decimals, as a string or a number); the transactions are in one date
order, ascending or descending; and the balances are known, either as a running ``Balance`` on every
transaction or from ``MostRecentBalance`` or ``OldestBalance`` (at the top level or in ``Options``), from
which the running balances are derived.

Nothing here is stored: the transactions live for the request that carries them. An instance computes only
over its own country's end-users, so an ``OriginCountry`` of another country is refused, with the instance to
send it to.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.enrich.model import AccountInfo, Txn

MAX_TRANSACTIONS = 100_000
_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})$")
UPLOAD_ACCOUNT = "uploaded"  # the AccountId of transactions that name none


@dataclass(frozen=True, slots=True)
class Uploaded:
    country: Country
    transactions: tuple[Txn, ...]  # newest first, with running balances
    accounts: tuple[AccountInfo, ...]
    as_of: date  # the newest transaction's day
    user_identifier: str | None


def _invalid(message: str) -> errors.InvalidRequest:
    return errors.InvalidRequest(message)


def field(body: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in body:
            return body[name]
    lowered = {k.lower().replace(" ", ""): v for k, v in body.items() if isinstance(k, str)}
    for name in names:
        key = name.lower().replace(" ", "")
        if key in lowered:
            return lowered[key]
    return None


def origin_country(ctx: InstanceContext, body: Mapping[str, Any]) -> Country:
    raw = field(body, "OriginCountry", "Origin Country")
    if not isinstance(raw, str) or raw.strip().upper() not in ("CA", "US"):
        raise _invalid('OriginCountry is required: "ca" or "us".')
    country = Country(raw.strip().upper())
    if country is not ctx.spec.country:
        raise _invalid(
            f"OriginCountry {raw.strip().lower()} is not served by this instance: it computes over "
            f"{ctx.spec.country.value} end-users' transactions only. Send them to a {country.value} instance."
        )
    return country


def cents(value: Any, where: str) -> int | None:
    """An amount in cents, from a string or a number with at most two decimals; None for null or ""."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _invalid(f'{where} must be an amount such as "100.00".')
    try:
        amount = Decimal(value.strip().replace(",", "") if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise _invalid(f'{where} must be an amount such as "100.00".') from None
    if not amount.is_finite():
        raise _invalid(f'{where} must be an amount such as "100.00".')
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise _invalid(f"{where} has more than two decimals.")
    if abs(amount) >= Decimal(10) ** 13:
        raise _invalid(f"{where} is too large.")
    return int(amount * 100)


def _date(value: Any, where: str) -> date:
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise _invalid(f"{where} must be a date written YYYY/MM/DD.")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise _invalid(f"{where} is not a date of the calendar.") from None


def _text(value: Any, where: str, *, required: bool = True, limit: int = 500) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _invalid(f"{where} is required.")
    if "\x00" in value:
        raise _invalid(f"{where} must not contain NUL characters.")
    if len(value) > limit:
        raise _invalid(f"{where} is longer than {limit} characters.")
    return value.strip()


def parse(ctx: InstanceContext, body: Any) -> Uploaded:
    """Check an upload body and return its transactions, newest first, each with its running balance."""
    if not isinstance(body, Mapping):
        raise _invalid("The body must be a JSON object.")
    country = origin_country(ctx, body)
    raw = field(body, "Transactions")
    if not isinstance(raw, list) or not raw:
        raise _invalid("Transactions is required: a list of at least one transaction.")
    if len(raw) > MAX_TRANSACTIONS:
        raise _invalid(f"At most {MAX_TRANSACTIONS} transactions can be sent at once.")
    user = field(body, "UserIdentifier")
    user_identifier = _text(user, "UserIdentifier", required=False, limit=100)

    rows: list[tuple[date, str, str | None, int | None, int | None, int | None, str | None]] = []
    for i, item in enumerate(raw):
        where = f"Transactions[{i}]"
        if not isinstance(item, Mapping):
            raise _invalid(f"{where} must be an object.")
        # Keys bind case-insensitively, as everywhere on Flinks: one lower-cased view of each item.
        get = {k.lower(): v for k, v in item.items() if isinstance(k, str)}.get
        day = _date(get("transactiondate", get("date")), f"{where}.TransactionDate")
        description = _text(get("description"), f"{where}.Description")
        assert description is not None
        debit = cents(get("debit"), f"{where}.Debit")
        credit = cents(get("credit"), f"{where}.Credit")
        if (debit is None) == (credit is None):
            raise _invalid(f"{where} must have exactly one of Debit and Credit.")
        if (debit is not None and debit <= 0) or (credit is not None and credit <= 0):
            raise _invalid(f"{where}: Debit and Credit are positive amounts; the column says the direction.")
        balance = cents(get("balance"), f"{where}.Balance")
        account = _text(get("accountid"), f"{where}.AccountId", required=False, limit=100)
        ident = _text(get("transactionid"), f"{where}.TransactionId", required=False, limit=100)
        rows.append((day, description, account, debit, credit, balance, ident))

    days = [r[0] for r in rows]
    ascending = all(a <= b for a, b in pairwise(days))
    descending = all(a >= b for a, b in pairwise(days))
    if not (ascending or descending):
        raise _invalid("Transactions must be in one date order, ascending or descending.")
    if ascending and not descending:
        rows.reverse()  # newest first from here on

    balances = _balances(body, rows)
    # Transactions sent without an id get one for the answer: consecutive GUIDs from one random start.
    start = uuid.uuid4().int
    txns = tuple(
        Txn(
            id=ident or str(uuid.UUID(int=(start + n) % 2**128)),
            account_id=account or UPLOAD_ACCOUNT,
            date=day,
            description=description,
            debit_cents=debit,
            credit_cents=credit,
            balance_cents=balance,
        )
        for n, ((day, description, account, debit, credit, _, ident), balance) in enumerate(
            zip(rows, balances, strict=True)
        )
    )
    accounts: dict[str, AccountInfo] = {}
    for t in txns:  # newest first: an account's current balance is its newest running balance
        if t.account_id not in accounts:
            accounts[t.account_id] = AccountInfo(t.account_id, "Operations", "Chequing", t.balance_cents or 0)
    return Uploaded(country, txns, tuple(accounts.values()), txns[0].date, user_identifier)


def _balances(
    body: Mapping[str, Any],
    rows: Sequence[tuple[date, str, str | None, int | None, int | None, int | None, Any]],
) -> list[int]:
    """The running balance after each transaction (rows newest first)."""
    given = [r[5] for r in rows]
    if all(b is not None for b in given):
        return [b for b in given if b is not None]
    if any(b is not None for b in given):
        raise _invalid(
            "Balance must be given on every transaction, or on none (then send MostRecentBalance "
            "or OldestBalance)."
        )
    options = field(body, "Options")
    sources: list[Mapping[str, Any]] = [body] + ([options] if isinstance(options, Mapping) else [])
    most_recent = oldest = None
    for source in sources:
        most_recent = (
            most_recent
            if most_recent is not None
            else cents(field(source, "MostRecentBalance"), "MostRecentBalance")
        )
        oldest = oldest if oldest is not None else cents(field(source, "OldestBalance"), "OldestBalance")
    amounts = [(r[4] or 0) - (r[3] or 0) for r in rows]
    if most_recent is not None:
        # ``most_recent`` is the balance after the newest transaction; walk back to the oldest.
        out, balance = [], most_recent
        for amount in amounts:
            out.append(balance)
            balance -= amount
        return out
    if oldest is not None:
        # ``oldest`` is the balance after the oldest transaction; walk forward to the newest.
        forward, running = [], oldest
        for index, amount in enumerate(reversed(amounts)):
            if index:
                running += amount
            forward.append(running)
        return list(reversed(forward))
    raise _invalid(
        "The balances are required: a running Balance on every transaction, or MostRecentBalance or "
        "OldestBalance."
    )
