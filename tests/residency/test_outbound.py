"""Outbound's consents, tokens and data stay with their instance: DeleteCard revokes a deleted login's
consents and leaves nothing of them in any table; another instance refuses the tokens and clients of this
one and keeps nothing of them; every identifier Outbound stores was minted by its own instance (the audit's
declaration)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from finstance.core.clock import ManualClock
from finstance.core.identifiers import Origin, classify
from finstance.core.instance import TOOLBOX_API_KEY, sqlite_url, toolbox_spec
from finstance.outbound import tables
from finstance.outbound.product import PRODUCT
from tests.conftest import us_spec
from tests.outbound.conftest import Outbound, outbound, serve_outbound
from tests.residency.test_store_scan import dump, found_in

FDX = "/outbound/api/fdx/5"
__all__ = ["outbound"]  # the fixture of the Outbound tests: a toolbox instance with a recipient


@pytest.fixture
async def other(tmp_path: Path) -> AsyncIterator[Outbound]:
    """A U.S. instance on a store of its own."""
    async for served in serve_outbound(us_spec(sqlite_url(tmp_path / "us.db")), ManualClock()):
        yield served


async def test_delete_card_revokes_the_logins_consents_and_leaves_nothing_of_them(outbound: Outbound) -> None:
    tokens = await outbound.tokens()
    outbound.clock.advance(timedelta(seconds=5))
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await outbound.http.get(f"{FDX}/accounts", headers=bearer)).status_code == 200
    with outbound.ctx.store.read() as db:
        consent = db.query(tables.Consent).one()
        markers = {consent.id, consent.subject, consent.login_id, *consent.account_ids}
        assert consent.refresh_hash is not None
        markers.add(consent.refresh_hash)
    customer_id = outbound.ctx.spec.customer_id
    deleted = await outbound.http.delete(
        f"/v3/{customer_id}/BankingServices/DeleteCard/{consent.login_id}",
        headers={"x-api-key": TOOLBOX_API_KEY},
    )
    assert deleted.status_code == 200, deleted.text
    refused = await outbound.http.get(f"{FDX}/accounts", headers=bearer)
    assert refused.status_code == 401 and refused.json()["code"] == "602"
    refresh = await outbound.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"
    rows = dump(outbound.ctx.store)
    assert found_in(rows, markers) == []
    kept = [r["client_id"] for r in rows["outbound_recipients"]]
    assert kept == [outbound.client_id]  # the recipient stays


async def test_another_instance_refuses_this_ones_tokens_and_clients_and_keeps_nothing(
    outbound: Outbound, other: Outbound
) -> None:
    tokens = await outbound.tokens()
    outbound.clock.advance(timedelta(seconds=5))
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await outbound.http.get(f"{FDX}/accounts", headers=bearer)).status_code == 200
    for path in ("/accounts", "/customers/current"):
        refused = await other.http.get(FDX + path, headers=bearer)
        assert refused.status_code == 401 and refused.json()["code"] == "602"
    assert (await other.http.delete("/outbound/api/v1/revoke", headers=bearer)).status_code == 401
    foreign_client = await other.http.post(
        "/outbound/api/v1/token",
        data={"grant_type": "client_credentials"},
        auth=(outbound.client_id, outbound.client_secret),
    )
    assert foreign_client.status_code == 401 and foreign_client.json()["error"] == "invalid_client"
    refresh = await other.http.post(
        "/outbound/api/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(other.client_id, other.client_secret),
    )
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"
    page = await other.http.get(outbound.authorize_url())
    assert page.status_code == 401
    with outbound.ctx.store.read() as db:
        consent = db.query(tables.Consent).one()
        markers = {consent.id, consent.subject, consent.login_id, outbound.client_id, *consent.account_ids}
    assert found_in(dump(other.ctx.store), markers) == []
    assert isinstance(other.http, httpx.AsyncClient)


async def test_every_identifier_outbound_stores_was_minted_by_its_instance(outbound: Outbound) -> None:
    await outbound.tokens()
    await outbound.consent(approve=False)
    rows = dump(outbound.ctx.store)
    checked = 0
    for table, column in PRODUCT.minted:
        for row in rows[table.__tablename__]:
            if row[column] is not None:
                assert classify(row[column], outbound.ctx.spec.customer_id) is Origin.THIS_INSTANCE, (
                    table,
                    column,
                )
                checked += 1
    assert checked >= 6
    assert toolbox_spec("sqlite:///x").customer_id == outbound.ctx.spec.customer_id
