"""Logs carry no secret and no personal data, even at DEBUG: keys, tokens, passwords, MFA answers, holder
data, account numbers and loginIds stay out of every log record, in process and from `finstance serve`."""

from __future__ import annotations

import io
import logging
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from finstance.app import create_app
from finstance.connect import cards
from finstance.core import webhooks
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.instance import (
    TOOLBOX_API_KEY,
    TOOLBOX_CUSTOMER_ID,
    TOOLBOX_SECRET_KEY,
    InstanceSpec,
)
from finstance.core.logs import configure_logging
from finstance.core.store import Store
from finstance.instances import serving
from finstance.instances.directory import Directory
from finstance.sandbox import bank
from tests.conftest import TEST_SETTINGS
from tests.residency.conftest import Party, build
from tests.residency.helpers import LIVE, Produced, RecordingFlinks, challenge, full_flows
from tests.test_cli import free_port, start, stop, wait_until_up

MFA_ANSWERS = sorted(set(bank.CA_QUESTIONS.values()))  # Montreal, Canada, Triangle
WRONG_PASSWORD = "Sunnyday-Wrong-42"
FAULT_TRIGGER = (
    "CREATE TRIGGER store_fault BEFORE INSERT ON holders BEGIN SELECT RAISE(ABORT, 'store fault'); END"
)
BANNER_END = "test user      Greatday / Everyday at FlinksCapital"


@asynccontextmanager
async def serve(spec: InstanceSpec, clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    """Like ``serve_in_process``, but an exception the app re-raises after answering 500 (as Starlette does
    for servers to log it) comes back as that 500 instead of being raised into the test."""
    app = create_app(spec, TEST_SETTINGS, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://instance.test") as client:
            yield client


# The tests' own HTTP client logs each URL it calls (paths carry identifiers): that is the integrator's
# side, not the instance's, so it is kept out of the capture.
CLIENT_LOGGERS = ["httpx", "httpcore"]


@contextmanager
def debug_logging(caplog: pytest.LogCaptureFixture, names: list[str]) -> Iterator[None]:
    with ExitStack() as stack:
        for name in CLIENT_LOGGERS:
            stack.enter_context(caplog.at_level(logging.WARNING, logger=name))
        for name in names:
            stack.enter_context(caplog.at_level(logging.DEBUG, logger=name))
        yield


def markers(parties: list[Party], clients: list[RecordingFlinks], produced: list[Produced]) -> set[str]:
    found = {"Everyday", WRONG_PASSWORD, *MFA_ANSWERS}
    for party in parties:
        found |= {party.secret_key, party.api_key}
    for client in clients:
        found.update(client.minted)
    for p in produced:
        found |= p.personal | {p.login_id}
    return found


def leaks(log: str, values: set[str]) -> list[str]:
    lowered = log.lower()
    return sorted(v for v in values if v.lower() in lowered)


async def error_flows(fa: RecordingFlinks, fb: RecordingFlinks, a: Produced) -> None:
    """Wrong password, wrong MFA answer, A's identifiers on B, malformed JSON: each answered in error."""
    for f in (fa, fb):
        wrong = await f.authorize({**LIVE, "Username": "Greatday", "Password": WRONG_PASSWORD})
        assert wrong.json()["FlinksCode"] == "INVALID_PASSWORD", wrong.text
    pending, token = await challenge(fa)
    prompt = pending.json()["SecurityChallenges"][0]["Prompt"]
    other = next(v for k, v in bank.CA_QUESTIONS.items() if k != prompt)
    answer = {"RequestId": pending.json()["RequestId"], "SecurityResponses": {prompt: [other]}}
    refused = await fa.authorize(answer, token)
    assert refused.json()["FlinksCode"] == "INVALID_SECURITY_RESPONSE", refused.text
    api = {"x-api-key": fb.api_key}
    assert (await fb.cached(a.login_id)).json()["WrongInstance"] is True
    assert (await fb.http.delete(f"{fb.prefix}/DeleteCard/{a.login_id}", headers=api)).status_code == 401
    assert (await fb.poll("GetAccountsDetailAsync", a.request_id)).json()["WrongInstance"] is True
    broken = f'{{"LoginId": "{a.login_id}", "Username": "Greatday", "Password": "Everyday", '.encode()
    token = await fa.token()
    bad = await fa.http.post(
        f"{fa.prefix}/Authorize",
        content=broken,
        headers={"flinks-auth-key": token, "content-type": "application/json"},
    )
    assert bad.json()["FlinksCode"] == "INVALID_REQUEST", bad.text


async def store_fault(fa: RecordingFlinks, party: Party, clock: ManualClock) -> Produced:
    """The store refuses the holder row an aggregation writes (a trigger aborts it, as a full disk or a
    constraint would): the job fails, is logged and retried later."""
    store = Store(party.spec.store_url)
    try:
        with store.write() as db:
            db.execute(text(FAULT_TRIGGER))
    finally:
        store.dispose()
    produced = Produced()
    done = await fa.connect("greatday_nomfa")
    produced.login_id, produced.request_id = done["Login"]["Id"], done["RequestId"]
    clock.advance(5)
    failed = await fa.data("GetAccountsDetail", {"RequestId": produced.request_id, "WithKYC": True})
    # The job failed on the store and is retried later: the call still waits.
    assert failed.json()["FlinksCode"] == "OPERATION_PENDING", failed.text
    return produced


@pytest.mark.parametrize(
    "loggers",
    [
        pytest.param(["", "finstance", "uvicorn"], id="app-loggers"),
        pytest.param(["", "finstance", "uvicorn", "sqlalchemy"], id="with-sqlalchemy"),
    ],
)
async def test_debug_logs_of_full_flows_and_errors_on_two_instances_hold_no_secret_or_personal_data(
    loggers: list[str],
    store_pair: tuple[str, str],
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Root, finstance, uvicorn (and sqlalchemy) at DEBUG over full flows on a CA and a US instance and
    their errors (wrong password, wrong MFA answer, wrong instance, bad JSON): no marker in any record."""
    a, b = build("acme-ca", store_pair[0]), build("acme-us", store_pair[1])
    with ExitStack() as stack:
        if "sqlalchemy" not in loggers:  # root at DEBUG would otherwise let SQLAlchemy's echo through
            stack.enter_context(caplog.at_level(logging.WARNING, logger="sqlalchemy"))
        stack.enter_context(debug_logging(caplog, loggers))
        async with serve(a.spec, clock) as http_a, serve(b.spec, clock) as http_b:
            fa, fb = a.client(http_a), b.client(http_b)
            produced = [await full_flows(fa, clock), await full_flows(fb, clock)]
            await error_flows(fa, fb, produced[0])
        logging.getLogger("finstance.probe").debug("capture probe")
    assert "capture probe" in caplog.messages, "a DEBUG record of finstance was not captured"
    found = leaks(caplog.text, markers([a, b], [fa, fb], produced))
    assert found == [], f"the logs reveal {found}"


async def test_unexpected_exception_is_logged_without_its_message_or_the_login_id_in_the_path(
    sqlite_store_url: str,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unexpected exception on DeleteCard/{loginId} answers a Flinks 500; the log names the error type
    but neither the exception's text (which may carry end-user data) nor the loginId of the path."""
    party = build("acme-ca", sqlite_store_url)
    with debug_logging(caplog, ["", "finstance", "uvicorn"]):
        async with serve(party.spec, clock) as http:
            f = party.client(http)
            produced = await full_flows(f, clock)
            holder = sorted(produced.personal)

            def explode(*_: object) -> str:
                raise RuntimeError(f"cannot delete {holder} password Everyday")

            monkeypatch.setattr(cards, "delete_card", explode)
            api = {"x-api-key": f.api_key}
            response = await http.delete(f"{f.prefix}/DeleteCard/{produced.login_id}", headers=api)
    assert response.status_code == 500 and response.json()["FlinksCode"] == "AGGREGATION_ERROR"
    assert "RuntimeError" in caplog.text
    found = leaks(caplog.text, markers([party], [f], [produced]))
    assert found == [], f"the logs reveal {found}:\n{caplog.text}"


async def test_store_fault_under_aggregation_is_logged_without_the_rows_it_was_writing(
    sqlite_store_url: str, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    """When the store fails while an aggregation writes a user's data, the failure is logged, but not the
    SQL parameters (holder name, email, phone, address, account numbers, loginId) of the failed write."""
    party = build("acme-ca", sqlite_store_url)
    with debug_logging(caplog, ["", "finstance", "uvicorn"]):
        async with serve(party.spec, clock) as http:
            f = party.client(http)
            produced = await full_flows(f, clock)
            faulty = await store_fault(f, party, clock)
    assert "(aggregate) failed" in caplog.text  # the job failure is logged
    found = leaks(caplog.text, markers([party], [f], [produced, faulty]))
    assert found == [], f"the logs reveal {found}:\n{caplog.text[-3000:]}"


@pytest.mark.parametrize("store_fault", [False, True], ids=["errors", "errors-and-store-fault"])
def test_serve_output_after_the_banner_holds_no_secret_or_personal_data(
    tmp_path: Path, store_fault: bool
) -> None:
    """`finstance serve` driven over TCP through a full Greatday flow and errors (wrong password, bad
    JSON, bad x-api-key; with ``store_fault``, also an unexpected store error under a request), then
    stopped with SIGINT: everything it prints after its start-up banner is free of keys, tokens,
    passwords, MFA answers, holder data, account numbers and loginIds."""
    port = free_port()
    data = tmp_path / "data"
    proc = start(data, port)
    api = f"http://127.0.0.1:{port}/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices"
    values = {TOOLBOX_SECRET_KEY, TOOLBOX_API_KEY, "Everyday", WRONG_PASSWORD, *MFA_ANSWERS}
    try:
        wait_until_up(f"http://127.0.0.1:{port}", proc)
        values |= drive_toolbox(api, data, store_fault=store_fault)
    finally:
        output = stop(proc)
    assert proc.returncode == 0, output
    assert BANNER_END in output, output
    after = output.split(BANNER_END, 1)[1]
    assert "Application startup complete" in after, output
    found = leaks(after, values)
    assert found == [], f"the serve output reveals {found}:\n{after}"


def drive_toolbox(api: str, data: Path, *, store_fault: bool) -> set[str]:
    """A full Greatday flow, errors included; returns the values produced (tokens, loginId, holder...)."""

    produced: set[str] = set()
    keys = {"x-api-key": TOOLBOX_API_KEY}
    with httpx.Client(timeout=10) as http:

        def token() -> str:
            t = http.post(f"{api}/GenerateAuthorizeToken", headers={"flinks-auth-key": TOOLBOX_SECRET_KEY})
            produced.add(t.json()["Token"])
            return str(t.json()["Token"])

        wrong = {**LIVE, "Username": "Greatday", "Password": WRONG_PASSWORD}
        assert (
            http.post(f"{api}/Authorize", json=wrong, headers={"flinks-auth-key": token()}).status_code == 401
        )
        t = token()
        body = {**LIVE, "Username": "Greatday"}
        pending = http.post(f"{api}/Authorize", json=body, headers={"flinks-auth-key": t})
        assert pending.status_code == 203, pending.text
        prompt = pending.json()["SecurityChallenges"][0]["Prompt"]
        rid = pending.json()["RequestId"]
        answer = {"RequestId": rid, "SecurityResponses": {prompt: [bank.CA_QUESTIONS[prompt]]}}
        done = http.post(f"{api}/Authorize", json=answer, headers={"flinks-auth-key": t})
        assert done.status_code == 200, done.text
        login_id = done.json()["Login"]["Id"]
        produced.add(login_id)
        detail_body = {"RequestId": rid, "WithKYC": True, "WithAccountIdentity": True}
        deadline = time.monotonic() + 30
        while True:  # the worker thread aggregates in the background (about 3 s)
            detail = http.post(f"{api}/GetAccountsDetail", json=detail_body, headers=keys)
            if detail.status_code != 202 or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        assert detail.status_code == 200, detail.text
        for account in detail.json()["Accounts"]:
            holder = account["Holder"]
            produced |= {account["AccountNumber"], holder["Name"], holder["Email"], holder["PhoneNumber"]}
            produced.add(holder["Address"]["CivicAddress"])
        assert http.post(f"{api}/GetStatements", json={"RequestId": rid}, headers=keys).status_code == 200
        bad = http.post(
            f"{api}/Authorize",
            content=f'{{"LoginId": "{login_id}", "Password": "Everyday"'.encode(),
            headers={"flinks-auth-key": token(), "content-type": "application/json"},
        )
        assert bad.status_code == 400, bad.text
        assert http.get(f"{api}/GetMFAQuestions/{login_id}", headers={"x-api-key": "nope"}).status_code == 401
        if store_fault:  # the unexpected-exception path of a real server: the store fails under a request
            with sqlite3.connect(data / "stores" / "toolbox.db") as db:
                db.execute("DROP TABLE holders")
            # options not asked before, so that the answer is built from the store, not the document cache
            uncached = {**detail_body, "DaysOfTransactions": "Days365"}
            faulty = http.post(f"{api}/GetAccountsDetail", json=uncached, headers=keys)
            assert faulty.status_code == 500, faulty.text
            assert faulty.json()["FlinksCode"] == "AGGREGATION_ERROR"
        else:
            assert http.delete(f"{api}/DeleteCard/{login_id}", headers=keys).status_code == 200
    return produced


# -- webhook deliveries and the libraries under the server --------------------------------------------


class Receiver:
    """A webhook receiver on a loopback port that answers 500, so the instance logs a failed attempt."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.hit = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                receiver.paths.append(self.path)
                self.send_response(500)
                self.send_header("content-length", "0")
                self.end_headers()
                receiver.hit.set()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def queue_test_event(data: Path, name: str, url: str) -> None:
    """An endpoint at ``url`` on instance ``name`` and a Test event queued for it, not yet delivered."""
    with serving_context(data, name) as ctx:
        webhooks.add_endpoint(ctx, url)
        webhooks.test_event(ctx)


@contextmanager
def serving_context(data: Path, name: str) -> Iterator[InstanceContext]:
    ctx = serving.instance_context(Directory(data).get(name))
    try:
        yield ctx
    finally:
        ctx.store.dispose()


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_webhook_delivery_logs_neither_the_endpoint_url_nor_its_token(tmp_path: Path, command: str) -> None:
    """A webhook whose URL carries a secret token is delivered by `finstance serve` (its worker thread) or
    `finstance worker` to a real loopback receiver: the failed attempt is logged, with the delivery's id,
    but neither the URL nor the token appears anywhere in what the process prints."""
    data = tmp_path / "data"
    token = secrets.token_hex(16)
    with Receiver() as receiver:
        url = f"http://127.0.0.1:{receiver.port}/hook?token={token}"
        if command == "serve":
            directory = Directory(data)
            serving.preflight(directory.ensure_embedded_defaults())
            queue_test_event(data, "toolbox", url)
            port = free_port()
            proc = start(data, port)
        else:
            Directory(data).create("acme", Country.CA, sandbox=True)
            queue_test_event(data, "acme-ca", url)
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "finstance",
                    "worker",
                    "--instance",
                    "acme-ca",
                    "--data-dir",
                    str(data),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=dict(os.environ, PYTHONUNBUFFERED="1"),
            )
        try:
            delivered = receiver.hit.wait(30)
        finally:
            proc.send_signal(signal.SIGINT)
            output, _ = proc.communicate(timeout=30)
    assert delivered, output
    assert receiver.paths == [f"/hook?token={token}"]  # the token did reach the receiver
    assert proc.returncode == 0, output
    assert "attempt 1 failed: HTTP 500" in output, output  # the instance's own line was printed
    for revealing in (token, "/hook", f"127.0.0.1:{receiver.port}"):
        assert revealing not in output, f"the {command} output reveals {revealing!r}:\n{output}"


@contextmanager
def configured_logging() -> Iterator[io.StringIO]:
    """Logging configured as the server configures it, into a buffer; put back as it was afterwards."""
    root = logging.getLogger()
    names = ["httpx", "httpcore", "uvicorn.access", "finstance"]
    levels = {name: logging.getLogger(name).level for name in names}
    root_level = root.level
    buffer = io.StringIO()
    handler = configure_logging(stream=buffer)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(root_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def test_configured_logging_keeps_library_lines_without_urls_and_access_lines_without_query() -> None:
    """An HTTP client's request line is dropped even if its logger is turned up again; uvicorn's access
    line (on with `serve --access-log`) keeps the path but not the query string; ours are written."""
    token = secrets.token_hex(16)
    with configured_logging() as buffer:
        logging.getLogger("httpx").info('HTTP Request: POST http://127.0.0.1:9/hook?token=%s "200 OK"', token)
        logging.getLogger("httpx").setLevel(logging.DEBUG)
        logging.getLogger("httpx").info('HTTP Request: POST http://127.0.0.1:9/hook?token=%s "200 OK"', token)
        logging.getLogger("somelibrary").info("request body %s", token)
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/v2/?authorizeToken={token}", "1.1", 200
        )
        logging.getLogger("finstance.webhooks").info("webhook delivery %s attempt %d failed", "d-1", 1)
        logging.getLogger("somelibrary").warning("disk almost full")
    text = buffer.getvalue()
    assert token not in text and "/hook" not in text and "request body" not in text, text
    assert '"GET /v2/ HTTP/1.1" 200' in text, text
    assert "INFO finstance.webhooks: webhook delivery d-1 attempt 1 failed" in text, text
    assert "WARNING somelibrary: disk almost full" in text, text


async def test_pay_logs_hold_no_account_number_name_token_or_secret(
    store_url: str, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A Pay client's token, sessions paid through the widget (bank sign-in, account, agreement), a refused
    token, a bad body, a file written and read, a forced return: at DEBUG, no log record carries the client's
    secret or token, the payor's names or verified account number, or the bank password."""
    from finstance.pay import tables as pay_tables
    from tests.pay.test_sessions import GEFT, Pay
    from tests.pay.test_widget import Browser, through

    party = build("toolbox", store_url)
    with ExitStack() as stack:
        stack.enter_context(caplog.at_level(logging.WARNING, logger="sqlalchemy"))
        stack.enter_context(debug_logging(caplog, ["", "finstance", "uvicorn"]))
        async with serve(party.spec, clock) as http:
            webhooks.add_endpoint(context_of(http), "http://127.0.0.1:9/hook")
            pay = Pay(http)
            token = await pay.token()
            bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
            body = {**GEFT, "options": {}, "payor": {"firstName": "John", "lastName": "Doe"}}
            session_id = (await pay.create(body, bearer=bearer)).json()["sessionId"]
            browser = Browser(http, session_id)
            await through(browser, "Happy1")
            await browser.post(action="agree", agreement="yes")
            assert (await pay.create(body, bearer=bearer)).status_code == 401  # spent
            assert (await pay.create({"type": "EFT"})).status_code == 400
            moved = await http.post("/pay/api/sandbox/clock", json={"days": 1}, headers=await pay.bearer())
            assert moved.json()["files"], moved.text
            day = moved.json()["files"][0]["fileDate"]
            assert (
                await http.get(f"/pay/api/v1/settlement/files/{day}", headers=await pay.bearer())
            ).is_success
            returned = await http.post(
                f"/pay/api/sandbox/sessions/{session_id}/simulate",
                json={"event": "return", "returnCode": "908"},
                headers=await pay.bearer(),
            )
            assert returned.json()["paymentStatus"] == "Returned"
            webhooks.deliver_due(context_of(http))  # the endpoint refuses: its failure is logged
            with context_of(http).store.read() as db:
                row = db.get(pay_tables.PaySession, session_id)
                assert row is not None
                account = row.payor["account"]["accountNumber"]
    assert caplog.records, "nothing was logged: the capture is not working"
    values = {pay.issued.client_secret, token.json()["access_token"], account, "Everyday", "John Doe"}
    assert leaks(caplog.text, values) == []


def context_of(http: httpx.AsyncClient) -> InstanceContext:
    ctx: InstanceContext = http._transport.app.state.ctx  # type: ignore[attr-defined]
    return ctx


async def test_eft_v1_logs_hold_no_account_number_name_or_secret(
    store_url: str, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    """EFT V1 calls with the client's id and secret in headers, a refused secret, a bad body, a PAD signed on
    its page, a file written and a forced return: at DEBUG, no log record carries the secret, the contact's
    name or account number."""
    from tests.pay.test_eft import Eft, debit, sign

    party = build("toolbox", store_url)
    with ExitStack() as stack:
        stack.enter_context(caplog.at_level(logging.WARNING, logger="sqlalchemy"))
        stack.enter_context(debug_logging(caplog, ["", "finstance", "uvicorn"]))
        async with serve(party.spec, clock) as http:
            webhooks.add_endpoint(context_of(http), "http://127.0.0.1:9/hook")
            eft = Eft(http)
            account = {"institutionCode": "003", "transitNumber": "54321", "accountNumber": "987654321"}
            payor = {"accountInfo": account, "contactInfo": {"firstName": "Marguerite", "lastName": "Zyx"}}
            created = await eft.create(debit(payor=payor))
            assert (await eft.post("/transactions", debit(payor=payor, amount=-1))).status_code == 400
            refused = await http.get(
                f"/pay/api/v1/schedules/{created['id']}", headers={**eft.keys, "x-api-key": "wrong-secret"}
            )
            assert refused.status_code == 401
            assert (await sign(http, created["padId"])).status_code == 200
            assert (await eft.get(f"/pads/{created['padId']}")).is_success
            assert (await eft.get(f"/contacts/{created['payor']['contactId']}")).is_success
            moved = await http.post(
                "/pay/api/sandbox/clock", json={"to": "2026-01-16T18:00:00Z"}, headers=await eft.pay.bearer()
            )
            assert moved.json()["files"], moved.text
            [payment] = (await eft.schedule(created["id"]))["payments"]
            returned = await http.post(
                f"/pay/api/sandbox/paymentrequests/{payment['requestId']}/simulate",
                json={"event": "return", "returnCode": "901"},
                headers=await eft.pay.bearer(),
            )
            assert returned.json()["status"] == "Returned"
            webhooks.deliver_due(context_of(http))
    assert caplog.records, "nothing was logged: the capture is not working"
    values = {eft.pay.issued.client_secret, "987654321", "Marguerite", "wrong-secret"}
    assert leaks(caplog.text, values) == []
