"""A login's attributes over HTTP: the packages, the custom list, the 202/8-minute rules, the errors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from finstance.core.clock import ManualClock
from finstance.enrich import attributes, service
from tests.enrich.api.conftest import Card, connected_card
from tests.flinks import Flinks


def transactions_of(detail: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["Id"]: {**t, "AccountId": a["Id"]} for a in detail["Accounts"] for t in a["Transactions"]}


async def test_income_attributes_of_greatday_are_explained_transaction_by_transaction(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    response = await card.attributes("GetIncomeAttributes", detail=True)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["HttpStatusCode"] == 200
    assert body["RequestId"] == card.request_id and body["Login"]["Id"] == card.login_id
    values = body["Card"]
    assert values["Id"] == card.login_id
    expected = {a.name for a in attributes.package(attributes.INCOME)}
    assert expected <= set(values) and len(expected) >= 20
    # Greatday is paid by an employer: the 90 days of pay are the credits listed behind the value.
    pay = values["sum_employer_income_90_days"]
    assert pay > 0 and values["has_employer_income"] == "YES"
    assert values["employer_name"] not in ("NONE_DETECTED", None)
    details = {d["Attribute"]: d["Transactions"] for d in values["AttributesDetail"]}
    behind = details["sum_employer_income_90_days"]
    stored = transactions_of(card.detail)
    assert round(sum(t["Credit"] for t in behind), 2) == pay
    as_of = date.fromisoformat(card.detail["Login"]["LastRefresh"][:10])
    for t in behind:
        row = stored[t["TransactionId"]]  # a real transaction of the login, as GetAccountsDetail shows it
        assert row["Credit"] == t["Credit"] and row["Description"] == t["Description"]
        day = date(*map(int, t["Date"].split("/")))  # YYYY/MM/DD, as Flinks' attribute samples write it
        assert day == date.fromisoformat(row["Date"])
        assert as_of - timedelta(days=89) <= day <= as_of
    categorized = {t["TransactionId"]: t for t in (await card.categorization()).json()["Transactions"]}
    assert {categorized[t["TransactionId"]]["SubCategory"] for t in behind} == {"Employment Income"}


@pytest.mark.parametrize("endpoint", list(service.PACKAGES))
async def test_every_package_answers_its_attributes(
    endpoint: str, toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    response = await card.attributes(endpoint)
    assert response.status_code == 200, response.text
    values = response.json()["Card"]
    names = [a.name for a in attributes.package(service.PACKAGES[endpoint])]
    assert set(values) == {"Id", "AttributesDetail", *names}
    assert values["AttributesDetail"] == []  # the transactions behind them only when asked


async def test_endpoint_names_match_case_insensitively(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    assert (await card.attributes("getincomeattributes")).status_code == 200
    missing = await card.attributes("GetNothingAttributes")
    assert missing.status_code == 404 and missing.json()["FlinksCode"] == "NOT_FOUND"


async def test_attributes_answer_202_while_the_aggregation_runs(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    session = await flinks.connect("test_pending")
    request_id, login_id = session["RequestId"], session["Login"]["Id"]
    assert (await flinks.data("GetAccountsDetail", {"RequestId": request_id})).status_code == 202
    card = Card(flinks, login_id, request_id, {})
    pending = await card.attributes("GetIncomeAttributes")
    assert pending.status_code == 202 and pending.json()["FlinksCode"] == "OPERATION_PENDING"
    clock.advance(61)
    assert (await card.attributes("GetIncomeAttributes")).status_code == 200


async def test_attributes_expire_8_minutes_after_the_accounts_detail(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    clock.advance(8 * 60 - 1)
    assert (await card.attributes("GetIncomeAttributes")).status_code == 200
    clock.advance(1)
    expired = await card.attributes("GetIncomeAttributes")
    assert expired.status_code == 400
    assert expired.json()["FlinksCode"] == "SESSION_EXPIRED"
    assert expired.json()["Message"] == "RequestId is invalid or session has ended."
    categories = await card.categorization()
    assert categories.status_code == 400 and categories.json()["FlinksCode"] == "SESSION_EXPIRED"


async def test_a_request_id_without_accounts_detail_is_refused(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    cached = await card.flinks.cached(card.login_id)
    fresh = Card(card.flinks, card.login_id, cached.json()["RequestId"], {})
    refused = await fresh.attributes("GetIncomeAttributes")
    assert refused.status_code == 400 and refused.json()["FlinksCode"] == "INVALID_REQUEST"
    assert "GetAccountsDetail" in refused.json()["Message"]


async def test_identifiers_that_do_not_match_are_refused(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    card = await connected_card(flinks, clock)
    other = await connected_card(flinks, clock, "Greatday")
    crossed = Card(flinks, card.login_id, other.request_id, {})
    refused = await crossed.attributes("GetIncomeAttributes")
    assert refused.status_code == 400 and refused.json()["FlinksCode"] == "SESSION_NONEXISTENT"
    unknown = Card(flinks, card.login_id, "8f0b4a4e-1a37-4c2e-9c1e-3b7f0e6f9a11", {})
    assert (await unknown.attributes("GetIncomeAttributes")).json()["FlinksCode"] == "SESSION_NONEXISTENT"
    no_login = Card(flinks, "8f0b4a4e-1a37-4c2e-9c1e-3b7f0e6f9a11", card.request_id, {})
    assert (await no_login.attributes("GetIncomeAttributes")).json()["FlinksCode"] == "INVALID_LOGIN"
    url = f"{card.root}/insight/login/{card.login_id}/attributes/{card.request_id}/GetIncomeAttributes"
    no_key = await toolbox.get(url)
    assert no_key.status_code == 401 and no_key.json()["FlinksCode"] == "ACCESS_DENIED"


async def test_custom_attributes_with_details_filters_and_limit_days(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    names = ["sum_employer_income_30_days", "sum_employer_income_90_days", "count_nsf_90_days"]
    body = {"Attributes": {"Card": names}, "AttributesDetail": {"Card": ["sum_employer_income_90_days"]}}
    response = await card.custom(body)
    assert response.status_code == 200, response.text
    values = response.json()["Card"]
    assert set(values) == {"Id", "AttributesDetail", *names}
    assert [d["Attribute"] for d in values["AttributesDetail"]] == ["sum_employer_income_90_days"]
    # limitDays keeps the last 30 days only: the 90-day sum becomes the 30-day one.
    limited = (await card.custom(body, limitDays="30")).json()["Card"]
    assert limited["sum_employer_income_90_days"] == values["sum_employer_income_30_days"]
    # Only the credit card: no pay lands there.
    credit_card = next(a["Id"] for a in card.detail["Accounts"] if a["Type"] == "CreditCard")
    only_card = (await card.custom({**body, "AccountFilter": [credit_card]})).json()["Card"]
    assert only_card["sum_employer_income_90_days"] == 0
    operations = (await card.custom({**body, "Filters": {"AccountCategory": ["Operations"]}})).json()["Card"]
    assert operations["sum_employer_income_90_days"] == values["sum_employer_income_90_days"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"Attributes": {"Card": []}}, "At least a single attribute must be provided."),
        ({}, "At least a single attribute must be provided."),
        ({"Attributes": {"Card": ["sum_of_everything"]}}, "The attribute name is not valid."),
        (
            {"Attributes": {"Card": ["count_nsf_30_days"]}, "Filters": {"AccountCategory": ["Credits"]}},
            "One or more filters are invalid.",
        ),
        (
            {"Attributes": {"Card": ["count_nsf_30_days"]}, "AccountFilter": []},
            "If AccountFilter is present at least a single accountId must be provided",
        ),
        (
            {"Attributes": {"Card": ["count_nsf_30_days"]}, "AccountFilter": ["not-an-account"]},
            "The AccountId: not-an-account in AccountFilter is not valid",
        ),
    ],
)
async def test_custom_attributes_refuse_bad_requests_with_the_documented_messages(
    body: dict[str, Any], message: str, toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    response = await card.custom(body)
    assert response.status_code == 400, response.text
    assert response.json()["FlinksCode"] == "INVALID_REQUEST"
    assert response.json()["Message"] == message


async def test_details_must_be_asked_for_and_limit_days_must_be_a_day_count(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    body = {
        "Attributes": {"Card": ["count_nsf_30_days"]},
        "AttributesDetail": {"Card": ["count_nsf_60_days"]},
    }
    assert (await card.custom(body)).json()["FlinksCode"] == "INVALID_REQUEST"
    for bad in ("0", "366", "ten", "-5", "1.5"):
        response = await card.attributes("GetIncomeAttributes", limitDays=bad)
        assert response.status_code == 400 and "limitDays" in response.json()["Message"], bad


async def test_library_lists_every_attribute_and_each_is_accepted_by_the_custom_endpoint(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    root = flinks.prefix.removesuffix("/BankingServices")
    secret = {"Authorization": f"Bearer {flinks.secret_key}"}
    assert (await toolbox.get(f"{root}/attributes/library")).status_code == 401
    library = (await toolbox.get(f"{root}/attributes/library", headers=secret)).json()
    names = [a["Name"] for category in library for a in category["Attributes"]]
    assert len(names) == len(set(names)) >= 300
    assert all(a["Description"] for category in library for a in category["Attributes"])
    business = (await toolbox.get(f"{root}/attributes/library/business", headers=secret)).json()
    assert len([a for c in business for a in c["Attributes"]]) >= 40
    card = await connected_card(flinks, clock)
    response = await card.custom({"Attributes": {"Card": names}})
    assert response.status_code == 200, response.text
    assert set(response.json()["Card"]) == {"Id", "AttributesDetail", *names}
