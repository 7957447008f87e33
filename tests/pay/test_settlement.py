"""Money moves on the Pay clock: a sandbox advances it, the day's cut-off files accepted EFTs in a CPA-005
file, the next business day settles them, a forced return carries its CPA code; each move sends its webhook
from this instance, signed as Flinks Pay signs (``X-Webhook-Signature: sha256=<HEX>``)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest

from finstance.core import webhooks
from finstance.core.clock import ManualClock
from finstance.core.instance import toolbox_spec
from finstance.core.states import DeliveryStatus
from finstance.pay import calendar, cpa005, settlement
from finstance.pay.sandbox import verified_account
from tests.conftest import serve_in_process
from tests.core.webhooks.receiver import Receiver
from tests.pay.test_sessions import GEFT, Pay
from tests.upload.api import context

SECRET = "pay-webhook-secret-for-tests"
# The test clock starts on Thursday 15 January 2026, 07:00 in Toronto: a business day, before the cut-off.
THURSDAY = date(2026, 1, 15)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
async def sandbox(store_url: str, clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_in_process(replace(toolbox_spec(store_url), webhook_secret=SECRET), clock) as client:
        yield client


def toronto(day: date, hour: int, minute: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=calendar.TORONTO).isoformat()


def delivered(http: httpx.AsyncClient, receiver: Receiver) -> list[dict[str, Any]]:
    """Send what is due and return the bodies received since the last call, each checked as Flinks Pay's
    receivers check them: the upper-case hex HMAC of the raw body with the instance's webhook secret."""
    seen = len(receiver.requests)
    webhooks.deliver_due(context(http))
    bodies = []
    for request in receiver.requests[seen:]:
        signature = request.headers["x-webhook-signature"]
        expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        assert signature == "sha256=" + expected.upper()
        assert request.headers["content-type"] == "application/json; charset=utf-8"
        bodies.append(orjson.loads(request.body))
    return bodies


def field(record: str, layout: tuple[cpa005.Field, ...], name: str, offset: int = 0) -> str:
    f = next(f for f in layout if f.name == name)
    return record[offset + f.start - 1 : offset + f.end - 1]


async def happy1(pay: Pay, body: dict[str, Any] = GEFT) -> str:
    created = await pay.create(body)
    assert created.status_code == 200, created.text
    session_id = str(created.json()["sessionId"])
    done = await pay.http.post(
        f"/pay/api/sandbox/sessions/{session_id}/payor",
        json={"username": "Happy1", "password": "Everyday"},
        headers=await pay.bearer(),
    )
    assert done.json()["status"] == "Completed", done.text
    return session_id


async def advance(pay: Pay, **body: Any) -> dict[str, Any]:
    moved = await pay.http.post("/pay/api/sandbox/clock", json=body, headers=await pay.bearer())
    assert moved.status_code == 200, moved.text
    return dict(moved.json())


async def test_a_happy1_guaranteed_eft_is_filed_at_the_cutoff_settled_and_returned_with_its_webhooks(
    sandbox: httpx.AsyncClient, receiver: Receiver
) -> None:
    webhooks.add_endpoint(context(sandbox), receiver.url)
    pay = Pay(sandbox)
    session_id = await happy1(pay)
    [ended] = delivered(sandbox, receiver)
    assert ended == {
        "eventType": "SessionSetupStatusChanged",
        "when": ended["when"],
        "sessionId": session_id,
        "referenceId": "USER12345",
        "amount": 250.5,
        "status": "Completed",
        "statusDetails": "EFT0301",
    }
    assert datetime.fromisoformat(ended["when"]) == context(sandbox).clock.now()
    details = await sandbox.get(f"/pay/api/v2/sessions/{session_id}/details", headers=await pay.bearer())
    account = verified_account("Happy1", THURSDAY)
    shown = details.json()["payor"]["account"]
    assert shown["accountNumber"] == "****" + account["accountNumber"][-4:]
    assert (shown["institutionCode"], shown["transitNumber"]) == ("777", account["transitNumber"])
    assert details.json()["payor"]["verifiedAccount"]["institutionName"] == "Flinks Capital"

    # One minute before the cut-off nothing is filed; at the cut-off the day's file is written.
    early = await advance(pay, to=toronto(THURSDAY, 12, 59))
    assert (early["files"], delivered(sandbox, receiver)) == ([], [])
    filed = await advance(pay, to=toronto(THURSDAY, 13))
    assert filed["files"] == [
        {
            "fileDate": "2026-01-15",
            "fileCreationNumber": 1,
            "createdAt": filed["now"],
            "debits": {"count": 1, "total": 25050},
            "credits": {"count": 0, "total": 0},
        }
    ]
    [processed] = delivered(sandbox, receiver)
    assert (processed["eventType"], processed["paymentStatus"], processed["fileDate"]) == (
        "PaymentStatusChanged",
        "Processed",
        "2026-01-15",
    )
    assert processed["effectiveAt"] == "2026-01-15T18:00:00.000000Z" and processed["sessionId"] == session_id

    content = await sandbox.get("/pay/api/v1/settlement/files/2026-01-15", headers=await pay.bearer())
    assert content.status_code == 200 and content.headers["content-type"].startswith("text/plain")
    text = content.text
    assert text.endswith("\r\n")
    header, debit, trailer = text.split("\r\n")[:-1]
    assert {len(header), len(debit), len(trailer)} == {cpa005.RECORD_LENGTH}
    customer = context(sandbox).spec.customer_id.replace("-", "")[:10].upper()
    assert field(header, cpa005.HEADER, "record_type") == "A"
    assert field(header, cpa005.HEADER, "originator_id") == customer
    assert field(header, cpa005.HEADER, "file_creation_number") == "0001"
    assert field(header, cpa005.HEADER, "creation_date") == "026015"
    assert field(header, cpa005.HEADER, "currency") == "CAD"
    assert field(debit, cpa005.DETAIL_PREFIX, "record_type") == "D"
    assert field(debit, cpa005.DETAIL_PREFIX, "record_count") == "000000002"
    segment = {f.name: field(debit, cpa005.SEGMENT, f.name, offset=24) for f in cpa005.SEGMENT}
    assert segment["transaction_code"] == "450"
    assert segment["amount"] == "0000025050"
    assert segment["due_date"] == "026016"  # Friday: one business day after the file day
    assert segment["institution_route"] == "0777" + account["transitNumber"]
    assert segment["account_number"] == account["accountNumber"].ljust(12)
    assert segment["payee_name"] == "John Doe".ljust(30)
    assert segment["cross_reference"] == session_id.replace("-", "")[:19].upper()
    assert segment["return_institution_route"] == "099960265"
    assert segment["return_account_number"] == "9876541".ljust(12)
    assert segment["sundry_information"] == "USER12345".ljust(15)
    assert debit[24 + cpa005.SEGMENT_LENGTH :].strip() == ""  # five unused segments, blank
    assert field(trailer, cpa005.TRAILER, "record_type") == "Z"
    assert field(trailer, cpa005.TRAILER, "total_debit_value") == "00000000025050"
    assert field(trailer, cpa005.TRAILER, "total_debit_count") == "00000001"
    assert field(trailer, cpa005.TRAILER, "total_credit_count") == "00000000"
    # Read again after the money settled: the same bytes.
    settled = await advance(pay, days=1)
    assert settled["files"] == []
    [moved] = delivered(sandbox, receiver)
    assert (moved["paymentStatus"], moved["effectiveAt"]) == ("Settled", "2026-01-16T05:00:00.000000Z")
    again = await sandbox.get("/pay/api/v1/settlement/files/2026-01-15", headers=await pay.bearer())
    assert again.content == content.content
    listing = await sandbox.get("/pay/api/v1/settlement/files", headers=await pay.bearer())
    assert listing.json() == {"files": filed["files"]}

    # The payor's bank returns the debit: NSF, 908.
    returned = await sandbox.post(
        f"/pay/api/sandbox/sessions/{session_id}/simulate",
        json={"event": "return", "returnCode": "908"},
        headers=await pay.bearer(),
    )
    assert returned.status_code == 200, returned.text
    assert (returned.json()["paymentStatus"], returned.json()["paymentStatusDetails"]) == ("Returned", "908")
    assert returned.json()["status"] == "Completed"  # the session did its part; the money came back
    [back] = delivered(sandbox, receiver)
    assert (back["paymentStatus"], back["statusDetails"]) == ("Returned", "908")
    assert "funds" in back["returnReason"].lower()
    # Nothing else was sent: the session event once, then one event per move of the money.
    assert delivered(sandbox, receiver) == []


async def test_unhappy1_fails_with_eft0402_and_its_event_is_sent_once_even_when_refused(
    sandbox: httpx.AsyncClient, receiver: Receiver
) -> None:
    webhooks.add_endpoint(context(sandbox), receiver.url)
    receiver.status = 500
    pay = Pay(sandbox)
    created = (await pay.create(GEFT)).json()["sessionId"]
    failed = await sandbox.post(
        f"/pay/api/sandbox/sessions/{created}/payor",
        json={"username": "Unhappy1", "password": "Everyday"},
        headers=await pay.bearer(),
    )
    assert (failed.json()["status"], failed.json()["statusDetails"]) == ("Failed", "EFT0402")
    [event] = delivered(sandbox, receiver)
    assert (event["status"], event["statusDetails"]) == ("Failed", "EFT0402")
    [delivery] = webhooks.deliveries(context(sandbox))
    assert (delivery["status"], delivery["attempts"]) == (DeliveryStatus.FAILED.value, 1)
    context(sandbox).clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    assert delivered(sandbox, receiver) == []  # not retried
    # Nothing was accepted: the day files nothing.
    assert (await advance(pay, days=1))["files"] == []


async def test_the_file_day_follows_business_days_and_holidays(sandbox: httpx.AsyncClient) -> None:
    pay = Pay(sandbox)
    # Friday after the cut-off: Monday's file, due Tuesday.
    await advance(pay, to=toronto(date(2026, 1, 16), 14))
    friday = await happy1(pay)
    # Christmas Eve 2026 (a Thursday) after the cut-off: Christmas, the weekend and Boxing Day observed on
    # Monday the 28th close the network, so Tuesday the 29th's file, due Wednesday the 30th.
    moved = await advance(pay, to=toronto(date(2026, 12, 24), 14))
    assert [f["fileDate"] for f in moved["files"]] == ["2026-01-19"]
    christmas = await happy1(pay, {**GEFT, "referenceId": "XMAS"})
    assert (await advance(pay, to=toronto(date(2026, 12, 29), 12, 59)))["files"] == []
    [filed] = (await advance(pay, to=toronto(date(2026, 12, 29), 13)))["files"]
    assert (filed["fileDate"], filed["fileCreationNumber"]) == ("2026-12-29", 2)
    bearer = await pay.bearer()
    monday = (await sandbox.get("/pay/api/v1/settlement/files/2026-01-19", headers=bearer)).text
    december = (await sandbox.get("/pay/api/v1/settlement/files/2026-12-29", headers=bearer)).text
    assert field(monday.split("\r\n")[1], cpa005.SEGMENT, "due_date", offset=24) == cpa005.julian(
        date(2026, 1, 20)
    )
    assert field(december.split("\r\n")[1], cpa005.SEGMENT, "due_date", offset=24) == "026364"
    assert (
        friday.replace("-", "")[:19].upper() in monday and christmas.replace("-", "")[:19].upper() in december
    )


async def test_the_worker_settles_on_the_real_clock(sandbox: httpx.AsyncClient, clock: ManualClock) -> None:
    pay = Pay(sandbox)
    session_id = await happy1(pay)
    ctx = context(sandbox)
    assert settlement.tick(ctx) is None  # nothing due: no write
    clock.advance(timedelta(hours=6))  # 13:00 in Toronto
    done = settlement.tick(ctx)
    assert done is not None and [f.file_date for f in done.files] == [THURSDAY]
    assert settlement.tick(ctx) is None
    clock.advance(timedelta(hours=11, seconds=1))  # past midnight: Friday, the settlement day
    assert settlement.tick(ctx) is not None
    status = await sandbox.get(f"/pay/api/v2/sessions/{session_id}/status")
    assert status.json()["status"] == "Completed"
    simulated = await sandbox.post(
        f"/pay/api/sandbox/sessions/{session_id}/simulate",
        json={"event": "return", "returnCode": "901"},
        headers=await pay.bearer(),
    )
    assert simulated.json()["paymentStatus"] == "Returned"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Give either"),
        ({"to": "2026-01-15T12:00:00Z", "days": 1}, "Give either"),
        ({"to": "yesterday"}, "ISO 8601"),
        ({"to": "2026-01-16T12:00:00"}, "offset from UTC"),
        ({"to": "2026-01-14T12:00:00Z"}, "only moves forward"),
        ({"days": -1}, "whole numbers"),
        ({"days": 10**12}, "whole numbers"),
        ({"days": 401}, "at most 400 days"),
        ({"hours": True}, "whole numbers"),
    ],
)
async def test_bad_clock_moves_are_refused(sandbox: httpx.AsyncClient, body: Any, message: str) -> None:
    pay = Pay(sandbox)
    answer = await sandbox.post("/pay/api/sandbox/clock", json=body, headers=await pay.bearer())
    assert answer.status_code == 400 and message in answer.json()["Message"], answer.text
    now = await sandbox.get("/pay/api/sandbox/clock", headers=await pay.bearer())
    assert now.json() == {"now": "2026-01-15T12:00:00Z"}


async def test_bad_simulations_and_files_are_refused(sandbox: httpx.AsyncClient) -> None:
    pay = Pay(sandbox)
    session_id = (await pay.create(GEFT)).json()["sessionId"]
    bearer = await pay.bearer()
    url = f"/pay/api/sandbox/sessions/{session_id}/simulate"
    cases = [
        ({"event": "explode"}, "event must be"),
        ({"event": "return"}, "returnCode is required"),
        ({"event": "return", "returnCode": "908"}, "cannot return"),  # not sent yet
        ({"event": "fail", "statusDetails": "EFT0101"}, "not a failure code"),
    ]
    for body, message in cases:
        answer = await sandbox.post(url, json=body, headers=bearer)
        assert answer.status_code == 400 and message in answer.json()["Message"], (body, answer.text)
    declined = await sandbox.post(url, json={"event": "decline"}, headers=bearer)
    assert (declined.json()["status"], declined.json()["statusDetails"]) == ("Failed", "EFT0402")
    assert (await sandbox.get("/pay/api/v1/settlement/files/2026-13-01", headers=bearer)).status_code == 400
    assert (await sandbox.get("/pay/api/v1/settlement/files/2026-01-15", headers=bearer)).status_code == 404
    assert (await sandbox.get("/pay/api/v1/settlement/files")).status_code == 401
    assert (await sandbox.post("/pay/api/sandbox/clock", json={"days": 1})).status_code == 401


async def test_a_production_instance_has_no_sandbox_controls(store_url: str, clock: ManualClock) -> None:
    async with serve_in_process(replace(toolbox_spec(store_url), sandbox=False), clock) as production:
        pay = Pay(production)
        bearer = await pay.bearer()
        assert (await production.get("/pay/api/sandbox/clock", headers=bearer)).status_code == 404
        moved = await production.post("/pay/api/sandbox/clock", json={"days": 1}, headers=bearer)
        assert moved.status_code == 404 and moved.json()["FlinksCode"] == "NOT_FOUND"
        listing = await production.get("/pay/api/v1/settlement/files", headers=bearer)
        assert listing.json() == {"files": []}
