"""Bearer tokens of the client-credentials APIs (Pay, Upload), kept until a minute before they expire, so a
client asks for one only when it needs a new one; a lock keeps concurrent callers to one request."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable

import anyio
from pydantic import BaseModel, Field

MARGIN = 60.0  # seconds before its expiry a token is no longer used


class Token(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 (a scheme name)
    expires_in: int = Field(ge=1)


class TokenKeeper:
    def __init__(self, fetch: Callable[[], Token], clock: Callable[[], float]) -> None:
        self._fetch, self._clock = fetch, clock
        self._kept: tuple[str, float] | None = None
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            if self._kept is None or self._clock() >= self._kept[1]:
                issued = self._fetch()
                self._kept = (issued.access_token, self._clock() + max(issued.expires_in - MARGIN, 1))
            return self._kept[0]


class AsyncTokenKeeper:
    def __init__(self, fetch: Callable[[], Awaitable[Token]], clock: Callable[[], float]) -> None:
        self._fetch, self._clock = fetch, clock
        self._kept: tuple[str, float] | None = None
        self._lock = anyio.Lock()

    async def get(self) -> str:
        async with self._lock:
            if self._kept is None or self._clock() >= self._kept[1]:
                issued = await self._fetch()
                self._kept = (issued.access_token, self._clock() + max(issued.expires_in - MARGIN, 1))
            return self._kept[0]
