"""Closed-loop load generator: C clients, one keep-alive HTTP/1.1 connection each, for a fixed duration.

    python benchmarks/loadgen.py flow   --port P --concurrency C --duration S --login-id ID
    python benchmarks/loadgen.py single --port P --concurrency C --duration S --request-id ID

``flow`` loops the cached Flinks flow (GenerateAuthorizeToken, cached Authorize, GetAccountsDetail);
``single`` loops one GetAccountsDetail POST (used against the bare baseline). A raw asyncio client
(uvloop when installed) keeps the generator's own cost per request small. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson

from finstance.core.instance import TOOLBOX_API_KEY as API_KEY
from finstance.core.instance import TOOLBOX_CUSTOMER_ID
from finstance.core.instance import TOOLBOX_SECRET_KEY as SECRET_KEY

PREFIX = f"/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices"
REQUEST_TIMEOUT = 10.0


class HttpError(Exception):
    """A non-2xx answer; the step's name and status are counted."""

    def __init__(self, step: str, status: int) -> None:
        super().__init__(f"{step} answered {status}")
        self.key = f"{step} {status}"


@dataclass
class Stats:
    flows: int = 0
    requests: int = 0
    detail_ns: list[int] = field(default_factory=list)
    flow_ns: list[int] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)


class Connection:
    """One keep-alive HTTP/1.1 connection; bodies are read by Content-Length (or chunked). A connection the
    server closed, or one left idle for longer than a server keeps it (uvicorn: 5 s), is opened again before
    the next request, as a client's pool does."""

    IDLE_S = 4.0

    def __init__(self, port: int, timeout: float = REQUEST_TIMEOUT) -> None:
        self.port, self.timeout = port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        status, _, payload = await self.request("POST", path, body, headers)
        return status, payload

    async def request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """The status, the response's header fields (lower-case names) and its body."""
        now = time.monotonic()
        if (
            self.writer is None
            or self.writer.is_closing()
            or self.reader is None
            or self.reader.at_eof()
            or now - self.used > self.IDLE_S
        ):
            self.close()
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None and self.writer is not None
        if body:
            headers = {"Content-Type": "application/json", **headers}
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        host = f"127.0.0.1:{self.port}"
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
        self.writer.write(head.encode("latin-1") + body)
        try:
            async with asyncio.timeout(self.timeout):
                answer = await self._read(self.reader)
        except BaseException:
            self.close()  # a half-read answer must not be taken for the next one's
            raise
        self.used = time.monotonic()
        return answer

    async def _read(self, reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
        raw = await reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)
        }
        if "content-length" in fields:
            payload = await reader.readexactly(int(fields["content-length"]))
        else:
            payload = await self._read_chunked(reader)
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, fields, payload

    @staticmethod
    async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        await reader.readuntil(b"\r\n")
        return b"".join(parts)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.writer = None
        self.reader = None


def detail_body(request_id: str) -> bytes:
    options = {
        "RequestId": request_id,
        "WithTransactions": True,
        "DaysOfTransactions": "Days90",
        "WithBalance": True,
    }
    return orjson.dumps(options)


async def call(conn: Connection, stats: Stats, step: str, body: bytes, headers: dict[str, str]) -> bytes:
    status, payload = await conn.post(f"{PREFIX}/{step}", body, headers)
    stats.requests += 1
    if not 200 <= status < 300:
        raise HttpError(step, status)
    return payload


async def one_flow(conn: Connection, stats: Stats, login_id: str) -> None:
    started = time.perf_counter_ns()
    token = orjson.loads(
        await call(conn, stats, "GenerateAuthorizeToken", b"", {"flinks-auth-key": SECRET_KEY})
    )
    cached = orjson.dumps({"LoginId": login_id, "MostRecentCached": True})
    session = orjson.loads(await call(conn, stats, "Authorize", cached, {"flinks-auth-key": token["Token"]}))
    detail_started = time.perf_counter_ns()
    await call(conn, stats, "GetAccountsDetail", detail_body(session["RequestId"]), {"x-api-key": API_KEY})
    finished = time.perf_counter_ns()
    stats.detail_ns.append(finished - detail_started)
    stats.flow_ns.append(finished - started)
    stats.flows += 1


async def one_request(conn: Connection, stats: Stats, body: bytes) -> None:
    started = time.perf_counter_ns()
    await call(conn, stats, "GetAccountsDetail", body, {"x-api-key": API_KEY})
    stats.detail_ns.append(time.perf_counter_ns() - started)


async def client(args: argparse.Namespace, stats: Stats, deadline: float) -> None:
    conn = Connection(args.port)
    body = detail_body(args.request_id) if args.mode == "single" else b""
    try:
        while time.perf_counter() < deadline:
            try:
                if args.mode == "flow":
                    await one_flow(conn, stats, args.login_id)
                else:
                    await one_request(conn, stats, body)
            except HttpError as exc:
                stats.failures[exc.key] += 1
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                stats.failures[type(exc).__name__] += 1
                conn.close()
    finally:
        conn.close()


async def phase(args: argparse.Namespace, seconds: float) -> tuple[Stats, float]:
    stats = Stats()
    started = time.perf_counter()
    await asyncio.gather(*(client(args, stats, started + seconds) for _ in range(args.concurrency)))
    return stats, time.perf_counter() - started


def percentile_ms(samples_ns: list[int], p: float) -> float | None:
    if not samples_ns:
        return None
    ordered = sorted(samples_ns)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)] / 1e6


def summary(stats: Stats, elapsed: float) -> dict[str, Any]:
    return {
        "elapsed_s": elapsed,
        "flows": stats.flows,
        "requests": stats.requests,
        "flows_per_s": stats.flows / elapsed,
        "requests_per_s": stats.requests / elapsed,
        "detail_p50_ms": percentile_ms(stats.detail_ns, 0.50),
        "detail_p99_ms": percentile_ms(stats.detail_ns, 0.99),
        "flow_p50_ms": percentile_ms(stats.flow_ns, 0.50),
        "flow_p99_ms": percentile_ms(stats.flow_ns, 0.99),
        "failures": dict(stats.failures),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    warmup, _ = await phase(args, args.warmup)
    stats, elapsed = await phase(args, args.duration)
    result = summary(stats, elapsed)
    result["warmup_failures"] = dict(warmup.failures)
    return result


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["flow", "single"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--login-id", default="")
    parser.add_argument("--request-id", default="")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(args))
    else:
        result = uvloop.run(run(args))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
