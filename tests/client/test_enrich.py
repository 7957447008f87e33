"""The SDK's Enrich methods, sync and async, against the real apps: typed answers, 202s followed, errors."""

from __future__ import annotations

from datetime import date

import pytest

from finstance.client import (
    AsyncFlinksClient,
    FlinksClient,
    SessionExpiredError,
    WrongInstanceLoginError,
    upload_transaction,
)
from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.enrich import categories
from finstance.testing import connect, connect_async


def test_sync_fetch_attributes_follows_202_until_the_aggregation_is_done(
    sync_toolbox_client: FlinksClient, clock: ManualClock
) -> None:
    client = sync_toolbox_client
    login = connect(client, "test_pending").login
    assert login is not None
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    answer = client.fetch_attributes(login.id, "GetIncomeAttributes", poll_interval=10, sleep=sleep)
    assert answer.card["Id"] == login.id and answer.login is not None and answer.request_id
    assert sum(slept) >= 60  # test_pending answers 202 for 60 s
    assert answer.card["has_employer_income"] in ("YES", "NO")
    custom = client.custom_attributes(
        login.id, answer.request_id, ["count_nsf_90_days"], detail=["count_nsf_90_days"]
    )
    assert set(custom.card) == {"Id", "count_nsf_90_days", "AttributesDetail"}
    clock.advance(8 * 60)
    with pytest.raises(SessionExpiredError) as expired:
        client.attributes(login.id, answer.request_id, "GetIncomeAttributes")
    assert expired.value.flinks_code == "SESSION_EXPIRED" and expired.value.http_status == 400


async def test_async_categorization_tree_library_and_uploads(
    toolbox_client: AsyncFlinksClient, clock: ManualClock
) -> None:
    login = (await connect_async(toolbox_client, "greatday_nomfa")).login
    assert login is not None
    clock.advance(5)
    categorized = await toolbox_client.fetch_categorization(login.id, explain=True)
    assert categorized.login_id == login.id and categorized.transactions
    for t in categorized.transactions:
        assert categories.primary_of(Country.CA, t.sub_category) == t.category and t.rule
    tree = await toolbox_client.categories()
    assert [c.primary_category_name for c in tree.root] == [c.name for c in categories.tree(Country.CA)]
    assert (await toolbox_client.categories("US")).root[0].sub_categories
    library = await toolbox_client.attribute_library()
    assert sum(len(c.attributes) for c in library.root) >= 300
    own = [
        upload_transaction(date(2026, 3, 27), "PAYROLL DEPOSIT ACME WIDGETS INC", credit=2000, balance=3000),
        upload_transaction(date(2026, 3, 13), "PAYROLL DEPOSIT ACME WIDGETS INC", credit=1000, balance=1000),
    ]
    income = await toolbox_client.upload_attributes(own, names=["sum_employer_income_30_days"])
    assert income.card["sum_employer_income_30_days"] == 3000.0
    use_case = await toolbox_client.upload_attributes(own, use_case="Income")
    assert use_case.card["sum_employer_income_30_days"] == 3000.0


async def test_async_us_categorization_upload_and_a_canadian_login_refused(
    us_client: AsyncFlinksClient,
) -> None:
    us = await us_client.upload_categorization(
        [upload_transaction(date(2026, 4, 1), "ZELLE PAYMENT TO JOHN SMITH", debit=50)],
        user_identifier="u-1",
        most_recent_balance=100.0,
    )
    assert us.login_id == "u-1" and us.transactions[0].sub_category == categories.PERSON_TO_PERSON
    canadian = "520c2983-cf7b-87e7-9caf-a47af36c522c"  # minted by toolbox (its issuer tag says so)
    with pytest.raises(WrongInstanceLoginError):
        await us_client.attributes(canadian, canadian)  # refused before anything is sent
