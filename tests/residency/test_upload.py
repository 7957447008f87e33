"""Upload keeps to its instance: an upload's loginId, UploadId and API tokens are refused by every other
instance, and DeleteCard forgets the documents, their bytes and everything read from them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from finstance.core import webhooks
from finstance.core.clock import ManualClock
from finstance.core.identifiers import Origin
from finstance.core.states import DeliveryStatus
from finstance.core.store import tables as core_tables
from tests.conftest import serve_in_process
from tests.residency.conftest import DIRECTIONS, build
from tests.residency.test_store_scan import dump, found_in
from tests.upload.api import UploadApi, context
from tests.upload.layouts import ca_english
from tests.upload.test_fraud import ORIGINAL, PROFILE


@pytest.mark.parametrize("direction", DIRECTIONS)
async def test_an_upload_is_refused_by_every_other_instance(
    direction: tuple[str, str], store_pair: tuple[str, str], clock: ManualClock
) -> None:
    a, b = build(direction[0], store_pair[0]), build(direction[1], store_pair[1])
    async with serve_in_process(a.spec, clock) as http_a, serve_in_process(b.spec, clock) as http_b:
        api_a, api_b = UploadApi(http_a, a.spec.customer_id), UploadApi(http_b, b.spec.customer_id)
        state = await api_a.read(("statement.pdf", ORIGINAL))
        login_id, upload_id = state["LoginId"], state["UploadId"]
        assert state["Status"] == "Completed"
        assert a.spec.ids.origin(login_id) == Origin.THIS_INSTANCE
        assert b.spec.ids.origin(login_id) == Origin.OTHER_INSTANCE

        fb = b.client(http_b)
        cached = await fb.cached(login_id)
        assert (cached.status_code, cached.json()["FlinksCode"]) == (401, "INVALID_LOGIN")
        assert cached.json()["WrongInstance"] is True
        fraud = await api_b.fraud(login_id, b.secret_key)
        assert (fraud.status_code, fraud.json()["FlinksCode"], fraud.json()["WrongInstance"]) == (
            401,
            "INVALID_LOGIN",
            True,
        )
        # A's API client and token mean nothing to B; B's own client cannot find A's upload.
        foreign_token = await http_b.post(
            f"{api_b.prefix}/api/v1/token", auth=(api_a.issued.client_id, api_a.issued.client_secret)
        )
        assert (foreign_token.status_code, foreign_token.json()["FlinksCode"]) == (401, "UNAUTHORIZED")
        api_b.bearer = api_a.bearer
        assert (await api_b.state(upload_id)).status_code == 401
        await api_b.token()
        missing = await api_b.state(upload_id)
        assert (missing.status_code, missing.json()["FlinksCode"]) == (404, "NOT_FOUND")
        for answer in (cached, fraud, foreign_token, missing):
            assert PROFILE.holder.name.lower() not in answer.text.lower()
        # Nothing of A's upload reached B's store.
        rows_b = dump(context(http_b).store)
        assert rows_b["uploads"] == [] and rows_b["upload_documents"] == []
        assert found_in(rows_b, {login_id, upload_id, PROFILE.holder.name}) == []
        # And A still serves it.
        detail_a = await a.client(http_a).cached(login_id)
        assert detail_a.status_code == 200, detail_a.text
        assert (await api_a.fraud(login_id, a.secret_key)).status_code == 200


async def test_delete_card_forgets_an_upload_and_everything_read_from_it(
    store_url: str, clock: ManualClock
) -> None:
    party = build("toolbox", store_url)
    async with serve_in_process(party.spec, clock) as http:
        ctx = context(http)
        webhooks.add_endpoint(ctx, "http://127.0.0.1:9/hook")
        api = UploadApi(http, party.spec.customer_id)
        other_pdf, other_shown = ca_english()
        forgotten = await api.read(("statement.pdf", ORIGINAL), ("notes.txt", b"personal notes 4417"))
        kept = await api.read(("maple.pdf", other_pdf))
        login_id = forgotten["LoginId"]
        before = dump(ctx.store)
        number = PROFILE.accounts[0].account_number
        markers = {
            login_id,
            forgotten["UploadId"],
            *(d["DocumentId"] for d in forgotten["Documents"]),
            PROFILE.holder.name,
            number,
            "personal notes 4417",
        }
        hit = {table for table, _, _ in found_in(before, markers)}
        assert {
            "uploads",
            "upload_documents",
            "logins",
            "accounts",
            "holders",
            "jobs",
            "outbox_events",
        } <= hit
        flinks = party.client(http)
        deleted = await http.delete(
            f"{flinks.prefix}/DeleteCard/{login_id}", headers={"x-api-key": party.api_key}
        )
        assert deleted.status_code == 200, deleted.text
        after = dump(ctx.store)
        assert found_in(after, markers) == []
        # The other upload keeps all it had, and only its own deliveries are still to send.
        assert [u["id"] for u in after["uploads"]] == [kept["UploadId"]]
        assert {d["upload_id"] for d in after["upload_documents"]} == {kept["UploadId"]}
        assert found_in(after, {other_shown.accounts[0].number, kept["LoginId"]})
        with ctx.store.read() as db:
            events = {e.id: e.login_id for e in db.scalars(select(core_tables.OutboxEvent))}
            pending = [
                d
                for d in db.scalars(select(core_tables.WebhookDelivery))
                if d.status is DeliveryStatus.PENDING
            ]
        assert pending and all(events[d.event_id or ""] == kept["LoginId"] for d in pending)
        fraud = await api.fraud(login_id, party.secret_key)
        assert (fraud.status_code, fraud.json()["FlinksCode"]) == (401, "INVALID_LOGIN")
