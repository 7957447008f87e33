"""Categories over HTTP: a login's categorized transactions and the category trees."""

from __future__ import annotations

import httpx

from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.enrich import categories
from tests.enrich.api.conftest import connected_card
from tests.flinks import Flinks


async def test_every_transaction_of_the_login_gets_a_category_of_its_country(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    response = await card.categorization()
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["LoginId"], body["RequestId"]) == (card.login_id, card.request_id)
    listed = {t["TransactionId"]: t for t in body["Transactions"]}
    stored = {t["Id"]: (a["Id"], t) for a in card.detail["Accounts"] for t in a["Transactions"]}
    assert set(listed) == set(stored)  # every stored transaction (a year), none other
    for ident, item in listed.items():
        account_id, row = stored[ident]
        assert item["AccountId"] == account_id and item["Description"] == row["Description"]
        assert categories.primary_of(Country.CA, item["SubCategory"]) == item["Category"]
        side = "Debit" if row["Debit"] is not None else "Credit"
        assert item[side] == row[side] and ({"Debit", "Credit"} - {side}).isdisjoint(item)
        assert item["Date"] == row["Date"].replace("/", "-")
        assert "Rule" not in item
    known = [t for t in listed.values() if t["Category"] != categories.UNCATEGORIZED]
    assert len(known) >= 0.9 * len(listed)  # the sandbox bank's descriptions are ordinary ones


async def test_explain_gives_the_rule_behind_each_category(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    card = await connected_card(Flinks(toolbox), clock)
    items = (await card.categorization(explain=True)).json()["Transactions"]
    assert all(isinstance(t["Rule"], str) and t["Rule"] for t in items)
    nsf = [t for t in items if t["Description"] == "NSF FEE"]
    assert all(t["SubCategory"] == categories.NSF_FEE for t in nsf)


async def test_category_trees_need_the_secret_and_match_the_table(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    url = f"{flinks.prefix}/Categories"
    secret = {"Authorization": f"Bearer {flinks.secret_key}"}
    refused = await toolbox.get(f"{url}/CA")
    assert refused.status_code == 401 and refused.json()["FlinksCode"] == "ACCESS_DENIED"
    assert (await toolbox.get(f"{url}/CA", headers={"Authorization": "Bearer wrong"})).status_code == 401
    ca = (await toolbox.get(f"{url}/CA", headers=secret)).json()
    assert ca == categories.document(Country.CA)
    assert (await toolbox.get(url, headers=secret)).json() == ca  # Canada by default
    us = (await toolbox.get(f"{flinks.prefix}/categories/us", headers=secret)).json()
    assert us == categories.document(Country.US)
    names = {c["PrimaryCategoryName"] for c in us}
    assert {"Income", "Food and Dining", "Transfers and Adjustments"} <= names
    bad = await toolbox.get(f"{url}/FR", headers=secret)
    assert bad.status_code == 404 and bad.json()["FlinksCode"] == "NOT_FOUND"
