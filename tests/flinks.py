"""A thin Flinks client for tests: the calls a real integrator makes, over any httpx client."""

from __future__ import annotations

from typing import Any

import httpx

from finstance.core.country import Country
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY
from finstance.sandbox import bank

PREFIX = f"/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices"


class Flinks:
    def __init__(
        self,
        http: httpx.AsyncClient,
        customer_id: str = TOOLBOX_CUSTOMER_ID,
        secret_key: str = TOOLBOX_SECRET_KEY,
        api_key: str = TOOLBOX_API_KEY,
        country: Country = Country.CA,
    ) -> None:
        self.http = http
        self.country = country
        self.prefix = f"/v3/{customer_id}/BankingServices"
        self.secret_key = secret_key
        self.api_key = api_key

    async def post(self, endpoint: str, body: Any = None, **headers: str) -> httpx.Response:
        return await self.http.post(f"{self.prefix}/{endpoint}", json=body, headers=headers)

    async def token(self) -> str:
        response = await self.post("GenerateAuthorizeToken", None, **{"flinks-auth-key": self.secret_key})
        assert response.status_code == 200, response.text
        token: str = response.json()["Token"]
        return token

    async def authorize(self, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        token = token or await self.token()
        return await self.post("Authorize", body, **{"flinks-auth-key": token})

    async def live(self, username: str, password: str = "Everyday", **extra: Any) -> httpx.Response:
        body = {
            "Institution": "FlinksCapital",
            "Username": username,
            "Password": password,
            "MostRecentCached": False,
            "Save": True,
            **extra,
        }
        return await self.authorize(body)

    async def answer(self, challenge: httpx.Response, token: str, *, wrong: bool = False) -> httpx.Response:
        """Answer every prompt of a 203 with the sandbox bank's answers."""
        body = challenge.json()
        responses = {}
        for c in body["SecurityChallenges"]:
            expected = bank.expected_answer(c["Prompt"], self.country, "en") or ""
            responses[c["Prompt"]] = ["nope" if wrong else expected]
        return await self.authorize({"RequestId": body["RequestId"], "SecurityResponses": responses}, token)

    async def connect(self, username: str = "Greatday", **extra: Any) -> dict[str, Any]:
        """A full live connection, answering every challenge. Returns the final 200 body."""
        token = await self.token()
        body = {
            "Institution": "FlinksCapital",
            "Username": username,
            "Password": "Everyday",
            "MostRecentCached": False,
            "Save": True,
            **extra,
        }
        response = await self.authorize(body, token)
        while response.status_code == 203:
            response = await self.answer(response, token)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def cached(self, login_id: str) -> httpx.Response:
        return await self.authorize({"LoginId": login_id, "MostRecentCached": True})

    async def data(self, endpoint: str, body: dict[str, Any]) -> httpx.Response:
        return await self.post(endpoint, body, **{"x-api-key": self.api_key})

    async def poll(self, endpoint: str, request_id: str) -> httpx.Response:
        return await self.http.get(
            f"{self.prefix}/{endpoint}/{request_id}", headers={"x-api-key": self.api_key}
        )
