"""Shared steps of the residency tests: real flows on one instance, and the values they produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.sandbox import bank
from tests.flinks import Flinks

LIVE = {"Institution": "FlinksCapital", "Password": "Everyday", "MostRecentCached": False, "Save": True}


IDENTIFYING = {"Id", "LoginId", "RequestId", "AccountId", "UniqueId", "AccountNumber", "RoutingNumber"}


@dataclass
class Produced:
    """What instance A handed out: identifiers, and the personal data behind them."""

    login_id: str = ""
    request_id: str = ""  # a live, authorized RequestId whose aggregation completed
    pending_request_id: str = ""  # a RequestId waiting on its 203 challenge
    pending_token: str = ""  # the authorize token that opened the pending session
    prompt: str = ""
    answer: str = ""
    values: set[str] = field(default_factory=set)  # every value worth looking for elsewhere
    personal: set[str] = field(default_factory=set)  # holder name, email, phone, address; account numbers


class RecordingFlinks(Flinks):
    """A client that remembers every authorize token it was given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.minted: list[str] = []

    async def token(self) -> str:
        token = await super().token()
        self.minted.append(token)
        return token


async def challenge(flinks: Flinks, username: str = "Greatday") -> tuple[httpx.Response, str]:
    token = await flinks.token()
    response = await flinks.authorize({**LIVE, "Username": username}, token)
    assert response.status_code == 203, response.text
    return response, token


def collect(produced: Produced, body: Any) -> None:
    """Every identifier and personal datum found in a response body."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in IDENTIFYING and isinstance(value, str) and len(value) >= 7:
                produced.values.add(value)
                if key == "AccountNumber":
                    produced.personal.add(value)
            if key == "Holder" and isinstance(value, dict):
                found = [value[k] for k in ("Name", "Email", "PhoneNumber")]
                found += [value["Address"]["CivicAddress"], value["Address"]["PostalCode"]]
                produced.values.update(found)
                produced.personal.update(found)
            collect(produced, value)
    elif isinstance(body, list):
        for item in body:
            collect(produced, item)


async def connect_and_aggregate(flinks: Flinks, clock: ManualClock) -> Produced:
    """Greatday through MFA, aggregated; a second live session left pending on its challenge."""
    produced = Produced()
    first, token = await challenge(flinks)
    done = await flinks.answer(first, token)
    assert done.status_code == 200, done.text
    produced.login_id, produced.request_id = done.json()["Login"]["Id"], done.json()["RequestId"]
    clock.advance(5)
    summary = await flinks.data("GetAccountsSummary", {"RequestId": produced.request_id})
    assert summary.status_code == 200, summary.text
    detail = await flinks.data("GetAccountsDetail", {"RequestId": produced.request_id})
    assert detail.status_code == 200, detail.text  # Enrich reads with a RequestId that called it
    collect(produced, done.json())
    collect(produced, summary.json())
    collect(produced, detail.json())
    pending, produced.pending_token = await challenge(flinks)
    produced.pending_request_id = pending.json()["RequestId"]
    produced.prompt = pending.json()["SecurityChallenges"][0]["Prompt"]
    produced.answer = bank.expected_answer(produced.prompt, flinks.country, "en") or ""
    produced.values |= {produced.pending_request_id, produced.login_id, produced.request_id}
    return produced


async def full_flows(flinks: Flinks, clock: ManualClock) -> Produced:
    """Everything an integrator does on one instance; returns every value the instance produced."""
    produced = await connect_and_aggregate(flinks, clock)
    rid, api = produced.request_id, {"x-api-key": flinks.api_key}
    detail = await flinks.data(
        "GetAccountsDetail",
        {"RequestId": rid, "WithKYC": True, "WithAccountIdentity": True, "DaysOfTransactions": "Days365"},
    )
    assert detail.status_code == 200, detail.text
    collect(produced, detail.json())
    if flinks.country is Country.CA:
        statements = await flinks.data("GetStatements", {"RequestId": rid, "NumberOfStatements": "Months3"})
        assert statements.status_code == 200, statements.text
        collect(produced, statements.json())
        answers = {
            "LoginId": produced.login_id,
            "Questions": [{"Question": q, "Answer": a} for q, a in bank.CA_QUESTIONS.items()],
        }
        stored = await flinks.http.patch(f"{flinks.prefix}/AnswerMFAQuestions", json=answers, headers=api)
        assert stored.status_code == 200, stored.text
        questions = await flinks.http.get(f"{flinks.prefix}/GetMFAQuestions/{produced.login_id}", headers=api)
        assert questions.status_code == 200, questions.text
    for on in (True, False):
        toggle = {"LoginId": produced.login_id, "IsActivated": on}
        refresh = await flinks.http.patch(f"{flinks.prefix}/SetScheduledRefresh", json=toggle, headers=api)
        assert refresh.status_code == 200, refresh.text
    cached = await flinks.cached(produced.login_id)
    assert cached.status_code == 200, cached.text
    collect(produced, cached.json())
    summary = await flinks.data("GetAccountsSummary", {"RequestId": cached.json()["RequestId"]})
    assert summary.status_code == 200, summary.text
    collect(produced, summary.json())
    return produced
