"""DeleteCard forgets everything a login left anywhere in its instance's store, on every backend.

A login is made through the Connect pages and through the API, aggregated, its statements read, its MFA
answers stored, its events written to the outbox for a webhook endpoint. After DeleteCard every column of
every table is scanned for its loginId, RequestIds, account ids and its holder's data: none is left. Its
pending webhook deliveries are cancelled, never sent; another login of the same instance keeps all it had.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from finstance.app import create_app
from finstance.core import jobs, webhooks
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import toolbox_spec
from finstance.core.states import DeliveryStatus
from finstance.core.store import tables
from tests.conftest import TEST_SETTINGS
from tests.connect.web.test_flow import Browser
from tests.core.webhooks.receiver import Receiver
from tests.flinks import Flinks
from tests.residency.helpers import Produced, collect, full_flows
from tests.residency.test_store_scan import dump, found_in


@asynccontextmanager
async def instance(
    store_url: str, clock: ManualClock
) -> AsyncIterator[tuple[InstanceContext, httpx.AsyncClient]]:
    spec = replace(toolbox_spec(store_url), webhook_secret="forget-test-webhook-secret")
    app = create_app(spec, TEST_SETTINGS, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toolbox.test") as http:
            yield app.state.ctx, http


def markers_of(rows: dict[str, list[dict[str, Any]]], produced: Produced) -> set[str]:
    """What would betray the login: the values it was handed, its accounts and holder as stored."""
    login_id = produced.login_id
    accounts = [a for a in rows["accounts"] if a["login_id"] == login_id]
    holders = [h for h in rows["holders"] if h["login_id"] == login_id]
    assert accounts and holders
    found = set(produced.values) | {login_id}
    found |= {a["id"] for a in accounts} | {a["account_number"] for a in accounts if a.get("account_number")}
    for holder in holders:
        found |= {v for k, v in holder.items() if k != "login_id" and isinstance(v, str) and len(v) >= 6}
    return found


async def test_delete_card_leaves_nothing_of_the_login_in_any_table(
    store_url: str, clock: ManualClock
) -> None:
    receiver = Receiver().start()
    try:
        async with instance(store_url, clock) as (ctx, http):
            webhooks.add_endpoint(ctx, receiver.url)
            # Through the Connect pages first: a connect_flows row, a job, and the login.
            browser = Browser(http)
            await browser.to_credentials("demo=true&consentEnable=false&tag=forget-me")
            await browser.log_in("Greatday")
            page_login = (await browser.answer()).events[-1]["loginId"]
            # Then everything the API does with it: aggregation, statements, stored answers, refresh flag.
            flinks = Flinks(http)
            produced = await full_flows(flinks, clock)
            assert produced.login_id == page_login
            # Another login of the same instance, whose data must stay.
            other = Produced(login_id=(await flinks.connect("greatday_nomfa"))["Login"]["Id"])
            clock.advance(timedelta(seconds=10))
            jobs.run_due(ctx)
            kept = await flinks.cached(other.login_id)
            collect(other, kept.json())
            other_detail = await flinks.data("GetAccountsDetail", {"RequestId": kept.json()["RequestId"]})
            assert other_detail.status_code == 200, other_detail.text
            collect(other, other_detail.json())

            store = ctx.store
            before = dump(store)
            markers = markers_of(before, produced) - markers_of(before, other)
            hit_tables = {table for table, _, _ in found_in(before, markers)}
            # The scanner sees the login where it lives before DeleteCard, outbox and flows included.
            assert {
                "logins",
                "accounts",
                "transactions",
                "holders",
                "sessions",
                "outbox_events",
            } <= hit_tables
            assert "connect_flows" in hit_tables and "jobs" in hit_tables
            with store.read() as db:
                events = {e.id: e.login_id for e in db.scalars(select(tables.OutboxEvent))}
                deliveries = list(db.scalars(select(tables.WebhookDelivery)))
            forgotten = {d.id for d in deliveries if events[d.event_id or ""] == produced.login_id}
            assert forgotten and all(d.status is DeliveryStatus.PENDING for d in deliveries)

            deleted = await http.delete(
                f"{flinks.prefix}/DeleteCard/{produced.login_id}", headers={"x-api-key": flinks.api_key}
            )
            assert deleted.status_code == 200, deleted.text

            after = dump(store)
            assert found_in(after, markers) == []
            # Nothing of the other login went.
            assert found_in(after, markers_of(before, other) - markers) == found_in(
                before, markers_of(before, other) - markers
            )
            # The login's deliveries are cancelled; the worker sends only the other login's events.
            with store.read() as db:
                statuses = {d.id: d.status for d in db.scalars(select(tables.WebhookDelivery))}
            assert {statuses[d] for d in forgotten} == {DeliveryStatus.CANCELLED}
            assert webhooks.deliver_due(ctx) == len(statuses) - len(forgotten) > 0
            sent = b"".join(r.body for r in receiver.requests)
            assert other.login_id.encode() in sent
            assert [m for m in markers if m.lower().encode() in sent.lower()] == []
            # The login is unknown to the API now.
            cached = await flinks.cached(produced.login_id)
            assert cached.status_code == 401 and cached.json()["FlinksCode"] == "INVALID_LOGIN"
    finally:
        receiver.stop()
