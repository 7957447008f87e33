"""Upload's API as an integrator calls it: an API client's token, then the files, then the worker's read."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from finstance.core import clients, jobs
from finstance.core.context import InstanceContext
from finstance.core.instance import TOOLBOX_CUSTOMER_ID


def context(http: httpx.AsyncClient) -> InstanceContext:
    ctx: InstanceContext = http._transport.app.state.ctx  # type: ignore[attr-defined]
    return ctx


class UploadApi:
    def __init__(self, http: httpx.AsyncClient, customer_id: str = TOOLBOX_CUSTOMER_ID) -> None:
        self.http = http
        self.prefix = f"/v3/{customer_id}/upload"
        self.issued = clients.create(context(http), "upload", "tests")
        self.bearer = ""

    async def token(self) -> str:
        response = await self.http.post(
            f"{self.prefix}/api/v1/token",
            auth=(self.issued.client_id, self.issued.client_secret),
            data={"grant_type": "client_credentials"},
        )
        assert response.status_code == 200, response.text
        self.bearer = response.json()["access_token"]
        return self.bearer

    async def send(self, *files: tuple[str, bytes], **form: str) -> httpx.Response:
        if not self.bearer:
            await self.token()
        return await self.http.post(
            f"{self.prefix}/api/v1/uploads",
            headers={"Authorization": f"Bearer {self.bearer}"},
            files=[("files", (name, content, "application/octet-stream")) for name, content in files],
            data=form,
        )

    async def state(self, upload_id: str) -> httpx.Response:
        return await self.http.get(
            f"{self.prefix}/api/v1/uploads/{upload_id}", headers={"Authorization": f"Bearer {self.bearer}"}
        )

    async def read(self, *files: tuple[str, bytes]) -> dict[str, Any]:
        """Send ``files``, let the worker read them, and return the upload's final state."""
        sent = await self.send(*files)
        assert sent.status_code == 202, sent.text
        assert jobs.run_due(context(self.http)) >= 1
        done = await self.state(sent.json()["UploadId"])
        assert done.status_code == 200, done.text
        body: dict[str, Any] = done.json()
        return body

    async def fraud(self, login_id: str, secret_key: str) -> httpx.Response:
        return await self.http.get(
            f"{self.prefix}/fraudanalysis/{login_id}", headers={"Authorization": f"Bearer {secret_key}"}
        )


def rows(account: dict[str, Any]) -> list[tuple[object, ...]]:
    """A GetAccountsDetail account's transactions as (date, description, debit, credit, balance) in cents."""

    def cents(value: float | None) -> int | None:
        return None if value is None else round(value * 100)

    return [
        (
            date.fromisoformat(t["Date"]),
            t["Description"],
            cents(t["Debit"]),
            cents(t["Credit"]),
            cents(t["Balance"]),
        )
        for t in account["Transactions"]
    ]
