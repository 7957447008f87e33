"""Bad input of every kind gets a Flinks-shaped error with the documented status, never a 500."""

from __future__ import annotations

import httpx
import pytest

from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_SECRET_KEY
from tests.flinks import PREFIX, Flinks

ERROR_KEYS = {"HttpStatusCode", "FlinksCode", "Message"}


def assert_flinks_error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, object] = response.json()
    assert body.keys() >= ERROR_KEYS
    assert body["HttpStatusCode"] == status and body["FlinksCode"] == code
    return body


async def test_malformed_json_is_invalid_request(toolbox: httpx.AsyncClient) -> None:
    response = await toolbox.post(
        f"{PREFIX}/Authorize",
        content=b'{"Username": ',
        headers={"content-type": "application/json", "flinks-auth-key": "x"},
    )
    body = assert_flinks_error(response, 400, "INVALID_REQUEST")
    assert body["Message"] == "The request body is not valid JSON."


@pytest.mark.parametrize(
    "body",
    [
        {"RequestId": 12},
        {"RequestId": "x", "WithTransactions": "true"},
        {"RequestId": "x", "WithTransactions": 1},
        {"RequestId": "x", "DaysOfTransactions": "Days30"},
        {"RequestId": "x", "DateFrom": "2025-02-01", "DateTo": "2025-01-01"},
        {"WithTransactions": True},
        [],
    ],
)
async def test_wrong_types_and_missing_fields_are_invalid_request(
    toolbox: httpx.AsyncClient, body: object
) -> None:
    response = await toolbox.post(
        f"{PREFIX}/GetAccountsDetail", json=body, headers={"x-api-key": TOOLBOX_API_KEY}
    )
    assert_flinks_error(response, 400, "INVALID_REQUEST")


async def test_unknown_customer_id_is_refused(toolbox: httpx.AsyncClient) -> None:
    response = await toolbox.post(
        "/v3/11111111-2222-3333-4444-555555555555/BankingServices/GenerateAuthorizeToken",
        headers={"flinks-auth-key": TOOLBOX_SECRET_KEY},
    )
    assert_flinks_error(response, 401, "ACCESS_DENIED")


@pytest.mark.parametrize("api_key", [None, "", "3d5266a8-b697-48d4-8de6-000000000000", TOOLBOX_SECRET_KEY])
async def test_data_calls_need_the_x_api_key(toolbox: httpx.AsyncClient, api_key: str | None) -> None:
    headers = {} if api_key is None else {"x-api-key": api_key}
    for endpoint in ("GetAccountsDetail", "GetAccountsSummary", "GetStatements"):
        response = await toolbox.post(f"{PREFIX}/{endpoint}", json={"RequestId": "x"}, headers=headers)
        assert_flinks_error(response, 401, "ACCESS_DENIED")


async def test_unknown_or_malformed_request_id_is_session_nonexistent(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    for request_id in ("a10fbd41-d942-4a1f-b202-16f63b5a9a81", "not-a-guid", "' OR 1=1 --"):
        response = await flinks.data("GetAccountsDetail", {"RequestId": request_id})
        assert_flinks_error(response, 400, "SESSION_NONEXISTENT")
        polled = await flinks.poll(
            "GetAccountsDetailAsync", request_id.replace("'", "%27").replace(" ", "%20")
        )
        assert_flinks_error(polled, 400, "SESSION_NONEXISTENT")


async def test_unknown_route_is_a_flinks_404(toolbox: httpx.AsyncClient) -> None:
    assert_flinks_error(await toolbox.get(f"{PREFIX}/NoSuchEndpoint"), 404, "NOT_FOUND")
    assert_flinks_error(await toolbox.get("/nothing/here"), 404, "NOT_FOUND")


async def test_wrong_method_is_405_with_allow_header(toolbox: httpx.AsyncClient) -> None:
    response = await toolbox.get(f"{PREFIX}/GetAccountsDetail")
    assert_flinks_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"


async def test_oversized_body_is_413(toolbox: httpx.AsyncClient) -> None:
    big = b'{"RequestId": "' + b"x" * 2_000_000 + b'"}'
    response = await toolbox.post(
        f"{PREFIX}/GetAccountsDetail",
        content=big,
        headers={"content-type": "application/json", "x-api-key": TOOLBOX_API_KEY},
    )
    assert_flinks_error(response, 413, "INVALID_REQUEST")


async def test_endpoint_names_are_case_insensitive(toolbox: httpx.AsyncClient) -> None:
    path = PREFIX.replace("BankingServices", "bankingservices") + "/generateauthorizetoken"
    response = await toolbox.post(path, headers={"flinks-auth-key": TOOLBOX_SECRET_KEY})
    assert response.status_code == 200 and response.json()["Token"]


async def test_authorize_without_any_mode_is_invalid_request(toolbox: httpx.AsyncClient) -> None:
    response = await Flinks(toolbox).authorize({"Username": "Greatday"})
    assert_flinks_error(response, 400, "INVALID_REQUEST")


async def test_non_json_content_type_is_invalid_request(toolbox: httpx.AsyncClient) -> None:
    response = await toolbox.post(
        f"{PREFIX}/GetAccountsDetail",
        content=b"RequestId=x",
        headers={"content-type": "application/x-www-form-urlencoded", "x-api-key": TOOLBOX_API_KEY},
    )
    assert_flinks_error(response, 400, "INVALID_REQUEST")
