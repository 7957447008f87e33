"""API clients (Pay, Upload): client credentials per instance and product, Bearer tokens bound to both, kept
only as hashes, revoked by rotation, spent once, counted against the rate limits."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from finstance.app import products_of
from finstance.cli import app
from finstance.core import clients, errors
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import InstanceSpec, Settings, sqlite_url, toolbox_spec
from finstance.core.store import Store, tables
from tests.conftest import us_spec

LIFETIME = timedelta(seconds=599)


def _context(spec: InstanceSpec, clock: ManualClock, settings: Settings | None = None) -> InstanceContext:
    store = Store(spec.store_url)
    store.migrate()
    return InstanceContext(
        spec, store, clock, settings or Settings(run_worker=False), products=products_of(spec)
    )


@pytest.fixture
def ca(store_url: str, clock: ManualClock) -> Iterator[InstanceContext]:
    ctx = _context(toolbox_spec(store_url), clock)
    yield ctx
    ctx.store.dispose()


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_a_token_authenticates_only_its_product_until_it_expires(
    ca: InstanceContext, clock: ManualClock
) -> None:
    issued = clients.create(ca, "pay", "Acme payments")
    grant = clients.issue_token(ca, "pay", issued.client_id, issued.client_secret, LIFETIME)
    assert grant.body() == {"access_token": grant.access_token, "token_type": "Bearer", "expires_in": 599}

    use = clients.authenticate(ca, "pay", f"Bearer {grant.access_token}")
    assert use.client_id == issued.client_id and not use.spent
    with pytest.raises(errors.Unauthorized):
        clients.authenticate(ca, "upload", f"Bearer {grant.access_token}")  # another product's API
    for header in (None, "", grant.access_token, f"Basic {grant.access_token}", "Bearer nope"):
        with pytest.raises(errors.Unauthorized):
            clients.authenticate(ca, "pay", header)

    clock.advance(LIFETIME - timedelta(seconds=1))
    clients.authenticate(ca, "pay", f"Bearer {grant.access_token}")
    clock.advance(timedelta(seconds=1))
    with pytest.raises(errors.Unauthorized):
        clients.authenticate(ca, "pay", f"Bearer {grant.access_token}")
    assert clients.prune(ca) == 1
    with ca.store.read() as db:
        assert db.scalars(select(tables.ApiToken)).all() == []


def test_secrets_and_tokens_are_kept_only_as_hashes(ca: InstanceContext) -> None:
    issued = clients.create(ca, "upload")
    grant = clients.issue_token(ca, "upload", issued.client_id, issued.client_secret, LIFETIME)
    with ca.store.read() as db:
        stored = [
            [str(getattr(row, column.key)) for column in type(row).__table__.columns]
            for row in [*db.scalars(select(tables.ApiClient)), *db.scalars(select(tables.ApiToken))]
        ]
    dumped = json.dumps(stored)
    assert issued.client_id in dumped
    assert issued.client_secret not in dumped and grant.access_token not in dumped


def test_wrong_credentials_are_refused_alike(ca: InstanceContext, store_url: str, clock: ManualClock) -> None:
    pay = clients.create(ca, "pay")
    upload = clients.create(ca, "upload")
    # Even were another instance's client in this store, its id (minted with that instance's tag) is refused.
    us = _context(us_spec(store_url), clock)
    try:
        foreign = clients.create(us, "upload")
    finally:
        us.store.dispose()
    attempts = [
        (pay.client_id, pay.client_secret + "0"),  # wrong secret
        (pay.client_id, upload.client_secret),  # another client's secret
        (upload.client_id, upload.client_secret),  # a client of another product
        (foreign.client_id, foreign.client_secret),  # a client of another instance
        ("not-a-guid", "x"),
    ]
    for client_id, secret in attempts:
        with pytest.raises(errors.Unauthorized) as refused:
            clients.issue_token(ca, "pay", client_id, secret, LIFETIME)
        assert refused.value.body() == {
            "HttpStatusCode": 401,
            "FlinksCode": "UNAUTHORIZED",
            "Message": "The client credentials are not valid for this instance.",
        }
    with ca.store.read() as db:
        assert db.scalars(select(tables.ApiToken)).all() == []


def test_rotation_revokes_the_old_secret_and_its_tokens(ca: InstanceContext) -> None:
    issued = clients.create(ca, "pay")
    grant = clients.issue_token(ca, "pay", issued.client_id, issued.client_secret, LIFETIME)
    rotated = clients.rotate(ca, "pay", issued.client_id)
    assert rotated.client_id == issued.client_id and rotated.client_secret != issued.client_secret
    with pytest.raises(errors.Unauthorized):
        clients.authenticate(ca, "pay", f"Bearer {grant.access_token}")
    with pytest.raises(errors.Unauthorized):
        clients.issue_token(ca, "pay", issued.client_id, issued.client_secret, LIFETIME)
    clients.issue_token(ca, "pay", issued.client_id, rotated.client_secret, LIFETIME)
    with pytest.raises(clients.ClientError, match="has no upload client"):
        clients.rotate(ca, "upload", issued.client_id)
    assert [(c.client_id, c.product) for c in clients.listed(ca)] == [(issued.client_id, "pay")]
    assert clients.listed(ca, "upload") == []


def test_a_token_is_spent_once(ca: InstanceContext) -> None:
    issued = clients.create(ca, "pay")
    grant = clients.issue_token(ca, "pay", issued.client_id, issued.client_secret, LIFETIME)
    use = clients.authenticate(ca, "pay", f"Bearer {grant.access_token}")
    with ca.store.write() as db:
        assert clients.spend(db, use.token_id) is True
    with ca.store.write() as db:
        assert clients.spend(db, use.token_id) is False
    assert clients.authenticate(ca, "pay", f"Bearer {grant.access_token}").spent


def test_wrong_secrets_lock_the_token_endpoint_for_the_window(store_url: str, clock: ManualClock) -> None:
    ctx = _context(toolbox_spec(store_url), clock, Settings(run_worker=False, bad_secret_rate=3))
    try:
        issued = clients.create(ctx, "pay")
        for _ in range(3):
            with pytest.raises(errors.Unauthorized):
                clients.issue_token(ctx, "pay", issued.client_id, "wrong", LIFETIME)
        with pytest.raises(errors.TooManyRequests) as throttled:
            clients.issue_token(ctx, "pay", issued.client_id, issued.client_secret, LIFETIME)
        assert int(throttled.value.headers["Retry-After"]) >= 1
        clock.advance(ctx.settings.rate_window)
        clients.issue_token(ctx, "pay", issued.client_id, issued.client_secret, LIFETIME)
    finally:
        ctx.store.dispose()


def test_tokens_past_the_rate_are_refused_and_none_is_stored(store_url: str, clock: ManualClock) -> None:
    ctx = _context(toolbox_spec(store_url), clock, Settings(run_worker=False, token_rate=2))
    try:
        issued = clients.create(ctx, "pay")
        granted = [clients.issue_token(ctx, "pay", issued.client_id, issued.client_secret, LIFETIME)
                   for _ in range(2)]  # fmt: skip
        with pytest.raises(errors.TooManyRequests):
            clients.issue_token(ctx, "pay", issued.client_id, issued.client_secret, LIFETIME)
        with ctx.store.read() as db:
            assert db.scalar(select(func.count()).select_from(tables.ApiToken)) == len(granted)
        clock.advance(ctx.settings.rate_window)
        clients.issue_token(ctx, "pay", issued.client_id, issued.client_secret, LIFETIME)
    finally:
        ctx.store.dispose()


def test_a_product_the_instance_does_not_serve_gets_no_client(tmp_path: Path, clock: ManualClock) -> None:
    us = _context(us_spec(sqlite_url(tmp_path / "us.db")), clock)
    try:
        with pytest.raises(clients.ClientError, match="does not serve the product 'pay'"):
            clients.create(us, "pay")
        with pytest.raises(clients.ClientError):
            clients.create(us, "connect-nope")
    finally:
        us.store.dispose()


@pytest.mark.parametrize(
    ("authorization", "form", "expected"),
    [
        (_basic("id-1", "s:e:c"), {}, ("id-1", "s:e:c")),
        (
            "basic " + base64.b64encode(b"id-1:sec").decode(),
            {"client_id": "x", "client_secret": "y"},
            ("id-1", "sec"),
        ),
        (None, {"client_id": "id-2", "client_secret": "sec2"}, ("id-2", "sec2")),
        (
            None,
            {"grant_type": "client_credentials", "Username": "id-3", "Password": "sec3"},
            ("id-3", "sec3"),
        ),
        ("Basic !!!", {}, None),
        (_basic("only-id", ""), {}, None),
        ("Basic " + base64.b64encode(b"\xff\xfe:x").decode(), {}, None),
        (None, {"client_id": "id-4"}, None),
        ("Bearer abc", {}, None),
    ],
)
def test_the_credentials_a_token_request_presents(
    authorization: str | None, form: dict[str, str], expected: tuple[str, str] | None
) -> None:
    assert clients.presented(authorization, form) == expected


def _cli(tmp_path: Path, *args: str) -> Any:
    return CliRunner().invoke(app, [*args, "--data-dir", str(tmp_path)])


def test_the_cli_creates_lists_and_rotates_clients(tmp_path: Path, clock: ManualClock) -> None:
    assert _cli(tmp_path, "instances", "create", "--company", "acme", "--country", "CA").exit_code == 0
    created = _cli(tmp_path, "clients", "create", "--instance", "acme-ca", "--product", "pay",
                   "--name", "Ops", "--json")  # fmt: skip
    assert created.exit_code == 0, created.output
    issued = json.loads(created.stdout)
    assert issued["product"] == "pay" and issued["name"] == "Ops" and len(issued["client_secret"]) == 64

    listed = _cli(tmp_path, "clients", "list", "--instance", "acme-ca", "--json")
    assert listed.exit_code == 0, listed.output
    assert [(r["client_id"], r["product"]) for r in json.loads(listed.stdout)] == [
        (issued["client_id"], "pay")
    ]
    assert issued["client_secret"] not in listed.stdout

    rotated = _cli(tmp_path, "clients", "rotate", issued["client_id"], "--instance", "acme-ca", "--product",
                   "pay", "--json")  # fmt: skip
    assert rotated.exit_code == 0, rotated.output
    new_secret = json.loads(rotated.stdout)["client_secret"]
    assert new_secret != issued["client_secret"]

    from finstance.instances.directory import Directory

    entry = Directory(tmp_path).get("acme-ca")
    ctx = _context(entry.spec(), clock)
    try:
        clients.issue_token(ctx, "pay", issued["client_id"], new_secret, LIFETIME)
    finally:
        ctx.store.dispose()

    unknown = _cli(tmp_path, "clients", "rotate", issued["client_id"], "--instance", "acme-ca", "--product",
                   "upload")  # fmt: skip
    assert (
        unknown.exit_code == 1
        and "has no upload client" in unknown.stderr
        and "Traceback" not in unknown.output
    )
    assert _cli(tmp_path, "instances", "create", "--company", "acme", "--country", "US").exit_code == 0
    refused = _cli(tmp_path, "clients", "create", "--instance", "acme-us", "--product", "pay")
    assert refused.exit_code == 1 and "does not serve the product 'pay'" in refused.stderr
