"""EFT API V1's contacts: the people and businesses an API client collects from or pays, with their bank
accounts for EFT (``GET /api/v1/contacts/{contactId}``).

A transaction names its counterparty (``payor`` of a debit, ``payee`` of a credit) with two parts, each given
one way only (reference 6.3b, products 3.1):

* ``accountInfo``: ``accountId`` (a contact's stored EFT account) **or** ``institutionCode`` +
  ``transitNumber`` + ``accountNumber``;
* ``contactInfo``: ``contactId`` **or** names (``firstName`` + ``lastName`` for a person, ``legalName`` for a
  business), with an optional ``email``.

Names with account numbers store a new contact and its account; a ``contactId`` with account numbers adds the
account to that contact (or finds it there); an ``accountId`` alone is enough. Contacts belong to the API
client that made them: another client of the instance, or another instance, finds none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.pay import tables
from finstance.pay.fields import identifier, object_field, owned

MAX_NAME = 100
_DIGITS = {"institutionCode": (3, 3), "transitNumber": (5, 5), "accountNumber": (7, 12)}
INDIVIDUAL, BUSINESS = "Individual", "Business"


@dataclass(frozen=True, slots=True)
class Party:
    """The counterparty of a transaction, as stored: its contact and the account the money moves with."""

    contact: tables.PayContact
    account: tables.PayContactAccount


def display_name(contact: tables.PayContact) -> str:
    if contact.legal_name:
        return contact.legal_name
    return " ".join(n for n in (contact.first_name, contact.last_name) if n)


def _text(body: dict[str, Any], field: str, where: str, limit: int = MAX_NAME) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise errors.InvalidRequest(f"{where}{field} must be a non-empty string.")
    if len(value.strip()) > limit:
        raise errors.InvalidRequest(f"{where}{field} must be at most {limit} characters.")
    return value.strip()


def _numbers(info: dict[str, Any], where: str) -> dict[str, str] | None:
    given = {f: info.get(f) for f in _DIGITS if info.get(f) is not None}
    if not given:
        return None
    found = {}
    for field, (low, high) in _DIGITS.items():
        value = given.get(field)
        if not isinstance(value, str) or not value.isascii() or not value.isdigit():
            raise errors.InvalidRequest(f"{where}{field} must be a string of digits.")
        if not low <= len(value) <= high:
            size = f"{low} digits" if low == high else f"{low} to {high} digits"
            raise errors.InvalidRequest(f"{where}{field} must have {size}.")
        found[field] = value
    return found


def _account(db: DbSession, client_id: str, key: Any) -> tables.PayContactAccount:
    """A contact's account, when the contact is the client's; 404 otherwise."""
    found = identifier(key)
    account = db.get(tables.PayContactAccount, found) if found else None
    contact = None if account is None else db.get(tables.PayContact, account.contact_id)
    if account is None or contact is None or contact.client_id != client_id:
        raise errors.NotFound("No EFT account of this client has this id.")
    return account


def party(
    db: DbSession, client_id: str, body: dict[str, Any], where: str, now: datetime, new_id: Any
) -> Party:
    """The counterparty ``body`` (a transaction's ``payor`` or ``payee``) names, stored if new; 400 naming
    the first rule it breaks, 404 for an id this client does not have."""
    account_info = object_field(body, "accountInfo", where)
    contact_info = object_field(body, "contactInfo", where)
    account_id = account_info.get("accountId")
    numbers = _numbers(account_info, f"{where}accountInfo.")
    if (account_id is None) == (numbers is None):
        raise errors.InvalidRequest(
            f"{where}accountInfo needs either accountId or institutionCode, transitNumber and accountNumber."
        )
    contact_id = contact_info.get("contactId")
    names = {
        f: _text(contact_info, f, f"{where}contactInfo.") for f in ("firstName", "lastName", "legalName")
    }
    email = _text(contact_info, "email", f"{where}contactInfo.", limit=254)
    named = any(names.values())
    if contact_id is not None and named:
        raise errors.InvalidRequest(f"{where}contactInfo takes either contactId or names, not both.")
    if account_id is not None:
        if named:
            raise errors.InvalidRequest(
                f"{where}contactInfo names no one new when accountInfo.accountId is given."
            )
        account = _account(db, client_id, account_id)
        if contact_id is not None and identifier(contact_id) != account.contact_id:
            raise errors.InvalidRequest(f"{where}accountInfo.accountId is not an account of that contact.")
        owner = db.get(tables.PayContact, account.contact_id)
        assert owner is not None  # _account found the account through its contact
        return Party(owner, account)
    assert numbers is not None
    if contact_id is not None:
        contact = find(db, client_id, contact_id)
        return Party(contact, _account_of(db, contact, numbers, now, new_id))
    if not named:
        raise errors.InvalidRequest(
            f"{where}contactInfo needs contactId, or firstName and lastName, or legalName."
        )
    person = names["firstName"] is not None or names["lastName"] is not None
    if person and (names["firstName"] is None or names["lastName"] is None):
        raise errors.InvalidRequest(f"{where}contactInfo needs both firstName and lastName.")
    if person and names["legalName"] is not None:
        raise errors.InvalidRequest(f"{where}contactInfo takes a person's names or a legalName, not both.")
    contact = tables.PayContact(
        id=new_id(),
        client_id=client_id,
        first_name=names["firstName"],
        last_name=names["lastName"],
        legal_name=names["legalName"],
        email=email,
        contact_type=INDIVIDUAL if person else BUSINESS,
        created_at=now,
    )
    db.add(contact)
    return Party(contact, _account_of(db, contact, numbers, now, new_id))


def _account_of(
    db: DbSession, contact: tables.PayContact, numbers: dict[str, str], now: datetime, new_id: Any
) -> tables.PayContactAccount:
    a = tables.PayContactAccount
    found = db.scalars(
        select(a).where(
            a.contact_id == contact.id,
            a.institution_code == numbers["institutionCode"],
            a.transit_number == numbers["transitNumber"],
            a.account_number == numbers["accountNumber"],
        )
    ).first()
    if found is not None:
        return found
    account = a(
        id=new_id(),
        contact_id=contact.id,
        institution_code=numbers["institutionCode"],
        transit_number=numbers["transitNumber"],
        account_number=numbers["accountNumber"],
        created_at=now,
    )
    db.add(account)
    return account


def find(db: DbSession, client_id: str, contact_id: Any) -> tables.PayContact:
    return owned(db, tables.PayContact, contact_id, client_id, "No contact of this client has this id.")


def get(ctx: InstanceContext, client_id: str, contact_id: str) -> dict[str, Any]:
    with ctx.store.read() as db:
        return view(db, find(db, client_id, contact_id))


def view(db: DbSession, contact: tables.PayContact) -> dict[str, Any]:
    """A contact as ``GET /api/v1/contacts/{contactId}`` answers it: its EFT accounts' ``id`` is what a
    transaction's ``accountInfo.accountId`` takes."""
    a = tables.PayContactAccount
    accounts = db.scalars(select(a).where(a.contact_id == contact.id).order_by(a.created_at, a.id))
    return {
        "id": contact.id,
        "firstName": contact.first_name,
        "lastName": contact.last_name,
        "legalName": contact.legal_name,
        "middleName": None,
        "shortName": None,
        "emailAddress": contact.email,
        "phoneNumber": None,
        "contactType": contact.contact_type,
        "addresses": [],
        "accounts": {
            "eftAccounts": [
                {
                    "id": account.id,
                    "institutionCode": account.institution_code,
                    "transitNumber": account.transit_number,
                    "accountNumber": account.account_number,
                    "isValid": True,
                }
                for account in accounts
            ],
            "interacAccounts": [],
        },
    }
