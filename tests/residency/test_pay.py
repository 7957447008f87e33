"""Pay keeps to its Canadian instance: another Canadian instance refuses its API clients, tokens and
sessions, and finds nothing of them in its store."""

from __future__ import annotations

from datetime import timedelta

import httpx

from finstance.core import jobs, webhooks
from finstance.core.clock import ManualClock
from finstance.pay import tables
from tests.conftest import serve_in_process
from tests.pay.test_eft import Eft, debit, sign
from tests.pay.test_sessions import GEFT, Pay, rows
from tests.pay.test_widget import Browser, through
from tests.residency.conftest import build
from tests.residency.test_store_scan import dump, found_in
from tests.upload.api import context


async def test_a_session_and_its_client_are_refused_by_another_canadian_instance(
    store_pair: tuple[str, str], clock: ManualClock
) -> None:
    a, b = build("toolbox", store_pair[0]), build("acme-ca", store_pair[1])
    async with serve_in_process(a.spec, clock) as http_a, serve_in_process(b.spec, clock) as http_b:
        pay_a = Pay(http_a)
        bearer = await pay_a.bearer()
        session_id = (await pay_a.create(GEFT)).json()["sessionId"]
        foreign: list[httpx.Response] = [
            await http_b.post(
                "/pay/api/v1/authorize", auth=(pay_a.issued.client_id, pay_a.issued.client_secret)
            ),
            await http_b.post("/pay/api/v2/sessions", json=GEFT, headers=bearer),
            await http_b.get(f"/pay/api/v2/sessions/{session_id}/status"),
            await http_b.get(
                f"/pay/api/v2/sessions/{session_id}/details", headers=await Pay(http_b).bearer()
            ),
            await http_b.post(
                f"/pay/api/v2/sessions/{session_id}/cancel", headers=await Pay(http_b).bearer()
            ),
        ]
        bearer_b = await Pay(http_b).bearer()
        foreign += [
            await http_b.post(f"/pay/api/v2/sessions/{session_id}/guarantees/confirm", content=b"true",
                              headers=bearer_b),
            await http_b.post(f"/pay/api/sandbox/sessions/{session_id}/simulate", json={"event": "decline"},
                              headers=bearer_b),
            await http_b.get(f"/pay/app/?sessionId={session_id}"),
            await http_b.post(f"/pay/app/?sessionId={session_id}", data={"action": "institution"}),
            await http_b.post("/pay/api/sandbox/clock", json={"days": 1}, headers=bearer),
            await http_b.get("/pay/api/v1/settlement/files", headers=bearer),
        ]  # fmt: skip
        # acme-ca is a production instance: it has no sandbox clock at all (404, before any credential).
        assert [r.status_code for r in foreign] == [401, 401, 404, 404, 404, 404, 404, 404, 404, 404, 401]
        for answer in foreign:
            assert "USER12345" not in answer.text and "Doe" not in answer.text
        assert rows(http_b) == 0
        assert found_in(dump(context(http_b).store), {session_id, "USER12345", pay_a.issued.client_id}) == []
        assert (await http_a.get(f"/pay/api/v2/sessions/{session_id}/status")).status_code == 200


async def test_deletecard_forgets_the_session_a_login_paid_with_its_file_line_and_its_events(
    store_url: str, clock: ManualClock
) -> None:
    """A payor who signed in through the widget left a login; DeleteCard of that login forgets the session
    (names, verified account, flow), its webhooks, and its line of the day's CPA-005 file; another payor's
    session and line stay."""
    party = build("toolbox", store_url)
    async with serve_in_process(party.spec, clock) as http:
        ctx = context(http)
        webhooks.add_endpoint(ctx, "http://127.0.0.1:9/hook")
        pay = Pay(http)
        plain = {**GEFT, "options": {}}  # an EFT: no guarantee to wait for with an endpoint set
        gone = (await pay.create({**plain, "referenceId": "GONE-1"})).json()["sessionId"]
        kept = (await pay.create({**plain, "referenceId": "KEPT-1"})).json()["sessionId"]
        for session_id, payor in ((gone, "Happy1"), (kept, "Happy3")):  # two payors: two logins
            browser = Browser(http, session_id)
            await through(browser, payor)
            await browser.post(action="agree", agreement="yes")
        moved = await http.post(
            "/pay/api/sandbox/clock", json={"to": "2026-01-15T18:00:00Z"}, headers=await pay.bearer()
        )
        [filed] = moved.json()["files"]
        assert filed["debits"]["count"] == 2
        with ctx.store.read() as db:
            row = db.get(tables.PaySession, gone)
            assert row is not None and row.login_id is not None
            login_id, account = row.login_id, row.payor["account"]["accountNumber"]
            other = db.get(tables.PaySession, kept)
            assert other is not None and other.login_id not in (None, login_id)
            kept_account = other.payor["account"]["accountNumber"]
        markers = {gone, "GONE-1", login_id, gone.replace("-", "")[:19].upper(), account}
        assert {t for t, _, _ in found_in(dump(ctx.store), markers)} >= {"pay_sessions", "outbox_events"}
        clock.advance(timedelta(minutes=1))
        jobs.run_due(ctx)  # the sign-in's aggregation (a login being aggregated is CARD_IN_USE)
        flinks = party.client(http)
        deleted = await http.delete(
            f"{flinks.prefix}/DeleteCard/{login_id}", headers={"x-api-key": party.api_key}
        )
        assert deleted.status_code == 200, deleted.text
        assert found_in(dump(ctx.store), markers) == []
        content = await http.get("/pay/api/v1/settlement/files/2026-01-15", headers=await pay.bearer())
        assert "GONE-1" not in content.text and "KEPT-1" in content.text
        assert content.text.count("\r\n") == 3  # header, one debit record, trailer
        assert kept_account in content.text and account not in content.text
        assert (await http.get(f"/pay/api/v2/sessions/{gone}/status")).status_code == 404
        assert (await http.get(f"/pay/api/v2/sessions/{kept}/status")).status_code == 200


async def test_an_eft_schedule_its_pad_contact_and_payments_are_refused_by_another_canadian_instance(
    store_pair: tuple[str, str], clock: ManualClock
) -> None:
    a, b = build("toolbox", store_pair[0]), build("acme-ca", store_pair[1])
    async with serve_in_process(a.spec, clock) as http_a, serve_in_process(b.spec, clock) as http_b:
        eft = Eft(http_a)
        created = await eft.create(debit())
        schedule = await eft.schedule(created["id"])
        request_id = schedule["payments"][0]["requestId"]
        ids = {created["id"], created["padId"], created["payor"]["contactId"], created["payor"]["accountId"]}
        paths = [
            f"/schedules/{created['id']}",
            f"/pads/{created['padId']}",
            f"/contacts/{created['payor']['contactId']}",
            f"/paymentrequests/{request_id}",
        ]
        # Its client's id and secret, and its token, mean nothing on acme-ca.
        keys = {"x-client-id": eft.keys["x-client-id"], "x-api-key": eft.keys["x-api-key"]}
        bearer = await eft.pay.bearer()
        foreign = [await http_b.get(f"/pay/api/v1{path}", headers=keys) for path in paths]
        foreign += [await http_b.post("/pay/api/v1/transactions", json=debit(), headers=bearer)]
        assert [r.status_code for r in foreign] == [401] * 5
        # acme-ca's own client finds none of them, and the payor's page is not there.
        own = Eft(http_b)
        foreign = [await own.get(path) for path in paths]
        foreign += [
            await own.post(f"/schedules/{created['id']}/cancel"),
            await own.post(f"/paymentrequests/{request_id}/cancel"),
            await http_b.get(f"/pay/pad/{created['padId']}"),
            await sign(http_b, created["padId"]),
        ]
        assert [r.status_code for r in foreign] == [404] * 8
        for answer in foreign:
            assert "Jane" not in answer.text and "1234567" not in answer.text
        assert found_in(dump(context(http_b).store), {*ids, "INV-1001", "1234567", "Jane"}) == []
        assert (await sign(http_a, created["padId"])).status_code == 200
