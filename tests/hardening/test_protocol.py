"""A request the HTTP server cannot read gets a Flinks-shaped 400 from `finstance serve`, over TCP, like every
other bad input: a URL past the parser's 65,535 bytes, a request line that is not HTTP."""

from __future__ import annotations

import json
import socket

import pytest

from finstance.core.http.protocol import MAX_URL_BYTES
from tests.hardening.conftest import Server


def exchange(port: int, request: bytes) -> tuple[bytes, dict[bytes, bytes], bytes]:
    """Send ``request`` as raw bytes; the status line, headers and body of the answer (until the server
    closes the connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    headers = {name.strip().lower(): value.strip() for name, value in (ln.split(b":", 1) for ln in lines)}
    return status, headers, body


UNREADABLE = {
    "HttpStatusCode": 400,
    "FlinksCode": "INVALID_REQUEST",
    "Message": "The request could not be read: its request line or headers are malformed, or its URL is "
    f"longer than {MAX_URL_BYTES:,} bytes.",
}


def get(port: int, target: str) -> tuple[bytes, dict[bytes, bytes], bytes]:
    return exchange(port, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())


@pytest.mark.parametrize(
    "target",
    [
        "/v3/{customer}/BankingServices/GetAccountsDetailAsync/{long}",  # an API path
        "/outbound/api/v1/authorize?client_id={long}",  # a page
    ],
)
def test_a_url_longer_than_the_parser_reads_gets_a_flinks_400(server: Server, target: str) -> None:
    served = server.instances["demo-ca"]
    fixed = len(target.format(customer=served.customer_id, long=""))

    def sized(size: int) -> str:
        return target.format(customer=served.customer_id, long="a" * (size - fixed))

    status, headers, body = get(served.port, sized(MAX_URL_BYTES + 1))
    assert status.startswith(b"HTTP/1.1 400 ")
    assert headers[b"content-type"] == b"application/json; charset=utf-8"
    assert json.loads(body) == UNREADABLE
    # A URL of the limit's length is read, and answered by the instance itself.
    status, headers, body = get(served.port, sized(MAX_URL_BYTES))
    assert status.split()[1] < b"500" and b"could not be read" not in body


def test_a_request_line_that_is_not_http_gets_a_flinks_400(server: Server) -> None:
    status, headers, body = exchange(server.instances["toolbox"].port, b"NOT HTTP AT ALL\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 400 ")
    assert headers[b"content-type"] == b"application/json; charset=utf-8"
    assert json.loads(body) == UNREADABLE
