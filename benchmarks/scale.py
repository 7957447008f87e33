"""At scale and under faults: two instances on PostgreSQL, N API processes and a worker each, mixed load.

    .venv/bin/python benchmarks/scale.py                 # the full scenario (about 3 minutes), records
    .venv/bin/python benchmarks/scale.py --short         # the short version CI runs (about 1.5 minutes)
    .venv/bin/python benchmarks/scale.py --no-pg-restart --no-record

What it does, on this machine only (loopback, a PostgreSQL server on 127.0.0.1:5432 with trust auth):

1. Creates acme-ca and acme-us, each on a fresh PostgreSQL database of its own, upgrades their schema once
   (``finstance db upgrade``), and points each instance's webhooks at a receiver of this process.
2. Serves each with ``finstance serve --instance NAME --workers N --no-migrate`` (API processes without an
   in-process worker) plus one ``finstance worker --instance NAME`` process.
3. Runs, from a separate process, C concurrent clients for D seconds (each with one keep-alive connection per
   instance, the raw asyncio client of ``loadgen.py``), each looping over a mixed workload
   spread over both instances: the cached flow (token, cached Authorize, GetAccountsDetail, polling 202),
   live connections with and without MFA followed by accounts detail, and statements (CA) or summaries (US).
   A client retries a call that met a dropped connection or a 503 (reads only; a flow whose Authorize met
   one starts over with a new token), as an integrator's SDK does.
4. With faults (default): kills one API process of acme-ca with SIGKILL at 30 % of the run (its supervisor
   starts another), kills acme-us's worker with SIGKILL at 45 % and starts a new one 2 s later (as a process
   supervisor would), and restarts PostgreSQL at 60 % (``pg_ctlcluster``; ``--no-pg-restart`` to skip).
5. Afterwards, waits for the queues to drain, then scans both stores: every job done or failed, no webhook
   delivery left in flight, every aggregated login with its holder and accounts, every account with its
   transactions, every webhook received by the endpoint of the instance that sent it; and runs
   ``finstance residency audit``.

Pass means: no 5xx other than 503 RETRY_LATER, no answer naming another instance's identifiers, no
transport error left after retries outside the fault windows, and every store check above.
Before the scenario (full mode) the same load runs against one API process per instance, without faults,
for the single-process figures. Results are appended to RESULTS.md with the command that produced them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url

from common import emit_verdict
from finstance.connect import tables
from finstance.core.identifiers import Origin, classify
from finstance.core.store import tables as core_tables
from finstance.sandbox import bank
from loadgen import Connection

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
TARGET_RPS, TARGET_P99_S = 300.0, 2.0  # the scenario's phase of N API processes with faults
RESTART_GRACE_S = 10.0  # after PostgreSQL is back, as long as the transport errors' fault windows
SERVER = os.environ.get(
    "FINSTANCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ENV = {  # the instances' settings for the run (FINSTANCE_<SETTING>, read by every process)
    "FINSTANCE_RUN_WORKER": "false",  # workers are processes of their own
    "FINSTANCE_JOB_LEASE": "5",  # a job of a killed worker is claimed again after 5 s
    "FINSTANCE_AGGREGATION_TIME": "1",
    "FINSTANCE_WORKER_POLL_SECONDS": "0.2",
    "FINSTANCE_WEBHOOK_INTERVAL": "1",
    "FINSTANCE_WEBHOOK_ATTEMPTS": "5",
    "FINSTANCE_TOKEN_RATE": "0",  # the load is one integrator going flat out: no throttling
    "FINSTANCE_AUTHORIZE_RATE": "0",
    "FINSTANCE_LOGIN_RATE": "0",
}


# -- the servers --------------------------------------------------------------------------------------


def finstance(*args: str, data_dir: Path) -> str:
    command = [sys.executable, "-m", "finstance", *args, "--data-dir", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **ENV}, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> bytes:
    """A process's command line; empty if it has ended meanwhile."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class Instance:
    def __init__(self, name: str, created: dict[str, Any], store_url: str, port: int) -> None:
        self.name, self.store_url, self.port = name, store_url, port
        self.customer_id: str = created["customer_id"]
        self.secret_key: str = created["secret_key"]
        self.api_key: str = created["api_key"]
        self.country: str = created["country"]
        self.api = f"http://127.0.0.1:{port}/v3/{self.customer_id}/BankingServices"
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.logins: list[str] = []  # connected before the load, for the cached flows

    def config(self) -> dict[str, Any]:
        return {
            k: getattr(self, k) for k in ("name", "customer_id", "secret_key", "api_key", "country", "api")
        }


def spawn(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "finstance", *args],
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ, **ENV},
    )


def wait_ready(instance: Instance, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{instance.port}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{instance.name} did not become ready")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- the webhook receiver -----------------------------------------------------------------------------


class Receiver:
    def __init__(self) -> None:
        self.received: Counter[tuple[str, str]] = Counter()  # (endpoint path, sending instance) -> count
        self.ids: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                self.rfile.read(length)
                receiver.received[(self.path, self.headers.get("x-finstance-instance", "?"))] += 1
                receiver.ids.add(self.headers.get("webhook-id", ""))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- the load (a separate process) --------------------------------------------------------------------

RETRYABLE = (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError)


class Http:
    """One simulated client's keep-alive connections, one per instance (the raw asyncio client of
    ``loadgen.py``: a general-purpose client would cost this process more CPU than the servers it loads)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.connections: dict[int, Connection] = {}

    async def request(
        self, inst: dict[str, Any], method: str, endpoint: str, body: Any, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        """The status, header fields and decoded JSON body (None when it is not JSON)."""
        url = urlsplit(inst["api"])
        assert url.port is not None
        conn = self.connections.get(url.port)
        if conn is None:
            conn = self.connections[url.port] = Connection(url.port, self.timeout)
        payload = orjson.dumps(body) if body is not None else b""
        status, fields, raw = await conn.request(method, f"{url.path}/{endpoint}", payload, headers)
        try:
            return status, fields, orjson.loads(raw)
        except orjson.JSONDecodeError:
            return status, fields, None

    def close(self) -> None:
        for conn in self.connections.values():
            conn.close()


class Stats:
    def __init__(self) -> None:
        self.latency: defaultdict[str, list[float]] = defaultdict(list)
        self.status: Counter[str] = Counter()
        self.server_errors: list[tuple[float, int, str]] = []  # (t, status, FlinksCode)
        self.transport: list[tuple[float, str]] = []  # transport errors left after retries
        self.wrong_instance: list[str] = []
        self.flows: Counter[str] = Counter()
        self.retried = 0


async def call(
    http: Http,
    stats: Stats,
    inst: dict[str, Any],
    method: str,
    endpoint: str,
    *,
    read: bool,
    started: float,
    json: Any = None,
    headers: dict[str, str],
) -> tuple[int, Any] | None:
    """One call, its status and JSON body; reads are retried on a dropped connection or a 503, as an SDK
    does."""
    for attempt in range(4):
        t0 = time.perf_counter()
        try:
            status, fields, body = await http.request(inst, method, endpoint, json, headers)
        except RETRYABLE as exc:
            if read and attempt < 3:
                stats.retried += 1
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            stats.transport.append((time.monotonic() - started, type(exc).__name__))
            return None
        name = endpoint.split("/")[0]
        stats.latency[name].append(time.perf_counter() - t0)
        stats.status[f"{name} {status}"] += 1
        code = ""
        if isinstance(body, dict):
            code = str(body.get("FlinksCode", ""))
            for key in ("RequestId",):
                value = body.get(key)
                if (
                    isinstance(value, str)
                    and classify(value, inst["customer_id"]) is not Origin.THIS_INSTANCE
                ):
                    stats.wrong_instance.append(f"{inst['name']} {endpoint} {key}")
            login = body.get("Login")
            login_id = login.get("Id") if isinstance(login, dict) else None
            if (
                isinstance(login_id, str)
                and classify(login_id, inst["customer_id"]) is not Origin.THIS_INSTANCE
            ):
                stats.wrong_instance.append(f"{inst['name']} {endpoint} Login.Id")
        if status >= 500:
            if status == 503 and read and attempt < 3:
                stats.retried += 1
                await asyncio.sleep(float(fields.get("retry-after", "1")))
                continue
            stats.server_errors.append((time.monotonic() - started, status, code))
        return status, body
    return None


async def token(http: Http, stats: Stats, inst: dict[str, Any], started: float) -> str | None:
    r = await call(
        http,
        stats,
        inst,
        "POST",
        "GenerateAuthorizeToken",
        read=False,
        started=started,
        headers={"flinks-auth-key": inst["secret_key"]},
    )
    return str(r[1]["Token"]) if r is not None and r[0] == 200 else None


async def data(
    http: Http,
    stats: Stats,
    inst: dict[str, Any],
    endpoint: str,
    body: dict[str, Any],
    started: float,
) -> bool:
    headers = {"x-api-key": inst["api_key"]}
    r = await call(
        http, stats, inst, "POST", endpoint, read=True, started=started, json=body, headers=headers
    )
    for _ in range(60):
        if r is None or r[0] != 202:
            break
        await asyncio.sleep(0.5)
        r = await call(
            http,
            stats,
            inst,
            "GET",
            f"{endpoint}Async/{body['RequestId']}",
            read=True,
            started=started,
            headers=headers,
        )
    return r is not None and r[0] == 200


async def one_flow(http: Http, stats: Stats, inst: dict[str, Any], kind: str, started: float) -> None:
    tok = await token(http, stats, inst, started)
    if tok is None:
        return
    auth = {"flinks-auth-key": tok}
    if kind == "cached":
        body: dict[str, Any] = {"LoginId": random.choice(inst["logins"]), "MostRecentCached": True}
    else:
        user = "Greatday" if kind == "live-mfa" else "greatday_nomfa"
        body = {
            "Institution": "FlinksCapital",
            "Username": user,
            "Password": "Everyday",
            "MostRecentCached": False,
        }
    r = await call(
        http, stats, inst, "POST", "Authorize", read=False, started=started, json=body, headers=auth
    )
    if r is not None and r[0] == 203:
        challenge = r[1]
        answers = {
            c["Prompt"]: [bank.expected_answer(c["Prompt"], bank_country(inst), "en") or ""]
            for c in challenge["SecurityChallenges"]
        }
        answer = {"RequestId": challenge["RequestId"], "SecurityResponses": answers}
        r = await call(
            http, stats, inst, "POST", "Authorize", read=False, started=started, json=answer, headers=auth
        )
    if r is None or r[0] != 200:
        return
    request_id = r[1]["RequestId"]
    if kind == "statements":
        endpoint = "GetStatements" if inst["country"] == "CA" else "GetAccountsSummary"
        ok = await data(http, stats, inst, endpoint, {"RequestId": request_id}, started)
    else:
        ok = await data(
            http, stats, inst, "GetAccountsDetail", {"RequestId": request_id, "WithKYC": True}, started
        )
    stats.flows[f"{kind} {'ok' if ok else 'not ok'}"] += 1


def bank_country(inst: dict[str, Any]) -> Any:
    from finstance.core.country import Country

    return Country(inst["country"])


WEIGHTS = {"cached": 50, "live": 20, "live-mfa": 15, "statements": 15}


async def client_loop(stats: Stats, instances: list[dict[str, Any]], end: float, started: float) -> None:
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    http = Http(timeout=30)
    try:
        while time.monotonic() < end:
            await one_flow(http, stats, random.choice(instances), random.choices(kinds, weights)[0], started)
    finally:
        http.close()


async def run_load(config: dict[str, Any], started_file: Path) -> dict[str, Any]:
    stats = Stats()
    started_file.write_text(str(time.time()))  # the scenario times its faults from this moment
    started = time.monotonic()
    end = started + config["duration"]
    await asyncio.gather(
        *(client_loop(stats, config["instances"], end, started) for _ in range(config["clients"]))
    )
    elapsed = time.monotonic() - started
    lat = {k: sorted(v) for k, v in stats.latency.items()}
    return {
        "elapsed": elapsed,
        "requests": sum(len(v) for v in lat.values()),
        "latency": {k: {"n": len(v), "p50": pct(v, 50), "p99": pct(v, 99)} for k, v in lat.items()},
        "all": {
            "p50": pct(sorted(x for v in lat.values() for x in v), 50),
            "p99": pct(sorted(x for v in lat.values() for x in v), 99),
        },
        "status": dict(stats.status),
        "server_errors": stats.server_errors,
        "transport": stats.transport,
        "wrong_instance": stats.wrong_instance,
        "flows": dict(stats.flows),
        "retried": stats.retried,
    }


def pct(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(len(values) * q / 100))]


# -- the scenario -------------------------------------------------------------------------------------


@contextmanager
def databases(names: list[str]) -> Iterator[dict[str, str]]:
    admin = create_engine(
        make_url(SERVER), isolation_level="AUTOCOMMIT", pool_pre_ping=True
    )  # survives a restart
    suffix = uuid.uuid4().hex[:8]
    urls = {}
    try:
        with admin.connect() as conn:
            for name in names:
                db = f"finstance_scale_{name.replace('-', '_')}_{suffix}"
                conn.execute(text(f'CREATE DATABASE "{db}"'))
                urls[name] = make_url(SERVER).set(database=db).render_as_string(hide_password=False)
        yield urls
    finally:
        with admin.connect() as conn:
            for url in urls.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()


QUIET = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def restart_postgres() -> str:
    """Restart the PostgreSQL server of SERVER: a Debian cluster on that port (pg_ctlcluster), or the
    cluster scripts/ensure-postgres.sh started itself (pg_ctl, as the postgres user). No pipe is handed to
    the restart: the server it starts would inherit it, and waiting for its end would never end."""
    port = make_url(SERVER).port or 5432
    command: list[str] | None = None
    if shutil.which("pg_lsclusters"):
        listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
        for line in listed.splitlines():
            version, cluster, cluster_port = line.split()[:3]
            if int(cluster_port) == port:
                command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"]
    data = Path(os.environ.get("FINSTANCE_PG_DIR", "/tmp/finstance-pg")) / "data"  # noqa: S108 (its default)
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if command is None and (data / "PG_VERSION").exists() and bins:
        pg_ctl = f"{bins[-1]} -D {data} -l {data.parent / 'log'} -w restart -m fast"
        command = ["su", "postgres", "-s", "/bin/sh", "-c", pg_ctl]
    if command is None:
        return f"not restarted: no cluster of this machine listens on port {port}"
    done = subprocess.run(command, timeout=60, **QUIET)  # type: ignore[call-overload]
    return "restarted" if done.returncode == 0 else f"restart failed (exit {done.returncode})"


def scan(instance: Instance, receiver: Receiver) -> list[str]:
    """What is wrong in one store once the run is over: anything half-written or left in flight."""
    problems = []
    engine: Engine = create_engine(instance.store_url)
    try:
        with engine.connect() as db:
            jobs = dict(
                db.execute(
                    select(core_tables.Job.status, func.count()).group_by(core_tables.Job.status)
                ).all()
            )
            if set(jobs) - {"done", "failed"}:
                problems.append(f"jobs not finished: {jobs}")
            deliveries = dict(
                db.execute(
                    select(core_tables.WebhookDelivery.status, func.count()).group_by(
                        core_tables.WebhookDelivery.status
                    )
                ).all()
            )
            if set(deliveries) - {"delivered", "failed"}:
                problems.append(f"webhook deliveries in flight: {deliveries}")
            aggregated = set(
                db.scalars(select(core_tables.Job.login_id).where(core_tables.Job.status == "done"))
            )
            holders = set(db.scalars(select(tables.Holder.login_id)))
            with_accounts = set(db.scalars(select(tables.Account.login_id).distinct()))
            logins = set(db.scalars(select(tables.Login.id)))
            for name, missing in (("holder", aggregated - holders), ("accounts", aggregated - with_accounts)):
                if missing & logins:
                    problems.append(f"{len(missing & logins)} aggregated login(s) without {name}")
            empty = db.scalar(
                select(func.count())
                .select_from(tables.Account)
                .where(
                    ~select(tables.Transaction.pk)
                    .where(tables.Transaction.account_id == tables.Account.id)
                    .exists()
                )
            )
            if empty:
                problems.append(f"{empty} account(s) without transactions")
            orphans = db.scalar(
                select(func.count())
                .select_from(tables.Account)
                .where(tables.Account.login_id.not_in(logins or {""}))
            )
            if orphans:
                problems.append(f"{orphans} account(s) of no login")
            delivered = deliveries.get("delivered", 0)
    finally:
        engine.dispose()
    got = sum(n for (path, sender), n in receiver.received.items() if path == f"/{instance.name}")
    strays = [(p, s) for (p, s) in receiver.received if p == f"/{instance.name}" and s != instance.name]
    if strays:
        problems.append(f"its endpoint received events of another instance: {strays}")
    if got < delivered:
        problems.append(f"{delivered} deliveries marked delivered, {got} received")
    return problems


def drained(instances: list[Instance], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = 0
        for instance in instances:
            engine = create_engine(instance.store_url)
            try:
                with engine.connect() as db:
                    busy += (
                        db.scalar(
                            select(func.count())
                            .select_from(core_tables.Job)
                            .where(core_tables.Job.status.in_(["pending", "running"]))
                        )
                        or 0
                    )
                    busy += (
                        db.scalar(
                            select(func.count())
                            .select_from(core_tables.WebhookDelivery)
                            .where(core_tables.WebhookDelivery.status.in_(["pending", "sending"]))
                        )
                        or 0
                    )
            except Exception:
                busy += 1
            finally:
                engine.dispose()
        if busy == 0:
            return True
        time.sleep(1)
    return False


def prepare(instance: Instance, users: int = 6) -> list[str]:
    """Connect a few logins live and wait for their data, for the cached flows."""
    login_ids = []
    with httpx.Client(timeout=30) as http:
        for _ in range(users):
            tok = http.post(
                f"{instance.api}/GenerateAuthorizeToken", headers={"flinks-auth-key": instance.secret_key}
            )
            body = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}
            r = http.post(
                f"{instance.api}/Authorize", json=body, headers={"flinks-auth-key": tok.json()["Token"]}
            )
            login_ids.append(r.json()["Login"]["Id"])
        return sorted(set(login_ids))


def run_phase(
    instances: list[Instance],
    clients: int,
    duration: float,
    work: Path,
    label: str,
    faults: list[tuple[float, str]],
    fault_log: list[str],
    start_worker: Any,
    spans: list[tuple[str, float, float]],
) -> dict[str, Any]:
    """Run the load; ``spans`` gets (what was done, began, ended) of each fault, in seconds of the load's
    clock."""
    config = {
        "clients": clients,
        "duration": duration,
        "instances": [{**i.config(), "logins": i.logins} for i in instances],
    }
    cfg, out = work / f"{label}-config.json", work / f"{label}-result.json"
    cfg.write_text(json.dumps(config))
    load = subprocess.Popen([sys.executable, __file__, "_load", str(cfg), str(out)])
    while not out.with_suffix(".started").exists():  # the load process is up and sending
        if load.poll() is not None:
            raise SystemExit("the load process did not start")
        time.sleep(0.05)
    started = time.monotonic() - (time.time() - float(out.with_suffix(".started").read_text()))
    for at, fault in sorted(faults):
        time.sleep(max(0.0, started + at * duration - time.monotonic()))
        began = time.monotonic() - started
        try:
            what = apply_fault(fault, instances, start_worker)
        except Exception:  # the scenario goes on and reports it; the load must still be waited for
            traceback.print_exc()
            what = f"{fault} FAILED to apply"
        fault_log.append(f"t={time.monotonic() - started:.1f}s {what}")
        spans.append((what, began, time.monotonic() - started))
    load.wait(timeout=duration + 300)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def apply_fault(fault: str, instances: list[Instance], start_worker: Any) -> str:
    ca, us = instances
    if fault == "kill-api":
        assert ca.server is not None
        workers = [p for p in children(ca.server.pid) if b"spawn_main" in cmdline(p)]
        if not workers:
            return "kill -9 API process: none found"
        victim = random.choice(workers)
        os.kill(victim, signal.SIGKILL)
        return f"kill -9 an API process of {ca.name} (pid {victim}, one of {len(workers)})"
    if fault == "kill-worker":
        assert us.worker is not None
        us.worker.kill()
        us.worker.wait()
        time.sleep(2)
        us.worker = start_worker(us)
        return f"kill -9 the worker of {us.name}, a new one started 2 s later"
    if fault == "restart-pg":
        return f"PostgreSQL {restart_postgres()}"
    raise AssertionError(fault)


def summary(
    label: str, result: dict[str, Any], windows: list[float], duration: float
) -> tuple[list[str], list[str]]:
    """Lines for the report, and the failures of the pass criteria."""
    failures = []
    errors = [e for e in result["server_errors"] if not (e[1] == 503 and e[2] == "RETRY_LATER")]
    if errors:
        failures.append(
            f"{len(errors)} 5xx other than 503 RETRY_LATER: {Counter((e[1], e[2]) for e in errors)}"
        )
    if result["wrong_instance"]:
        failures.append(
            f"{len(result['wrong_instance'])} wrong-instance answers: {result['wrong_instance'][:5]}"
        )
    outside = [t for t in result["transport"] if not any(w <= t[0] <= w + 10 for w in windows)]
    if outside:
        failures.append(f"{len(outside)} transport errors outside the fault windows: {outside[:5]}")
    rps = result["requests"] / result["elapsed"]
    lines = [
        f"| {label} | {result['requests']} | {rps:.0f} | {result['all']['p50'] * 1000:.1f} | "
        f"{result['all']['p99'] * 1000:.1f} | {len(result['server_errors'])} | {len(result['transport'])} | "
        f"{result['retried']} | {len(result['wrong_instance'])} |"
    ]
    return lines, failures


def scenario(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="finstance-scale-"))
    data_dir = work / "data"
    receiver = Receiver()
    report: list[str] = []
    failures: list[str] = []
    fault_log: list[str] = []
    measured: list[tuple[dict[str, Any], list[tuple[str, float, float]]]] = []  # each phase's, in order
    try:
        with databases(["acme-ca", "acme-us"]) as urls, ExitStack() as stack:
            instances = []
            for country in ("CA", "US"):
                name = f"acme-{country.lower()}"
                created = json.loads(
                    finstance(
                        "instances",
                        "create",
                        "--company",
                        "acme",
                        "--country",
                        country,
                        "--store-url",
                        urls[name],
                        "--json",
                        data_dir=data_dir,
                    )
                )
                instances.append(Instance(name, created, urls[name], free_port()))
            finstance("db", "upgrade", data_dir=data_dir)
            for instance in instances:
                finstance(
                    "webhooks",
                    "add",
                    "--instance",
                    instance.name,
                    f"http://127.0.0.1:{receiver.port}/{instance.name}",
                    data_dir=data_dir,
                )

            def start_server(instance: Instance, workers: int) -> subprocess.Popen[bytes]:
                return spawn(
                    [
                        "serve",
                        "--instance",
                        instance.name,
                        "--workers",
                        str(workers),
                        "--port",
                        str(instance.port),
                        "--no-migrate",
                        "--data-dir",
                        str(data_dir),
                    ],
                    work / f"{instance.name}-serve.log",
                )

            def start_worker(instance: Instance) -> subprocess.Popen[bytes]:
                return spawn(
                    ["worker", "--instance", instance.name, "--data-dir", str(data_dir)],
                    work / f"{instance.name}-worker.log",
                )

            def serve_all(workers: int) -> None:
                for instance in instances:
                    stop(instance.server)
                    instance.server = start_server(instance, workers)
                for instance in instances:
                    wait_ready(instance)

            stack.callback(lambda: [stop(i.server) for i in instances])
            stack.callback(lambda: [stop(i.worker) for i in instances])
            for instance in instances:
                instance.worker = start_worker(instance)
            phases = [] if args.short else [("1 API process each, no faults", 1, args.duration / 3, [])]
            faults = [(0.30, "kill-api"), (0.45, "kill-worker")]
            if args.pg_restart:
                faults.append((0.60, "restart-pg"))
            phases.append(
                (
                    f"{args.workers} API processes each, faults",
                    args.workers,
                    args.duration,
                    faults if args.faults else [],
                )
            )
            for label, workers, duration, phase_faults in phases:
                serve_all(workers)
                for instance in instances:
                    instance.logins = prepare(instance)
                print(f"== {label}: {args.clients} clients for {duration:.0f} s", flush=True)
                spans: list[tuple[str, float, float]] = []
                result = run_phase(
                    instances,
                    args.clients,
                    duration,
                    work,
                    label.split()[0],
                    phase_faults,
                    fault_log,
                    start_worker,
                    spans,
                )
                measured.append((result, spans))
                windows = [at * duration for at, _ in phase_faults]
                lines, phase_failures = summary(label, result, windows, duration)
                report += lines
                failures += [f"{label}: {f}" for f in phase_failures]
                print(
                    json.dumps({"flows": result["flows"], "latency": result["latency"]}, indent=1), flush=True
                )
            for (
                instance
            ) in instances:  # a worker that died with the database comes back, as under a supervisor
                if instance.worker is None or instance.worker.poll() is not None:
                    instance.worker = start_worker(instance)
            if not drained(instances, timeout=90):
                failures.append("the job and webhook queues did not drain within 90 s")
            for instance in instances:
                for problem in scan(instance, receiver):
                    failures.append(f"{instance.name}: {problem}")
            audit = subprocess.run(
                [sys.executable, "-m", "finstance", "residency", "audit", "--data-dir", str(data_dir)],
                capture_output=True,
                text=True,
            )
            if audit.returncode != 0:
                failures.append(f"residency audit failed:\n{audit.stdout}")
    finally:
        receiver.close()
    header = [
        "| run | requests | req/s | p50 ms | p99 ms | 5xx | transport errors | retried | wrong instance |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(header + report))
    print("faults: " + ("; ".join(fault_log) or "none"))
    print(f"webhooks received: {dict(receiver.received)}")
    failures += [f"fault not applied: {f}" for f in fault_log if "FAILED" in f]
    verdict = "PASS" if not failures else "FAIL"
    for failure in failures:
        print(f"  FAIL {failure}")
    print(f"scale scenario: {verdict}")
    if measured:
        print_verdict(args, measured, failures)
    if args.record and not failures:
        record(args, header + report, fault_log)
    if not failures:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"logs kept in {work}")
    return 0 if not failures else 1


def print_verdict(
    args: argparse.Namespace,
    measured: list[tuple[dict[str, Any], list[tuple[str, float, float]]]],
    failures: list[str],
) -> None:
    """The VERDICT line of the scenario: req/s and p99 of its last phase (N API processes, faults), 5xx
    answered outside PostgreSQL's restart (from its start to RESTART_GRACE_S after it is back) and
    wrong-instance answers of every phase, and the scenario's own checks; the ratio is to the phase of one
    API process each without faults, when the run has it."""
    result = measured[-1][0]
    rps, p99 = result["requests"] / result["elapsed"], result["all"]["p99"]
    outside = wrong = 0
    for phase, spans in measured:
        restarts = [(began, ended) for what, began, ended in spans if what == "PostgreSQL restarted"]
        windows = [(began, ended + RESTART_GRACE_S) for began, ended in restarts]
        outside += sum(1 for e in phase["server_errors"] if not any(a <= e[0] <= b for a, b in windows))
        wrong += len(phase["wrong_instance"])
    text = f"{rps:.0f} req/s, p99 {p99:.2f} s, {outside} 5xx outside the PostgreSQL restart, {wrong} "
    text += f"wrong-instance; scenario checks {'FAIL' if failures else 'PASS'}; {args.clients} clients, "
    text += f"{args.workers} API processes each, {args.duration:g} s"
    if not (args.faults and args.pg_restart):
        text += ", no PostgreSQL restart"
    ratio = "-"
    if len(measured) > 1:
        single = measured[0][0]
        base = single["requests"] / single["elapsed"]
        ratio = f"{rps / base:.2f}x one API process each, no faults ({base:.0f} req/s)"
    target = f">= {TARGET_RPS:g} req/s, p99 < {TARGET_P99_S:g} s, zero 5xx outside the PostgreSQL restart, "
    target += "zero wrong-instance answers"
    passed = rps >= TARGET_RPS and p99 < TARGET_P99_S and not outside and not wrong and not failures
    emit_verdict("make scale", text, ratio, target, passed)


def record(args: argparse.Namespace, table: list[str], fault_log: list[str]) -> None:
    command = " ".join(["python benchmarks/scale.py", *(shlex.quote(a) for a in sys.argv[1:])])
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    with RESULTS.open("a") as out:
        out.write(
            f"\n## scale: two instances on PostgreSQL, {args.workers} API processes + 1 worker each, "
            f"{args.clients} clients ({when})\n\n`{command}` on {platform.machine()}, "
            f"{os.cpu_count()} cores. Latency: every call of the mixed workload (token, Authorize cached and "
            "live, MFA answers, accounts detail with polling, statements or summaries), from a separate load "
            "process. 5xx counts 503 "
            "RETRY_LATER during the faults; transport errors are those left after the client's retries.\n\n"
            + "\n".join(table)
            + "\n\nFaults: "
            + ("; ".join(fault_log) or "none")
            + "\n"
        )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "_load":
        config = json.loads(Path(sys.argv[2]).read_text())
        try:
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        out = Path(sys.argv[3])
        out.write_text(json.dumps(asyncio.run(run_load(config, out.with_suffix(".started")))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="the CI version: 16 clients, 2 processes, 20 s")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--duration", type=float, default=None)
    parser.add_argument("--no-faults", dest="faults", action="store_false")
    parser.add_argument("--no-pg-restart", dest="pg_restart", action="store_false")
    parser.add_argument("--no-record", dest="record", action="store_false")
    args = parser.parse_args()
    defaults = (16, 2, 20.0) if args.short else (64, 4, 60.0)
    args.clients = args.clients or defaults[0]
    args.workers = args.workers or defaults[1]
    args.duration = args.duration or defaults[2]
    if args.short:
        args.record = False  # the short version checks; only full runs are recorded
    sys.exit(scenario(args))


if __name__ == "__main__":
    main()
