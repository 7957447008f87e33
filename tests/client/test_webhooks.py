"""Webhook verification against what the server really sends, and the ASGI receiver."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx
import pytest

from finstance.client import (
    AccountsDetailEvent,
    KYCEvent,
    PaymentStatusEvent,
    SessionStatusEvent,
    TestEvent,
    Webhook,
    WebhookReceiver,
    WebhookVerificationError,
    parse_event,
    verify_webhook,
)
from finstance.core import webhooks as server
from finstance.testing import Sandbox, connect

BODY = b'{"ResponseType":"Test","HttpStatusCode":200,"Message":"hello"}'
SECRET = "s3cret-webhook-key"


def server_headers(sandbox: Sandbox, name: str, body: bytes, event_id: str = "evt-1") -> dict[str, str]:
    """The headers the server computes for a delivery of ``body`` (services.webhooks.signed_headers)."""
    return server.signed_headers(sandbox.context(name), event_id, body, datetime.now(UTC))


def test_the_servers_headers_verify_with_the_instances_secret(finstance_sandbox: Sandbox) -> None:
    headers = server_headers(finstance_sandbox, "demo-ca", BODY)
    secret = finstance_sandbox.ca.webhook_secret
    assert secret is not None
    assert verify_webhook(secret, headers, BODY) == int(headers["webhook-timestamp"])
    flinks_only = {k: v for k, v in headers.items() if not k.startswith("webhook-")}
    assert verify_webhook(secret, flinks_only, BODY) is None  # Flinks scheme alone: no timestamp
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, flinks_only, BODY, require_timestamp=True)
    assert verify_webhook(server.standard_secret(secret), headers, BODY)  # the whsec_ form


@pytest.mark.parametrize("scheme", ["standard", "flinks", "flinks-authenticity-key"])
def test_a_tampered_body_is_refused(finstance_sandbox: Sandbox, scheme: str) -> None:
    headers = server_headers(finstance_sandbox, "demo-us", BODY)
    if scheme != "standard":
        headers = {k: v for k, v in headers.items() if not k.startswith("webhook-")}
    if scheme == "flinks-authenticity-key":
        del headers["x-flinks-signature"]
    tampered = BODY.replace(b"hello", b"hellO")
    with pytest.raises(WebhookVerificationError):
        verify_webhook(finstance_sandbox.us.webhook_secret or "", headers, tampered)


def test_another_instances_secret_is_refused(finstance_sandbox: Sandbox) -> None:
    headers = server_headers(finstance_sandbox, "demo-us", BODY)
    with pytest.raises(WebhookVerificationError, match="signature"):
        verify_webhook(finstance_sandbox.ca.webhook_secret or "", headers, BODY)


def test_an_old_or_future_timestamp_is_refused_even_when_signed() -> None:
    old = int(time.time()) - 3600
    signature = server.standard_signature(SECRET, "evt-9", old, BODY)
    headers = {"webhook-id": "evt-9", "webhook-timestamp": str(old), "webhook-signature": signature}
    with pytest.raises(WebhookVerificationError, match="timestamp"):
        verify_webhook(SECRET, headers, BODY)
    assert verify_webhook(SECRET, headers, BODY, now=old + 10) == old
    with pytest.raises(WebhookVerificationError, match="timestamp"):
        verify_webhook(SECRET, headers, BODY, now=old - 301)


def test_a_rotated_signature_list_verifies_when_one_matches() -> None:
    now = int(time.time())
    good = server.standard_signature(SECRET, "e", now, BODY)
    headers = {"webhook-id": "e", "webhook-timestamp": str(now), "webhook-signature": f"v1,AAAA {good}"}
    assert verify_webhook(SECRET, headers, BODY) == now
    headers["webhook-id"] = "other"  # the id is signed too
    with pytest.raises(WebhookVerificationError):
        verify_webhook(SECRET, headers, BODY)


def test_an_unsigned_delivery_is_refused() -> None:
    with pytest.raises(WebhookVerificationError, match="not signed"):
        verify_webhook(SECRET, {"content-type": "application/json"}, BODY)


def test_receiver_gets_the_servers_real_kyc_and_detail_events_per_instance(
    finstance_sandbox: Sandbox,
) -> None:
    received: list[Webhook] = []
    receiver = WebhookReceiver(
        finstance_sandbox.configs.values(), received.append, clock=finstance_sandbox.now
    )
    for name in ("demo-ca", "demo-us"):
        finstance_sandbox.add_webhook_endpoint(name)
        client = finstance_sandbox.client(name)
        session = connect(client)
        assert session.login is not None
        client.fetch_accounts_detail(session.login.id)  # runs the aggregation, which emits the events
        assert finstance_sandbox.deliver_webhooks(name, receiver) == 2
    assert [(w.instance.name, type(w.event)) for w in received] == [
        ("demo-ca", KYCEvent),
        ("demo-ca", AccountsDetailEvent),
        ("demo-us", KYCEvent),
        ("demo-us", AccountsDetailEvent),
    ]
    detail = received[3].event
    assert isinstance(detail, AccountsDetailEvent) and {a.currency for a in detail.accounts} == {"USD"}
    kyc = received[0].event
    assert isinstance(kyc, KYCEvent) and kyc.holders and kyc.response_type == "KYC"
    assert all(w.webhook_id and w.timestamp for w in received)
    deliveries = server.deliveries(finstance_sandbox.context("demo-ca"))
    assert {d["status"] for d in deliveries} == {"delivered"} and {
        d["last_status_code"] for d in deliveries
    } == {200}


async def test_receiver_answers_401_to_a_forged_or_misattributed_delivery(finstance_sandbox: Sandbox) -> None:
    received: list[Webhook] = []
    receiver = WebhookReceiver([finstance_sandbox.ca, finstance_sandbox.us], received.append)
    headers = server_headers(finstance_sandbox, "demo-us", BODY)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=receiver), base_url="http://hooks"
    ) as http:
        ok = await http.post("/", content=BODY, headers=headers)
        assert ok.status_code == 200 and isinstance(received[0].event, TestEvent)
        assert received[0].instance.name == "demo-us"
        tampered = await http.post("/", content=BODY + b" ", headers=headers)
        claims_ca = await http.post("/", content=BODY, headers={**headers, "x-finstance-instance": "demo-ca"})
        wrong_customer = await http.post(
            "/",
            content=BODY,
            headers={**headers, "x-finstance-customer-id": finstance_sandbox.ca.customer_id},
        )
        unknown = await http.post("/", content=BODY, headers={**headers, "x-finstance-instance": "nope"})
        get = await http.get("/")
    assert [r.status_code for r in (tampered, claims_ca, wrong_customer, unknown)] == [401] * 4
    assert get.status_code == 405 and len(received) == 1


async def test_receiver_finds_the_sender_by_secret_when_no_instance_header_is_sent(
    finstance_sandbox: Sandbox,
) -> None:
    """Real Flinks names no instance: the one whose secret verifies is the sender."""
    received: list[Webhook] = []

    async def handler(webhook: Webhook) -> None:
        received.append(webhook)

    receiver = WebhookReceiver([finstance_sandbox.ca, finstance_sandbox.us], handler)
    secret = finstance_sandbox.us.webhook_secret or ""
    headers = {"X-Flinks-Signature": server.flinks_signature(secret, BODY)}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=receiver), base_url="http://hooks"
    ) as http:
        ok = await http.post("/", content=BODY, headers=headers)
        bad_json = await http.post(
            "/", content=b"[1]", headers={"X-Flinks-Signature": server.flinks_signature(secret, b"[1]")}
        )
    assert ok.status_code == 200 and received[0].instance.name == "demo-us" and received[0].timestamp is None
    assert bad_json.status_code == 400 and len(received) == 1


async def test_a_failing_handler_answers_500_so_the_sender_retries(finstance_sandbox: Sandbox) -> None:
    def handler(webhook: Webhook) -> None:
        raise RuntimeError("database down")

    receiver = WebhookReceiver([finstance_sandbox.ca], handler)
    headers = server_headers(finstance_sandbox, "demo-ca", BODY)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=receiver), base_url="http://hooks"
    ) as http:
        answer = await http.post("/", content=BODY, headers=headers)
    assert answer.status_code == 500


def pay_body(when: datetime) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return (
        b'{"eventType":"SessionSetupStatusChanged","when":"' + stamp.encode() + b'",'
        b'"sessionId":"aadd08f2-83ce-456d-84ed-c68cfed4ee7b","referenceId":"USER12345","amount":500,'
        b'"status":"Completed","statusDetails":"EFT0301"}'
    )


async def test_a_pay_event_signed_as_flinks_pay_signs_is_verified_typed_and_fresh(
    finstance_sandbox: Sandbox,
) -> None:
    """Real Flinks Pay sends only ``X-Webhook-Signature: sha256=<HEX>`` and a signed ``when``."""
    received: list[Webhook] = []
    receiver = WebhookReceiver([finstance_sandbox.ca], received.append)
    secret = finstance_sandbox.ca.webhook_secret or ""
    body = pay_body(datetime.now(UTC))
    signature = server.pay_signature(secret, body)
    assert signature.startswith("sha256=") and signature[7:] == signature[7:].upper()
    stale = pay_body(datetime.fromtimestamp(time.time() - 3600, UTC))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=receiver), base_url="http://hooks"
    ) as http:
        ok = await http.post("/", content=body, headers={"X-Webhook-Signature": signature.lower()})
        tampered = await http.post(
            "/", content=body.replace(b"500", b"900"), headers={"X-Webhook-Signature": signature}
        )
        old = await http.post(
            "/", content=stale, headers={"X-Webhook-Signature": server.pay_signature(secret, stale)}
        )
    assert ok.status_code == 200, ok.text
    assert (tampered.status_code, old.status_code) == (401, 401)
    with pytest.raises(WebhookVerificationError, match="when is more than 300 s"):
        verify_webhook(secret, {"x-webhook-signature": server.pay_signature(secret, stale)}, stale)
    [webhook] = received
    event = webhook.event
    assert isinstance(event, SessionStatusEvent) and webhook.instance.name == "demo-ca"
    assert (event.event_type, event.status, event.status_details, event.amount) == (
        "SessionSetupStatusChanged",
        "Completed",
        "EFT0301",
        500,
    )
    assert webhook.timestamp is not None and abs(webhook.timestamp - time.time()) < 60
    assert verify_webhook(secret, {"x-webhook-signature": signature}, body, require_timestamp=True)


def test_an_eft_v1_payment_event_parses_without_a_session() -> None:
    body = (
        b'{"eventType":"PaymentStatusChanged","when":"2026-01-16T18:00:00.000000Z",'
        b'"requestId":"5f0c8e9a-1111-4c6f-9a55-2a3b4c5d6e7f","scheduleId":"0b9d7c6e-2222-4c6f-9a55-2a3b4c5d6e7f",'
        b'"sequence":1,"crossReferenceNumber":"INV-1001","amount":250,"type":"EFT","direction":"DEBIT",'
        b'"paymentStatus":"Returned","statusDetails":"908","returnReason":"Funds not cleared (debit only)",'
        b'"effectiveAt":"2026-01-19T05:00:00.000000Z","fileDate":"2026-01-16"}'
    )
    event = parse_event(body)
    assert isinstance(event, PaymentStatusEvent) and event.session_id is None
    assert (event.request_id, event.cross_reference_number, event.status_details) == (
        "5f0c8e9a-1111-4c6f-9a55-2a3b4c5d6e7f",
        "INV-1001",
        "908",
    )
