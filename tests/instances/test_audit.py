"""`finstance residency audit`: stamps, own identifiers only, a metadata-only directory."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from finstance.cli import app
from finstance.connect import tables
from finstance.core.country import Country
from finstance.core.instance import Settings
from finstance.core.store import Store
from finstance.core.store import tables as core_tables
from finstance.instances import serving
from finstance.instances.directory import Directory, Entry
from finstance.instances.residency import audit
from tests.flinks import Flinks

runner = CliRunner()
NOMFA = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}


async def drive(directory: Directory, entry: Entry, secret_key: str, api_key: str) -> str:
    """A real flow on one instance, in-process: connect, reconnect from cache, ask for its data."""
    app_ = serving.instance_app(directory, entry, Settings(migrate_on_start=False, run_worker=False))
    async with app_.router.lifespan_context(app_):
        transport = httpx.ASGITransport(app=app_)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{entry.api_host}") as http:
            flinks = Flinks(http, entry.customer_id, secret_key, api_key, entry.country_code)
            connected = await flinks.authorize(NOMFA)
            assert connected.status_code == 200, connected.text
            login_id: str = connected.json()["Login"]["Id"]
            cached = await flinks.cached(login_id)
            assert cached.status_code == 200, cached.text
            detail = await flinks.data("GetAccountsDetail", {"RequestId": cached.json()["RequestId"]})
            assert detail.status_code in (200, 202), detail.text
    return login_id


@pytest.fixture
async def two_instances(tmp_path: Path) -> tuple[Directory, Entry, Entry]:
    """acme-ca and acme-us, each with a connected login and a data request of its own."""
    directory = Directory(tmp_path)
    for country in (Country.CA, Country.US):
        entry, keys = directory.create("acme", country)
        serving.preflight([entry])
        await drive(directory, entry, keys.secret_key, keys.api_key)
    return directory, directory.get("acme-ca"), directory.get("acme-us")


def run_audit(data_dir: Path) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["residency", "audit", "--json", "--data-dir", str(data_dir)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def violations(report: dict[str, Any], name: str) -> list[str]:
    found: list[str] = next(i for i in report["instances"] if i["name"] == name)["violations"]
    return found


def test_audit_passes_after_real_flows_on_two_instances(
    two_instances: tuple[Directory, Entry, Entry],
) -> None:
    directory, _, _ = two_instances
    code, report = run_audit(directory.data_dir)
    assert code == 0, report
    assert report["ok"] is True and report["directory_violations"] == []
    assert [(i["name"], i["country"], i["violations"]) for i in report["instances"]] == [
        ("acme-ca", "CA", []),
        ("acme-us", "US", []),
    ]
    for item in report["instances"]:
        assert set(item) == {"name", "country", "rows_checked", "violations"}
        assert item["rows_checked"] >= 5  # login, sessions, job and their references were all checked
    text = runner.invoke(app, ["residency", "audit", "--data-dir", str(directory.data_dir)])
    assert text.exit_code == 0, text.output
    assert "ok   acme-ca (CA)" in text.stdout and "ok   acme-us (US)" in text.stdout
    assert "residency audit passed" in text.stdout


def test_audit_of_a_data_dir_without_instances_fails_instead_of_passing(tmp_path: Path) -> None:
    """Nothing checked is not a pass: an empty (or mistyped) data directory must not look audited."""
    nothing = f"no instance in {tmp_path / 'directory.json'}: there is nothing to audit"
    assert run_audit(tmp_path) == (1, {"ok": False, "directory_violations": [nothing], "instances": []})
    text = runner.invoke(app, ["residency", "audit", "--data-dir", str(tmp_path)])
    assert text.exit_code == 1, text.output
    assert "residency audit failed" in text.stdout and "passed" not in text.stdout
    assert audit(Directory(tmp_path)).ok is False


def test_audit_of_a_data_dir_that_does_not_exist_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir"
    for args in (["--json"], []):
        result = runner.invoke(app, ["residency", "audit", *args, "--data-dir", str(missing)])
        assert result.exit_code == 1, result.output
        assert f"data directory {missing} does not exist" in result.stderr
        assert result.stdout == "" and "Traceback" not in result.output
    assert not missing.exists()


def test_audit_fails_when_a_login_of_acme_ca_is_copied_into_acme_us(
    two_instances: tuple[Directory, Entry, Entry],
) -> None:
    directory, ca, us = two_instances
    source, target = Store(ca.store_url), Store(us.store_url)
    try:
        with source.read() as db:
            login = db.scalars(select(tables.Login)).one()
            row = {c.key: getattr(login, c.key) for c in tables.Login.__table__.columns}
        with target.write() as db:
            db.execute(tables.Login.__table__.insert().values(**row))
    finally:
        source.dispose()
        target.dispose()
    code, report = run_audit(directory.data_dir)
    assert code == 1
    assert report["ok"] is False
    assert violations(report, "acme-ca") == []
    assert violations(report, "acme-us") == ["logins.id: 1 identifier(s) not minted by this instance"]
    text = runner.invoke(app, ["residency", "audit", "--data-dir", str(directory.data_dir)])
    assert text.exit_code == 1
    assert "FAIL acme-us (US)" in text.stdout and "residency audit failed" in text.stdout
    assert audit(directory).ok is False


async def test_audit_fails_when_a_connect_flow_of_acme_ca_is_copied_into_acme_us(
    two_instances: tuple[Directory, Entry, Entry],
) -> None:
    directory, ca, us = two_instances
    secret_key = directory.rotate_keys("acme-ca").secret_key
    app_ = serving.instance_app(directory, directory.get("acme-ca"), Settings(run_worker=False))
    async with app_.router.lifespan_context(app_):
        transport = httpx.ASGITransport(app=app_)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{ca.iframe_host}") as http:
            token = await Flinks(http, ca.customer_id, secret_key, "").token()
            page = await http.get("/v2/", params={"demo": "true", "authorizeToken": token})
            assert page.status_code == 200 and "/v2/flow/" in page.text
    assert run_audit(directory.data_dir)[0] == 0  # a flow on its own instance is fine
    source, target = Store(ca.store_url), Store(us.store_url)
    try:
        with source.read() as db:
            flow = db.scalars(select(tables.ConnectFlow)).one()
            row = {c.key: getattr(flow, c.key) for c in tables.ConnectFlow.__table__.columns}
        with target.write() as db:
            db.execute(tables.ConnectFlow.__table__.insert().values(**row))
    finally:
        source.dispose()
        target.dispose()
    code, report = run_audit(directory.data_dir)
    assert code == 1
    assert violations(report, "acme-us") == ["connect_flows.id: 1 identifier(s) not minted by this instance"]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("instance_name", "acme-ca"),
        ("country", "CA"),
        ("customer_id", "00000000-0000-4000-8000-000000000000"),
    ],
)
def test_audit_fails_when_a_stamp_is_altered(
    two_instances: tuple[Directory, Entry, Entry], column: str, value: str
) -> None:
    directory, _, us = two_instances
    store = Store(us.store_url)
    try:
        with store.write() as db:
            db.execute(update(core_tables.ResidencyStamp).values({column: value}))
    finally:
        store.dispose()
    code, report = run_audit(directory.data_dir)
    assert code == 1
    assert violations(report, "acme-ca") == []
    [problem] = violations(report, "acme-us")
    assert "stamped for" in problem and "not for this instance" in problem


def test_audit_fails_when_a_store_has_no_stamp(two_instances: tuple[Directory, Entry, Entry]) -> None:
    directory, ca, _ = two_instances
    store = Store(ca.store_url)
    try:
        with store.write() as db:
            db.execute(core_tables.ResidencyStamp.__table__.delete())
    finally:
        store.dispose()
    code, report = run_audit(directory.data_dir)
    assert code == 1 and violations(report, "acme-ca") == ["store has no residency stamp"]


def test_audit_fails_when_directory_json_gains_an_unexpected_field(
    two_instances: tuple[Directory, Entry, Entry],
) -> None:
    directory, _, _ = two_instances
    doc = json.loads(directory.path.read_text())
    doc["instances"][1]["end_user_email"] = "greatday@example.com"
    directory.path.write_text(json.dumps(doc))
    result = runner.invoke(app, ["residency", "audit", "--json", "--data-dir", str(directory.data_dir)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "unexpected fields ['end_user_email']" in result.output
    assert "acme-us" in result.output


def test_audit_fails_when_directory_json_gains_an_unexpected_top_level_field(
    two_instances: tuple[Directory, Entry, Entry],
) -> None:
    directory, _, _ = two_instances
    doc = json.loads(directory.path.read_text())
    doc["customers"] = [{"login": "Greatday"}]
    directory.path.write_text(json.dumps(doc))
    code, report = run_audit(directory.data_dir)
    assert code == 1
    assert report["directory_violations"] == ["directory has unexpected top-level fields ['customers']"]
    assert all(not i["violations"] for i in report["instances"])


def test_audit_fails_when_dev_keys_carry_anything_else(two_instances: tuple[Directory, Entry, Entry]) -> None:
    directory, _, _ = two_instances
    doc = json.loads(directory.path.read_text())
    doc["instances"][0]["dev_keys"] = {"secret_key": "x", "api_key": "y", "password": "Everyday"}
    directory.path.write_text(json.dumps(doc))
    code, report = run_audit(directory.data_dir)
    assert code == 1
    assert report["directory_violations"] == ["directory entry 'acme-ca' has unexpected content in dev_keys"]


def test_audit_fails_when_two_entries_share_a_store(two_instances: tuple[Directory, Entry, Entry]) -> None:
    directory, ca, _ = two_instances
    doc = json.loads(directory.path.read_text())
    doc["instances"][1]["store_url"] = ca.store_url
    directory.path.write_text(json.dumps(doc))
    code, report = run_audit(directory.data_dir)
    assert code == 1
    assert "shares its store with 'acme-us'" in violations(report, "acme-ca")
    assert "shares its store with 'acme-ca'" in violations(report, "acme-us")


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"version": 1, "instances": 3}'])
def test_audit_of_a_corrupt_directory_fails_with_a_message_not_a_traceback(
    tmp_path: Path, content: str
) -> None:
    (tmp_path / "directory.json").write_text(content)
    result = runner.invoke(app, ["residency", "audit", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception), repr(result.exception)
    assert "Traceback" not in result.output


async def test_audit_passes_with_an_eft_schedule_and_fails_when_it_is_copied_into_acme_us(
    two_instances: tuple[Directory, Entry, Entry],
) -> None:
    from finstance.core import clients
    from finstance.pay import tables as pay_tables
    from tests.pay.test_eft import debit

    directory, ca, us = two_instances
    app_ = serving.instance_app(directory, ca, Settings(migrate_on_start=False, run_worker=False))
    async with app_.router.lifespan_context(app_):
        issued = clients.create(app_.state.ctx, "pay", "audit")
        keys = {"x-client-id": issued.client_id, "x-api-key": issued.client_secret}
        transport = httpx.ASGITransport(app=app_)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{ca.api_host}") as http:
            later = date.today() + timedelta(days=30)  # this instance runs on the real clock
            created = await http.post("/pay/api/v1/transactions", json=debit(start=later), headers=keys)
            assert created.status_code == 200, created.text
    code, report = run_audit(directory.data_dir)
    assert code == 0, report

    source, target = Store(ca.store_url), Store(us.store_url)
    try:
        with source.read() as db:
            schedule = db.scalars(select(pay_tables.PaySchedule)).one()
            row = {c.key: getattr(schedule, c.key) for c in pay_tables.PaySchedule.__table__.columns}
        with target.write() as db:
            db.execute(pay_tables.PaySchedule.__table__.insert().values(**row))
    finally:
        source.dispose()
        target.dispose()
    code, report = run_audit(directory.data_dir)
    assert code == 1 and violations(report, "acme-ca") == []
    found = violations(report, "acme-us")
    for column in ("id", "pad_id", "contact_id", "account_id"):
        assert f"pay_schedules.{column}: 1 identifier(s) not minted by this instance" in found, found
