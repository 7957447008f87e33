"""Webhooks: events reach only their instance's endpoints, signed with its secret, retried on schedule."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy import event, func, select
from typer.testing import CliRunner

from finstance.cli import app as cli
from finstance.core import webhooks
from finstance.core.clock import ManualClock, SystemClock
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.instance import sqlite_url, toolbox_spec
from finstance.core.states import DeliveryStatus
from finstance.core.store import tables
from finstance.instances.directory import Directory
from tests.conftest import TEST_SETTINGS, US_API_KEY, US_CUSTOMER_ID, US_SECRET_KEY, serve_in_process, us_spec
from tests.core.webhooks.receiver import Receiver
from tests.flinks import Flinks

CA_SECRET = "ca-webhook-secret-for-tests"
US_SECRET = "us-webhook-secret-for-tests"


def ctx_of(client: httpx.AsyncClient) -> InstanceContext:
    ctx: InstanceContext = client._transport.app.state.ctx  # type: ignore[attr-defined]
    return ctx


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def us_receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
async def ca(store_url: str, clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    spec = replace(toolbox_spec(store_url), webhook_secret=CA_SECRET)
    async with serve_in_process(spec, clock) as client:
        yield client


@pytest.fixture
async def us(tmp_path: Path, clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    spec = replace(us_spec(sqlite_url(tmp_path / "us.db")), webhook_secret=US_SECRET)
    async with serve_in_process(spec, clock) as client:
        yield client


def verify_standard(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Standard Webhooks verification, written from the specification (not with our signing code)."""
    key = base64.b64decode(webhooks.standard_secret(secret).removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(sig.split(",", 1)[1], expected) for sig in headers["webhook-signature"].split()
    )


def verify_flinks(secret: str, signature: str, body: bytes) -> bool:
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, signature)


async def test_a_ca_flow_reaches_only_the_ca_endpoint_signed_with_the_ca_secret(
    ca: httpx.AsyncClient,
    us: httpx.AsyncClient,
    clock: ManualClock,
    receiver: Receiver,
    us_receiver: Receiver,
) -> None:
    ca_ctx, us_ctx = ctx_of(ca), ctx_of(us)
    webhooks.add_endpoint(ca_ctx, receiver.url)
    webhooks.add_endpoint(us_ctx, us_receiver.url)
    flinks = Flinks(ca)
    session = await flinks.connect("Greatday", Tag="user=7")
    options = {"RequestId": session["RequestId"], "WithKYC": True, "WithAccountIdentity": True}
    assert (await flinks.data("GetAccountsDetail", options)).status_code == 202
    clock.advance(5)
    detail = await flinks.poll("GetAccountsDetailAsync", session["RequestId"])
    assert detail.status_code == 200
    assert webhooks.deliver_due(ca_ctx) == 2
    assert webhooks.deliver_due(us_ctx) == 0

    assert us_receiver.requests == []
    kinds = [orjson.loads(r.body)["ResponseType"] for r in receiver.requests]
    assert kinds == ["KYC", "GetAccountsDetail"]
    kyc, accounts = (orjson.loads(r.body) for r in receiver.requests)
    assert kyc["Holders"][0]["Name"] and kyc["Login"]["Id"] == session["Login"]["Id"]
    assert accounts["Tag"] == "user=7" and kyc["Tag"] == "user=7"
    assert accounts["Accounts"] == detail.json()["Accounts"]  # the same body as the 200 answer
    assert accounts["RequestId"] == session["RequestId"]
    for request in receiver.requests:
        h = request.headers
        assert h["flinks-authenticity-key"] == h["x-flinks-signature"]
        assert verify_flinks(CA_SECRET, h["flinks-authenticity-key"], request.body)
        assert not verify_flinks(US_SECRET, h["flinks-authenticity-key"], request.body)
        assert verify_standard(CA_SECRET, h, request.body)
        assert not verify_standard(US_SECRET, h, request.body)
        assert (
            h["x-finstance-instance"] == "toolbox" and h["x-finstance-customer-id"] == ca_ctx.spec.customer_id
        )
    assert receiver.requests[0].headers["webhook-id"] != receiver.requests[1].headers["webhook-id"]


async def test_a_us_flow_is_signed_with_the_us_secret(
    us: httpx.AsyncClient, clock: ManualClock, us_receiver: Receiver
) -> None:
    ctx = ctx_of(us)
    webhooks.add_endpoint(ctx, us_receiver.url)
    flinks = Flinks(us, US_CUSTOMER_ID, US_SECRET_KEY, US_API_KEY, Country.US)
    session = await flinks.connect("greatday_nomfa")
    clock.advance(5)
    assert (await flinks.data("GetAccountsSummary", {"RequestId": session["RequestId"]})).status_code == 200
    assert webhooks.deliver_due(ctx) == 2
    for request in us_receiver.requests:
        assert verify_flinks(US_SECRET, request.headers["x-flinks-signature"], request.body)
        assert not verify_flinks(CA_SECRET, request.headers["x-flinks-signature"], request.body)
    assert orjson.loads(us_receiver.requests[1].body)["Accounts"][0]["Currency"] == "USD"


async def test_without_endpoints_no_event_is_kept(ca: httpx.AsyncClient, clock: ManualClock) -> None:
    flinks = Flinks(ca)
    session = await flinks.connect("greatday_nomfa")
    clock.advance(5)
    assert (await flinks.data("GetAccountsSummary", {"RequestId": session["RequestId"]})).status_code == 200
    with ctx_of(ca).store.read() as db:
        assert db.scalar(select(func.count()).select_from(tables.OutboxEvent)) == 0


async def test_a_failing_receiver_is_retried_every_30_minutes_then_failed_then_redelivered(
    ca: httpx.AsyncClient, clock: ManualClock, receiver: Receiver
) -> None:
    ctx = ctx_of(ca)
    webhooks.add_endpoint(ctx, receiver.url)
    receiver.status = 500
    webhooks.test_event(ctx)
    assert webhooks.deliver_due(ctx) == 1
    for attempt in range(2, 11):
        clock.advance(timedelta(minutes=29, seconds=59))
        assert webhooks.deliver_due(ctx) == 0, "not due before 30 minutes"
        clock.advance(1)
        assert webhooks.deliver_due(ctx) == 1, f"attempt {attempt} is due after 30 minutes"
    assert len(receiver.requests) == 10
    [row] = webhooks.deliveries(ctx)
    assert row["status"] == "failed" and row["attempts"] == 10 and row["last_status_code"] == 500
    clock.advance(timedelta(hours=5))
    assert webhooks.deliver_due(ctx) == 0  # failed deliveries stay failed
    receiver.status = 200
    assert webhooks.redeliver(ctx, row["id"])
    assert webhooks.deliver_due(ctx) == 1
    assert webhooks.deliveries(ctx)[0]["status"] == "delivered"
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert len(ids) == 1  # every attempt carries the same webhook-id: receivers can de-duplicate


async def test_a_worker_with_nothing_to_send_writes_nothing_and_still_finds_due_and_stale_deliveries(
    ca: httpx.AsyncClient, clock: ManualClock, receiver: Receiver
) -> None:
    """An idle instance's worker asks at every poll: with nothing to claim, the answer is a read, and no write
    transaction is opened (every writer of a SQLite store queues for its lock). A due delivery, a retry once
    its time comes and a claim past its lease are each still found."""
    ctx = ctx_of(ca)
    webhooks.add_endpoint(ctx, receiver.url)
    writes: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE", "BEGIN IMMEDIATE")):
            writes.append(statement)

    event.listen(ctx.store.engine, "before_cursor_execute", seen)
    try:
        assert webhooks.deliver_due(ctx) == 0 and writes == []
        receiver.status = 500
        webhooks.test_event(ctx)
        assert webhooks.deliver_due(ctx) == 1  # due at once: sent, and failed
        writes.clear()
        clock.advance(timedelta(minutes=29))
        assert webhooks.deliver_due(ctx) == 0 and writes == []  # its retry is not due yet
        receiver.status = 200
        clock.advance(timedelta(minutes=1))
        assert webhooks.deliver_due(ctx) == 1
        webhooks.test_event(ctx)
        [claimed] = webhooks.claim_batch(ctx)  # a worker claims it, then dies before sending
        writes.clear()
        assert webhooks.deliver_due(ctx) == 0 and writes == []  # its claim still holds
        clock.advance(webhooks.lease(ctx) + timedelta(seconds=1))
        assert webhooks.deliver_due(ctx) == 1
    finally:
        event.remove(ctx.store.engine, "before_cursor_execute", seen)
    assert [d["status"] for d in webhooks.deliveries(ctx)] == ["delivered", "delivered"]
    assert claimed in {d["id"] for d in webhooks.deliveries(ctx)}
    assert len(receiver.requests) == 3


async def test_exponential_backoff_is_configurable_and_capped(
    store_url: str, clock: ManualClock, receiver: Receiver
) -> None:
    settings = replace(TEST_SETTINGS, webhook_backoff="exponential", webhook_interval=timedelta(minutes=1),
                       webhook_max_interval=timedelta(minutes=5), webhook_attempts=6)  # fmt: skip
    async with serve_in_process(toolbox_spec(store_url), clock, settings) as client:
        ctx = ctx_of(client)
        webhooks.add_endpoint(ctx, receiver.url)
        receiver.status = 503
        webhooks.test_event(ctx)
        assert webhooks.deliver_due(ctx) == 1
        for minutes in (1, 2, 4, 5, 5):
            clock.advance(timedelta(minutes=minutes) - timedelta(seconds=1))
            assert webhooks.deliver_due(ctx) == 0
            clock.advance(1)
            assert webhooks.deliver_due(ctx) == 1
        assert webhooks.deliveries(ctx)[0]["status"] == "failed"


@pytest.mark.parametrize("case", ["timeout", "redirect", "refused", "huge-body"])
async def test_receiver_misbehaviour_is_a_clean_failure(
    store_url: str, clock: ManualClock, receiver: Receiver, case: str
) -> None:
    settings = replace(TEST_SETTINGS, webhook_timeout_seconds=0.5)
    async with serve_in_process(toolbox_spec(store_url), clock, settings) as client:
        ctx = ctx_of(client)
        target = Receiver().start()
        url = receiver.url
        if case == "timeout":
            receiver.delay = 2.0
        elif case == "redirect":
            receiver.status, receiver.location = 302, target.url
        elif case == "refused":
            url = target.url
            target.stop()
        else:
            receiver.response_body = b"x" * 5_000_000
        webhooks.add_endpoint(ctx, url)
        webhooks.test_event(ctx)
        outcome_count = webhooks.deliver_due(ctx)
        assert outcome_count == 1
        [row] = webhooks.deliveries(ctx)
        if case == "huge-body":
            assert row["status"] == "delivered"
        else:
            assert row["status"] == "pending" and row["attempts"] == 1
            expected = {"timeout": "timeout", "redirect": "HTTP 302", "refused": "ConnectError"}[case]
            assert row["last_error"] == expected
        if case == "redirect":
            assert target.requests == []  # the redirect was not followed
        target.stop()


@pytest.mark.parametrize(
    ("url", "development", "allowed"),
    [
        ("http://127.0.0.1:9/hook", True, True),
        ("https://93.184.216.34/hook", False, True),
        ("http://93.184.216.34/hook", False, False),
        ("https://127.0.0.1/hook", False, False),
        ("https://localhost/hook", False, False),
        ("https://10.1.2.3/hook", False, False),
        ("https://192.168.0.10/hook", False, False),
        ("https://169.254.169.254/latest", False, False),
        ("https://[::1]/hook", False, False),
        ("ftp://example.com/x", True, False),
        ("https://user:pw@93.184.216.34/hook", False, False),
        ("not a url", True, False),
    ],
)
def test_webhook_urls_are_checked(url: str, development: bool, allowed: bool) -> None:
    if allowed:
        assert webhooks.check_url(url, development=development) == url
    else:
        with pytest.raises(webhooks.WebhookUrlError):
            webhooks.check_url(url, development=development)


def test_cli_manages_endpoints_tests_them_and_redelivers(tmp_path: Path, receiver: Receiver) -> None:
    runner = CliRunner()
    directory = Directory(tmp_path)
    directory.create("acme", Country.CA, sandbox=True)  # sandbox: loopback http receivers are allowed
    args = ["--instance", "acme-ca", "--data-dir", str(tmp_path)]
    added = runner.invoke(cli, ["webhooks", "add", receiver.url, *args, "--json"])
    assert added.exit_code == 0, added.output
    assert orjson.loads(added.output)["standard_webhooks_secret"].startswith("whsec_")
    listed = runner.invoke(cli, ["webhooks", "list", *args, "--json"])
    assert [e["url"] for e in orjson.loads(listed.output)] == [receiver.url]
    tested = runner.invoke(cli, ["webhooks", "test", *args])
    assert tested.exit_code == 0, tested.output
    assert orjson.loads(receiver.requests[0].body)["ResponseType"] == "Test"
    entry = directory.get("acme-ca")
    assert verify_flinks(
        entry.webhook_secret, receiver.requests[0].headers["x-flinks-signature"], receiver.requests[0].body
    )
    delivery_id = orjson.loads(runner.invoke(cli, ["webhooks", "deliveries", *args, "--json"]).output)[0][
        "id"
    ]
    again = runner.invoke(cli, ["webhooks", "redeliver", delivery_id, *args])
    assert again.exit_code == 0
    assert runner.invoke(cli, ["webhooks", "remove", receiver.url, *args]).exit_code == 0
    assert orjson.loads(runner.invoke(cli, ["webhooks", "list", *args, "--json"]).output) == []
    missing = runner.invoke(cli, ["webhooks", "remove", receiver.url, *args])
    assert missing.exit_code == 1


def test_cli_refuses_a_private_url_on_a_production_instance(tmp_path: Path) -> None:
    Directory(tmp_path).create("acme", Country.CA, sandbox=False)
    result = CliRunner().invoke(
        cli,
        ["webhooks", "add", "https://127.0.0.1/hook", "--instance", "acme-ca", "--data-dir", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "loopback or private" in result.output


async def test_a_scheduled_refresh_sends_kyc_then_accounts_detail(
    ca: httpx.AsyncClient, clock: ManualClock, receiver: Receiver
) -> None:
    from finstance.connect import aggregation
    from finstance.core import jobs

    ctx = ctx_of(ca)
    flinks = Flinks(ca)
    session = await flinks.connect("greatday_nomfa")
    clock.advance(5)
    assert (await flinks.data("GetAccountsSummary", {"RequestId": session["RequestId"]})).status_code == 200
    login_id = session["Login"]["Id"]
    await ca.patch(f"{flinks.prefix}/SetScheduledRefresh", json={"LoginId": login_id, "IsActivated": True},
                   headers={"x-api-key": flinks.api_key})  # fmt: skip
    webhooks.add_endpoint(ctx, receiver.url)
    clock.advance(timedelta(hours=25))
    assert aggregation.enqueue_scheduled_refreshes(ctx) == 1
    assert jobs.run_due(ctx) == 1
    assert webhooks.deliver_due(ctx) == 2
    bodies = [orjson.loads(r.body) for r in receiver.requests]
    assert [b["ResponseType"] for b in bodies] == ["KYC", "GetAccountsDetail"]
    assert all(b["Login"]["Id"] == login_id and "RequestId" not in b for b in bodies)
    assert bodies[1]["Login"]["LastRefresh"].startswith(clock.now().date().isoformat())


async def test_claims_take_one_bounded_batch_and_concurrent_claimers_get_disjoint_batches(
    ca: httpx.AsyncClient, receiver: Receiver
) -> None:
    ctx = ctx_of(ca)
    webhooks.add_endpoint(ctx, receiver.url)
    size = webhooks.CLAIM_BATCH
    with ctx.store.write() as db:
        for i in range(2 * size + 2):
            webhooks.emit(ctx, db, "Test", {"i": i}, seq=i)
    other = InstanceContext(ctx.spec, ctx.store, ctx.clock, ctx.settings, worker_name="other-worker")
    batches = [webhooks.claim_batch(c) for c in (ctx, other, ctx, other)]
    assert [len(b) for b in batches] == [size, size, 2, 0]
    claimed = [i for b in batches for i in b]
    assert len(set(claimed)) == 2 * size + 2


async def test_a_slow_endpoint_never_holds_a_claim_past_its_lease(
    ca: httpx.AsyncClient, receiver: Receiver
) -> None:
    """A batch starts no send once its budget has passed and gives the rest back: no claim outlives the lease,
    which a slow endpoint would otherwise exceed (16 sends of 0.3 s against a 3 s lease), so no other worker
    takes a delivery this worker still holds."""
    ctx = ctx_of(ca)
    settings = replace(ctx.settings, webhook_timeout_seconds=0.5)
    slow = InstanceContext(ctx.spec, ctx.store, SystemClock(), settings)  # claims stamped with the real time
    lease = webhooks.lease(slow)
    receiver.delay = 0.3
    webhooks.add_endpoint(ctx, receiver.url)
    count = webhooks.CLAIM_BATCH
    assert count * receiver.delay > lease.total_seconds()
    with ctx.store.write() as db:
        for i in range(count):
            webhooks.emit(slow, db, "Test", {"i": i}, seq=i)
    d = tables.WebhookDelivery
    oldest = timedelta(0)  # the oldest claim seen while the worker sends
    worker = threading.Thread(target=webhooks.deliver_due, args=(slow,), kwargs={"limit": count})
    worker.start()
    while worker.is_alive():
        with ctx.store.read() as db:
            claimed = list(db.scalars(select(d.claimed_at).where(d.status == DeliveryStatus.SENDING)))
        now = slow.clock.now()
        oldest = max([oldest, *(now - at for at in claimed if at is not None)])
        time.sleep(0.02)
    worker.join()
    assert timedelta(seconds=1) < oldest < lease
    with ctx.store.read() as db:
        rows = db.execute(select(d.status, d.attempts)).all()
    assert [(status, attempts) for status, attempts in rows] == [(DeliveryStatus.DELIVERED, 1)] * count
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == len(receiver.requests) == count


async def test_a_worker_makes_its_http_client_at_its_first_delivery_and_keeps_it(
    ca: httpx.AsyncClient, receiver: Receiver
) -> None:
    """An instance with nothing to send makes no HTTP client (a region's idle instances never do); the first
    due delivery makes one, and later deliveries reuse it."""
    ctx = ctx_of(ca)
    webhooks.add_endpoint(ctx, receiver.url)
    sender = webhooks.Sender(ctx)
    try:
        assert webhooks.deliver_due(ctx, sender) == 0
        assert not sender.made
        webhooks.test_event(ctx)
        assert webhooks.deliver_due(ctx, sender) == 1
        assert sender.made
        made = sender.client()
        webhooks.test_event(ctx)
        assert webhooks.deliver_due(ctx, sender) == 1
        assert sender.client() is made
    finally:
        sender.close()
    assert not sender.made
    assert len(receiver.requests) == 2
