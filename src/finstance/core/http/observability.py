"""Health, readiness and metrics of one instance: ``/healthz``, ``/readyz`` and ``/metrics``.

- ``/healthz``: the process answers (liveness). It touches nothing else.
- ``/readyz``: the instance can serve: its store answers and carries this instance's stamp (readiness).
  503 RETRY_LATER otherwise, so a load balancer takes the process out of rotation until its store is back.
- ``/metrics``: Prometheus text format. Request counts, latencies and errors by FlinksCode are this
  process's own (scrape every process, or sum them); the job and webhook queue depths are read from the
  instance's store at scrape time, so every process reports the same instance-wide values.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from typing import Any

import orjson
from fastapi import APIRouter, Request
from sqlalchemy import func, select, text
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.http.responses import json_response
from finstance.core.states import DeliveryStatus, JobStatus
from finstance.core.store import tables
from finstance.core.store.stamp import ResidencyViolation, check_stamp

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"
_MAX = 65_536  # bytes of an error body read for its FlinksCode


def endpoint_of(path: str) -> str:
    """A bounded label for a path: the Flinks endpoint name, or the family of page it belongs to."""
    parts = path.split("/")
    if len(parts) >= 5 and parts[1].lower() == "v3" and parts[3].lower() == "bankingservices":
        name = parts[4]
        return name if name.isascii() and name.isalnum() and len(name) <= 40 else "unknown"
    if path.startswith("/v2") or path == "/":
        return "connect"
    if path.startswith("/demo"):
        return "demo"
    if path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        return path[1:]
    return "other"


class Metrics:
    """The counters of one instance in one process. Thread-safe: sync routes run in a thread pool."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.errors: Counter[str] = Counter()
        self.buckets: defaultdict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
        self.sums: defaultdict[str, float] = defaultdict(float)

    def observe(self, endpoint: str, method: str, status: int, seconds: float, code: str | None) -> None:
        with self._lock:
            self.requests[(endpoint, method, status)] += 1
            if code is not None:
                self.errors[code] += 1
            counts = self.buckets[endpoint]
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            counts[-1] += 1
            self.sums[endpoint] += seconds

    def snapshot(self) -> tuple[dict[Any, int], dict[str, int], dict[str, list[int]], dict[str, float]]:
        with self._lock:
            buckets = {k: list(v) for k, v in self.buckets.items()}
            return dict(self.requests), dict(self.errors), buckets, dict(self.sums)


class Measure:
    """Counts and times every request of the app; reads the FlinksCode of answers that carry one."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        body = bytearray()
        is_json = False

        async def watch(message: Message) -> None:
            nonlocal status, is_json
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = dict(message.get("headers", []))
                is_json = headers.get(b"content-type", b"").startswith(b"application/json")
            elif message["type"] == "http.response.body" and status != 200 and is_json and len(body) < _MAX:
                body.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            code = _flinks_code(bytes(body)) if body else None
            elapsed = time.perf_counter() - started
            self.metrics.observe(endpoint_of(scope["path"]), scope.get("method", ""), status, elapsed, code)


def _flinks_code(body: bytes) -> str | None:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    code = parsed.get("FlinksCode") if isinstance(parsed, dict) else None
    return code if isinstance(code, str) and code.isascii() and len(code) <= 64 else None


def _queue_depths(ctx: InstanceContext) -> tuple[dict[JobStatus, int], dict[DeliveryStatus, int]]:
    with ctx.store.read() as db:
        jobs = dict(db.execute(select(tables.Job.status, func.count()).group_by(tables.Job.status)).all())
        deliveries = dict(
            db.execute(
                select(tables.WebhookDelivery.status, func.count()).group_by(tables.WebhookDelivery.status)
            ).all()
        )
    return jobs, deliveries


def _label(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render(ctx: InstanceContext, metrics: Metrics) -> str:
    requests, errors_by_code, buckets, sums = metrics.snapshot()
    jobs, deliveries = _queue_depths(ctx)
    instance = f'instance="{_label(ctx.spec.name)}"'
    lines = [
        "# HELP finstance_requests_total HTTP requests answered by this process.",
        "# TYPE finstance_requests_total counter",
    ]
    for (endpoint, method, status), count in sorted(requests.items()):
        labels = f'{instance},endpoint="{_label(endpoint)}",method="{_label(method)}",status="{status}"'
        lines.append(f"finstance_requests_total{{{labels}}} {count}")
    lines += [
        "# HELP finstance_request_duration_seconds Time to answer a request, by endpoint.",
        "# TYPE finstance_request_duration_seconds histogram",
    ]
    for endpoint, counts in sorted(buckets.items()):
        labels = f'{instance},endpoint="{_label(endpoint)}"'
        for bound, count in zip((*map(str, BUCKETS), "+Inf"), counts, strict=True):
            lines.append(f'finstance_request_duration_seconds_bucket{{{labels},le="{bound}"}} {count}')
        lines.append(f"finstance_request_duration_seconds_sum{{{labels}}} {sums[endpoint]:.6f}")
        lines.append(f"finstance_request_duration_seconds_count{{{labels}}} {counts[-1]}")
    lines += [
        "# HELP finstance_errors_total Answers carrying a FlinksCode (errors, and 202 pending), by code.",
        "# TYPE finstance_errors_total counter",
    ]
    for code, count in sorted(errors_by_code.items()):
        lines.append(f'finstance_errors_total{{{instance},flinks_code="{_label(code)}"}} {count}')
    lines += [
        "# HELP finstance_jobs Background jobs of the instance in its store, by status.",
        "# TYPE finstance_jobs gauge",
    ]
    for status in JobStatus:
        lines.append(f'finstance_jobs{{{instance},status="{status}"}} {jobs.get(status, 0)}')
    lines += [
        "# HELP finstance_webhook_deliveries Webhook deliveries of the instance in its store, by status.",
        "# TYPE finstance_webhook_deliveries gauge",
    ]
    for status in DeliveryStatus:
        lines.append(
            f'finstance_webhook_deliveries{{{instance},status="{status}"}} {deliveries.get(status, 0)}'
        )
    return "\n".join(lines) + "\n"


def _ready(ctx: InstanceContext) -> None:
    with ctx.store.read() as db:
        db.execute(text("SELECT 1"))
    check_stamp(ctx.store, ctx.spec)


router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    return json_response({"HttpStatusCode": 200, "Status": "alive"})


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    ctx: InstanceContext = request.app.state.ctx
    try:
        await run_in_threadpool(_ready, ctx)
    except ResidencyViolation:
        raise errors.StoreUnavailable("The store does not carry this instance's stamp.") from None
    except Exception:
        raise errors.StoreUnavailable("The store of this instance does not answer.") from None
    return json_response({"HttpStatusCode": 200, "Status": "ready", "Instance": ctx.spec.name})


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    ctx: InstanceContext = request.app.state.ctx
    try:
        body = await run_in_threadpool(render, ctx, request.app.state.metrics)
    except Exception:
        raise errors.StoreUnavailable("The store of this instance does not answer.") from None
    return Response(body, media_type=PROMETHEUS)
