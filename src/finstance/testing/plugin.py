"""The pytest plugin of finstance (entry point ``pytest11``): in-process Flinks instances as fixtures.

- ``finstance_sandbox``: a :class:`finstance.testing.Sandbox` (toolbox, demo-ca, demo-us), started once
  per session on first use and reset before each test that uses it.
- ``finstance_flinks``: a sync :class:`finstance.client.Flinks` router over it, with a login store in
  the test's temporary directory.
- ``finstance_async_flinks``: the async router (for async tests).

Nothing is imported or started until a test asks for one of these fixtures.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

try:  # strict mode needs pytest-asyncio's own decorator; auto mode accepts either
    from pytest_asyncio import fixture as async_fixture
except ImportError:  # pragma: no cover (without pytest-asyncio, async fixtures are not available anyway)
    async_fixture = pytest.fixture  # type: ignore[assignment]

if TYPE_CHECKING:
    from finstance.client import AsyncFlinks, Flinks
    from finstance.testing import Sandbox


@pytest.fixture(scope="session")
def _finstance_session_sandbox() -> Iterator[Sandbox]:
    from finstance.testing import Sandbox

    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def finstance_sandbox(_finstance_session_sandbox: Sandbox) -> Sandbox:
    """toolbox, demo-ca and demo-us in-process, empty at the start of the test."""
    _finstance_session_sandbox.reset()
    return _finstance_session_sandbox


@pytest.fixture
def finstance_flinks(finstance_sandbox: Sandbox, tmp_path: Path) -> Iterator[Flinks]:
    from finstance.client import LoginStore

    logins = LoginStore(path=tmp_path / "flinks-logins.db")
    with finstance_sandbox.flinks(logins=logins) as flinks:
        yield flinks
    logins.close()


@async_fixture
async def finstance_async_flinks(finstance_sandbox: Sandbox, tmp_path: Path) -> AsyncIterator[AsyncFlinks]:
    from finstance.client import LoginStore

    logins = LoginStore(path=tmp_path / "flinks-logins.db")
    async with finstance_sandbox.async_http() as http, finstance_sandbox.async_flinks(http, logins) as flinks:
        yield flinks
    logins.close()
