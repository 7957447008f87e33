"""The HTTP/1.1 protocol of finstance's servers: uvicorn's, but a request it cannot read is answered as every
other bad input is, with a Flinks-shaped 400 (``HttpStatusCode``, ``FlinksCode``, ``Message``) in JSON.

uvicorn answers a request whose request line or headers its parser refuses with a plain-text 400, before any
app sees it. Most such requests are malformed, and one kind is not: a URL longer than 65,535 bytes, which the
parser cannot split into its parts (its offsets are 16 bits). That limit is the server's, for every path.
"""

from __future__ import annotations

import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from finstance.core import errors

MAX_URL_BYTES = 65_535
UNREADABLE = orjson.dumps(
    errors.InvalidRequest(
        "The request could not be read: its request line or headers are malformed, or its URL is longer "
        f"than {MAX_URL_BYTES:,} bytes."
    ).body()
)


class FlinksHttpProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        content = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: application/json; charset=utf-8\r\n",
                b"content-length: " + str(len(UNREADABLE)).encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
                UNREADABLE,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()
