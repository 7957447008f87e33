"""Outbound's part of the store: its migration builds exactly its models, secrets are kept as hashes, and
each instance signs with a key of its own."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
from typer.testing import CliRunner

from finstance.app import schema
from finstance.cli import app
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import Settings, toolbox_spec
from finstance.core.store import Store
from finstance.outbound import keys, recipients, tables
from finstance.outbound.tables import RegistrationStatus
from tests.conftest import us_spec

runner = CliRunner()
OUTBOUND_TABLES = {
    "outbound_recipients",
    "outbound_registrations",
    "outbound_consents",
    "outbound_codes",
    "outbound_consent_flows",
}


def test_the_migrations_build_exactly_the_models_on_each_backend(store_url: str) -> None:
    store = Store(store_url)
    try:
        store.migrate()
        assert set(inspect(store.engine).get_table_names()) >= OUTBOUND_TABLES
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, schema()) == []
    finally:
        store.dispose()


def _ctx(store_url: str, clock: ManualClock) -> InstanceContext:
    store = Store(store_url)
    store.migrate()
    return InstanceContext(toolbox_spec(store_url), store, clock, Settings(run_worker=False))


def test_a_recipient_secret_is_stored_only_as_its_hash_and_rotation_replaces_it(
    store_url: str, clock: ManualClock
) -> None:
    ctx = _ctx(store_url, clock)
    try:
        issued = recipients.create(ctx, "Acme Lending", ["https://acme.example/callback"])
        assert issued.client_id.startswith("dc-") and recipients.minted_here(ctx, issued.client_id)
        with ctx.store.read() as db:
            row = db.get(tables.Recipient, issued.client_id)
            assert row is not None
            assert issued.client_secret not in json.dumps(
                [str(getattr(row, c.key)) for c in tables.Recipient.__table__.columns]
            )
            assert recipients.secret_matches(issued.client_secret, row.secret_hash)
            registration = db.get(tables.Registration, (issued.client_id, 1000))
            assert registration is not None and registration.status is RegistrationStatus.ACTIVE
        rotated = recipients.rotate(ctx, issued.client_id)
        assert rotated.client_secret != issued.client_secret
        with ctx.store.read() as db:
            row = db.get(tables.Recipient, issued.client_id)
            assert row is not None
            assert recipients.secret_matches(rotated.client_secret, row.secret_hash)
            assert not recipients.secret_matches(issued.client_secret, row.secret_hash)
    finally:
        ctx.store.dispose()


def test_redirect_uris_must_be_https_or_a_sandbox_loopback() -> None:
    assert recipients.check_redirect_uri("https://a.example/cb?x=1", sandbox=False)
    assert recipients.check_redirect_uri("http://127.0.0.1:8080/cb", sandbox=True)
    for bad, sandbox in [
        ("http://a.example/cb", True),
        ("http://127.0.0.1/cb", False),
        ("https://a.example/cb#frag", False),
        ("/relative", True),
    ]:
        try:
            recipients.check_redirect_uri(bad, sandbox=sandbox)
        except recipients.RecipientError:
            continue
        raise AssertionError(f"{bad} was accepted")


def test_each_instance_signs_with_its_own_key_and_verifies_only_its_own_tokens(tmp_path: Path) -> None:
    ca = toolbox_spec("sqlite:///unused")
    us = us_spec("sqlite:///unused")
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    token = keys.sign_access_token(
        ca, now, client_id="dc-x", subject="s", scope="ACCOUNT_BASIC", lifetime_seconds=299, consent_id="c"
    )
    claims = keys.verify_access_token(ca, token, now)
    assert claims is not None and claims.client_id == "dc-x" and claims.consent_id == "c"
    assert keys.verify_access_token(us, token, now) is None  # another instance's signature
    assert keys.verify_access_token(ca, token, now + timedelta(seconds=300)) is None  # expired
    # The same instance derives the same key in every process; another derive_key, another key.
    assert keys.jwks(ca) == keys.jwks(dataclasses.replace(ca))
    assert keys.jwks(ca) != keys.jwks(us)
    assert "d" not in keys.jwks(ca)["keys"][0]  # only the public half is published
    # A token signed by another key but carrying this instance's name as issuer is still refused.
    impostor = dataclasses.replace(us, name=ca.name)
    forged = keys.sign_access_token(
        impostor, now, client_id="dc-x", subject="s", scope="", lifetime_seconds=60, consent_id=None
    )
    assert keys.verify_access_token(ca, forged, now) is None


def _cli(tmp_path: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--data-dir", str(tmp_path)])


def test_the_cli_registers_lists_and_rotates_recipients(tmp_path: Path) -> None:
    created = _cli(tmp_path, "instances", "create", "--company", "acme", "--country", "CA", "--json")
    assert created.exit_code == 0, created.output
    result = _cli(tmp_path, "outbound", "recipients", "create", "--instance", "acme-ca", "--name", "Acme",
                  "--redirect-uri", "https://acme.example/cb", "--contact", "ops@acme.example",
                  "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    issued = json.loads(result.stdout)
    assert issued["client_id"].startswith("dc-") and len(issued["client_secret"]) >= 40
    listed = _cli(tmp_path, "outbound", "recipients", "list", "--instance", "acme-ca", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [r["client_id"] for r in rows] == [issued["client_id"]]
    assert issued["client_secret"] not in listed.stdout
    assert rows[0]["contacts"] == [{"email": "ops@acme.example"}]
    rotated = _cli(tmp_path, "outbound", "recipients", "rotate", issued["client_id"], "--instance", "acme-ca",
                   "--json")  # fmt: skip
    assert rotated.exit_code == 0, rotated.output
    assert json.loads(rotated.stdout)["client_secret"] != issued["client_secret"]
    # User errors: one line, exit 1, no traceback.
    bad = _cli(tmp_path, "outbound", "recipients", "create", "--instance", "acme-ca", "--name", "X",
               "--redirect-uri", "http://acme.example/cb")  # fmt: skip
    assert bad.exit_code == 1 and "must use https" in bad.stderr and "Traceback" not in bad.output
    unknown = _cli(tmp_path, "outbound", "recipients", "rotate", "dc-nope", "--instance", "acme-ca")
    assert unknown.exit_code == 1 and "has no recipient" in unknown.stderr
    store = Store(_store_url(tmp_path))
    try:
        with store.read() as db:
            assert db.scalars(select(tables.Recipient.client_id)).all() == [issued["client_id"]]
    finally:
        store.dispose()


def _store_url(tmp_path: Path) -> str:
    from finstance.instances.directory import Directory

    return Directory(tmp_path).get("acme-ca").store_url
