"""Server processes for the benchmarks, each one uvicorn worker on 127.0.0.1.

    python benchmarks/servers.py finstance --port P --store-url URL
    python benchmarks/servers.py bare --port P --body-file F --content-type CT

``finstance`` serves the toolbox instance built by ``create_app(toolbox_spec(url))``, as ``finstance serve``
does. ``bare`` is the baseline: a plain ASGI callable (no framework) answering every request with the
bytes of ``--body-file``, so a comparison isolates what finstance does beyond sending those bytes.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any, Literal

import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def finstance_app(store_url: str) -> AsgiApp:
    from finstance.app import create_app
    from finstance.core.instance import settings_from_env, toolbox_spec
    from finstance.core.logs import configure_logging

    configure_logging(logging.WARNING)
    return create_app(
        toolbox_spec(store_url), settings_from_env()
    )  # FINSTANCE_* as `finstance serve` reads them


def bare_app(body: bytes, content_type: str) -> AsgiApp:
    headers = [
        (b"content-type", content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode()),
    ]
    start = {"type": "http.response.start", "status": 200, "headers": headers}
    payload = {"type": "http.response.body", "body": body}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        more = True
        while more:  # drain the request body, as any real handler would
            more = (await receive()).get("more_body", False)
        await send(start)
        await send(payload)

    return app


def serve(app: AsgiApp, port: int, lifespan: Literal["on", "off"]) -> None:
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, workers=1, log_level="warning", access_log=False, lifespan=lifespan
    )
    uvicorn.Server(config).run()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    kinds = parser.add_subparsers(dest="kind", required=True)
    real = kinds.add_parser("finstance")
    real.add_argument("--port", type=int, required=True)
    real.add_argument("--store-url", required=True)
    bare = kinds.add_parser("bare")
    bare.add_argument("--port", type=int, required=True)
    bare.add_argument("--body-file", type=Path, required=True)
    bare.add_argument("--content-type", required=True)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.kind == "finstance":
        serve(finstance_app(args.store_url), args.port, lifespan="on")
    else:
        serve(bare_app(args.body_file.read_bytes(), args.content_type), args.port, lifespan="off")


if __name__ == "__main__":
    main()
