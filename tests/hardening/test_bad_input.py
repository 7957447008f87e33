"""Hostile requests over TCP, sent byte for byte: each gets a Flinks error body, never a 5xx or a traceback.

Oversized bodies (declared or streamed), JSON nested 100k levels deep, every wrong content type, CR/LF in
everything the server might reflect into a header, path traversal and encoding tricks in every path
parameter, and very long path parameters.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from finstance.core.instance import Settings
from tests.hardening.conftest import (
    INSTANCES,
    RawResponse,
    Served,
    Server,
    assert_flinks_error,
    raw_request,
)

LIMIT = Settings().max_body_bytes
BODY_ENDPOINTS = [
    ("POST", "Authorize"),
    ("POST", "GetAccountsSummary"),
    ("POST", "GetAccountsDetail"),
    ("POST", "GetStatements"),
    ("PATCH", "SetScheduledRefresh"),
    ("PATCH", "AnswerMFAQuestions"),
    ("POST", "GenerateAuthorizeToken"),
    ("POST", "GetAccountsDetailAsync/a10fbd41-d942-4a1f-b202-16f63b5a9a81"),
]
PATH_ENDPOINTS = [
    ("GET", "GetAccountsSummaryAsync/{}"),
    ("POST", "GetAccountsSummaryAsync/{}"),
    ("GET", "GetAccountsDetailAsync/{}"),
    ("POST", "GetAccountsDetailAsync/{}"),
    ("GET", "GetStatementsAsync/{}"),
    ("POST", "GetStatementsAsync/{}"),
    ("DELETE", "DeleteCard/{}"),
    ("GET", "GetMFAQuestions/{}"),
    ("GET", "Institutions/RoutingNumber/{}"),
]
TRAVERSALS = [
    "..",
    "../",
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2f",
    "%2e%2e/%2e%2e/",
    "..%252f..%252f",
    "%252e%252e%252f",
    "..\\..\\windows\\win.ini",
    "..%5c..%5c",
    "%2f",
    "a%2fb",
    "%2F%2F",
    "%00",
    "a%00b",
    "..%00/",
    "%c0%ae%c0%ae%c0%af",
    "%ff%fe",
    "%",
    "%zz",
    ".%2e",
    "~",
    "%20",
    "a;b=c",
    "*",
]
LONG = ["x" * 1_000, "y" * 8_000, "%2e%2e%2f" * 1_000, "z" * 60_000]
INJECTED = "x%0d%0aSet-Cookie:%20injected=1%0d%0aX-Injected:%20yes"


def _raw(served: Served, method: str, target: str, *headers: str, body: bytes = b"") -> RawResponse:
    lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{served.port}", *headers]
    if body or method in ("POST", "PATCH", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return raw_request(served.port, "\r\n".join(lines).encode("latin-1"), body)


def assert_raw_flinks_error(response: RawResponse, status: int | None = None) -> dict[str, Any]:
    """The raw twin of assert_flinks_error."""
    assert 400 <= response.status < 500, (response.status, response.body[:500])
    if status is not None:
        assert response.status == status, (response.status, response.body[:500])
    assert (response.header("content-type") or "").startswith("application/json"), response.headers
    body: dict[str, Any] = json.loads(response.body)
    assert body.keys() >= {"HttpStatusCode", "FlinksCode", "Message"}, body
    assert body["HttpStatusCode"] == response.status
    assert b"Traceback" not in response.body
    assert_no_injected_header(response)
    return body


def assert_no_injected_header(response: RawResponse) -> None:
    names = {k.lower() for k, _ in response.headers}
    assert "set-cookie" not in names and "x-injected" not in names, response.headers
    for _, value in response.headers:
        assert "\r" not in value and "\n" not in value and "injected" not in value.lower()


def _keys(served: Served) -> tuple[str, str]:
    return f"x-api-key: {served.api_key}", f"flinks-auth-key: {served.secret_key}"


# -- oversized bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "endpoint"), BODY_ENDPOINTS)
def test_a_declared_oversized_body_is_a_flinks_413_before_it_is_read(
    server: Server, method: str, endpoint: str
) -> None:
    served = server.instances["toolbox"]
    head = (
        f"{method} {served.prefix}/{endpoint} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {LIMIT * 50}\r\n{_keys(served)[0]}"
    )
    response = raw_request(served.port, head.encode(), b'{"RequestId": "')  # the rest never comes
    assert_raw_flinks_error(response, 413)


@pytest.mark.parametrize(("method", "endpoint"), BODY_ENDPOINTS)
def test_a_streamed_oversized_body_is_a_flinks_413(server: Server, method: str, endpoint: str) -> None:
    served = server.instances["demo-ca"]
    with httpx.Client(timeout=30) as http:

        def chunks() -> Any:
            yield b'{"RequestId": "'
            for _ in range(LIMIT // 65536 + 2):
                yield b"x" * 65536
            yield b'"}'

        response = http.request(
            method,
            f"{served.api}/{endpoint}",
            content=chunks(),  # chunked: no Content-Length to refuse early
            headers={"content-type": "application/json", "x-api-key": served.api_key},
        )
    assert "content-length" not in response.request.headers
    assert_flinks_error(response, 413)


def test_a_body_just_under_the_limit_is_read_and_judged(server: Server) -> None:
    served = server.instances["toolbox"]
    body = b'{"RequestId": "' + b"x" * (LIMIT - 100) + b'"}'
    with httpx.Client(timeout=30) as http:
        response = http.post(
            f"{served.api}/GetAccountsDetail",
            content=body,
            headers={"content-type": "application/json", "x-api-key": served.api_key},
        )
    assert_flinks_error(response, 400)  # read, parsed, and refused as an unknown session, not as too large
    assert response.json()["FlinksCode"] == "SESSION_NONEXISTENT"


@pytest.mark.parametrize("length", ["abc", "-1", "1e9", "99999999999999999999999"])
def test_a_malformed_content_length_is_refused_without_a_5xx(server: Server, length: str) -> None:
    served = server.instances["toolbox"]
    head = f"POST {served.prefix}/GetAccountsDetail HTTP/1.1\r\nHost: x\r\nContent-Length: {length}"
    response = raw_request(served.port, head.encode(), b"{}")
    assert 400 <= response.status < 500, response
    assert b"Traceback" not in response.body


# -- deep JSON ----------------------------------------------------------------------------------------

DEEP = {
    "arrays": b"[" * 100_000,
    "closed-arrays": b"[" * 100_000 + b"]" * 100_000,
    "objects": b'{"a":' * 100_000,
    "in-a-field": b'{"RequestId": "x", "AccountsFilter": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "mixed": b'[{"a":' * 50_000,
}


@pytest.mark.parametrize("shape", list(DEEP))
@pytest.mark.parametrize(("method", "endpoint"), BODY_ENDPOINTS[:6])
def test_deeply_nested_json_is_a_flinks_400(server: Server, method: str, endpoint: str, shape: str) -> None:
    served = server.instances["demo-us"]
    with httpx.Client(timeout=30) as http:
        response = http.request(
            method,
            f"{served.api}/{endpoint}",
            content=DEEP[shape],
            headers={"content-type": "application/json", "x-api-key": served.api_key},
        )
    body = assert_flinks_error(response, 400)
    assert body["FlinksCode"] == "INVALID_REQUEST"


# -- content types ------------------------------------------------------------------------------------

CONTENT_TYPES: list[tuple[str | None, bytes]] = [
    (None, b'{"RequestId": "x"}'),
    ("text/plain", b'{"RequestId": "x"}'),
    ("application/xml", b"<RequestId>x</RequestId>"),
    ("application/x-www-form-urlencoded", b"RequestId=x"),
    (
        "multipart/form-data; boundary=zz",
        b'--zz\r\nContent-Disposition: form-data; name="RequestId"\r\n\r\nx\r\n--zz--',
    ),
    ("application/octet-stream", b"\x00\x01\x02"),
    ("application/json", b"\xff\xfe{\x00}\x00"),
    ("application/json; charset=utf-16", '{"RequestId": "x"}'.encode("utf-16")),
    ("application/json", b"\xef\xbb\xbf{}"),
    ("application/json", b"RequestId=x"),
    ("application/json", b""),
    ("application/json", b"null"),
    ("application/json", b"NaN"),
    ("application/json", b'{"RequestId": "x", "RequestId": 1}'),
    ("application/json", b"1e999999"),
    ("application/json", b'"' + b"\\u0000" * 1000 + b'"'),
    ("*/*", b"{}"),
    ('application/json; boundary=""; charset=', b"{}"),
]


@pytest.mark.parametrize(("content_type", "body"), CONTENT_TYPES)
@pytest.mark.parametrize(("method", "endpoint"), BODY_ENDPOINTS[:6])
def test_wrong_content_types_and_bodies_are_flinks_errors(
    server: Server, method: str, endpoint: str, content_type: str | None, body: bytes
) -> None:
    served = server.instances["toolbox"]
    headers = list(_keys(served))
    if content_type is not None:
        headers.append(f"Content-Type: {content_type}")
    response = _raw(served, method, f"{served.prefix}/{endpoint}", *headers, body=body)
    assert_raw_flinks_error(response)


# -- header injection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", INSTANCES)
def test_cr_lf_in_anything_the_server_could_reflect_never_reaches_a_response_header(
    server: Server, name: str
) -> None:
    served = server.instances[name]
    targets = [
        ("GET", f"{served.prefix}/GetAccountsDetailAsync/{INJECTED}"),
        ("GET", f"{served.prefix}/GetAccountsDetail/{INJECTED}"),  # a 405 lists methods in Allow
        ("GET", f"{served.prefix}/GetAccountsDetail?x={INJECTED}"),
        ("PUT", f"{served.prefix}/{INJECTED}"),
        ("GET", f"/v3/{INJECTED}/BankingServices/Institutions"),
        ("GET", f"{served.prefix}/Institutions?skip={INJECTED}"),
        ("GET", f"/{INJECTED}"),
    ]
    for method, target in targets:
        assert_raw_flinks_error(_raw(served, method, target, *_keys(served)))
    for header in (f"Origin: http://a{INJECTED}", f"X-Request-Id: {INJECTED}", f"Accept: {INJECTED}"):
        assert_raw_flinks_error(
            _raw(served, "POST", f"{served.prefix}/GetAccountsDetail", header, body=b"{}")
        )
    with httpx.Client(timeout=30) as http:
        body = {"Institution": "FlinksCapital", "Username": "a\r\nX-Injected: yes", "Password": "p\r\n\r\n",
                "Tag": "t\r\nSet-Cookie: injected=1", "MostRecentCached": False}  # fmt: skip
        token = http.post(
            f"{served.api}/GenerateAuthorizeToken", headers={"flinks-auth-key": served.secret_key}
        )
        response = http.post(
            f"{served.api}/Authorize", json=body, headers={"flinks-auth-key": token.json()["Token"]}
        )
        assert response.status_code < 500
        assert "set-cookie" not in response.headers and "x-injected" not in response.headers
        connect = http.get(
            f"{served.base}/v2/?demo=true&tag=a%0d%0aSet-Cookie:%20injected=1&redirectUrl={INJECTED}"
        )
        assert connect.status_code < 500 and "set-cookie" not in connect.headers
        assert all("injected" not in v.lower() for v in connect.headers.values())


def test_raw_cr_or_lf_inside_a_request_header_is_refused_without_a_5xx(server: Server) -> None:
    served = server.instances["toolbox"]
    for header in (
        "x-api-key: a\rSet-Cookie: injected=1",
        "x-api-key: a\nX-Injected: yes",
        "x-api-key: a\x00b",
    ):
        head = f"GET {served.prefix}/GetAccountsDetailAsync/x HTTP/1.1\r\nHost: x\r\n{header}"
        response = raw_request(served.port, head.encode())
        assert 400 <= response.status < 500, response
        assert_no_injected_header(response)
        assert b"Traceback" not in response.body


# -- path traversal and long path parameters ------------------------------------------------------------


@pytest.mark.parametrize(
    "value", TRAVERSALS + LONG, ids=lambda v: v[:30] + (f"…{len(v)}" if len(v) > 30 else "")
)
@pytest.mark.parametrize(("method", "template"), PATH_ENDPOINTS)
def test_path_traversal_and_long_values_in_every_path_parameter_are_flinks_errors(
    server: Server, method: str, template: str, value: str
) -> None:
    served = server.instances["demo-ca"]
    response = _raw(served, method, f"{served.prefix}/{template.format(value)}", *_keys(served))
    body = assert_raw_flinks_error(response)
    assert "passwd" not in body["Message"] and "win.ini" not in body["Message"]


@pytest.mark.parametrize(
    "value", TRAVERSALS + LONG, ids=lambda v: v[:30] + (f"…{len(v)}" if len(v) > 30 else "")
)
def test_path_traversal_and_long_values_as_the_customer_id_are_flinks_errors(
    server: Server, value: str
) -> None:
    served = server.instances["demo-us"]
    for method, endpoint in (("POST", "GenerateAuthorizeToken"), ("GET", "Institutions")):
        response = _raw(served, method, f"/v3/{value}/BankingServices/{endpoint}", *_keys(served))
        assert_raw_flinks_error(response)


@pytest.mark.parametrize("suffix", ["/", "//", "/%2f", "/./"])
def test_a_trailing_slash_is_the_same_endpoint_not_a_redirect_reflecting_the_path(
    server: Server, suffix: str
) -> None:
    served = server.instances["toolbox"]
    for method, target in (
        ("GET", f"{served.prefix}/GetAccountsDetailAsync/{INJECTED}{suffix}"),
        ("POST", f"{served.prefix}/GetAccountsDetail{suffix}"),
        ("GET", f"{served.prefix}/Institutions/RoutingNumber/..{suffix}"),
    ):
        response = _raw(
            served, method, target, *_keys(served), "Host: evil.example", body=b'{"RequestId": "x"}'
        )
        assert response.header("location") is None, response.headers
        assert_raw_flinks_error(response)
    institutions = _raw(served, "GET", f"{served.prefix}/Institutions/")
    assert institutions.status == 200 and json.loads(institutions.body)["Count"] > 0


def test_a_path_that_climbs_out_of_the_api_reaches_nothing(server: Server) -> None:
    served = server.instances["toolbox"]
    for target in (
        f"{served.prefix}/../../../../../../etc/passwd",
        f"{served.prefix}/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/../../../../etc/passwd",
        "/static/../../pyproject.toml",
        "/v2/../../../../etc/passwd",
    ):
        response = _raw(served, "GET", target)
        assert_raw_flinks_error(response, 404)
        assert b"root:" not in response.body


@pytest.mark.parametrize(
    "value", TRAVERSALS + LONG[:3], ids=lambda v: v[:30] + (f"…{len(v)}" if len(v) > 30 else "")
)
def test_path_traversal_in_the_connect_page_parameters_never_reaches_a_5xx(
    server: Server, value: str
) -> None:
    served = server.instances["demo-ca"]
    for method, target in (("POST", f"/v2/flow/{value}"), ("GET", f"/v2/Result/{value}")):
        response = _raw(
            served, method, target, "Content-Type: application/x-www-form-urlencoded", body=b"action=back"
        )
        assert response.status < 500, (target[:80], response.status)
        assert b"Traceback" not in response.body and b"root:" not in response.body
        # A trailing slash is redirected here (Starlette's redirect_slashes), but only onto this server
        location = response.header("location")
        assert location is None or location.startswith(f"http://127.0.0.1:{served.port}/v2/"), location
        assert_no_injected_header(response)
