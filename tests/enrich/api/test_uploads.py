"""Attributes and categories of transactions a client sends: the documented checks, balances, countries."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from finstance.core.country import Country
from finstance.enrich import categories
from tests.conftest import US_CUSTOMER_ID, US_SECRET_KEY
from tests.flinks import Flinks

# Three pay deposits, rent and groceries, newest first, with running balances worked out by hand:
# 1,000.00 opening + 2,000.00 + 2,000.00 - 1,450.00 - 123.45 + 2,000.00 = 5,426.55.
OWN = [
    {"TransactionDate": "2026/03/27", "Description": "PAYROLL DEPOSIT ACME WIDGETS INC", "Debit": None,
     "Credit": "2000.00", "Balance": "5426.55"},
    {"TransactionDate": "2026/03/14", "Description": "LOBLAWS #1234 TORONTO ON", "Debit": "123.45",
     "Credit": None, "Balance": "3426.55"},
    {"TransactionDate": "2026/03/13", "Description": "PAYROLL DEPOSIT ACME WIDGETS INC", "Debit": None,
     "Credit": "2000.00", "Balance": "3550.00"},
    {"TransactionDate": "2026/03/01", "Description": "E-TRANSFER SENT LANDLORD RENT", "Debit": "1450.00",
     "Credit": None, "Balance": "1550.00"},
    {"TransactionDate": "2026/02/27", "Description": "PAYROLL DEPOSIT ACME WIDGETS INC", "Debit": None,
     "Credit": "2000.00", "Balance": "3000.00"},
]  # fmt: skip


def secret(flinks: Flinks) -> dict[str, str]:
    return {"Authorization": f"Bearer {flinks.secret_key}"}


def root(flinks: Flinks) -> str:
    return flinks.prefix.removesuffix("/BankingServices")


async def upload(flinks: Flinks, path: str, body: Any, **headers: str) -> httpx.Response:
    return await flinks.http.post(f"{root(flinks)}/{path}", json=body, headers={**secret(flinks), **headers})


async def test_attributes_of_uploaded_transactions(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    names = ["sum_employer_income_30_days", "sum_employer_income_90_days", "balance_current"]
    body = {"OriginCountry": "ca", "Transactions": OWN, "Card": names,
            "AttributesDetail": {"Card": ["sum_employer_income_90_days"]}}  # fmt: skip
    response = await upload(flinks, "attributes/upload", body)
    assert response.status_code == 200, response.text
    answer = response.json()
    card = answer["Card"]
    # As of Mar 27, the 30 days start on Feb 26: the Feb 27 pay (28 days back) is in, so 3 x 2,000.00.
    assert card["sum_employer_income_30_days"] == 6000.0
    assert card["sum_employer_income_90_days"] == 6000.0
    assert card["balance_current"] == 5426.55
    (detail,) = card["AttributesDetail"]
    assert detail["Attribute"] == "sum_employer_income_90_days"
    assert sorted(t["Date"] for t in detail["Transactions"]) == ["2026/02/27", "2026/03/13", "2026/03/27"]
    assert isinstance(answer["requestId"], str)


async def test_balances_are_derived_from_the_most_recent_or_the_oldest(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    bare = [{k: v for k, v in t.items() if k != "Balance"} for t in OWN]
    names = ["balance_current", "balance_min"]
    for extra in ({"MostRecentBalance": 5426.55}, {"Options": {"OldestBalance": "3000.00"}}):
        body = {"Origin Country": "ca", "Transactions": list(reversed(bare)), "Card": names, **extra}
        response = await upload(flinks, "attributes/upload", body)
        assert response.status_code == 200, (extra, response.text)
        card = response.json()["Card"]
        # The lowest running balance is 1,550.00, after the rent.
        assert (card["balance_current"], card["balance_min"]) == (5426.55, 1550.0), extra


async def test_use_case_variants_ignore_card(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    body = {"OriginCountry": "ca", "Transactions": OWN, "Card": ["count_nsf_30_days"]}
    response = await upload(flinks, "attributes/upload/Income", body)
    assert response.status_code == 200, response.text
    card = response.json()["Card"]
    assert "count_nsf_30_days" not in card and card["sum_employer_income_90_days"] == 6000.0
    unknown = await upload(flinks, "attributes/upload/Everything", body)
    assert unknown.status_code == 404


def with_first(**changes: Any) -> list[dict[str, Any]]:
    return [{**OWN[0], **changes}, *OWN[1:]]


def ca(transactions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"OriginCountry": "ca", "Transactions": transactions, "Card": ["balance_min"]}


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"Transactions": OWN, "Card": ["balance_min"]}, "OriginCountry"),
        ({"OriginCountry": "fr", "Transactions": OWN, "Card": ["balance_min"]}, "OriginCountry"),
        ({"OriginCountry": "us", "Transactions": OWN, "Card": ["balance_min"]}, "US instance"),
        ({"OriginCountry": "ca", "Transactions": [], "Card": ["balance_min"]}, "Transactions"),
        ({"OriginCountry": "ca", "Transactions": OWN}, "At least a single attribute"),
        ({"OriginCountry": "ca", "Transactions": OWN, "Card": ["nope"]}, "attribute name is not valid"),
        (ca(with_first(TransactionDate="2026-03-27")), "YYYY/MM/DD"),
        (ca(with_first(TransactionDate="2026/02/30")), "calendar"),
        (ca(with_first(Debit="5.00")), "exactly one of Debit and Credit"),
        (ca(with_first(Credit="2000.001")), "two decimals"),
        (ca(with_first(Credit="-2000.00")), "positive"),
        (ca(with_first(Credit="lots")), "amount"),
        (ca(with_first(Description="")), "Description"),
        (ca([OWN[1], OWN[0], OWN[2]]), "one date order"),
        (ca(with_first(Balance=None)), "every transaction, or on none"),
        (ca([{k: v for k, v in t.items() if k != "Balance"} for t in OWN]), "MostRecentBalance or Oldest"),
        (ca(with_first(Description="PAY\x00ROLL")), "NUL"),
        ({"OriginCountry": "ca", "Transactions": OWN, "Card": "balance_min"}, "list of strings"),
        ([OWN], "JSON object"),
    ],
)  # fmt: skip
async def test_uploads_are_checked_as_documented(
    body: dict[str, Any], needle: str, toolbox: httpx.AsyncClient
) -> None:
    response = await upload(Flinks(toolbox), "attributes/upload", body)
    assert response.status_code == 400, response.text
    assert response.json()["FlinksCode"] == "INVALID_REQUEST"
    assert needle in response.json()["Message"], response.json()["Message"]


async def test_uploads_need_the_secret_key(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    body = {"OriginCountry": "ca", "Transactions": OWN, "Card": ["balance_min"]}
    for headers in ({}, {"Authorization": "Bearer nope"}, {"x-api-key": flinks.api_key}):
        response = await toolbox.post(f"{root(flinks)}/attributes/upload", json=body, headers=headers)
        assert response.status_code == 401 and response.json()["FlinksCode"] == "ACCESS_DENIED"


async def test_categorization_upload_on_a_us_instance(demo_us: httpx.AsyncClient) -> None:
    flinks = Flinks(demo_us, customer_id=US_CUSTOMER_ID, secret_key=US_SECRET_KEY, country=Country.US)
    own = [
        {"TransactionDate": "2026/04/03", "Description": "DIRECT DEP GLOBEX CORP PAYROLL",
         "Credit": "1834.22", "Debit": None},
        {"TransactionDate": "2026/04/02", "Description": "CHECKCARD 0401 STARBUCKS STORE 10432 SEATTLE WA",
         "Debit": "6.45", "Credit": None},
        {"TransactionDate": "2026/04/01", "Description": "SSA TREAS 310 XXSOC SEC", "Credit": "1402.00",
         "Debit": None},
    ]  # fmt: skip
    body = {
        "OriginCountry": "us",
        "Transactions": own,
        "MostRecentBalance": "4000.00",
        "UserIdentifier": "user-42",
    }
    response = await upload(flinks, "Categorization/Upload", body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["LoginId"] == "user-42" and isinstance(answer["RequestId"], str)
    got = [(t["Description"], t["Category"], t["SubCategory"]) for t in answer["Transactions"]]
    assert [d for d, _, _ in got] == [t["Description"] for t in own]
    assert all(categories.primary_of(Country.US, sub) == cat for _, cat, sub in got)
    assert got[0][2] == categories.EMPLOYMENT_INCOME and got[2][2] == categories.GOVERNMENT_PENSION
    assert got[1][1] == categories.FOOD
    assert answer["Transactions"][1]["Debit"] == 6.45 and answer["Transactions"][1]["Credit"] is None
    # A Canadian end-user's transactions are not this instance's to compute over.
    body["OriginCountry"] = "ca"
    refused = await upload(flinks, "Categorization/Upload", body)
    assert refused.status_code == 400 and "CA instance" in refused.json()["Message"]
