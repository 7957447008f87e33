"""Pay's V2 sessions through the API of a Canadian instance: the authorize token, create with validation and
idempotency keys, status, details, cancel; and a U.S. instance that refuses all of it and stores nothing."""

from __future__ import annotations

import base64
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from finstance.core import clients
from finstance.core.clock import ManualClock
from finstance.core.instance import toolbox_spec
from finstance.core.store.tables import ApiToken
from finstance.pay import sessions, tables
from finstance.pay.product import PRODUCT
from tests.conftest import serve_in_process
from tests.upload.api import context

GEFT = {
    "referenceId": "USER12345",
    "type": "EFT",
    "direction": "DEBIT",
    "amount": 250.5,
    "options": {"guarantee": {"enable": True}},
    "payor": {"firstName": "John", "lastName": "Doe", "email": "john@example.com"},
}


class Pay:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.issued = clients.create(context(http), "pay", "tests")

    async def token(self, **form: str) -> httpx.Response:
        if form:
            return await self.http.post("/pay/api/v1/authorize", data=form)
        return await self.http.post(
            "/pay/api/v1/authorize",
            auth=(self.issued.client_id, self.issued.client_secret),
            data={"grant_type": "client_credentials"},
        )

    async def bearer(self) -> dict[str, str]:
        answer = await self.token()
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    async def create(
        self, body: Any, key: str | None = None, bearer: dict[str, str] | None = None
    ) -> httpx.Response:
        headers = dict(bearer or await self.bearer())
        if key is not None:
            headers["Idempotency-Key"] = key
        return await self.http.post("/pay/api/v2/sessions", json=body, headers=headers)


def rows(http: httpx.AsyncClient) -> int:
    with context(http).store.read() as db:
        return int(db.scalar(select(func.count()).select_from(tables.PaySession)) or 0)


async def test_a_guaranteed_eft_session_is_created_once_read_and_cancelled(
    toolbox: httpx.AsyncClient,
) -> None:
    pay = Pay(toolbox)
    token = await pay.token()
    assert token.status_code == 200 and token.json()["expires_in"] == 599
    assert token.json()["token_type"] == "Bearer" and token.headers["cache-control"] == "no-store"
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    created = await pay.create(GEFT, key="order-1", bearer=bearer)
    assert created.status_code == 200, created.text
    session_id = created.json()["sessionId"]
    assert created.json() == {"sessionId": session_id, "referenceId": "USER12345"}
    # A token starts one session.
    again = await pay.create(GEFT, bearer=bearer)
    assert (again.status_code, again.json()["FlinksCode"]) == (401, "UNAUTHORIZED")
    # The same key and body give the same session, with a new token or none spent; another body is refused.
    replay = await pay.create(GEFT, key="order-1")
    assert replay.json() == created.json() and replay.headers["idempotent-replayed"] == "true"
    other = await pay.create({**GEFT, "amount": 300}, key="order-1")
    assert other.status_code == 400 and "another body" in other.json()["Message"]
    assert rows(toolbox) == 1

    status = await toolbox.get(f"/pay/api/v2/sessions/{session_id}/status")
    assert status.json() == {
        "sessionId": session_id,
        "referenceId": "USER12345",
        "amount": 250.5,
        "status": "Initiated",
        "statusDetails": "EFT0101",
    }
    details = (
        await toolbox.get(f"/pay/api/v2/sessions/{session_id}/details", headers=await pay.bearer())
    ).json()
    assert (details["type"], details["direction"], details["currency"], details["amount"]) == (
        "EFT",
        "DEBIT",
        "CAD",
        250.5,
    )
    assert details["step"]["current"] == "Start" and details["payor"]["firstName"] == "John"
    assert details["payee"]["account"] == {
        "institutionCode": "999",
        "transitNumber": "60265",
        "accountNumber": "9876541",
    }
    assert (
        details["guaranteeDetails"] == details["guarantee"] and details["createdAt"] == details["created_at"]
    )
    # Only the API client that created it reads its details or cancels it.
    stranger = Pay(toolbox)
    hidden = await toolbox.get(f"/pay/api/v2/sessions/{session_id}/details", headers=await stranger.bearer())
    assert hidden.status_code == 404
    assert (
        await toolbox.post(f"/pay/api/v2/sessions/{session_id}/cancel", headers=await stranger.bearer())
    ).status_code == 404

    cancelled = await toolbox.post(f"/pay/api/v2/sessions/{session_id}/cancel", headers=await pay.bearer())
    assert cancelled.json()["status"] == "Canceled" and cancelled.json()["statusDetails"] == "EFT0501"
    twice = await toolbox.post(f"/pay/api/v2/sessions/{session_id}/cancel", headers=await pay.bearer())
    assert twice.status_code == 400 and "Canceled" in twice.json()["Message"]
    assert (
        await toolbox.get("/pay/api/v2/sessions/0f8fad5b-d9cb-469f-a165-70867728950e/status")
    ).status_code == 404


async def test_credentials_as_form_fields_and_refusals(toolbox: httpx.AsyncClient) -> None:
    pay = Pay(toolbox)
    form = await pay.token(
        grant_type="client_credentials", Username=pay.issued.client_id, Password=pay.issued.client_secret
    )
    assert form.status_code == 200, form.text
    wrong = await pay.token(grant_type="client_credentials", Username=pay.issued.client_id, Password="nope")
    assert (wrong.status_code, wrong.json()["FlinksCode"]) == (401, "UNAUTHORIZED")
    none = await toolbox.post("/pay/api/v2/sessions", json=GEFT)
    assert (none.status_code, none.json()["FlinksCode"]) == (401, "UNAUTHORIZED")
    upload_token = clients.issue_token(
        context(toolbox), "upload", *_upload_client(toolbox), timedelta(minutes=5)
    )
    foreign = await toolbox.post(
        "/pay/api/v2/sessions", json=GEFT, headers={"Authorization": f"Bearer {upload_token.access_token}"}
    )
    assert foreign.status_code == 401  # a token of another product
    basic = base64.b64encode(b"x:y").decode()
    assert (
        await toolbox.post("/pay/api/v1/authorize", headers={"Authorization": f"Basic {basic}"})
    ).status_code == 401


def _upload_client(http: httpx.AsyncClient) -> tuple[str, str]:
    issued = clients.create(context(http), "upload")
    return issued.client_id, issued.client_secret


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "ACH"}, "type"),
        ({"type": "e-Transfer"}, "payor.email"),  # an e-Transfer with the guarantee on, then without email
        ({"direction": "CREDIT"}, "DEBIT"),
        ({"direction": "SIDEWAYS"}, "direction"),
        ({"currency": "USD"}, "currency"),
        ({"amount": 10.005}, "2 decimals"),
        ({"amount": 100_000.01}, "at most 100000.00"),
        ({"amount": "12,50"}, "amount"),
        ({"amount": True}, "amount"),
        ({"payor": {"firstName": "John"}}, "payor.lastName"),
        ({"payor": {"firstName": " ", "lastName": "Doe"}}, "payor.firstName"),
        ({"payor": {"firstName": "J" * 101, "lastName": "Doe"}}, "at most 100"),
        ({"referenceId": "R" * 101}, "referenceId"),
        (
            {
                "payee": {
                    "account": {"institutionCode": "99", "transitNumber": "60265", "accountNumber": "9876541"}
                }
            },
            "institutionCode",
        ),
        (
            {
                "payee": {
                    "account": {"institutionCode": "999", "transitNumber": "60265", "accountNumber": "12"}
                }
            },
            "accountNumber",
        ),
        ({"options": {"guarantee": {"enable": True}, "limits": {"maximumAmount": 100}}}, "at most 100.00"),
        ({"options": {"guarantee": {"enable": "yes"}}}, "options.guarantee.enable"),
        (
            {"options": {"guarantee": {"enable": True}, "notificationPreferences": {"language": "DE"}}},
            "language",
        ),
    ],
)
async def test_validation_names_the_field(
    toolbox: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    body = {**GEFT, **change}
    if change.get("type") == "e-Transfer":
        body = {**body, "options": {}, "payor": {"firstName": "John", "lastName": "Doe"}}
    answer = await Pay(toolbox).create(body)
    assert (answer.status_code, answer.json()["FlinksCode"]) == (400, "INVALID_REQUEST"), answer.text
    assert field in answer.json()["Message"]
    assert rows(toolbox) == 0


async def test_e_transfer_and_plain_eft_credit_sessions(toolbox: httpx.AsyncClient) -> None:
    pay = Pay(toolbox)
    payor = {"firstName": "Élise", "lastName": "O'Neil-Tremblay", "email": "elise@example.ca"}
    transfer = {"type": "e-Transfer", "direction": "DEBIT", "currency": "CAD", "amount": "40", "payor": payor}
    made = await pay.create(transfer)
    assert made.status_code == 200, made.text
    details = (
        await toolbox.get(
            f"/pay/api/v2/sessions/{made.json()['sessionId']}/details", headers=await pay.bearer()
        )
    ).json()
    assert details["type"] == "e-Transfer" and details["amount"] == 40 and details["guarantee"] is None
    account = {"institutionCode": "003", "transitNumber": "12345", "accountNumber": "1234567"}
    credit = {"type": "EFT", "direction": "CREDIT", "payor": {"firstName": "Acme", "lastName": "Payroll"},
              "payee": {"account": account}}  # fmt: skip
    assert (await pay.create(credit)).status_code == 200


async def test_a_production_instance_needs_a_payee_account(store_url: str, clock: ManualClock) -> None:
    production = replace(toolbox_spec(store_url), sandbox=False)
    async with serve_in_process(production, clock) as http:
        answer = await Pay(http).create(GEFT)
        assert answer.status_code == 400 and "payee.account is required" in answer.json()["Message"]


async def test_a_us_instance_refuses_every_pay_call_and_stores_nothing(demo_us: httpx.AsyncClient) -> None:
    """Every route Pay declares (V2 sessions, the widget, EFT V1, the PAD page, sandbox controls, files),
    each placeholder filled with a well-formed value, is refused before anything is read."""
    calls = set()
    for router in PRODUCT.routers:
        for route in router.routes:
            path = re.sub(r"\{fileDate\}", "2026-01-15", getattr(route, "path", ""))
            path = re.sub(r"\{direction\}", "Debit", path)
            path = re.sub(r"\{[A-Za-z_]+\}", "0f8fad5b-d9cb-469f-a165-70867728950e", path)
            calls.update((method, path) for method in getattr(route, "methods", ()) if method != "HEAD")
    assert {
        ("POST", "/pay/api/v1/transactions"),
        ("GET", "/pay/app/"),
        ("POST", "/pay/api/v2/sessions"),
    } <= calls
    assert len(calls) >= 26
    for method, path in sorted(calls):
        answer = await demo_us.request(method, path, json=GEFT)
        assert (answer.status_code, answer.json()["FlinksCode"]) == (400, "METHOD_NOT_AVAILABLE"), path
        assert "Pay is not available on US instances" in answer.json()["Message"]
    assert rows(demo_us) == 0


async def payor(http: httpx.AsyncClient, pay: Pay, session_id: str, **body: Any) -> httpx.Response:
    return await http.post(
        f"/pay/api/sandbox/sessions/{session_id}/payor", json=body, headers=await pay.bearer()
    )


@pytest.mark.parametrize(
    ("username", "password", "names", "expected"),
    [
        ("Happy1", "Everyday", ("John", "Doe"), ("Completed", "EFT0301", 250.5)),
        ("Happy2", "Everyday", ("John", "Doe"), ("Completed", "EFT0301", 125.25)),  # the Next Best Offer
        ("Unhappy1", "Everyday", ("John", "Doe"), ("Failed", "EFT0402", 250.5)),
        ("Happy1", "wrong", ("John", "Doe"), ("Failed", "EFT0401", 250.5)),
        ("Happy1", "Everyday", ("Jane", "Roe"), ("Failed", "EFT0403", 250.5)),
    ],
)
async def test_the_sandbox_payor_ends_a_session_as_its_test_user_does(
    toolbox: httpx.AsyncClient,
    username: str,
    password: str,
    names: tuple[str, str],
    expected: tuple[Any, ...],
) -> None:
    pay = Pay(toolbox)
    body = {**GEFT, "payor": {"firstName": names[0], "lastName": names[1]}}
    session_id = (await pay.create(body)).json()["sessionId"]
    ended = await payor(toolbox, pay, session_id, username=username, password=password)
    assert ended.status_code == 200, ended.text
    assert (ended.json()["status"], ended.json()["statusDetails"], ended.json()["amount"]) == expected
    details = (
        await toolbox.get(f"/pay/api/v2/sessions/{session_id}/details", headers=await pay.bearer())
    ).json()
    assert details["step"]["current"] == "Complete" and details["completed_at"] is not None
    again = await payor(toolbox, pay, session_id, username=username, password=password)
    assert again.status_code == 400 and "has ended" in again.json()["Message"]
    cancel = await toolbox.post(f"/pay/api/v2/sessions/{session_id}/cancel", headers=await pay.bearer())
    assert cancel.status_code == 400


async def test_a_session_left_idle_expires_on_the_instance_clock(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    pay = Pay(toolbox)
    body = {key: value for key, value in GEFT.items() if key != "amount"}
    session_id = (await pay.create(body)).json()["sessionId"]
    status_url = f"/pay/api/v2/sessions/{session_id}/status"
    assert (await toolbox.get(status_url)).json()["amount"] is None
    missing = await payor(toolbox, pay, session_id, username="Happy1", password="Everyday")
    assert missing.status_code == 400 and "amount is required" in missing.json()["Message"]
    clock.advance(29 * 60)
    assert (await toolbox.get(status_url)).json()["status"] == "Initiated"
    clock.advance(61)
    expired = (await toolbox.get(status_url)).json()
    assert (expired["status"], expired["statusDetails"]) == ("Expired", "EFT0601")
    late = await payor(toolbox, pay, session_id, username="Happy1", password="Everyday", amount=10)
    assert late.status_code == 400 and "Expired" in late.json()["Message"]


async def test_sandbox_controls_are_not_on_a_production_instance(store_url: str, clock: ManualClock) -> None:
    production = replace(toolbox_spec(store_url), sandbox=False)
    payee = {"account": {"institutionCode": "003", "transitNumber": "12345", "accountNumber": "1234567"}}
    async with serve_in_process(production, clock) as http:
        pay = Pay(http)
        session_id = (await pay.create({**GEFT, "payee": payee})).json()["sessionId"]
        refused = await payor(http, pay, session_id, username="Happy1", password="Everyday")
        assert (refused.status_code, refused.json()["FlinksCode"]) == (404, "NOT_FOUND")


def test_sessions_racing_with_one_idempotency_key_make_one_session(toolbox: httpx.AsyncClient) -> None:
    """Eight creates with their own tokens and one key, at once (really at once on PostgreSQL): one
    session, the same sessionId to each, and the losers' tokens left unspent."""
    ctx = context(toolbox)
    issued = clients.create(ctx, "pay", "race")
    tokens = [
        clients.issue_token(
            ctx, "pay", issued.client_id, issued.client_secret, timedelta(minutes=5)
        ).access_token
        for _ in range(8)
    ]
    raw = orjson.dumps(GEFT)
    barrier = threading.Barrier(8)

    def send(token: str) -> tuple[str, bool]:
        barrier.wait()
        created = sessions.create(ctx, f"Bearer {token}", raw, "race-1")
        return str(created.session["sessionId"]), created.replayed

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, tokens))
    assert len({session_id for session_id, _ in answers}) == 1
    assert sorted(replayed for _, replayed in answers) == [False] + [True] * 7
    assert rows(toolbox) == 1
    with ctx.store.read() as db:
        assert db.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.spent)) == 1
