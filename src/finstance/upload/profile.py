"""An extracted statement as the profile Connect saves, so an upload is read back like a linked bank.

Ids are ``uuid5`` of a caller's key (the upload's login), the account's position and number, and each
transaction's date and position, so the same document gives the same ids. What a statement does not show
(email, phone, transit and routing numbers, limits) is left empty; the account's type is read from its
title, and an account whose balance runs as money owed is a credit product.
"""

from __future__ import annotations

import re
import uuid

from finstance.core.profile import Account, Address, BankProfile, Holder, Transaction
from finstance.upload.extract.words import fold
from finstance.upload.statement import BalanceSign, ExtractedAccount, ExtractedStatement, HolderInfo

_NAMESPACE = uuid.UUID("0b9e3f4c-52a1-5e0c-8d7b-3a6f1c2e9d40")
_CITY_LINE = re.compile(r"^(.*?)[ ,]+([A-Z]{2})[ ,]+([A-Z]\d[A-Z] ?\d[A-Z]\d|\d{5}(?:-\d{4})?)$")
_TYPES = (
    (re.compile(r"line of credit|marge"), "Credits", "LineOfCredit"),
    (re.compile(r"visa|mastercard|amex|credit card|carte de credit"), "Credits", "CreditCard"),
    (re.compile(r"saving|epargne"), "Operations", "Savings"),
    (re.compile(r"chequing|checking|cheques|operations"), "Operations", "Chequing"),
)


def _holder(info: HolderInfo | None, country: str) -> Holder:
    if info is None:
        return Holder("", Address("", "", "", "", country), "", "")
    civic, city, province, postal = "", "", "", ""
    for index, line in enumerate(info.address_lines):
        m = _CITY_LINE.match(line)
        if m:
            civic = ", ".join(info.address_lines[:index])
            city, province, postal = m[1].strip(), m[2], m[3]
            break
    else:
        civic = ", ".join(info.address_lines)
    return Holder(info.name, Address(civic, city, province, postal, country), "", "")


def _kind(account: ExtractedAccount) -> tuple[str, str]:
    title = fold(account.title)
    for pattern, category, kind in _TYPES:
        if pattern.search(title):
            return category, kind
    return ("Credits", "CreditCard") if account.sign is BalanceSign.OWED else ("Operations", "Chequing")


def to_profile(statement: ExtractedStatement, *, key: str, country: str, currency: str) -> BankProfile:
    """The profile of ``statement``; ``currency`` stands in where the document names none."""
    accounts = []
    for position, extracted in enumerate(statement.accounts):
        account_id = str(uuid.uuid5(_NAMESPACE, f"{key}\x1f{position}\x1f{extracted.number}"))
        transactions = []
        per_day: dict[str, int] = {}
        for seq, t in enumerate(extracted.transactions):
            day = t.date.isoformat()
            index = per_day[day] = per_day.get(day, -1) + 1
            tx_id = str(uuid.uuid5(_NAMESPACE, f"{account_id}\x1f{day}\x1f{index}"))
            transactions.append(
                Transaction(tx_id, t.date, t.description, t.debit_cents, t.credit_cents, t.balance_cents, seq)
            )
        category, kind = _kind(extracted)
        digits = re.sub(r"\D", "", extracted.number)
        accounts.append(
            Account(
                id=account_id,
                title=extracted.title,
                account_number=extracted.number,
                transit_number=None,
                institution_number=None,
                routing_number=None,
                last_four_digits=digits[-4:] if kind == "CreditCard" and len(digits) >= 4 else None,
                category=category,
                type=kind,
                currency=extracted.currency or currency,
                account_type="Personal",
                balance_current_cents=extracted.closing_balance_cents,
                balance_available_cents=None,
                limit_cents=None,
                overdraft_limit_cents=None,
                eft_eligible_ratio=0.0,
                etransfer_eligible_ratio=0.0,
                transactions=tuple(transactions),
            )
        )
    return BankProfile(holder=_holder(statement.holder, country), accounts=tuple(accounts))
