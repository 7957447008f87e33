"""Upload's requests, sans I/O, and the clients of its API.

The upload API takes an API client of the instance (``finstance clients create --product upload``): its
credentials get a short-lived Bearer token (``POST /upload/api/v1/token``), kept by the client until a minute
before it expires, and the token sends statements as ``multipart/form-data``. FraudAnalysis takes the
instance's secret key, as Flinks documents it.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

import anyio
from pydantic import BaseModel

from finstance.client._core import APIRequest, ClientCore
from finstance.client._tokens import AsyncTokenKeeper, Token, TokenKeeper
from finstance.upload import wire

M = TypeVar("M", bound=BaseModel)
Document = Path | str | tuple[str, bytes]
"""A statement to upload: a path, or a file name and its bytes."""
DONE = ("Completed", "Failed")


def _file(document: Document) -> tuple[str, tuple[str, bytes, str]]:
    if isinstance(document, tuple):
        name, content = document
    else:
        path = Path(document)
        name, content = path.name, path.read_bytes()
    return ("files", (name, content, "application/octet-stream"))


class UploadRequests:
    """Builds Upload's requests for one instance (its :class:`ClientCore`)."""

    def __init__(self, core: ClientCore) -> None:
        self.core = core

    def token(self, client_id: str, client_secret: str) -> APIRequest:
        basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        return self.core._request(
            "UploadToken", "POST", "upload/api/v1/token", headers={"authorization": f"Basic {basic}"},
            form={"grant_type": "client_credentials"}, root=True,
        )  # fmt: skip

    def send(self, bearer: str, documents: Sequence[Document], language: str) -> APIRequest:
        if not documents:
            raise ValueError("an upload needs at least one document")
        return self.core._request(
            "Upload", "POST", "upload/api/v1/uploads", headers={"authorization": f"Bearer {bearer}"},
            form={"language": language}, files=[_file(d) for d in documents], root=True,
        )  # fmt: skip

    def state(self, bearer: str, upload_id: str) -> APIRequest:
        return self.core._request(
            "UploadState", "GET", f"upload/api/v1/uploads/{upload_id}",
            headers={"authorization": f"Bearer {bearer}"}, root=True,
        )  # fmt: skip

    def fraud_analysis(self, login_id: str) -> APIRequest:
        self.core.check_identifier("login", login_id)
        return self.core._request(
            "FraudAnalysis", "GET", f"upload/fraudanalysis/{login_id}",
            headers={"authorization": f"Bearer {self.core.config.secret_key}"}, root=True,
        )  # fmt: skip


class _Sync(Protocol):
    _core: ClientCore

    def _call(self, request: APIRequest, model: type[M], ok: tuple[int, ...] = ...) -> M: ...


class _Async(Protocol):
    _core: ClientCore

    def _call(self, request: APIRequest, model: type[M], ok: tuple[int, ...] = ...) -> Awaitable[M]: ...


class UploadClient:
    """An API client of one instance's Upload: ``FlinksClient.uploads(client_id, client_secret)``."""

    def __init__(self, parent: _Sync, client_id: str, client_secret: str, clock: Callable[[], float]) -> None:
        self._parent = parent
        self._requests = UploadRequests(parent._core)
        request = self._requests.token(client_id, client_secret)
        self._bearer = TokenKeeper(lambda: parent._call(request, Token), clock).get

    def send(self, documents: Sequence[Document], *, language: str = "en") -> wire.UploadState:
        """Upload statements for one end-user: a new loginId, each document read in the background."""
        request = self._requests.send(self._bearer(), documents, language)
        return self._parent._call(request, wire.UploadState, ok=(202,))

    def state(self, upload_id: str) -> wire.UploadState:
        return self._parent._call(self._requests.state(self._bearer(), upload_id), wire.UploadState)

    def wait(self, upload_id: str, *, timeout: float = 300.0, interval: float = 1.0) -> wire.UploadState:
        """The upload's state once every document is read (``Completed`` or ``Failed``); else TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.state(upload_id)
            if found.status in DONE:
                return found
            if time.monotonic() + interval > deadline:
                raise TimeoutError(f"upload {upload_id} is still being read after {timeout} s")
            time.sleep(interval)


class AsyncUploadClient:
    """The asynchronous twin of :class:`UploadClient`: ``AsyncFlinksClient.uploads(...)``."""

    def __init__(
        self, parent: _Async, client_id: str, client_secret: str, clock: Callable[[], float]
    ) -> None:
        self._parent = parent
        self._requests = UploadRequests(parent._core)
        request = self._requests.token(client_id, client_secret)
        self._bearer = AsyncTokenKeeper(lambda: parent._call(request, Token), clock).get

    async def send(self, documents: Sequence[Document], *, language: str = "en") -> wire.UploadState:
        request = self._requests.send(await self._bearer(), documents, language)
        return await self._parent._call(request, wire.UploadState, ok=(202,))

    async def state(self, upload_id: str) -> wire.UploadState:
        return await self._parent._call(
            self._requests.state(await self._bearer(), upload_id), wire.UploadState
        )

    async def wait(
        self, upload_id: str, *, timeout: float = 300.0, interval: float = 1.0
    ) -> wire.UploadState:
        deadline = time.monotonic() + timeout
        while True:
            found = await self.state(upload_id)
            if found.status in DONE:
                return found
            if time.monotonic() + interval > deadline:
                raise TimeoutError(f"upload {upload_id} is still being read after {timeout} s")
            await anyio.sleep(interval)
