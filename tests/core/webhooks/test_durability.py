"""Webhook delivery survives ``kill -9`` of the worker and never sends one event twice at the same time.

Real ``finstance worker`` processes, a real HTTP receiver on loopback, a real store (SQLite, and PostgreSQL
when ``FINSTANCE_TEST_POSTGRES_URL`` is set, through the ``store_url`` fixture of ``tests/conftest.py``).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from finstance.core import webhooks
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.instance import Settings
from finstance.core.store import tables
from finstance.instances import serving
from finstance.instances.directory import Directory, Entry

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]


# -- a receiver that records everything --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Receipt:
    webhook_id: str
    start: float  # time.monotonic() when the request line arrived
    end: float  # time.monotonic() just before the 200 is written
    peer_port: int
    signature_ok: bool


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.receipts: list[Receipt] = []
        self.delay = 0.0
        self.secret = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"

    def count(self) -> int:
        with self.lock:
            return len(self.receipts)

    def snapshot(self) -> list[Receipt]:
        with self.lock:
            return list(self.receipts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would
    server: Receiver

    def do_POST(self) -> None:
        start = time.monotonic()
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        if len(body) < length:  # the sender was killed mid-request: no request was made, as for any server
            self.close_connection = True
            return
        if self.server.delay:
            time.sleep(self.server.delay)
        signature_ok = self.headers.get("flinks-authenticity-key") == webhooks.flinks_signature(
            self.server.secret, body
        )
        receipt = Receipt(self.headers["webhook-id"], start, time.monotonic(), self.client_address[1],
                          signature_ok)  # fmt: skip
        with self.server.lock:
            self.server.receipts.append(receipt)
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# -- helpers ----------------------------------------------------------------------------------------


def _instance(tmp_path: Path, store_url: str, receiver: Receiver) -> tuple[Path, Entry]:
    data_dir = tmp_path / "data"
    entry, _ = Directory(data_dir).create("acme", Country.CA, store_url=store_url, sandbox=True)
    receiver.secret = entry.spec().signing_secret
    ctx = serving.instance_context(entry)
    try:
        webhooks.add_endpoint(ctx, receiver.url)
    finally:
        ctx.store.dispose()
    return data_dir, entry


def _emit(entry: Entry, count: int, batch: int) -> list[str]:
    ctx = serving.instance_context(entry)
    ids: list[str] = []
    try:
        for first in range(0, count, batch):
            with ctx.store.write() as db:
                for i in range(first, min(first + batch, count)):
                    ids.append(webhooks.emit(ctx, db, "Test", {"HttpStatusCode": 200, "N": i}, seq=i).id)
    finally:
        ctx.store.dispose()
    return ids


def _start_worker(data_dir: Path, entry: Entry) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "finstance", "worker", "--instance", entry.name, "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )


def _wait_started(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Block until the worker printed its start line (its store is open and migrated)."""
    assert proc.stdout is not None
    line: list[bytes] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    assert line and b"started" in line[0], f"worker did not start: {line!r}, exit {proc.poll()}"


def _worker_name(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}"[:64]


def _wait_for(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


def _status_counts(ctx: InstanceContext) -> Counter[str]:
    d = tables.WebhookDelivery
    with ctx.store.read() as db:
        return Counter(dict(db.execute(select(d.status, func.count()).group_by(d.status)).all()))  # type: ignore[arg-type]


def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(20)
    finally:
        if proc.stdout:
            proc.stdout.close()


# -- 1. kill -9 -------------------------------------------------------------------------------------

EVENTS = 2000
KILLS = 3


def test_no_event_is_lost_when_workers_are_killed(
    tmp_path: Path, store_url: str, receiver: Receiver, record_property: Callable[[str, object], None]
) -> None:
    """``kill -9`` the worker 3 times at random moments while it drains 2000 events: nothing is lost.

    Each kill can leave at most one batch (``webhooks.CLAIM_BATCH`` deliveries) ``sending``, claimed by a dead
    process. The store only gives such a claim to another worker after the lease (``webhooks.lease``: 90 s by
    default), and ``finstance worker`` cannot be given other settings.
    Rather than sleep 60 s or rewrite ``claimed_at`` (which would test our UPDATE, not the app's), the test:

    1. restarts ``finstance worker`` after every kill and lets the last one drain everything else, then checks
       that the only undelivered rows are ``sending`` and claimed by the killed processes (one batch at most),
       and that the default lease kept the live workers from taking them;
    2. stops that worker with SIGTERM (it must exit 0), and drains the stale claims with the app's own
       ``deliver_due`` in-process, with ``Settings(webhook_timeout_seconds=0.5)``: a 3 s lease, measured on
       the real clock against the ``claimed_at`` the killed worker wrote. Same conditional UPDATE, shorter
       lease; no row is edited by the test.

    Delivery is at-least-once: an event whose POST was answered before the kill is sent again. Such
    duplicates must carry the same ``webhook-id`` and may only be the events in flight at a kill.
    """
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    data_dir, entry = _instance(tmp_path, store_url, receiver)
    event_ids = _emit(entry, EVENTS, batch=500)
    ctx = serving.instance_context(entry)  # only to read the store
    killed: list[str] = []
    try:
        for _ in range(KILLS):
            proc = _start_worker(data_dir, entry)
            try:
                target = receiver.count() + rng.randint(50, 350)
                _wait_for(
                    lambda t=target: receiver.count() >= t, 60, f"{target} receipts (seed {seed})", 0.002
                )
                time.sleep(rng.uniform(0, 0.05))
            finally:
                proc.kill()  # SIGKILL: no handler, no cleanup
                proc.wait()
                if proc.stdout:
                    proc.stdout.close()
            killed.append(_worker_name(proc.pid))
        assert receiver.count() < EVENTS, "the kills must happen while work remains"

        proc = _start_worker(data_dir, entry)
        try:
            _wait_for(lambda: _status_counts(ctx)["pending"] == 0, 90, "the last worker to drain")
            time.sleep(0.5)  # it may still be writing the outcome of its last delivery
        finally:
            assert _stop(proc) == 0, "SIGTERM must stop the worker cleanly"

        d = tables.WebhookDelivery
        with ctx.store.read() as db:
            stuck = db.execute(
                select(d.id, d.event_id, d.claimed_by).where(d.status != "delivered")
            ).all()  # fmt: skip
            stuck_status = set(db.scalars(select(d.status).where(d.status != "delivered")))
        assert stuck_status <= {"sending"}, f"undelivered rows that are not stale claims: {stuck_status}"
        claimers = Counter(row.claimed_by for row in stuck)
        assert set(claimers) <= set(killed), f"claims held by live workers: {claimers} (killed: {killed})"
        assert all(n <= webhooks.CLAIM_BATCH for n in claimers.values()), claimers
        stuck_events = {row.event_id for row in stuck}

        short = Settings(webhook_timeout_seconds=0.5, run_worker=False)
        drain = serving.instance_context(entry, short)
        try:
            _wait_for(
                lambda: webhooks.deliver_due(drain) >= 0 and _status_counts(ctx)["delivered"] == EVENTS,
                15,
                "the stale claims to be retaken after the lease",
                0.2,
            )
        finally:
            drain.store.dispose()

        assert _status_counts(ctx) == Counter(delivered=EVENTS)
        receipts = receiver.snapshot()
        received = Counter(r.webhook_id for r in receipts)
        missing = set(event_ids) - set(received)
        assert not missing, f"{len(missing)} events never reached the receiver"
        assert set(received) == set(event_ids), "the receiver got ids that are not events"
        assert all(r.signature_ok for r in receipts)
        duplicates = {i: n for i, n in received.items() if n > 1}
        assert set(duplicates) <= stuck_events, "an event not in flight at a kill was sent twice"
        assert all(n == 2 for n in duplicates.values()), duplicates
        record_property("duplicates", len(duplicates))
        record_property("stale_claims", len(stuck))
        print(
            f"\n[{ctx.store.backend}] seed {seed}: {EVENTS} events, {KILLS} kills, {len(stuck)} stale claims "
            f"retaken after the lease, {len(duplicates)} duplicate receipts, {len(receipts)} receipts"
        )
    finally:
        ctx.store.dispose()


# -- 2. two workers ---------------------------------------------------------------------------------

RACE_EVENTS = 600


def test_two_workers_never_send_one_event_at_the_same_time(
    tmp_path: Path, store_url: str, receiver: Receiver
) -> None:
    """Two ``finstance worker`` processes drain one outbox; the receiver takes 3 ms per request.

    Both workers are running before the events are committed (one transaction), so both see the same due
    deliveries and race for every claim. No ``webhook-id`` may be received in two overlapping intervals,
    every event must arrive, and, since nothing crashes and no lease expires, exactly once. A sampler
    watching the ``sending`` rows checks that both workers really took part.
    """
    receiver.delay = 0.003
    data_dir, entry = _instance(tmp_path, store_url, receiver)
    workers = [_start_worker(data_dir, entry) for _ in range(2)]
    ctx = serving.instance_context(entry)
    claimers: set[str] = set()
    stop_sampling = threading.Event()

    def sample() -> None:
        d = tables.WebhookDelivery
        while not stop_sampling.is_set():
            with ctx.store.read() as db:
                claimers.update(n for n in db.scalars(select(d.claimed_by).where(d.status == "sending")) if n)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        for proc in workers:
            _wait_started(proc)
        sampler.start()
        event_ids = _emit(entry, RACE_EVENTS, batch=RACE_EVENTS)
        _wait_for(
            lambda: _status_counts(ctx)["delivered"] == RACE_EVENTS, 60, "every delivery to be delivered"
        )
    finally:
        stop_sampling.set()
        codes = [_stop(proc) for proc in workers]
        if sampler.is_alive():
            sampler.join(5)
        ctx.store.dispose()
    assert codes == [0, 0]

    receipts = receiver.snapshot()
    by_id: dict[str, list[Receipt]] = {}
    for r in receipts:
        by_id.setdefault(r.webhook_id, []).append(r)
    assert set(by_id) == set(event_ids), "missing or unknown events"
    overlapping = [
        i
        for i, rs in by_id.items()
        for a, b in zip(
            sorted(rs, key=lambda r: r.start), sorted(rs, key=lambda r: r.start)[1:], strict=False
        )
        if b.start < a.end
    ]
    assert not overlapping, f"{len(overlapping)} events were being received twice at the same time"
    duplicates = {i: len(rs) for i, rs in by_id.items() if len(rs) > 1}
    assert not duplicates, f"{len(duplicates)} events were sent more than once without any crash"
    assert {_worker_name(p.pid) for p in workers} <= claimers, f"not both workers claimed: {claimers}"
