"""Which RequestIds may read a login's attributes and categories, as Flinks' Enrich rules say.

A login's attributes are read with a RequestId of that login (usually a cached ``/Authorize``) after
GetAccountsDetail was called with it: while the aggregation runs they answer 202, and they can be read for
``Settings.attributes_window`` (8 minutes) counted from the RequestId's first data call; later, 400
SESSION_EXPIRED. Reading them changes nothing: the RequestId's idle clock is not restarted.
"""

from __future__ import annotations

from finstance.connect import reads
from finstance.connect.reads import ReadySession
from finstance.core import errors
from finstance.core.context import InstanceContext

ENDED = "RequestId is invalid or session has ended."
NO_DETAIL = (
    "Call GetAccountsDetail with this RequestId first: attributes and categories are computed from the "
    "accounts it returns."
)


def open_for_enrich(ctx: InstanceContext, login_id: str, request_id: str) -> ReadySession:
    """The ready session of ``request_id``, checked to belong to ``login_id`` and to be within its window."""
    with ctx.store.read() as db:
        login = reads.find_login(ctx, db, login_id)
    session = reads.ready_session(ctx, request_id)
    if session.login_id != login.id:
        raise errors.SessionNonexistent(ENDED, request_id=session.request_id)
    if not session.detail_requested or session.data_started_at is None:
        raise errors.InvalidRequest(NO_DETAIL, request_id=session.request_id)
    if ctx.clock.now() >= session.data_started_at + ctx.settings.attributes_window:
        raise errors.SessionExpired(ENDED, request_id=session.request_id)
    return session
