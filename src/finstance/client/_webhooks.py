"""Webhook verification and an ASGI receiver.

Three signature schemes, all HMAC-SHA256 keyed with the instance's webhook secret, compared in constant
time:

- **Flinks**: base64 of the HMAC of the raw body, in ``flinks-authenticity-key`` or ``X-Flinks-Signature``.
  It signs no timestamp, so it cannot refuse a replayed delivery.
- **Flinks Pay**: ``X-Webhook-Signature: sha256=<HEX>``, the HMAC of the raw body in hex (upper-case as
  sent, compared without case); the body's signed ``when`` further than ``tolerance`` seconds from now is
  refused.
- **Standard Webhooks**: ``webhook-signature: v1,<base64>`` (several, space-separated, during a key
  rotation) over ``{webhook-id}.{webhook-timestamp}.{body}``; a timestamp further than ``tolerance``
  seconds from now is refused, which refuses replays.

:func:`verify_webhook` checks Standard Webhooks when its headers are present, else the Flinks signature when
present, else Flinks Pay's; ``require_timestamp=True`` refuses a delivery that carries no
signed time (neither Standard Webhooks headers nor Pay's ``when``).
:class:`WebhookReceiver` identifies the sending instance (finstance sends ``X-Finstance-Instance`` and
``X-Finstance-Customer-Id``; without them, the instance whose secret verifies), verifies, parses the
typed event and hands it to the application.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import inspect
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field, ValidationError

from finstance.client._instances import InstanceConfig
from finstance.connect import wire
from finstance.core.wire import FlinksResponse

log = logging.getLogger("finstance.client.webhooks")

DEFAULT_TOLERANCE = 300.0  # seconds, as Standard Webhooks libraries use
MAX_BODY = 4 * 1024 * 1024


class WebhookVerificationError(Exception):
    """The delivery is not authentic: bad or missing signature, unknown sender, or stale timestamp."""


# -- events -----------------------------------------------------------------------------------------


class WebhookEvent(FlinksResponse):
    """Any event; unknown fields are kept. Connect's events name their type in ``ResponseType``, Pay's in
    ``eventType``."""

    response_type: str | None = None


class PayEvent(WebhookEvent):
    """A Pay event (camelCase, as Pay's API): which session (None for a payment of an EFT V1 schedule), and
    when it was written."""

    event_type: str = Field(alias="eventType")
    when: str = Field(alias="when")
    session_id: str | None = Field(None, alias="sessionId")
    reference_id: str | None = Field(None, alias="referenceId")
    amount: float | None = Field(None, alias="amount")  # dollars


class SessionStatusEvent(PayEvent):
    """``SessionSetupStatusChanged``: a session ended Completed, Failed or Canceled. Sent once, not retried:
    de-duplicate on the sessionId and reconcile with the session's status."""

    status: str = Field(alias="status")
    status_details: str | None = Field(None, alias="statusDetails")


class PaymentStatusEvent(PayEvent):
    """``PaymentStatusChanged``: the money moved (Processed, Settled, Returned with its CPA code); for a
    payment of an EFT V1 schedule, which one (``request_id``, ``schedule_id``), also when it expired
    unsigned."""

    request_id: str | None = Field(None, alias="requestId")
    schedule_id: str | None = Field(None, alias="scheduleId")
    cross_reference_number: str | None = Field(None, alias="crossReferenceNumber")

    payment_status: str = Field(alias="paymentStatus")
    status_details: str | None = Field(None, alias="statusDetails")
    effective_at: str | None = Field(None, alias="effectiveAt")
    file_date: str | None = Field(None, alias="fileDate")
    return_reason: str | None = Field(None, alias="returnReason")


class KYCEvent(WebhookEvent):
    holders: list[wire.Holder] | None = None
    login: wire.LoginInfo | None = None
    institution: str | None = None
    request_id: str | None = None
    tag: str | None = None


class AccountsDetailEvent(WebhookEvent, wire.AccountsDetailResponse):
    """The body of a 200 ``GetAccountsDetail`` answer, pushed when the aggregation completes."""

    tag: str | None = None


class TestEvent(WebhookEvent):
    __test__ = False  # not a pytest class
    message: str | None = None


EVENT_TYPES: dict[str, type[WebhookEvent]] = {
    "KYC": KYCEvent,
    "GetAccountsDetail": AccountsDetailEvent,
    "Test": TestEvent,
}
PAY_EVENT_TYPES: dict[str, type[WebhookEvent]] = {
    "SessionSetupStatusChanged": SessionStatusEvent,
    "PaymentStatusChanged": PaymentStatusEvent,
}


def parse_event(body: bytes) -> WebhookEvent:
    """The typed event of a verified body: by its ``ResponseType``, else :class:`WebhookEvent`."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise ValueError("the webhook body is not JSON") from exc
    if not isinstance(document, dict):
        raise ValueError("the webhook body is not a JSON object")
    if "ResponseType" not in document and "eventType" in document:
        return PAY_EVENT_TYPES.get(str(document["eventType"]), PayEvent).model_validate(document)
    cls = EVENT_TYPES.get(str(document.get("ResponseType")), WebhookEvent)
    return cls.model_validate(document)


@dataclass(frozen=True, slots=True)
class Webhook:
    """A verified delivery: who sent it, its id and timestamp (Standard Webhooks), and the event."""

    instance: InstanceConfig
    event: WebhookEvent
    webhook_id: str | None
    timestamp: int | None
    body: bytes


# -- signatures -------------------------------------------------------------------------------------


def _key(secret: str) -> bytes:
    """The HMAC key: a ``whsec_`` secret is base64 of the key bytes; any other secret is its UTF-8."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except binascii.Error:
            raise ValueError("a whsec_ secret must be base64") from None
    return secret.encode()


def flinks_signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(_key(secret), body, hashlib.sha256).digest()).decode()


def standard_signature(secret: str, webhook_id: str, timestamp: int | str, body: bytes) -> str:
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest()).decode()


def verify_flinks_signature(secret: str, body: bytes, signature: str) -> None:
    if not hmac.compare_digest(flinks_signature(secret, body).encode(), signature.strip().encode()):
        raise WebhookVerificationError("the Flinks signature does not match the body")


def pay_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(_key(secret), body, hashlib.sha256).hexdigest().upper()


def verify_pay_signature(
    secret: str,
    body: bytes,
    signature: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> int:
    """Check Flinks Pay's ``X-Webhook-Signature`` and the freshness of the body's ``when``; returns it as
    a Unix timestamp."""
    expected = pay_signature(secret, body).lower().encode()
    if not hmac.compare_digest(expected, signature.strip().lower().encode()):
        raise WebhookVerificationError("the X-Webhook-Signature does not match the body")
    try:
        when = json.loads(body)["when"]
        sent = datetime.fromisoformat(str(when).replace("Z", "+00:00")).timestamp()
    except (ValueError, KeyError, TypeError):
        raise WebhookVerificationError("the body carries no valid when") from None
    current = time.time() if now is None else now
    if abs(current - sent) > tolerance:
        raise WebhookVerificationError(f"when is more than {tolerance:g} s from now")
    return int(sent)


def verify_standard_signature(
    secret: str,
    body: bytes,
    webhook_id: str,
    timestamp: str,
    signatures: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> int:
    """Check a Standard Webhooks delivery; returns its timestamp."""
    try:
        sent = int(timestamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not an integer") from None
    current = time.time() if now is None else now
    if abs(current - sent) > tolerance:
        raise WebhookVerificationError(f"webhook-timestamp is more than {tolerance:g} s from now")
    expected = standard_signature(secret, webhook_id, sent, body).encode()
    found = False
    for candidate in signatures.split():
        found |= hmac.compare_digest(expected, candidate.encode())  # every candidate is compared
    if not found:
        raise WebhookVerificationError("no webhook-signature matches the body")
    return sent


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    require_timestamp: bool = False,
    now: float | None = None,
) -> int | None:
    """Verify a delivery with ``secret``; returns its Standard Webhooks timestamp or Pay's ``when`` as a Unix
    timestamp (``None`` when it was verified by the Flinks signature alone). Raises
    :class:`WebhookVerificationError`."""
    h = _lower(headers)
    if "webhook-signature" in h:
        if "webhook-id" not in h or "webhook-timestamp" not in h:
            raise WebhookVerificationError("webhook-signature without webhook-id and webhook-timestamp")
        return verify_standard_signature(
            secret, body, h["webhook-id"], h["webhook-timestamp"], h["webhook-signature"],
            tolerance=tolerance, now=now,
        )  # fmt: skip
    signature = h.get("x-flinks-signature") or h.get("flinks-authenticity-key")
    if not signature and "x-webhook-signature" in h:
        return verify_pay_signature(secret, body, h["x-webhook-signature"], tolerance=tolerance, now=now)
    if require_timestamp:
        raise WebhookVerificationError("no Standard Webhooks headers: the delivery carries no timestamp")
    if not signature:
        raise WebhookVerificationError("the delivery is not signed")
    verify_flinks_signature(secret, body, signature)
    return None


# -- the receiver -----------------------------------------------------------------------------------

Handler = Callable[[Webhook], Awaitable[None] | None]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class WebhookReceiver:
    """An ASGI app that receives the webhooks of several instances on one URL.

    The sender is the instance named by ``X-Finstance-Instance`` (its ``X-Finstance-Customer-Id`` must
    match), or, when a delivery does not name it (real Flinks), the one instance whose secret verifies
    the body. A verified event goes to ``handler`` (sync or async) and the answer is 200; a delivery
    that does not verify gets 401, a body that is not an event 400, and an exception of the handler 500,
    so the sender delivers it again later. De-duplicate on :attr:`Webhook.webhook_id`.
    """

    def __init__(
        self,
        instances: Iterable[InstanceConfig],
        handler: Handler,
        *,
        tolerance: float = DEFAULT_TOLERANCE,
        require_timestamp: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.instances = {c.name: c for c in instances if c.webhook_secret}
        if not self.instances:
            raise ValueError("no instance has a webhook_secret")
        self.handler = handler
        self.tolerance = tolerance
        self.require_timestamp = require_timestamp
        self.clock = clock

    def verify(self, headers: Mapping[str, str], body: bytes) -> Webhook:
        """Identify, verify and parse one delivery (the receiver's work without ASGI)."""
        h = _lower(headers)
        named = h.get("x-finstance-instance")
        if named is not None:
            config = self.instances.get(named)
            if config is None:
                raise WebhookVerificationError(f"unknown sending instance {named!r}")
            customer = h.get("x-finstance-customer-id")
            if customer is not None and customer.lower() != config.customer_id:
                raise WebhookVerificationError("X-Finstance-Customer-Id does not match the named instance")
            candidates = [config]
        else:
            candidates = list(self.instances.values())
        for config in candidates:
            assert config.webhook_secret is not None
            try:
                timestamp = verify_webhook(
                    config.webhook_secret, h, body, tolerance=self.tolerance,
                    require_timestamp=self.require_timestamp, now=self.clock(),
                )  # fmt: skip
            except WebhookVerificationError:
                if named is not None:
                    raise
                continue
            return Webhook(config, parse_event(body), h.get("webhook-id"), timestamp, body)
        raise WebhookVerificationError("no instance's secret verifies this delivery")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["method"] != "POST":
            await _answer(send, 405, "POST only", [(b"allow", b"POST")])
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await _answer(send, 413, "body too large")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            webhook = self.verify(headers, b"".join(chunks))
        except WebhookVerificationError as exc:
            await _answer(send, 401, str(exc))
            return
        except (ValueError, ValidationError):
            await _answer(send, 400, "the body is not a webhook event")
            return
        try:
            result = self.handler(webhook)
            if inspect.isawaitable(result):
                await result
        except Exception:
            log.exception(
                "the webhook handler failed on %s from %s", webhook.webhook_id, webhook.instance.name
            )
            await _answer(send, 500, "the handler failed")
            return
        await _answer(send, 200, "ok")


async def _lifespan(receive: Receive, send: Send) -> None:
    """The ASGI lifespan protocol: nothing to set up or tear down, so each step is acknowledged at once.
    A server starts listening only once ``lifespan.startup`` is answered."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _answer(
    send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"Message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})
