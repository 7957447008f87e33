"""Enrich over HTTP: a connected login with a RequestId whose GetAccountsDetail was called."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from finstance.core.clock import ManualClock
from tests.flinks import Flinks


@dataclass
class Card:
    flinks: Flinks
    login_id: str
    request_id: str
    detail: dict[str, Any]  # the GetAccountsDetail answer (Days365)

    @property
    def root(self) -> str:
        return self.flinks.prefix.removesuffix("/BankingServices")

    async def attributes(self, package: str, detail: bool = False, **headers: str) -> httpx.Response:
        url = f"{self.root}/insight/login/{self.login_id}/attributes/{self.request_id}/{package}"
        params = {"attributesDetail": "true"} if detail else None
        return await self.flinks.http.get(
            url, params=params, headers={"x-api-key": self.flinks.api_key, **headers}
        )

    async def custom(self, body: Any, **headers: str) -> httpx.Response:
        url = f"{self.root}/insight/login/{self.login_id}/attributes/{self.request_id}"
        return await self.flinks.http.post(
            url, json=body, headers={"x-api-key": self.flinks.api_key, **headers}
        )

    async def categorization(self, explain: bool = False) -> httpx.Response:
        url = f"{self.root}/categorization/login/{self.login_id}/requestid/{self.request_id}"
        params = {"explain": "true"} if explain else None
        return await self.flinks.http.get(url, params=params, headers={"x-api-key": self.flinks.api_key})


async def connected_card(flinks: Flinks, clock: ManualClock, username: str = "greatday_nomfa") -> Card:
    """Connect ``username``, let its aggregation finish, then a cached Authorize and its GetAccountsDetail
    (a year of transactions), as Flinks' Enrich flow has it."""
    session = await flinks.connect(username)
    login_id = session["Login"]["Id"]
    clock.advance(5)
    first = await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})
    assert first.status_code == 200, first.text
    cached = await flinks.cached(login_id)
    assert cached.status_code == 200, cached.text
    request_id = cached.json()["RequestId"]
    detail = await flinks.data(
        "GetAccountsDetail", {"RequestId": request_id, "DaysOfTransactions": "Days365"}
    )
    assert detail.status_code == 200, detail.text
    return Card(flinks, login_id, request_id, detail.json())
