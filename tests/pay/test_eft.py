"""EFT API V1 on a sandbox instance: a transaction makes a schedule of payments with a contact's account; a
debit waits for its PAD agreement, signed on the instance's page; the Pay clock accepts each payment on its
day, files it in that day's CPA-005 file and settles it; schedules and payments cancel; every rule of the
create body is refused with a clear 400; another client, or a caller without the secret, gets nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from finstance.core import clients, webhooks
from finstance.pay import cpa005, schedules, tables
from tests.core.webhooks.receiver import Receiver
from tests.pay.test_sessions import Pay
from tests.pay.test_settlement import THURSDAY, advance, delivered, field, receiver, sandbox, toronto
from tests.upload.api import context

__all__ = ["receiver", "sandbox"]  # fixtures

FRIDAY, MONDAY = date(2026, 1, 16), date(2026, 1, 19)
JANE = {
    "accountInfo": {"institutionCode": "001", "transitNumber": "12345", "accountNumber": "1234567"},
    "contactInfo": {"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com"},
}


def debit(start: date = FRIDAY, **changes: Any) -> list[dict[str, Any]]:
    body: dict[str, Any] = {
        "transactionCode": 430,
        "amount": 250,
        "description": "Invoice 1001",
        "crossReferenceNumber": "INV-1001",
        "paymentDirection": "DEBIT",
        "currency": "CAD",
        "payor": JANE,
        "payee": None,
        "scheduleInfo": {"paymentFrequency": "OneTime", "startDate": start.isoformat()},
    }
    body.update(changes)
    return [body]


class Eft:
    """An API client of the instance calling EFT V1 with its id and secret in headers."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.pay = Pay(http)
        self.http = http
        self.keys = {"x-client-id": self.pay.issued.client_id, "x-api-key": self.pay.issued.client_secret}

    async def post(self, path: str, body: Any = None, **headers: str) -> httpx.Response:
        return await self.http.post(f"/pay/api/v1{path}", json=body, headers={**self.keys, **headers})

    async def get(self, path: str) -> httpx.Response:
        return await self.http.get(f"/pay/api/v1{path}", headers=self.keys)

    async def create(self, body: Any) -> dict[str, Any]:
        answer = await self.post("/transactions", body)
        assert answer.status_code == 200, answer.text
        [schedule] = answer.json()["schedules"]
        return dict(schedule)

    async def schedule(self, schedule_id: str) -> dict[str, Any]:
        answer = await self.get(f"/schedules/{schedule_id}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


async def sign(http: httpx.AsyncClient, pad_id: str) -> httpx.Response:
    return await http.post(f"/pay/pad/{pad_id}", data={"agreement": "yes", "action": "sign"})


async def test_a_one_time_debit_waits_for_its_pad_then_is_filed_on_its_day_and_settled(
    sandbox: httpx.AsyncClient, receiver: Receiver
) -> None:
    webhooks.add_endpoint(context(sandbox), receiver.url)
    eft = Eft(sandbox)
    created = await eft.create(debit())
    schedule_id, pad_id = created["id"], created["padId"]
    assert created == {
        "id": schedule_id,
        "amount": 250,
        "startDate": "2026-01-16T00:00:00",
        "endDate": "2026-01-16T00:00:00",
        "transactionsCount": 1,
        "frequency": "OneTime",
        "payor": {
            "name": "Jane Doe",
            "email": "jane@example.com",
            "contactId": created["payor"]["contactId"],
            "accountId": created["payor"]["accountId"],
        },
        "payee": {"name": None, "email": None},
        "status": "Active",
        "padStatus": "Pending",
        "padId": pad_id,
        "crossReferenceNumber": "INV-1001",
        "paymentDirection": "DEBIT",
    }
    schedule = await eft.schedule(schedule_id)
    assert (schedule["paymentFrequency"], schedule["paymentType"], schedule["padId"]) == (
        "OneTime",
        "EFT",
        pad_id,
    )
    [payment] = schedule["payments"]
    assert (payment["sequence"], payment["paymentDate"], payment["status"]) == (1, "2026-01-16", "Initiated")

    pad = (await eft.get(f"/pads/{pad_id}")).json()
    assert pad["padLink"] == f"http://toolbox.test/pay/pad/{pad_id}"
    assert (pad["status"], pad["frequency"], pad["payor"]["accountNumber"]) == (
        "Pending",
        "OneTime",
        "1234567",
    )
    contact = (await eft.get(f"/contacts/{created['payor']['contactId']}")).json()
    assert contact["contactType"] == "Individual" and contact["emailAddress"] == "jane@example.com"
    assert contact["accounts"]["eftAccounts"] == [
        {
            "id": created["payor"]["accountId"],
            "institutionCode": "001",
            "transitNumber": "12345",
            "accountNumber": "1234567",
            "isValid": True,
        }
    ]
    request = (await eft.get(f"/paymentrequests/{payment['requestId']}")).json()
    assert (request["status"], request["eftStatus"], request["ReferenceId"]) == (
        "Initiated",
        "Received",
        "INV-1001",
    )
    assert request["requestId"] == request["id"] == payment["requestId"]

    # The payor reads the agreement (its account masked) and signs it.
    page = await sandbox.get(f"/pay/pad/{pad_id}")
    assert page.status_code == 200 and "****4567" in page.text and "1234567" not in page.text
    assert "$250.00" in page.text and "once, on 2026-01-16" in page.text
    unsigned = await sandbox.post(f"/pay/pad/{pad_id}", data={"action": "sign"})
    assert unsigned.status_code == 400 and "Accept the agreement" in unsigned.text
    signed = await sign(sandbox, pad_id)
    assert signed.status_code == 200 and "Agreement signed" in signed.text
    assert '"step":"SUCCESS"' in signed.text
    assert (await sign(sandbox, pad_id)).status_code == 409  # signed once
    assert (await eft.get(f"/pads/{pad_id}")).json()["status"] == "Active"
    request = (await eft.get(f"/paymentrequests/{payment['requestId']}")).json()
    assert (request["status"], request["eftStatus"]) == ("Processing", "Created")

    # Thursday's cut-off files nothing; Friday's files the debit, due Monday; Monday settles it.
    assert (await advance(eft.pay, to=toronto(THURSDAY, 13)))["files"] == []
    filed = await advance(eft.pay, to=toronto(FRIDAY, 13))
    assert [(f["fileDate"], f["debits"]) for f in filed["files"]] == [
        ("2026-01-16", {"count": 1, "total": 25000})
    ]
    [processed] = delivered(sandbox, receiver)
    assert processed == {
        "eventType": "PaymentStatusChanged",
        "when": processed["when"],
        "requestId": payment["requestId"],
        "scheduleId": schedule_id,
        "sequence": 1,
        "crossReferenceNumber": "INV-1001",
        "amount": 250,
        "type": "EFT",
        "direction": "DEBIT",
        "paymentStatus": "Processed",
        "statusDetails": "EFT0301",
        "effectiveAt": "2026-01-16T18:00:00.000000Z",
        "fileDate": "2026-01-16",
    }
    content = (
        await sandbox.get("/pay/api/v1/settlement/files/2026-01-16", headers=await eft.pay.bearer())
    ).text
    _, record, _ = content.split("\r\n")[:-1]
    segment = {f.name: field(record, cpa005.SEGMENT, f.name, offset=24) for f in cpa005.SEGMENT}
    assert (segment["transaction_code"], segment["amount"]) == ("430", "0000025000")
    assert segment["due_date"] == "026019"  # Monday 19 January, 0YYDDD
    assert (segment["institution_route"], segment["account_number"].strip()) == ("000112345", "1234567")
    assert (segment["payee_name"].strip(), segment["sundry_information"].strip()) == ("Jane Doe", "INV-1001")
    assert segment["return_institution_route"] == "099960265"  # the sandbox's settlement account
    await advance(eft.pay, to=toronto(MONDAY, 0, 1))
    [settled] = delivered(sandbox, receiver)
    assert (settled["paymentStatus"], settled["requestId"]) == ("Settled", payment["requestId"])
    schedule = await eft.schedule(schedule_id)
    assert schedule["status"] == "Completed" and schedule["payments"][0]["status"] == "Settled"

    # The payor's bank sends it back: 908, funds not cleared.
    returned = await sandbox.post(
        f"/pay/api/sandbox/paymentrequests/{payment['requestId']}/simulate",
        json={"event": "return", "returnCode": "908"},
        headers=await eft.pay.bearer(),
    )
    assert (returned.json()["status"], returned.json()["statusDetails"]) == ("Returned", "908")
    [event] = delivered(sandbox, receiver)
    assert (event["paymentStatus"], event["statusDetails"], event["returnReason"]) == (
        "Returned",
        "908",
        "Funds not cleared (debit only)",
    )


async def test_a_monthly_debit_reuses_a_contacts_account_and_keeps_the_day_of_the_month(
    sandbox: httpx.AsyncClient,
) -> None:
    eft = Eft(sandbox)
    first = await eft.create(debit())
    again = {"accountInfo": {"accountId": first["payor"]["accountId"]}}
    monthly = {"paymentFrequency": "Monthly", "startDate": "2026-01-31", "transactionsCount": 3}
    created = await eft.create(debit(payor=again, scheduleInfo=monthly, crossReferenceNumber="LOAN-7"))
    assert created["payor"]["contactId"] == first["payor"]["contactId"]
    schedule = await eft.schedule(created["id"])
    assert [p["paymentDate"] for p in schedule["payments"]] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert (schedule["endDate"], schedule["transactionsCount"]) == ("2026-03-31", 3)
    with context(sandbox).store.read() as db:
        assert db.scalar(select(func.count()).select_from(tables.PayContact)) == 1
        assert db.scalar(select(func.count()).select_from(tables.PayContactAccount)) == 1

    # Weekly up to an end date: every week from the start, the end date included.
    weekly = {"paymentFrequency": "Weekly", "startDate": "2026-01-16", "endDate": "2026-02-06"}
    dates = (await eft.schedule((await eft.create(debit(payor=again, scheduleInfo=weekly)))["id"]))[
        "payments"
    ]
    assert [p["paymentDate"] for p in dates] == ["2026-01-16", "2026-01-23", "2026-01-30", "2026-02-06"]

    # Saturday 31 January is filed on Monday 2 February, the next business day.
    await sign(sandbox, created["padId"])
    moved = await advance(eft.pay, to=toronto(date(2026, 2, 2), 13))
    assert "2026-02-02" in [f["fileDate"] for f in moved["files"]]
    schedule = await eft.schedule(created["id"])
    assert [p["status"] for p in schedule["payments"]] == ["Processed", "Processing", "Processing"]
    assert schedule["payments"][0]["fileDate"] == "2026-02-02"


async def test_an_unsigned_debit_expires_on_its_day_and_its_page_says_so(sandbox: httpx.AsyncClient) -> None:
    eft = Eft(sandbox)
    created = await eft.create(debit())
    await advance(eft.pay, to=toronto(FRIDAY, 0, 1))
    schedule = await eft.schedule(created["id"])
    assert schedule["payments"][0]["status"] == "Expired" and schedule["padStatus"] == "Expired"
    assert schedule["status"] == "Completed"
    late = await sign(sandbox, created["padId"])
    assert late.status_code == 409 and "expired" in late.text
    assert (await sandbox.get("/pay/pad/not-a-pad")).status_code == 404


async def test_a_schedule_and_a_payment_request_cancel_until_their_money_is_sent(
    sandbox: httpx.AsyncClient,
) -> None:
    eft = Eft(sandbox)
    weekly = {"paymentFrequency": "Weekly", "startDate": "2026-01-16", "transactionsCount": 3}
    created = await eft.create(debit(scheduleInfo=weekly))
    await sign(sandbox, created["padId"])
    await advance(eft.pay, to=toronto(FRIDAY, 13))  # the first payment is in Friday's file
    first, second, _ = (await eft.schedule(created["id"]))["payments"]
    refused = await eft.post(f"/paymentrequests/{first['requestId']}/cancel")
    assert refused.status_code == 400 and "Processed" in refused.json()["Message"]
    cancelled = await eft.post(f"/paymentrequests/{second['requestId']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "Cancelled"
    stopped = await eft.post(f"/schedules/{created['id']}/cancel")
    assert stopped.status_code == 200 and stopped.content == b""
    schedule = await eft.schedule(created["id"])
    assert schedule["status"] == "Cancelled" and schedule["padStatus"] == "Cancelled"
    assert [p["status"] for p in schedule["payments"]] == ["Processed", "Cancelled", "Cancelled"]
    again = await eft.post(f"/schedules/{created['id']}/cancel")
    assert again.status_code == 400 and again.json()["FlinksCode"] == "INVALID_REQUEST"


async def test_a_credit_goes_out_the_same_day_in_a_credit_record(sandbox: httpx.AsyncClient) -> None:
    eft = Eft(sandbox)
    body = debit(
        start=THURSDAY,
        paymentDirection="CREDIT",
        transactionCode=200,
        payor=None,
        payee={**JANE, "contactInfo": {"legalName": "Acme Payroll Inc"}},
    )
    created = await eft.create(body)
    assert (created["padId"], created["padStatus"], created["payee"]["name"]) == (
        None,
        None,
        "Acme Payroll Inc",
    )
    [payment] = (await eft.schedule(created["id"]))["payments"]
    assert payment["status"] == "Accepted" and payment["fileDate"] == "2026-01-15"
    filed = await advance(eft.pay, to=toronto(THURSDAY, 13))
    assert [(f["debits"]["count"], f["credits"]) for f in filed["files"]] == [
        (0, {"count": 1, "total": 25000})
    ]
    content = (
        await sandbox.get("/pay/api/v1/settlement/files/2026-01-15", headers=await eft.pay.bearer())
    ).text
    assert content.split("\r\n")[1].startswith("C")
    contact = (await eft.get(f"/contacts/{created['payee']['contactId']}")).json()
    assert (contact["contactType"], contact["legalName"]) == ("Business", "Acme Payroll Inc")


REFUSED = [
    ({"not": "an array"}, "JSON array"),
    (debit() * 2, "exactly one transaction"),
    (debit(start=THURSDAY), "after today, 2026-01-15"),
    (debit(payee=JANE), "payee must be null"),
    (debit(paymentDirection="SIDEWAYS"), "paymentDirection"),
    (debit(currency="USD"), "CAD"),
    (debit(amount=0.001), "more than 2 decimals"),
    (debit(amount=0), "at least 0.01"),
    (debit(amount=100_000.01), "at most 100000.00"),
    (debit(transactionCode=1), "not a DEBIT purpose code"),
    (debit(transactionCode=200), "not a DEBIT purpose code"),
    (debit(description="sixteen chars!!!"), "at most 15"),
    (debit(crossReferenceNumber="INV 1001"), "letters, digits and hyphens"),
    (debit(scheduleInfo={"paymentFrequency": "Daily", "startDate": "2026-01-16"}), "paymentFrequency"),
    (debit(scheduleInfo={"paymentFrequency": "OneTime", "startDate": "16/01/2026"}), "YYYY-MM-DD"),
    (
        debit(
            scheduleInfo={"paymentFrequency": "OneTime", "startDate": "2026-01-16", "transactionsCount": 2}
        ),
        "startDate only",
    ),
    (debit(scheduleInfo={"paymentFrequency": "Weekly", "startDate": "2026-01-16"}), "exactly one of"),
    (
        debit(
            scheduleInfo={
                "paymentFrequency": "Weekly",
                "startDate": "2026-01-16",
                "endDate": "2026-03-01",
                "transactionsCount": 3,
            }
        ),
        "exactly one of",
    ),
    (
        debit(
            scheduleInfo={"paymentFrequency": "Weekly", "startDate": "2026-01-16", "endDate": "2026-01-16"}
        ),
        "after scheduleInfo.startDate",
    ),
    (
        debit(
            scheduleInfo={"paymentFrequency": "Monthly", "startDate": "2026-01-16", "transactionsCount": 301}
        ),
        "1 to 300",
    ),
    (
        debit(
            scheduleInfo={"paymentFrequency": "Weekly", "startDate": "2026-01-16", "endDate": "2032-01-16"}
        ),
        "at most 300 payments",
    ),
    (
        debit(start=FRIDAY, paymentDirection="CREDIT", transactionCode=200, payor=None, payee=JANE),
        "must be today",
    ),
    (
        debit(
            start=THURSDAY,
            paymentDirection="CREDIT",
            transactionCode=200,
            payor=None,
            payee=JANE,
            scheduleInfo={"paymentFrequency": "Weekly", "startDate": "2026-01-15", "transactionsCount": 2},
        ),
        "OneTime only",
    ),
    (debit(payor={"contactInfo": JANE["contactInfo"]}), "either accountId or"),
    (
        debit(payor={**JANE, "accountInfo": {**JANE["accountInfo"], "accountId": "x"}}),
        "either accountId or",
    ),
    (
        debit(payor={**JANE, "contactInfo": {"contactId": "x", "firstName": "Jane"}}),
        "either contactId or names",
    ),
    (debit(payor={**JANE, "contactInfo": {"firstName": "Jane"}}), "both firstName and lastName"),
    (debit(payor={"accountInfo": JANE["accountInfo"]}), "needs contactId"),
    (debit(payor={**JANE, "accountInfo": {**JANE["accountInfo"], "transitNumber": "123"}}), "5 digits"),
    (debit(payor={**JANE, "accountInfo": {**JANE["accountInfo"], "accountNumber": "12-34567"}}), "digits"),
]


@pytest.mark.parametrize(("body", "message"), REFUSED, ids=[m for _, m in REFUSED])
async def test_each_rule_of_a_transaction_is_refused_with_a_clear_400_and_nothing_stored(
    sandbox: httpx.AsyncClient, body: Any, message: str
) -> None:
    eft = Eft(sandbox)
    answer = await eft.post("/transactions", body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["FlinksCode"] == "INVALID_REQUEST" and message in answer.json()["Message"]
    with context(sandbox).store.read() as db:
        for table in (tables.PaySchedule, tables.PayRequest, tables.PayContact, tables.PayContactAccount):
            assert db.scalar(select(func.count()).select_from(table)) == 0


async def test_calls_need_the_clients_secret_or_a_token_and_see_only_the_clients_own(
    sandbox: httpx.AsyncClient,
) -> None:
    eft = Eft(sandbox)
    created = await eft.create(debit())
    paths = [
        f"/schedules/{created['id']}",
        f"/pads/{created['padId']}",
        f"/contacts/{created['payor']['contactId']}",
    ]
    for headers in ({}, {"x-client-id": eft.keys["x-client-id"]}, {**eft.keys, "x-api-key": "wrong"}):
        answer = await sandbox.get(f"/pay/api/v1{paths[0]}", headers=headers)
        assert answer.status_code == 401 and answer.json()["FlinksCode"] == "UNAUTHORIZED"
    bearer = await eft.pay.bearer()
    for path in paths:  # a token is not spent by EFT V1 calls
        assert (await sandbox.get(f"/pay/api/v1{path}", headers=bearer)).status_code == 200
    other = Eft(sandbox)
    for path in paths:
        answer = await other.get(path)
        assert answer.status_code == 404 and answer.json()["FlinksCode"] == "NOT_FOUND"
    stranger = {"accountInfo": {"accountId": created["payor"]["accountId"]}}
    assert (await other.post("/transactions", debit(payor=stranger))).status_code == 404


async def test_an_idempotency_key_gives_back_the_same_schedule(sandbox: httpx.AsyncClient) -> None:
    eft = Eft(sandbox)
    first = await eft.post("/transactions", debit(), **{"Idempotency-Key": "inv-1001"})
    again = await eft.post("/transactions", debit(), **{"Idempotency-Key": "inv-1001"})
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    other = await eft.post("/transactions", debit(amount=300), **{"Idempotency-Key": "inv-1001"})
    assert other.status_code == 400 and "another body" in other.json()["Message"]
    with context(sandbox).store.read() as db:
        assert db.scalar(select(func.count()).select_from(tables.PaySchedule)) == 1


async def test_purpose_categories_and_institutions_list_what_a_transaction_takes(
    sandbox: httpx.AsyncClient,
) -> None:
    eft = Eft(sandbox)
    debits = (await eft.get("/purposecategories/Debit")).json()
    codes = {c["value"] for category in debits for c in category["purposeCodes"]}
    assert {330, 350, 370, 400, 430, 450} <= codes and 200 not in codes
    credits = (await eft.get("/purposecategories/credit")).json()
    assert {c["value"] for category in credits for c in category["purposeCodes"]} == {200, 450}
    assert (await eft.get("/purposecategories/Sideways")).status_code == 400
    listed = (await eft.get("/institutions")).json()["institutions"]
    assert {"institutionCode": "777", "name": "Flinks Capital", "eftEnabled": True} in listed
    assert all(len(i["institutionCode"]) == 3 for i in listed)


def test_creates_racing_with_one_idempotency_key_make_one_schedule(sandbox: httpx.AsyncClient) -> None:
    """Eight threads send the same keyed transaction at once (on PostgreSQL really at once): every one gets
    the same schedule back, and one is stored."""
    ctx = context(sandbox)
    client_id = clients.create(ctx, "pay", "race").client_id
    raw = orjson.dumps(debit())
    barrier = threading.Barrier(8)

    def send(_: int) -> str:
        barrier.wait()
        return str(schedules.create(ctx, client_id, raw, "race-1").body["schedules"][0]["id"])

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(send, range(8)))
    assert len(ids) == 1
    with ctx.store.read() as db:
        assert db.scalar(select(func.count()).select_from(tables.PaySchedule)) == 1
        assert db.scalar(select(func.count()).select_from(tables.PayRequest)) == 1
