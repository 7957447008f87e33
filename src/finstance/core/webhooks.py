"""Webhooks: events written to the instance's outbox, delivered from this instance only, signed, retried.

- :func:`emit` writes an event and one delivery per endpoint **in the caller's transaction**, so an event
  exists exactly when the state change it reports was committed. Any product adds events through it; the
  delivery side does not change.
- :func:`deliver_due` claims due deliveries with a conditional UPDATE (one claimer wins, on SQLite and
  PostgreSQL alike; a claim whose worker died is taken again after the lease) and POSTs them. Delivery is
  at-least-once: a worker killed after the receiver answered but before recording it sends the event again,
  with the same ``webhook-id`` so receivers can de-duplicate.
- Signatures: base64 HMAC-SHA256 of the raw body with the instance's webhook secret, in both
  ``flinks-authenticity-key`` and ``X-Flinks-Signature`` (Flinks' Connect webhooks); the same HMAC as
  upper-case hex in ``X-Webhook-Signature: sha256=<HEX>`` (Flinks Pay's webhooks); plus Standard Webhooks
  headers (``webhook-id``, ``webhook-timestamp``, ``webhook-signature: v1,<base64>`` over
  ``id.timestamp.body``). Every event carries all of them, so a receiver checks the one its product documents.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import orjson
from sqlalchemy import Connection, Table, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session as DbSession

from finstance.core import wake
from finstance.core.context import InstanceContext
from finstance.core.states import DeliveryStatus
from finstance.core.store import tables

if TYPE_CHECKING:  # httpx is loaded by the first delivery: most instances of a region send none for a while
    import httpx

log = logging.getLogger("finstance.webhooks")

TEST = "Test"  # the event type of `finstance webhooks test`; each product declares its own types


class WebhookUrlError(ValueError):
    """A webhook URL this instance will not send to."""


# -- signatures -------------------------------------------------------------------------------------


def flinks_signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def pay_signature(secret: str, body: bytes) -> str:
    """Flinks Pay's ``X-Webhook-Signature``: ``sha256=`` and the HMAC-SHA256 of the body in upper-case hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().upper()


def standard_secret(secret: str) -> str:
    """The instance's secret in Standard Webhooks form (``whsec_`` + base64 of the key bytes)."""
    return "whsec_" + base64.b64encode(secret.encode()).decode()


def standard_signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()


def signed_headers(ctx: InstanceContext, event_id: str, body: bytes, now: datetime) -> dict[str, str]:
    secret = ctx.spec.signing_secret
    flinks = flinks_signature(secret, body)
    timestamp = int(now.timestamp())
    return {
        "content-type": "application/json; charset=utf-8",
        "flinks-authenticity-key": flinks,
        "x-flinks-signature": flinks,
        "x-webhook-signature": pay_signature(secret, body),
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard_signature(secret, event_id, timestamp, body),
        "x-finstance-instance": ctx.spec.name,
        "x-finstance-customer-id": ctx.spec.customer_id,
        "user-agent": "finstance-webhooks",
    }


# -- URL safety -------------------------------------------------------------------------------------


def _address_is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return bool(
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
        or ip.is_unspecified
    )  # fmt: skip


def check_url(url: str, *, development: bool, resolve: bool = True) -> str:
    """Refuse URLs this instance must not send to. Development (sandbox) instances may use loopback/http."""
    if len(url) > 2000:
        raise WebhookUrlError("the URL is longer than 2000 characters")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookUrlError("the URL must be http(s)://host/...")
    if parts.username or parts.password:
        raise WebhookUrlError("the URL must not carry credentials")
    if development:
        return url.strip()
    if parts.scheme != "https":
        raise WebhookUrlError("production instances send webhooks over https only")
    if resolve:
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError:
            raise WebhookUrlError(f"cannot resolve {parts.hostname}") from None
        if any(_address_is_private(str(info[4][0])) for info in infos):
            raise WebhookUrlError("the URL points at a loopback or private address")
    return url.strip()


# -- configuration ----------------------------------------------------------------------------------


def add_endpoint(ctx: InstanceContext, url: str) -> tables.WebhookEndpoint:
    url = check_url(url, development=ctx.spec.sandbox)
    with ctx.store.write() as db:
        if db.scalars(select(tables.WebhookEndpoint).where(tables.WebhookEndpoint.url == url)).first():
            raise WebhookUrlError("this URL is already an endpoint of the instance")
        endpoint = tables.WebhookEndpoint(id=ctx.spec.ids.random(), url=url, created_at=ctx.clock.now())
        db.add(endpoint)
        return endpoint


def list_endpoints(ctx: InstanceContext) -> list[tables.WebhookEndpoint]:
    with ctx.store.read() as db:
        return list(db.scalars(select(tables.WebhookEndpoint).order_by(tables.WebhookEndpoint.created_at)))


def remove_endpoint(ctx: InstanceContext, id_or_url: str) -> bool:
    with ctx.store.write() as db:
        endpoint = db.scalars(
            select(tables.WebhookEndpoint).where(
                or_(tables.WebhookEndpoint.id == id_or_url, tables.WebhookEndpoint.url == id_or_url)
            )
        ).first()
        if endpoint is None:
            return False
        db.execute(
            update(tables.WebhookDelivery)
            .where(
                tables.WebhookDelivery.endpoint_id == endpoint.id,
                tables.WebhookDelivery.status == DeliveryStatus.PENDING,
            )
            .values(status=DeliveryStatus.FAILED, last_error="endpoint removed")
        )
        db.delete(endpoint)
        return True


# -- the event source -------------------------------------------------------------------------------


def emit(
    ctx: InstanceContext, db: DbSession, event_type: str, body: dict[str, Any], login_id: str | None = None,
    seq: int = 0, *, envelope: bool = True, max_attempts: int | None = None,
) -> tables.OutboxEvent:  # fmt: skip
    """Record an event and its deliveries in the caller's transaction; without an endpoint, nothing is kept
    (the returned event is not added).

    ``body`` gets ``ResponseType`` first (Connect's shape) unless ``envelope`` is false (a product whose
    events name their type themselves, as Pay's ``eventType``). ``max_attempts`` caps the deliveries of this
    event (1: sent once, never retried); None leaves the instance's setting.
    """
    now = ctx.clock.now()
    endpoints = endpoint_urls(db)
    event = tables.OutboxEvent(
        id=ctx.spec.ids.random(),
        type=event_type,
        login_id=login_id,
        body=orjson.dumps({"ResponseType": event_type, **body} if envelope else body) if endpoints else b"",
        created_at=now,
        seq=seq,
    )
    if not endpoints:
        return event
    db.add(event)
    for endpoint_id, url in endpoints:
        db.add(
            tables.WebhookDelivery(
                id=ctx.spec.ids.random(),
                event_id=event.id,
                endpoint_id=endpoint_id,
                url=url,
                status=DeliveryStatus.PENDING,
                attempts=0,
                max_attempts=max_attempts,
                next_attempt_at=now,
                created_at=now,
            )
        )
    wake_workers(ctx, db)
    return event


_ENDPOINTS = "finstance.webhook_endpoints"


def endpoint_urls(db: DbSession) -> list[tuple[str, str]]:
    """The instance's endpoints (id, URL), read once per transaction (a settlement run emits thousands of
    events), without flushing what the caller has pending: its changes go out in one flush at the end. A
    product asks it before building an event's body, which is not needed when the list is empty."""
    found: list[tuple[str, str]] | None = db.info.get(_ENDPOINTS)
    if found is None:
        with db.no_autoflush:
            found = [(e.id, e.url) for e in db.scalars(select(tables.WebhookEndpoint))]
        db.info[_ENDPOINTS] = found
    return found


def wake_workers(ctx: InstanceContext, db: DbSession) -> None:
    """Deliveries are due: wake the instance's workers when this transaction commits."""
    wake.on_commit(db, ctx.wake, ctx.store.url)


def test_event(ctx: InstanceContext) -> tables.OutboxEvent:
    """A ``Test`` event to every endpoint, through the normal delivery path."""
    with ctx.store.write() as db:
        return emit(ctx, db, TEST, {"HttpStatusCode": 200, "Message": f"Test event from {ctx.spec.name}"})


# -- delivery ---------------------------------------------------------------------------------------


def retry_delay(ctx: InstanceContext, attempts: int) -> timedelta:
    s = ctx.settings
    if s.webhook_backoff == "exponential":
        delay: timedelta = s.webhook_interval * (2 ** max(attempts - 1, 0))
        return min(delay, s.webhook_max_interval)
    return s.webhook_interval


# Deliveries one worker claims at a time, sends one after the other, then records at once (with its next
# claim). A batch starts no send once SEND_BUDGET timeouts have passed and gives back what it has not sent, so
# its last send ends within SEND_BUDGET + 1 timeouts of the claim whatever the batch's size, and a dead
# worker's batch waits for the lease: 90 s by default.
CLAIM_BATCH = 32
SEND_BUDGET = 4


def lease(ctx: InstanceContext) -> timedelta:
    """How long a claim holds: the batch's sending budget, its last send's timeout, plus slack."""
    return timedelta(seconds=ctx.settings.webhook_timeout_seconds * (SEND_BUDGET + 2))


def claim_batch(ctx: InstanceContext, limit: int = CLAIM_BATCH) -> list[str]:
    """Claim up to ``limit`` due deliveries. Concurrent workers get disjoint batches: PostgreSQL skips rows
    another claimer has locked; SQLite runs one writer at a time."""
    with ctx.store.write() as db:
        return _claim(ctx, db.connection(), limit)


def _claim(ctx: InstanceContext, conn: Connection, limit: int, *, stale_first: bool = True) -> list[str]:
    """Claims whose worker died (past their lease) first, unless ``stale_first`` is false, then due
    deliveries, oldest due first. Each is one ``UPDATE … RETURNING`` over a CTE that reads the status index in
    order: no scan or sort of the backlog."""
    now = ctx.clock.now()
    d = _DELIVERIES.c
    stale = (d.status == DeliveryStatus.SENDING) & (d.claimed_at < now - lease(ctx))
    due = (d.status == DeliveryStatus.PENDING) & (d.next_attempt_at <= now)
    claimed: list[str] = []
    for claimable in (stale, due) if stale_first else (due,):
        if len(claimed) < limit:
            claimed += _claim_where(ctx, conn, claimable, now, limit - len(claimed))
    return claimed


def _claim_where(
    ctx: InstanceContext, conn: Connection, claimable: Any, now: datetime, limit: int
) -> list[str]:
    d = _DELIVERIES
    # In the index's order alone: a backlog committed in one transaction shares one next_attempt_at, and a
    # second sort key would make the database read all of it to sort each batch.
    candidates = select(d.c.id).where(claimable).order_by(d.c.next_attempt_at).limit(limit)
    if ctx.store.backend == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    chosen = candidates.cte(
        "chosen"
    )  # a CTE is materialized once: its LIMIT holds (an IN subquery's may not)
    # On PostgreSQL the chosen rows are claimable still: they are locked, and the condition was checked again
    # on the rows locked. Repeating it here would let the planner, whose estimate of a backlog just committed
    # is one row, read the whole backlog for each row chosen (10 ms a batch at 2,000 rows) instead of finding
    # each by its key. SQLite's planner finds them by the condition's index with it, and scans without it.
    again = () if ctx.store.backend == "postgresql" else (claimable,)
    claimed = conn.execute(
        update(d)
        .where(d.c.id == chosen.c.id, *again)
        .values(status=DeliveryStatus.SENDING, claimed_by=ctx.worker_name, claimed_at=now)
        .returning(d.c.id)
    )
    return list(claimed.scalars())


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str | None


def _post(
    ctx: InstanceContext, client: httpx.Client, url: str, body: bytes, headers: dict[str, str]
) -> Outcome:
    try:
        check_url(url, development=ctx.spec.sandbox)  # again at send time: DNS may have changed
    except WebhookUrlError as exc:
        return Outcome(False, None, str(exc)[:200])
    import httpx

    deadline = time.monotonic() + ctx.settings.webhook_timeout_seconds
    try:
        with client.stream("POST", url, content=body, headers=headers) as response:
            read = 0
            for chunk in response.iter_bytes():  # read at most the cap, within the deadline, then stop
                read += len(chunk)
                if time.monotonic() > deadline:
                    return Outcome(False, response.status_code, "timeout")
                if read >= ctx.settings.webhook_max_response_bytes:
                    break
            ok = 200 <= response.status_code < 300
            return Outcome(ok, response.status_code, None if ok else f"HTTP {response.status_code}")
    except httpx.TimeoutException:
        return Outcome(False, None, "timeout")
    except httpx.HTTPError as exc:
        return Outcome(False, None, type(exc).__name__)


_DELIVERIES = cast(Table, tables.WebhookDelivery.__table__)
_EVENTS = cast(Table, tables.OutboxEvent.__table__)
# Every outcome of a batch in one executemany: a column an outcome leaves alone is bound to None and kept.
_RECORD = (
    update(_DELIVERIES)
    .where(_DELIVERIES.c.id == bindparam("b_id"), _DELIVERIES.c.claimed_by == bindparam("b_claimed_by"))
    .values(
        status=bindparam("b_status", type_=_DELIVERIES.c.status.type),
        attempts=bindparam("b_attempts"),
        last_status_code=bindparam("b_code"),
        last_error=bindparam("b_error"),
        claimed_by=None,
        delivered_at=func.coalesce(
            bindparam("b_delivered_at", type_=_DELIVERIES.c.delivered_at.type), _DELIVERIES.c.delivered_at
        ),
        next_attempt_at=func.coalesce(
            bindparam("b_next_attempt_at", type_=_DELIVERIES.c.next_attempt_at.type),
            _DELIVERIES.c.next_attempt_at,
        ),
    )
)


_RELEASE = (
    update(_DELIVERIES)
    .where(_DELIVERIES.c.id == bindparam("b_id"), _DELIVERIES.c.claimed_by == bindparam("b_claimed_by"))
    .values(status=DeliveryStatus.PENDING, claimed_by=None)
)


def _read(conn: Connection, claimed: list[str]) -> list[tuple[Any, ...]]:
    """The claimed deliveries with their events' bodies, in the order they were claimed (oldest due first).
    A delivery whose event was forgotten meanwhile (DeleteCard) is not found and not sent."""
    d, e = _DELIVERIES, _EVENTS
    rows = conn.execute(
        select(d.c.id, d.c.url, d.c.attempts, d.c.max_attempts, e.c.id, e.c.body)
        .join(e, e.c.id == d.c.event_id)
        .where(d.c.id.in_(claimed))
    ).all()
    order = {delivery_id: n for n, delivery_id in enumerate(claimed)}
    return sorted((tuple(row) for row in rows), key=lambda row: order[row[0]])


def _send(
    ctx: InstanceContext, rows: list[tuple[Any, ...]], client: httpx.Client
) -> tuple[dict[str, Outcome], list[dict[str, Any]]]:
    """POST each delivery one after the other, within the batch's budget; the outcomes of those sent, and the
    parameters of :func:`_record` for all (a delivery left unsent goes back as it was, unattempted)."""
    outcomes: dict[str, Outcome] = {}
    results: list[dict[str, Any]] = []
    budget = time.monotonic() + ctx.settings.webhook_timeout_seconds * SEND_BUDGET
    for delivery_id, url, attempts, allowed, event_id, body in rows:
        if outcomes and time.monotonic() > budget:
            results.append({"b_id": delivery_id, "b_claimed_by": ctx.worker_name})
            continue
        outcome = _post(ctx, client, url, body, signed_headers(ctx, event_id, body, ctx.clock.now()))
        outcomes[delivery_id] = outcome
        now = ctx.clock.now()
        attempts += 1
        result = {"b_id": delivery_id, "b_claimed_by": ctx.worker_name, "b_attempts": attempts,
                  "b_code": outcome.status_code, "b_error": outcome.error, "b_delivered_at": None,
                  "b_next_attempt_at": None}  # fmt: skip
        if outcome.ok:
            result.update(b_status=DeliveryStatus.DELIVERED, b_delivered_at=now)
        elif attempts >= (allowed or ctx.settings.webhook_attempts):
            result.update(b_status=DeliveryStatus.FAILED)
        else:
            result.update(b_status=DeliveryStatus.PENDING, b_next_attempt_at=now + retry_delay(ctx, attempts))
        results.append(result)
        if not outcome.ok:
            log.info("webhook delivery %s attempt %d failed: %s", delivery_id, attempts, outcome.error)
    return outcomes, results


def _record(conn: Connection, results: list[dict[str, Any]]) -> None:
    """Record a batch's outcomes and give back its unsent deliveries, in the caller's transaction."""
    done = [r for r in results if "b_status" in r]
    unsent = [r for r in results if "b_status" not in r]
    if done:
        conn.execute(_RECORD, done)
    if unsent:
        conn.execute(_RELEASE, unsent)


class Sender:
    """The HTTP client a worker sends deliveries with, made at its first delivery and then kept.

    An instance with nothing to send (most instances of a region, most of the time) never makes one: making
    it costs about 2 ms of a worker's start, 100 ms of a region's start with 50 instances.
    """

    def __init__(self, ctx: InstanceContext) -> None:
        self._ctx = ctx
        self._client: httpx.Client | None = None

    @property
    def made(self) -> bool:
        return self._client is not None

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = new_client(self._ctx)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def new_client(ctx: InstanceContext) -> httpx.Client:
    import httpx

    return httpx.Client(
        verify=_endpoint_trust(),
        timeout=httpx.Timeout(ctx.settings.webhook_timeout_seconds),
        follow_redirects=False,
        trust_env=False,
    )


@cache
def _endpoint_trust() -> ssl.SSLContext:
    """What an endpoint's certificate is checked against: httpx's default (certifi's), loaded once a process.
    Loading them takes about 20 ms, which each instance's worker spent at its start otherwise (a second of a
    region's start with 50 instances). An SSL context is safe to share between threads and clients."""
    import httpx

    return httpx.create_ssl_context(trust_env=False)


def deliver_due(
    ctx: InstanceContext, client: httpx.Client | Sender | None = None, limit: int = 4 * CLAIM_BATCH
) -> int:
    """Claim and send due deliveries, a batch at a time, up to ``limit``. Returns how many were attempted.

    One write transaction a batch: it records how the previous batch went, claims the next and reads its
    bodies. A worker that dies between a batch's sends and that write leaves the batch claimed; it is sent
    again once the claim's lease ends (at-least-once, with the same ``webhook-id``). Such stale claims are
    looked for by the first batch of a call (they are rare, and a worker calls again within its poll).
    """
    if not _anything_to_claim(ctx):
        return 0
    own = client is None
    client = new_client(ctx) if client is None else client.client() if isinstance(client, Sender) else client
    sent = 0
    results: list[dict[str, Any]] = []
    try:
        while True:
            want = min(CLAIM_BATCH, limit - sent)
            with ctx.store.write() as db:
                conn = db.connection()
                _record(conn, results)
                rows = _read(conn, _claim(ctx, conn, want, stale_first=sent == 0)) if want > 0 else []
            results = []
            if not rows:
                return sent
            outcomes, results = _send(ctx, rows, client)
            sent += len(outcomes)
    finally:
        if own:
            client.close()


def _anything_to_claim(ctx: InstanceContext) -> bool:
    """Whether a claim would find a delivery, by a read: a worker with nothing to send (an idle instance's, at
    each poll) takes no write lock, which on SQLite every writer of the store queues for."""
    now = ctx.clock.now()
    params = {
        "sending": DeliveryStatus.SENDING,
        "stale_before": now - lease(ctx),
        "pending": DeliveryStatus.PENDING,
        "now": now,
    }
    with ctx.store.read() as db:  # a pooled connection, as the worker's other reads: no hot one kept for it
        return any(db.execute(_CLAIMABLE, params).one())


_D = _DELIVERIES.c
# Whether there is a stale claim, and a due delivery, each looked up by the status index as _claim finds them.
_CLAIMABLE = select(
    exists().where(_D.status == bindparam("sending"), _D.claimed_at < bindparam("stale_before")),
    exists().where(_D.status == bindparam("pending"), _D.next_attempt_at <= bindparam("now")),
)


def redeliver(ctx: InstanceContext, delivery_id: str) -> bool:
    """Queue a delivery again (a failed one gets a full new schedule)."""
    with ctx.store.write() as db:
        result = db.execute(
            update(tables.WebhookDelivery)
            .where(
                tables.WebhookDelivery.id == delivery_id,
                tables.WebhookDelivery.status.in_((DeliveryStatus.FAILED, DeliveryStatus.DELIVERED)),
                tables.WebhookDelivery.event_id.is_not(None),
            )
            .values(
                status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=ctx.clock.now(), last_error=None
            )
        )
        queued = bool(result.rowcount == 1)  # type: ignore[attr-defined]
        if queued:
            wake_workers(ctx, db)
        return queued


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, DeliveryStatus):
        return value.value
    return value


def deliveries(
    ctx: InstanceContext, status: DeliveryStatus | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    d, e = tables.WebhookDelivery, tables.OutboxEvent
    query = (
        select(d.id, e.type, e.id, d.url, d.status, d.attempts, d.next_attempt_at)
        .add_columns(d.last_status_code, d.last_error, d.delivered_at, d.created_at)
        .outerjoin(e, e.id == d.event_id)  # a cancelled delivery has lost its event
        .order_by(d.created_at.desc(), e.seq.desc())
        .limit(limit)
    )
    if status:
        query = query.where(d.status == status)
    with ctx.store.read() as db:
        rows = db.execute(query).all()
    keys = ["id", "event_type", "event_id", "url", "status", "attempts", "next_attempt_at"]
    keys += ["last_status_code", "last_error", "delivered_at", "created_at"]
    return [{k: _plain(v) for k, v in zip(keys, row, strict=True)} for row in rows]


def forget_login(db: DbSession, login_id: str) -> int:
    """Forget the events of a login (their bodies hold its KYC and transactions), in DeleteCard's transaction.

    Their deliveries stay as a record without the event: those not yet sent are cancelled and never will be.
    A delivery a worker is sending at this very moment may still arrive. Returns how many events went.
    """
    events = select(tables.OutboxEvent.id).where(tables.OutboxEvent.login_id == login_id)
    d = tables.WebhookDelivery
    db.execute(
        update(d)
        .where(d.event_id.in_(events), d.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)))
        .values(status=DeliveryStatus.CANCELLED, last_error="login deleted", claimed_by=None)
    )
    db.execute(update(d).where(d.event_id.in_(events)).values(event_id=None))
    result = db.execute(delete(tables.OutboxEvent).where(tables.OutboxEvent.login_id == login_id))
    return int(getattr(result, "rowcount", 0) or 0)
