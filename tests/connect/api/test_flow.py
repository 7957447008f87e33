"""The flow a client written for the real Flinks toolbox runs, end to end on one instance."""

from __future__ import annotations

import base64

import httpx

from finstance.core.clock import ManualClock
from tests.flinks import Flinks


async def test_toolbox_client_flow_greatday_from_token_to_delete_card(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    first = await flinks.authorize(
        {
            "Institution": "FlinksCapital",
            "Username": "Greatday",
            "Password": "Everyday",
            "MostRecentCached": False,
            "Save": True,
            "Tag": "user=42",
        },
        token,
    )
    assert first.status_code == 203
    challenge = first.json()
    assert challenge["HttpStatusCode"] == 203
    assert challenge["SecurityChallenges"][0]["Type"] == "QuestionAndAnswer"
    assert challenge["Links"] == [{"rel": "Authorization", "href": "/Authorize", "example": None}]

    done = await flinks.answer(first, token)
    assert done.status_code == 200, done.text
    session = done.json()
    request_id, login_id = session["RequestId"], session["Login"]["Id"]
    assert request_id == challenge["RequestId"]
    assert session["Institution"] == "FlinksCapital" and session["InstitutionId"] == 14
    assert session["Tag"] == "user=42"

    detail = await flinks.data(
        "GetAccountsDetail",
        {"RequestId": request_id, "WithTransactions": True, "WithKYC": True, "WithAccountIdentity": True},
    )
    assert detail.status_code == 202
    assert detail.json()["FlinksCode"] == "OPERATION_PENDING"
    assert detail.json()["Links"][0]["href"] == "/GetAccountsDetailAsync"

    still = await flinks.poll("GetAccountsDetailAsync", request_id)
    assert still.status_code == 202
    clock.advance(10)
    ready = await flinks.poll("GetAccountsDetailAsync", request_id)
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["RequestId"] == request_id and body["Login"]["Id"] == login_id
    assert body["Tag"] == "user=42"
    assert len(body["Accounts"]) >= 4
    chequing = body["Accounts"][0]
    assert chequing["Holder"]["Name"] and chequing["TransitNumber"] and chequing["Transactions"]

    statements = await flinks.data(
        "GetStatements", {"RequestId": request_id, "NumberOfStatements": "Months3"}
    )
    assert statements.status_code == 200, statements.text
    by_account = statements.json()["StatementsByAccount"]
    assert len(by_account[0]["Statements"]) == 3
    assert base64.b64decode(by_account[0]["Statements"][0]["Base64Bytes"]).startswith(b"%PDF-")

    deleted = await flinks.http.delete(
        f"{flinks.prefix}/DeleteCard/{login_id}", headers={"x-api-key": flinks.api_key}
    )
    assert deleted.status_code == 200
    assert deleted.json() == {
        "StatusCode": 200,
        "Message": f"All of the information about LoginId {login_id} has been removed",
    }
    again = await flinks.cached(login_id)
    assert again.status_code == 401 and again.json()["FlinksCode"] == "INVALID_LOGIN"
