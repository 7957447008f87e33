"""The SDK's Pay client, sync and async, against the real apps: a token per session, idempotent creates,
the sandbox payor, status, details and cancel; a U.S. instance has no Pay client."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from finstance.client import (
    AsyncFlinksClient,
    FlinksClient,
    InstanceConfig,
    InvalidRequestError,
    NotFoundError,
    UnauthorizedError,
)
from finstance.core import clients, webhooks
from finstance.core.context import InstanceContext
from tests.client.test_upload import sync_toolbox as sync_toolbox
from tests.pay.test_eft import JANE, debit
from tests.pay.test_sessions import GEFT
from tests.pay.test_widget import Browser, through
from tests.upload.api import context


async def test_async_pay_sessions_end_to_end(
    toolbox_client: AsyncFlinksClient, toolbox: httpx.AsyncClient
) -> None:
    issued = clients.create(context(toolbox), "pay", "sdk")
    pay = toolbox_client.pay(issued.client_id, issued.client_secret)
    first = await pay.create_session(GEFT, idempotency_key="order-7")
    again = await pay.create_session(GEFT, idempotency_key="order-7")  # a new token; the same session
    assert again.session_id == first.session_id and first.reference_id == "USER12345"
    with pytest.raises(InvalidRequestError, match="another body"):
        await pay.create_session(GEFT, idempotency_key="order-7", amount=12)
    status = await pay.status(first.session_id)
    assert (status.status, status.status_details, status.amount) == ("Initiated", "EFT0101", 250.5)
    ended = await pay.sandbox_payor(first.session_id, "Unhappy1")
    assert (ended.status, ended.status_details) == ("Failed", "EFT0402")
    details = await pay.details(first.session_id)
    assert (
        details.type == "EFT" and details.step["current"] == "Complete" and details.payor["lastName"] == "Doe"
    )
    payor = {"firstName": "John", "lastName": "Doe", "email": "j@example.ca"}
    other = await pay.create_session(type="e-Transfer", direction="DEBIT", amount=40, payor=payor)
    cancelled = await pay.cancel(other.session_id)
    assert (cancelled.status, cancelled.status_details) == ("Canceled", "EFT0501")
    with pytest.raises(NotFoundError):
        await pay.status("0f8fad5b-d9cb-469f-a165-70867728950e")
    with pytest.raises(UnauthorizedError):
        await toolbox_client.pay(issued.client_id, "wrong").create_session(GEFT)
    # With a webhook endpoint, the payor's guarantee waits for the client's confirmation.
    webhooks.add_endpoint(context(toolbox), "http://127.0.0.1:9/hook")
    guaranteed = await pay.create_session(GEFT)
    await through(Browser(toolbox, guaranteed.session_id), "Happy1")
    assert (await pay.details(guaranteed.session_id)).step["current"] == "Confirmation"
    confirmed = await pay.confirm_guarantee(guaranteed.session_id, False)
    assert (confirmed.status, confirmed.status_details) == ("Failed", "EFT0402")
    with pytest.raises(InvalidRequestError, match="no guarantee waiting"):
        await pay.confirm_guarantee(guaranteed.session_id, True)


def test_sync_pay_and_no_pay_on_a_us_instance(
    sync_toolbox: tuple[httpx.Client, InstanceContext],
    toolbox_config: InstanceConfig,
    us_config: InstanceConfig,
) -> None:
    http, ctx = sync_toolbox
    issued = clients.create(ctx, "pay")
    with FlinksClient(toolbox_config, http_client=http) as client:
        pay = client.pay(issued.client_id, issued.client_secret)
        created = pay.create_session(GEFT)
        assert pay.sandbox_payor(created.session_id, "Happy1").status_details == "EFT0301"
        assert pay.status(created.session_id).status == "Completed"
        # The test clock starts before the cut-off of Thursday 15 January 2026 (13:00 in Toronto).
        moved = pay.sandbox_advance_clock(datetime(2026, 1, 15, 18, 0, tzinfo=UTC))
        [filed] = moved.files
        assert (filed.file_date, filed.debits.count, filed.debits.total) == ("2026-01-15", 1, 25050)
        assert [f.file_date for f in pay.settlement_files().files] == ["2026-01-15"]
        content = pay.settlement_file(date(2026, 1, 15))
        assert content.startswith(b"A000000001") and content.count(b"\r\n") == 3
        with pytest.raises(NotFoundError):
            pay.settlement_file("2026-01-16")
        assert pay.sandbox_advance_clock(days=1).files == []
        returned = pay.sandbox_simulate(created.session_id, "return", return_code="905")
        assert (returned.payment_status, returned.payment_status_details) == ("Returned", "905")
        with pytest.raises(InvalidRequestError, match="only moves forward"):
            pay.sandbox_advance_clock("2026-01-01T00:00:00Z")
    with FlinksClient(us_config) as us, pytest.raises(ValueError, match="Canadian instances only"):
        us.pay(issued.client_id, issued.client_secret)


def test_sync_eft_v1_debit_from_transaction_to_settlement(
    sync_toolbox: tuple[httpx.Client, InstanceContext], toolbox_config: InstanceConfig
) -> None:
    http, ctx = sync_toolbox
    issued = clients.create(ctx, "pay")
    with FlinksClient(toolbox_config, http_client=http) as client:
        pay = client.pay(issued.client_id, issued.client_secret)
        codes = {c.value for category in pay.purpose_categories("Debit") for c in category.purpose_codes}
        assert 430 in codes
        assert "777" in {i.institution_code for i in pay.eft_institutions().institutions}
        [body] = debit(
            scheduleInfo={"paymentFrequency": "Weekly", "startDate": "2026-01-16", "transactionsCount": 2}
        )
        created = pay.create_transaction(body, idempotency_key="inv-1")
        assert pay.create_transaction(body, idempotency_key="inv-1").id == created.id
        assert (created.pad_status, created.payor.name, created.frequency) == (
            "Pending",
            "Jane Doe",
            "Weekly",
        )
        assert created.pad_id is not None and created.payor.contact_id is not None
        pad = pay.pad(created.pad_id)
        assert pad.status == "Pending" and pad.pad_link.endswith(f"/pay/pad/{created.pad_id}")
        contact = pay.contact(created.payor.contact_id)
        assert [a.id for a in contact.accounts.eft_accounts] == [created.payor.account_id]
        signed = http.post(pad.pad_link, data={"agreement": "yes"})
        assert signed.status_code == 200
        first, second = pay.schedule(created.id).payments
        assert pay.payment_request(first.request_id).status == "Processing"
        assert pay.cancel_payment_request(second.request_id).status == "Cancelled"
        pay.sandbox_advance_clock(datetime(2026, 1, 19, 5, 1, tzinfo=UTC))  # Monday: Friday's file settled
        settled = pay.payment_request(first.request_id)
        assert (settled.status, settled.eft_status, settled.file_date) == ("Settled", "Settled", "2026-01-16")
        returned = pay.sandbox_return_payment(first.request_id, "901")
        assert (returned.status, returned.status_details) == ("Returned", "901")
        assert pay.schedule(created.id).status == "Completed"
        with pytest.raises(InvalidRequestError, match="no payment left"):
            pay.cancel_schedule(created.id)
        with pytest.raises(NotFoundError):
            pay.schedule("00000000-0000-0000-0000-000000000000")


async def test_async_eft_v1_credit_and_a_cancelled_schedule(
    toolbox_client: AsyncFlinksClient, toolbox: httpx.AsyncClient
) -> None:
    issued = clients.create(context(toolbox), "pay", "sdk")
    pay = toolbox_client.pay(issued.client_id, issued.client_secret)
    [credit] = debit(
        start=date(2026, 1, 15), paymentDirection="CREDIT", transactionCode=200, payor=None, payee=JANE
    )
    sent = await pay.create_transaction(credit)
    assert (sent.pad_id, sent.payment_direction, sent.payee.name) == (None, "CREDIT", "Jane Doe")
    [payment] = (await pay.schedule(sent.id)).payments
    assert (await pay.payment_request(payment.request_id)).status == "Accepted"
    assert {c.value for c in (await pay.purpose_categories("Credit"))[0].purpose_codes} == {200}
    assert (await pay.eft_institutions()).institutions
    [monthly] = debit(
        scheduleInfo={"paymentFrequency": "Monthly", "startDate": "2026-02-01", "transactionsCount": 2}
    )
    created = await pay.create_transaction(monthly)
    await pay.cancel_schedule(created.id)
    schedule = await pay.schedule(created.id)
    assert (schedule.status, [p.status for p in schedule.payments]) == (
        "Cancelled",
        ["Cancelled", "Cancelled"],
    )
    assert created.pad_id is not None and (await pay.pad(created.pad_id)).status == "Cancelled"
    assert created.payor.contact_id is not None
    assert (await pay.contact(created.payor.contact_id)).contact_type == "Individual"
    with pytest.raises(InvalidRequestError, match="no payment left"):
        await pay.cancel_schedule(created.id)
    with pytest.raises(NotFoundError):
        await pay.payment_request("00000000-0000-0000-0000-000000000000")
