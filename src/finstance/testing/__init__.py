"""Test support for integrators: the toolbox, a Canadian and a U.S. instance, in-process.

::

    def test_connect_and_read(finstance_sandbox):           # the pytest plugin's fixture
        flinks = finstance_sandbox.flinks()                 # a Flinks router over demo-ca and demo-us
        ...

The pytest plugin (``finstance.testing.plugin``) is registered by installing finstance; its fixtures are
``finstance_sandbox`` (reset before each test), ``finstance_flinks`` and ``finstance_async_flinks``.
Outside pytest, use :class:`Sandbox` as a context manager. Names are imported lazily, so loading the
plugin costs nothing until a fixture is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from finstance.testing._sandbox import PortalTransport, Sandbox
    from finstance.testing._users import answers_for, connect, connect_async

__all__ = ["PortalTransport", "Sandbox", "answers_for", "connect", "connect_async"]


# connect and answers_for need only the SDK: they work with the base install against a separate server.
_USERS = {"answers_for", "connect", "connect_async"}


def __getattr__(name: str) -> Any:
    if name in _USERS:
        from finstance.testing import _users

        return getattr(_users, name)
    if name in __all__:
        from finstance.testing import _sandbox

        return getattr(_sandbox, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
