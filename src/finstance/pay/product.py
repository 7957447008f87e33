"""Pay's declaration: on Canadian instances only, under ``/pay``; a U.S. instance refuses every /pay path."""

from __future__ import annotations

from finstance.core.country import Country
from finstance.core.product import Product
from finstance.pay import api, eft, events, settlement, tables, widget
from finstance.pay.forget import forget
from finstance.pay.web import pad, routes

PRODUCT = Product(
    name="pay",
    title="Pay",
    countries=frozenset({Country.CA}),
    paths=("/pay",),
    routers=(api.router, eft.router, routes.router, pad.router),
    events=(*events.EVENTS, widget.GUARANTEE_ISSUED),
    forget=forget,
    tick=settlement.tick,
    minted=(
        (tables.PaySession, "id"),
        (tables.PaySession, "login_id"),
        (tables.PaySession, "file_id"),
        (tables.PayFile, "id"),
        (tables.PayContact, "id"),
        (tables.PayContactAccount, "id"),
        (tables.PayContactAccount, "contact_id"),
        (tables.PaySchedule, "id"),
        (tables.PaySchedule, "pad_id"),
        (tables.PaySchedule, "contact_id"),
        (tables.PaySchedule, "account_id"),
        (tables.PayRequest, "id"),
        (tables.PayRequest, "schedule_id"),
        (tables.PayRequest, "file_id"),
    ),
)
