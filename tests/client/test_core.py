"""The sans-I/O core: request descriptions, answer parsing and the error table, without any HTTP."""

from __future__ import annotations

import json

import pytest

from finstance.client import (
    AccessDeniedError,
    ClientCore,
    FlinksAPIError,
    InvalidLoginError,
    OperationDispatchedError,
    Poller,
    SessionNonexistentError,
    WrongInstanceLoginError,
    WrongInstanceRequestError,
    flinks_toolbox,
)
from finstance.client._errors import ERRORS_BY_CODE, error_class
from finstance.connect import wire
from finstance.core import errors

CORE = ClientCore(flinks_toolbox())
BANKING = "https://toolbox-api.private.fin.ag/v3/43387ca6-0391-4c82-857d-70d95f087ecb/BankingServices"


def test_every_flinks_code_the_server_can_send_has_its_own_class() -> None:
    for server_error in errors.all_error_types():
        cls = error_class(server_error.flinks_code)
        assert cls is not FlinksAPIError, server_error
        assert cls is ERRORS_BY_CODE[server_error.flinks_code]


def test_requests_carry_the_documented_headers_and_pascal_case_bodies() -> None:
    token = CORE.generate_authorize_token()
    assert (token.method, token.url) == ("POST", f"{BANKING}/GenerateAuthorizeToken")
    assert token.headers["flinks-auth-key"] == flinks_toolbox().secret_key
    detail = CORE.data(
        "GetAccountsDetail",
        wire.AccountsDetailRequest(request_id="r-1", with_kyc=True, days_of_transactions="Days365"),
    )
    assert detail.json == {"RequestId": "r-1", "WithKYC": True, "DaysOfTransactions": "Days365"}
    assert detail.headers["x-api-key"] == flinks_toolbox().api_key and "flinks-auth-key" not in detail.headers
    poll = CORE.poll("GetAccountsDetail", "r-1")
    assert (poll.method, poll.url, poll.json) == ("GET", f"{BANKING}/GetAccountsDetailAsync/r-1", None)
    mfa = CORE.answer_mfa("tok", "r-1", {"What city were you born in?": "Montreal"})
    assert mfa.headers["flinks-auth-key"] == "tok"
    assert mfa.json == {
        "RequestId": "r-1",
        "SecurityResponses": {"What city were you born in?": ["Montreal"]},
    }


def test_an_error_answer_maps_to_its_class_with_status_code_message_and_instance() -> None:
    request = CORE.data("GetAccountsSummary", wire.AccountsSummaryRequest(request_id="r-9"))
    body = {"HttpStatusCode": 401, "FlinksCode": "ACCESS_DENIED", "Message": "nope"}
    with pytest.raises(AccessDeniedError) as denied:
        CORE.parse(request, 401, json.dumps(body).encode(), wire.AccountsSummaryResponse)
    error = denied.value
    assert (error.http_status, error.flinks_code, error.message) == (401, "ACCESS_DENIED", "nope")
    assert error.request_id == "r-9" and error.instance == "toolbox" and error.body == body


def test_a_202_dispatched_answer_raises_operation_dispatched() -> None:
    request = CORE.data("GetAccountsDetail", wire.AccountsDetailRequest(request_id="r-2"))
    body = {"HttpStatusCode": 202, "FlinksCode": "OPERATION_DISPATCHED", "Message": "...", "RequestId": "r-2"}
    with pytest.raises(OperationDispatchedError):
        CORE.parse(request, 202, json.dumps(body).encode(), wire.AccountsDetailResponse)


@pytest.mark.parametrize(
    ("code", "status", "cls", "also"),
    [
        ("INVALID_LOGIN", 401, WrongInstanceLoginError, InvalidLoginError),
        ("SESSION_NONEXISTENT", 400, WrongInstanceRequestError, SessionNonexistentError),
    ],
)
def test_a_server_wrong_instance_answer_maps_to_wrong_instance_and_its_code_class(
    code: str, status: int, cls: type[FlinksAPIError], also: type[FlinksAPIError]
) -> None:
    request = CORE.delete_card("c0ffee00-0000-4000-8000-000000000000")
    body = {"HttpStatusCode": status, "FlinksCode": code, "Message": "elsewhere", "WrongInstance": True}
    with pytest.raises(cls) as refused:
        CORE.parse(request, status, json.dumps(body).encode(), wire.DeleteCardResponse)
    assert isinstance(refused.value, also) and refused.value.http_status == status


def test_a_non_json_answer_raises_the_root_error_with_its_status() -> None:
    request = CORE.institutions()
    with pytest.raises(FlinksAPIError) as failed:
        CORE.parse(request, 502, b"<html>Bad gateway</html>", wire.InstitutionsResponse)
    assert type(failed.value) is FlinksAPIError
    assert failed.value.http_status == 502 and failed.value.flinks_code is None and failed.value.body is None


def test_poller_waits_the_interval_then_the_rest_of_the_timeout_then_gives_up() -> None:
    pending = OperationDispatchedError("...", http_status=202, flinks_code="OPERATION_DISPATCHED")
    poller = Poller(10, 25)
    assert [poller.next_delay(pending) for _ in range(3)] == [10, 10, 5]
    with pytest.raises(FlinksAPIError, match="after waiting 25 s"):
        poller.next_delay(pending)
