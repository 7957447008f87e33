"""Upload's part of DeleteCard: a deleted login's uploads go, with their documents' bytes and everything read
from them. Connect forgets the data they were saved as; the core, the job and its webhooks."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session as DbSession

from finstance.core.context import InstanceContext
from finstance.upload import tables


def forget(ctx: InstanceContext, db: DbSession, login_id: str) -> None:
    db.execute(delete(tables.UploadDocument).where(tables.UploadDocument.login_id == login_id))
    db.execute(delete(tables.Upload).where(tables.Upload.login_id == login_id))
