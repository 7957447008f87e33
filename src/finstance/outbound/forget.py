"""Outbound's part of DeleteCard: a deleted login's consents are revoked by deletion (with their codes and
refresh tokens), and its consent flows go too. Access tokens already issued are refused from then on: each
call checks its consent."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from finstance.core.context import InstanceContext
from finstance.outbound import tables


def forget(ctx: InstanceContext, db: DbSession, login_id: str) -> None:
    consents = select(tables.Consent.id).where(tables.Consent.login_id == login_id)
    db.execute(delete(tables.AuthorizationCode).where(tables.AuthorizationCode.consent_id.in_(consents)))
    db.execute(delete(tables.Consent).where(tables.Consent.login_id == login_id))
    db.execute(delete(tables.ConsentFlow).where(tables.ConsentFlow.login_id == login_id))
