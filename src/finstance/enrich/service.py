"""Enrich's services: attributes and categories of a login, or of transactions a client uploads.

Each call reads the login's data in the instance's own store (through Connect's named reads), categorizes
every transaction, computes the attributes asked for from the one registry, and builds the Flinks document.
Nothing is written: attributes and categories are computed on every call, from the data as it stands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.enrich import attributes, cards, uploads
from finstance.enrich.attributes import Attribute, Result
from finstance.enrich.model import CardData, CategorizedTxn, Txn
from finstance.enrich.sessions import open_for_enrich

# The GET package endpoints, and the package each one answers.
PACKAGES: dict[str, str] = {
    "GetIncomeAttributes": attributes.INCOME,
    "GetLendingAttributes": attributes.LENDING,
    "GetCreditRiskAttributes": attributes.CREDIT_RISK,
    "GetUserAnalysisAttributes": attributes.USER_ANALYSIS,
    "GetBusinessAnalysisAttributes": attributes.BUSINESS_ANALYSIS,
    "GetAllAttributes": attributes.ALL,
    "GetAllBusinessAttributes": attributes.ALL_BUSINESS,
}
# The use-case variants of /attributes/upload.
UPLOAD_USE_CASES: dict[str, str] = {
    "AllAttributes": attributes.ALL,
    "UserAnalysis": attributes.USER_ANALYSIS,
    "Income": attributes.INCOME,
    "Lending": attributes.LENDING,
    "CreditRisk": attributes.CREDIT_RISK,
    "BusinessAnalysis": attributes.BUSINESS_ANALYSIS,
    "AllBusinessAttributes": attributes.ALL_BUSINESS,
}

NOT_VALID = "The attribute name is not valid."
NONE_GIVEN = "At least a single attribute must be provided."
BAD_FILTER = "One or more filters are invalid."
EMPTY_ACCOUNT_FILTER = "If AccountFilter is present at least a single accountId must be provided"


def lookup(names: Sequence[str] | None) -> list[Attribute]:
    """The attributes named, in order, without repeats; INVALID_REQUEST for none or an unknown name."""
    if not names:
        raise errors.InvalidRequest(NONE_GIVEN)
    found: dict[str, Attribute] = {}
    for name in names:
        attribute = attributes.get(name.strip())
        if attribute is None:
            raise errors.InvalidRequest(NOT_VALID, extra={"Attribute": name[:100]})
        found.setdefault(attribute.name, attribute)
    return list(found.values())


# -- a login's attributes and categories ------------------------------------------------------------


def package(
    ctx: InstanceContext, login_id: str, request_id: str, endpoint: str, days: int | None, detail: bool
) -> dict[str, Any]:
    """A package's attributes; with ``detail``, the transactions behind each (off by default: a transaction
    feeds dozens of attributes, so GetAllAttributes' detail runs to megabytes)."""
    session = open_for_enrich(ctx, login_id, request_id)
    card = cards.load(ctx, session.login_id, session.last_refresh)
    chosen = attributes.package(PACKAGES[endpoint])
    results = attributes.compute(card, chosen, days)
    body = _attributes_body(session.login_id, card, chosen, results, detail=chosen if detail else ())
    return {**body, "Login": session.login, "RequestId": session.request_id}


def custom(
    ctx: InstanceContext,
    login_id: str,
    request_id: str,
    names: Sequence[str] | None,
    detail_names: Sequence[str] | None,
    categories: Sequence[str] | None,
    account_ids: Sequence[str] | None,
    days: int | None,
) -> dict[str, Any]:
    chosen = lookup(names)
    detail = _detail(chosen, detail_names)
    if categories is not None and (
        not categories or any(c.strip() not in cards.ALLOWED_ACCOUNT_CATEGORIES for c in categories)
    ):
        raise errors.InvalidRequest(BAD_FILTER)
    if account_ids is not None and not account_ids:
        raise errors.InvalidRequest(EMPTY_ACCOUNT_FILTER)
    session = open_for_enrich(ctx, login_id, request_id)
    filters = cards.AccountFilters(
        tuple(categories) if categories is not None else None,
        tuple(account_ids) if account_ids is not None else None,
    )
    card = cards.load(ctx, session.login_id, session.last_refresh, filters)
    results = attributes.compute(card, chosen, days)
    body = _attributes_body(session.login_id, card, chosen, results, detail=detail)
    return {**body, "Login": session.login, "RequestId": session.request_id}


def categorization(ctx: InstanceContext, login_id: str, request_id: str, explain: bool) -> dict[str, Any]:
    session = open_for_enrich(ctx, login_id, request_id)
    card = cards.load(ctx, session.login_id, session.last_refresh)
    return {
        "HttpStatusCode": 200,
        "LoginId": session.login_id,
        "RequestId": session.request_id,
        "Transactions": [categorized(t, explain=explain) for t in card.transactions],
    }


# -- uploaded transactions --------------------------------------------------------------------------


def upload_attributes(
    ctx: InstanceContext, body: Any, use_case: str | None, days: int | None
) -> dict[str, Any]:
    """``/attributes/upload`` (the ``Card`` list) or one of its use-case variants (which ignore it)."""
    if not isinstance(body, Mapping):
        raise errors.InvalidRequest("The body must be a JSON object.")
    if use_case is None:
        chosen = lookup(_names(uploads.field(body, "Card")))
        detail = _detail(chosen, _names(uploads.field(body, *DETAIL_SPELLINGS)))
    else:
        chosen = list(attributes.package(UPLOAD_USE_CASES[use_case]))
        detail = chosen
    uploaded = uploads.parse(ctx, body)
    card = cards.card_of(ctx, uploaded.as_of, uploaded.accounts, uploaded.transactions)
    results = attributes.compute(card, chosen, days)
    request_id = ctx.spec.ids.random()
    answer = _attributes_body(uploaded.user_identifier, card, chosen, results, detail=detail)
    return {**answer, "requestId": request_id}


def upload_categorization(ctx: InstanceContext, body: Any) -> dict[str, Any]:
    uploaded = uploads.parse(ctx, body)
    card = cards.card_of(ctx, uploaded.as_of, uploaded.accounts, uploaded.transactions)
    items = []
    for item in card.transactions:  # newest first, as GetCategorization lists them
        doc: dict[str, Any] = {
            "Description": item.txn.description,
            "Category": item.assignment.category,
            "SubCategory": item.assignment.subcategory,
            "Debit": _money(item.txn.debit_cents),
            "Credit": _money(item.txn.credit_cents),
            "Date": item.txn.date.strftime("%Y/%m/%d"),
        }
        items.append(doc)
    return {
        "HttpStatusCode": 200,
        "LoginId": uploaded.user_identifier or ctx.spec.ids.random(),
        "RequestId": ctx.spec.ids.random(),
        "Transactions": items,
    }


# -- documents --------------------------------------------------------------------------------------


DETAIL_SPELLINGS = ("AttributesDetail", "AttributeDetails", "AttributesDetails")


def _names(value: Any) -> list[str] | None:
    """Attribute names: a list of strings, or ``{"Card": [...]}``; INVALID_REQUEST for anything else."""
    if isinstance(value, Mapping):
        value = uploads.field(value, "Card")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise errors.InvalidRequest("Attribute names are a list of strings.")
    return value


def _detail(chosen: Sequence[Attribute], names: Sequence[str] | None) -> list[Attribute]:
    """The attributes whose transactions are listed: each must also be asked for in ``Attributes.Card``."""
    if names is None:
        return []
    asked = {a.name for a in chosen}
    detail = lookup(names) if names else []
    for attribute in detail:
        if attribute.name not in asked:
            raise errors.InvalidRequest(
                f"{NOT_VALID} {attribute.name} is in AttributesDetail but not in Attributes.Card."
            )
    return detail


def _money(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def detail_transaction(txn: Txn) -> dict[str, Any]:
    return {
        "TransactionId": txn.id,
        "AccountId": txn.account_id,
        "Date": txn.date.strftime("%Y/%m/%d"),
        "Description": txn.description,
        "Debit": _money(txn.debit_cents),
        "Credit": _money(txn.credit_cents),
        "Balance": _money(txn.balance_cents),
    }


def categorized(item: CategorizedTxn, *, explain: bool) -> dict[str, Any]:
    """One transaction of GetCategorization: only the side it moves (Debit or Credit), as Flinks shows it."""
    txn, assignment = item.txn, item.assignment
    doc: dict[str, Any] = {
        "TransactionId": txn.id,
        "AccountId": txn.account_id,
        "Description": txn.description,
        "Category": assignment.category,
        "SubCategory": assignment.subcategory,
        "Balance": _money(txn.balance_cents),
    }
    if txn.debit_cents is not None:
        doc["Debit"] = _money(txn.debit_cents)
    else:
        doc["Credit"] = _money(txn.credit_cents)
    doc["Date"] = txn.date.isoformat()
    if explain:
        doc["Rule"] = assignment.rule
        doc["Counterparty"] = assignment.counterparty
    return doc


def _attributes_body(
    card_id: str | None,
    card: CardData,
    chosen: Sequence[Attribute],
    results: Mapping[str, Result],
    *,
    detail: Sequence[Attribute],
) -> dict[str, Any]:
    document: dict[str, Any] = {} if card_id is None else {"Id": card_id}
    for attribute in chosen:
        document[attribute.name] = attributes.wire_value(attribute, results[attribute.name])
    by_id = {item.txn.id: item.txn for item in card.transactions}
    details = []
    for attribute in detail:
        ids = results[attribute.name].transactions
        if ids:
            details.append(
                {"Attribute": attribute.name, "Transactions": [detail_transaction(by_id[i]) for i in ids]}
            )
    document["AttributesDetail"] = details
    return {"HttpStatusCode": 200, "Card": document}
