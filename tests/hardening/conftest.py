"""Fixtures of the hardening tests: a real `finstance serve` over TCP, and raw requests sent byte for byte.

``server`` runs the embedded default (toolbox, demo-ca, demo-us on P, P+1, P+2) once for the session, in a
data directory of its own; each instance's keys are read from the directory, as `make run` prints them.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from finstance.instances.directory import Directory
from tests.instances.test_serving import start, stop, wait_until_up
from tests.test_cli import free_port

ERROR_KEYS = {"HttpStatusCode", "FlinksCode", "Message"}
INSTANCES = ("toolbox", "demo-ca", "demo-us")


@dataclass(frozen=True)
class Served:
    """One instance of the running server: where it listens and the keys it was given."""

    name: str
    port: int
    customer_id: str
    secret_key: str
    api_key: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def prefix(self) -> str:
        return f"/v3/{self.customer_id}/BankingServices"

    @property
    def api(self) -> str:
        return self.base + self.prefix


@dataclass
class Server:
    data_dir: Path
    proc: subprocess.Popen[str]
    instances: dict[str, Served]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("served")
    port = free_port(3)
    proc = start(data_dir, port)
    output = ""
    try:
        for offset in range(3):
            wait_until_up(f"http://127.0.0.1:{port + offset}/", proc)
        directory = Directory(data_dir)
        instances = {}
        for offset, name in enumerate(INSTANCES):
            entry = directory.get(name)
            assert entry.dev_keys is not None  # the embedded instances are development instances
            keys = entry.dev_keys
            instances[name] = Served(
                name, port + offset, entry.customer_id, keys["secret_key"], keys["api_key"]
            )
        yield Server(data_dir, proc, instances)
    finally:
        output = stop(proc)
    assert "Traceback" not in output, output[-5000:]


def assert_flinks_error(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """A Flinks error body: JSON, HttpStatusCode/FlinksCode/Message, the status mirrored, never a 5xx."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    assert response.status_code >= 400, (response.status_code, response.text[:500])
    if status is not None:
        assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body: dict[str, Any] = response.json()
    assert body.keys() >= ERROR_KEYS, body
    assert body["HttpStatusCode"] == response.status_code
    assert isinstance(body["FlinksCode"], str) and body["FlinksCode"]
    assert isinstance(body["Message"], str) and "Traceback" not in body["Message"]
    return body


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def raw_request(port: int, head: bytes, body: bytes = b"", timeout: float = 20) -> RawResponse:
    """Send bytes exactly as given (no client-side normalisation of the path or headers) and parse the answer.

    ``head`` is the request line and headers, without the blank line; ``Connection: close`` is added.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.rstrip(b"\r\n") + b"\r\nConnection: close\r\n\r\n" + body)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    header_block, _, payload = data.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = [(k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:])]
    if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers):
        payload = _dechunk(payload)
    return RawResponse(status, headers, payload)


def _dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return out
