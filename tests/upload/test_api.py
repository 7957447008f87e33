"""Upload end to end through the API: statements in, the login's Connect data and FraudAnalysis out."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import select

from finstance.core import jobs, webhooks
from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.core.store import tables as core_tables
from finstance.sandbox.generator import generate_profile
from finstance.sandbox.pdf import money
from tests.flinks import Flinks
from tests.upload.api import UploadApi, context, rows
from tests.upload.layouts import ca_english
from tests.upload.test_fraud import ORIGINAL, amount_op, edited


async def statements_of(flinks: Flinks, clock: ManualClock) -> tuple[list[bytes], list[tuple[object, ...]]]:
    """The two latest statement PDFs of a sandbox login's first account, from GetStatements, and the
    transactions they show, from what Flinks Capital handed over."""
    session = await flinks.connect("greatday_nomfa")
    clock.advance(5)
    body = await flinks.data(
        "GetStatements", {"RequestId": session["RequestId"], "NumberOfStatements": "Months3"}
    )
    assert body.status_code == 200, body.text
    first = body.json()["StatementsByAccount"][0]
    pdfs = [base64.b64decode(s["Base64Bytes"]) for s in first["Statements"][:2]]
    profile = generate_profile("greatday_nomfa", Country.CA, clock.now().date(), salt=session["Login"]["Id"])
    [account] = [a for a in profile.accounts if a.id == first["AccountId"]]
    shown = [
        (t.date, t.description, t.debit_cents, t.credit_cents, t.balance_cents)
        for s in account.statements[-2:]
        for t in s.content.transactions
    ]
    return pdfs, shown


def events(http: httpx.AsyncClient, login_id: str) -> list[dict[str, Any]]:
    with context(http).store.read() as db:
        found = db.scalars(
            select(core_tables.OutboxEvent)
            .where(core_tables.OutboxEvent.login_id == login_id)
            .order_by(core_tables.OutboxEvent.seq)
        )
        return [orjson.loads(e.body) for e in found]


async def test_statements_of_two_layouts_come_back_as_the_login_s_data_exactly(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    webhooks.add_endpoint(context(toolbox), "http://127.0.0.1:9/hook")
    pdfs, shown = await statements_of(flinks, clock)
    other, other_shown = ca_english()
    api = UploadApi(toolbox)
    sent = await api.send(
        ("march.pdf", pdfs[1]), ("april.pdf", pdfs[0]), ("maple.pdf", other), ("notes.txt", b"hi")
    )
    assert sent.status_code == 202, sent.text
    taken = sent.json()
    assert taken["HttpStatusCode"] == 202 and taken["Status"] == "Pending"
    assert [d["Status"] for d in taken["Documents"]] == ["Pending", "Pending", "Pending", "Rejected"]
    assert taken["Documents"][3]["Reason"]["Code"] == "unsupported_format"
    login_id = taken["LoginId"]
    # No worker has read them yet: the data call reads the due upload itself, as it runs a due aggregation.
    early = await flinks.cached(login_id)
    assert early.status_code == 200, early.text
    pending = await flinks.data("GetAccountsDetail", {"RequestId": early.json()["RequestId"]})
    assert pending.status_code == 200
    state = (await api.state(taken["UploadId"])).json()
    assert state["Status"] == "Completed"
    assert [(d["Status"], d["FraudVerdict"]) for d in state["Documents"]] == [
        ("Processed", "Trust"),
        ("Processed", "Trust"),
        ("Processed", "Trust"),
        ("Rejected", None),
    ]
    assert state["Documents"][0]["Transactions"] + state["Documents"][1]["Transactions"] == len(shown)

    cached = await flinks.cached(login_id)
    assert cached.status_code == 200, cached.text
    assert cached.json()["Login"]["Id"] == login_id
    detail = await flinks.data(
        "GetAccountsDetail", {"RequestId": cached.json()["RequestId"], "WithKYC": True}
    )
    assert detail.status_code == 200, detail.text
    accounts = detail.json()["Accounts"]
    assert len(accounts) == 2  # the sandbox account's two months are one account
    # Connect lists transactions newest first. The statement prints a description too long for its column cut
    # short with "...": that is what the document says, so that is what is read.
    read = rows(accounts[0])
    assert [r[:1] + r[2:] for r in read] == [r[:1] + r[2:] for r in shown[::-1]]
    for (_, got, *_), (_, printed, *_) in zip(read, shown[::-1], strict=True):
        assert got == printed or (got.endswith("...") and str(printed).startswith(got[:-3])), (got, printed)
    [maple] = other_shown.accounts
    assert (
        rows(accounts[1])
        == [(r.date, r.description, r.debit_cents, r.credit_cents, r.balance_cents) for r in maple.rows][::-1]
    )
    assert accounts[1]["AccountNumber"] == maple.number
    assert round(accounts[1]["Balance"]["Current"] * 100) == maple.closing_cents
    # The webhooks of an aggregation: KYC, then GetAccountsDetail with the same data.
    sent_events = events(toolbox, login_id)
    assert [e["ResponseType"] for e in sent_events] == ["KYC", "GetAccountsDetail"]
    assert [len(a["Transactions"]) for a in sent_events[1]["Accounts"]] == [len(shown), len(maple.rows)]

    fraud = await api.fraud(login_id, flinks.secret_key)
    assert fraud.status_code == 200, fraud.text
    body = fraud.json()
    assert body["Message"] == "No Fraud Signal Detected"
    assert body["Login"]["LoginId"] == login_id
    assert [d["Status"] for d in body["DocumentAnalysis"]] == ["Trust"] * 3
    assert all(d["FullAnalysis"][0]["FraudSignals"] == [] for d in body["DocumentAnalysis"])


async def test_a_statement_edited_after_printing_is_flagged_saved_nowhere_and_alerted(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    webhooks.add_endpoint(context(toolbox), "http://127.0.0.1:9/hook")
    op, cents = amount_op()
    forged = edited(ORIGINAL, op, op.replace(b"(", b"(1"), {"/Producer": "Adobe Acrobat Pro 2024"})
    state = await UploadApi(toolbox).read(("statement.pdf", forged))
    assert state["Status"] == "Failed"
    [document] = state["Documents"]
    assert (document["Status"], document["Reason"]["Code"], document["FraudVerdict"]) == (
        "Unreconciled",
        "unreconciled",
        "High Risk",
    )
    login_id = state["LoginId"]
    fraud = (await UploadApi(toolbox).fraud(login_id, flinks.secret_key)).json()
    assert fraud["Message"] == "Fraud Signal Detected"
    [analysis] = fraud["DocumentAnalysis"]
    assert analysis["Status"] == "High Risk" and analysis["FileName"] == "statement.pdf"
    signals = {s["Type"]: s for s in analysis["FullAnalysis"][0]["FraudSignals"]}
    assert {"Editing software detected", "Dollar amount edits", "Unreconciled balances"} <= set(signals)
    amount = signals["Dollar amount edits"]
    assert amount["PageNumber"] == 1 and amount["Count"] == len(amount["UnderlyingData"]) >= 1
    evidence = [d["Value"] for u in amount["UnderlyingData"] for d in u["Details"]]
    assert "1" + money(cents) in evidence  # the figure as it reads after the edit
    # Nothing was saved: the login's data call says the aggregation failed, and one alert went out.
    cached = await flinks.cached(login_id)
    data = await flinks.data("GetAccountsDetail", {"RequestId": cached.json()["RequestId"]})
    assert data.json()["FlinksCode"] == "AGGREGATION_ERROR", data.text
    [alert] = events(toolbox, login_id)
    assert alert["ResponseType"] == "UploadFraudAlert" and alert["Status"] == "High Risk"
    assert "Dollar amount edits" in alert["FraudSignals"] and alert["LoginId"] == login_id


async def test_bad_requests_get_flinks_errors(toolbox: httpx.AsyncClient, clock: ManualClock) -> None:
    api = UploadApi(toolbox)
    url = f"{api.prefix}/api/v1/uploads"
    no_token = await toolbox.post(url, files=[("files", ("a.pdf", ORIGINAL))])
    assert (no_token.status_code, no_token.json()["FlinksCode"]) == (401, "UNAUTHORIZED")
    wrong = await toolbox.post(
        f"{api.prefix}/api/v1/token",
        auth=(api.issued.client_id, "nope"),
        data={"grant_type": "client_credentials"},
    )
    assert (wrong.status_code, wrong.json()["FlinksCode"]) == (401, "UNAUTHORIZED")
    await api.token()
    bearer = {"Authorization": f"Bearer {api.bearer}"}
    as_json = await toolbox.post(url, headers=bearer, json={"files": []})
    assert (as_json.status_code, as_json.json()["FlinksCode"]) == (415, "INVALID_REQUEST")
    nothing = await toolbox.post(url, headers=bearer, files={"language": (None, "en")})
    assert nothing.status_code == 400 and "at least one file" in nothing.json()["Message"]
    too_many = await api.send(*[(f"{i}.pdf", ORIGINAL) for i in range(25)])
    assert too_many.status_code == 400 and "at most 24 files" in too_many.json()["Message"]
    assert (await api.state("0f8fad5b-d9cb-469f-a165-70867728950e")).status_code == 404
    # Another API client of the instance cannot read this one's upload.
    mine = (await api.send(("a.pdf", ORIGINAL))).json()["UploadId"]
    other = UploadApi(toolbox)
    await other.token()
    assert (await other.state(mine)).json()["FlinksCode"] == "NOT_FOUND"
    assert (await api.state(mine)).status_code == 200
    # A token lives ten minutes.
    clock.advance(timedelta(minutes=11))
    assert (await api.state(mine)).status_code == 401


async def test_an_upload_login_is_read_from_the_store_only(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    state = await UploadApi(toolbox).read(("statement.pdf", ORIGINAL))
    live = await flinks.authorize({"LoginId": state["LoginId"], "MostRecentCached": False})
    assert (live.status_code, live.json()["FlinksCode"]) == (400, "INVALID_REQUEST")
    assert "MostRecentCached=true" in live.json()["Message"]
    assert jobs.run_due(context(toolbox)) == 0
