"""/healthz, /readyz and /metrics of an instance, and what a store outage looks like to a client."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from finstance.app import create_app
from finstance.connect import tokens
from finstance.core.clock import ManualClock
from finstance.core.http.observability import endpoint_of
from finstance.core.instance import toolbox_spec
from finstance.core.store import Store, tables
from tests.conftest import PG_URL, TEST_SETTINGS, PostgresDatabases
from tests.flinks import Flinks


def metric(body: str, name: str, **labels: str) -> float:
    """The value of one sample of the Prometheus text; fails when the sample is absent."""
    for line in body.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line[line.index("{") : line.index("}")]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name} {labels} in\n{body}")


async def test_health_and_readiness_answer_with_the_instance(toolbox: httpx.AsyncClient) -> None:
    alive = await toolbox.get("/healthz")
    assert alive.status_code == 200 and alive.json()["Status"] == "alive"
    ready = await toolbox.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {
        "HttpStatusCode": 200,
        "Status": "ready",
        "Instance": "toolbox",
    }


async def test_metrics_count_requests_errors_by_flinks_code_and_queue_depths(
    toolbox: httpx.AsyncClient,
) -> None:
    flinks = Flinks(toolbox)
    wrong = await flinks.live("greatday_nomfa", "not-the-password")
    assert wrong.status_code == 401
    connected = await flinks.live("greatday_nomfa")
    assert connected.status_code == 200
    pending = await flinks.data("GetAccountsDetail", {"RequestId": connected.json()["RequestId"]})
    assert pending.status_code == 202
    scraped = await toolbox.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
    body = scraped.text
    assert metric(body, "finstance_requests_total", endpoint="Authorize", status="401") == 1
    assert metric(body, "finstance_requests_total", endpoint="Authorize", status="200") == 1
    assert metric(body, "finstance_requests_total", endpoint="GenerateAuthorizeToken", status="200") == 2
    assert metric(body, "finstance_errors_total", flinks_code="INVALID_PASSWORD") == 1
    assert metric(body, "finstance_errors_total", flinks_code="OPERATION_PENDING") == 1
    assert metric(body, "finstance_jobs", instance="toolbox", status="pending") == 1
    assert metric(body, "finstance_webhook_deliveries", status="failed") == 0
    authorize = metric(body, "finstance_request_duration_seconds_count", endpoint="Authorize")
    assert authorize == 2
    assert metric(body, "finstance_request_duration_seconds_bucket", endpoint="Authorize", le="+Inf") == 2
    # Identifiers never become labels: a path with a RequestId is counted under its endpoint.
    assert connected.json()["RequestId"] not in body


def test_paths_map_to_a_bounded_set_of_endpoint_labels() -> None:
    cid = "43387ca6-0391-4c82-857d-70d95f087ecb"
    assert endpoint_of(f"/v3/{cid}/BankingServices/GetAccountsDetailAsync/abc") == "GetAccountsDetailAsync"
    assert endpoint_of(f"/v3/{cid}/BankingServices/{'x' * 200}") == "unknown"
    assert endpoint_of(f"/v3/{cid}/BankingServices/..%2f..") == "unknown"
    assert endpoint_of("/v2/flow/123") == "connect"
    assert endpoint_of("/etc/passwd") == "other"


async def test_an_unreachable_store_answers_503_retry_later_not_500(
    toolbox: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_: object, **__: object) -> str:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(tokens, "generate", down)
    response = await Flinks(toolbox).post("GenerateAuthorizeToken", None, **{"flinks-auth-key": "x"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json() == {
        "HttpStatusCode": 503,
        "FlinksCode": "RETRY_LATER",
        "Message": "The service is briefly unavailable. Please retry in a moment.",
    }
    assert (
        metric((await toolbox.get("/metrics")).text, "finstance_errors_total", flinks_code="RETRY_LATER") == 1
    )


async def test_readiness_fails_when_the_store_carries_another_stamp(
    toolbox: httpx.AsyncClient, store_url: str
) -> None:
    store = Store(store_url)
    try:
        with store.write() as db:
            db.execute(update(tables.ResidencyStamp).values(instance_name="someone-else"))
    finally:
        store.dispose()
    response = await toolbox.get("/readyz")
    assert response.status_code == 503
    assert response.json()["FlinksCode"] == "RETRY_LATER"
    assert "stamp" in response.json()["Message"]
    assert (await toolbox.get("/healthz")).status_code == 200  # alive, but not ready


@pytest.fixture
async def doomed_postgres(postgres: PostgresDatabases | None) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    assert postgres is not None
    name = postgres.create()
    app = create_app(toolbox_spec(postgres.url(name)), TEST_SETTINGS, ManualClock())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toolbox.test") as client:
            yield client, name
    postgres.drop(name)


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs FINSTANCE_TEST_POSTGRES_URL")
async def test_a_database_that_goes_away_makes_the_instance_unready_and_calls_fail_cleanly(
    doomed_postgres: tuple[httpx.AsyncClient, str],
) -> None:
    client, name = doomed_postgres
    flinks = Flinks(client)
    assert (await flinks.live("greatday_nomfa")).status_code == 200
    assert PG_URL is not None
    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
    ready = await client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["FlinksCode"] == "RETRY_LATER"
    call = await flinks.post("GenerateAuthorizeToken", None, **{"flinks-auth-key": flinks.secret_key})
    assert call.status_code == 503, call.text
    assert call.json()["FlinksCode"] == "RETRY_LATER" and call.headers["retry-after"] == "1"
