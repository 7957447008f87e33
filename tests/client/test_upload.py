"""The SDK's Upload methods, sync and async, against the real apps: statements sent with an API client's
token, the upload's state followed until read, the login's data and FraudAnalysis typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from anyio.from_thread import start_blocking_portal

from finstance.app import create_app
from finstance.client import (
    AsyncFlinksClient,
    FlinksClient,
    InstanceConfig,
    UnauthorizedError,
    WrongInstanceLoginError,
)
from finstance.core import clients, jobs
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import toolbox_spec
from tests.client.conftest import PortalTransport
from tests.conftest import TEST_SETTINGS
from tests.upload.api import context
from tests.upload.layouts import us_signed_amount
from tests.upload.test_fraud import ORIGINAL, STATEMENT


async def test_async_upload_then_detail_and_fraud_analysis(
    toolbox_client: AsyncFlinksClient,
    toolbox: httpx.AsyncClient,
    us_config: InstanceConfig,
    tmp_path: Path,
) -> None:
    ctx = context(toolbox)
    issued = clients.create(ctx, "upload", "sdk")
    uploads = toolbox_client.uploads(issued.client_id, issued.client_secret)
    (tmp_path / "statement.pdf").write_bytes(ORIGINAL)
    sent = await uploads.send([tmp_path / "statement.pdf", ("notes.txt", b"hello")], language="fr")
    assert sent.status == "Pending" and [d.file_name for d in sent.documents] == [
        "statement.pdf",
        "notes.txt",
    ]
    assert sent.documents[1].status == "Rejected" and sent.documents[1].reason is not None
    assert jobs.run_due(ctx) == 1
    done = await uploads.wait(sent.upload_id, interval=0.01)
    assert done.status == "Completed" and done.documents[0].transactions == len(
        STATEMENT.content.transactions
    )
    again = await uploads.state(sent.upload_id)  # the same token, kept by the client
    assert again == done

    detail = await toolbox_client.fetch_accounts_detail(done.login_id)
    [account] = detail.accounts
    assert len(account.transactions) == len(STATEMENT.content.transactions)
    assert account.account_number == STATEMENT.content.account_number
    fraud = await toolbox_client.fraud_analysis(done.login_id)
    assert fraud.message == "No Fraud Signal Detected" and fraud.login.login_id == done.login_id
    assert [d.status for d in fraud.document_analysis] == ["Trust"]
    # Another instance's loginId is refused before anything is sent.
    async with AsyncFlinksClient(us_config) as us_client:
        with pytest.raises(WrongInstanceLoginError):
            await us_client.fraud_analysis(done.login_id)
    wrong = toolbox_client.uploads(issued.client_id, "not-the-secret")
    with pytest.raises(UnauthorizedError):
        await wrong.send([("statement.pdf", ORIGINAL)])


@pytest.fixture
def sync_toolbox(store_url: str, clock: ManualClock) -> Iterator[tuple[httpx.Client, InstanceContext]]:
    app = create_app(toolbox_spec(store_url), TEST_SETTINGS, clock)
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(app.router.lifespan_context(app)),
        httpx.Client(transport=PortalTransport(app, portal)) as http,
    ):
        yield http, app.state.ctx


def test_sync_upload_of_another_layout_and_its_fraud_analysis(
    sync_toolbox: tuple[httpx.Client, InstanceContext], toolbox_config: InstanceConfig
) -> None:
    http, ctx = sync_toolbox
    issued = clients.create(ctx, "upload")
    pdf, shown = us_signed_amount()
    with FlinksClient(toolbox_config, http_client=http) as client:
        uploads = client.uploads(issued.client_id, issued.client_secret)
        sent = uploads.send([("signed.pdf", pdf)])
        assert jobs.run_due(ctx) == 1
        done = uploads.wait(sent.upload_id, interval=0.01)
        assert done.status == "Completed"
        detail = client.fetch_accounts_detail(done.login_id)
        [account] = shown.accounts
        assert [round((t.debit or 0) * 100) for t in detail.accounts[0].transactions] == [
            r.debit_cents or 0 for r in account.rows
        ][::-1]
        assert client.fraud_analysis(done.login_id).document_analysis[0].status == "Trust"


async def test_enrich_reads_an_upload_login_like_any_other(
    toolbox_client: AsyncFlinksClient, toolbox: httpx.AsyncClient
) -> None:
    ctx = context(toolbox)
    uploads = toolbox_client.uploads(*_credentials(ctx))
    sent = await uploads.send([("statement.pdf", ORIGINAL)])
    done = await uploads.wait(sent.upload_id, interval=0.01)  # the state call reads it: no worker here
    assert done.status == "Completed"
    answer = await toolbox_client.fetch_attributes(done.login_id, "GetUserAnalysisAttributes")
    assert answer.card["Id"] == done.login_id
    categorized = await toolbox_client.fetch_categorization(done.login_id)
    assert len(categorized.transactions) == len(STATEMENT.content.transactions)
    assert all(t.category for t in categorized.transactions)


def _credentials(ctx: InstanceContext) -> tuple[str, str]:
    issued = clients.create(ctx, "upload")
    return issued.client_id, issued.client_secret
