"""Pay's part of DeleteCard: the sessions a deleted login paid with go (their payor's names and account)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session as DbSession

from finstance.core.context import InstanceContext
from finstance.pay import tables


def forget(ctx: InstanceContext, db: DbSession, login_id: str) -> None:
    db.execute(delete(tables.PaySession).where(tables.PaySession.login_id == login_id))
