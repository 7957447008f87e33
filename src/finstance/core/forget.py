"""One owner of login-scoped data: forgetting a login asks every product of the instance, then the core.

DeleteCard (Connect's endpoint) calls :func:`forget_login` in its transaction. Each mounted product deletes
what it holds for the login (``Product.forget``), the products declared last first, so that a product built
on Connect's data lets go of it before Connect does. Then the core forgets the login's jobs and its outbox
events (whose bodies hold the login's KYC and transactions); deliveries not yet sent are cancelled.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session as DbSession

from finstance.core import webhooks
from finstance.core.context import InstanceContext
from finstance.core.store import tables


def forget_login(ctx: InstanceContext, db: DbSession, login_id: str) -> None:
    """Delete everything this instance holds for ``login_id``, in the caller's transaction."""
    for product in reversed(ctx.products):
        if product.forget is not None:
            product.forget(ctx, db, login_id)
    db.execute(delete(tables.Job).where(tables.Job.login_id == login_id))
    webhooks.forget_login(db, login_id)
