"""Enrich's declaration: attributes and categories of a login's transactions, and of transactions a client
uploads, on every instance. It keeps nothing of its own: every answer is computed from the instance's store
(or from the request's own transactions), so DeleteCard and the residency audit have no Enrich table to cover.
"""

from __future__ import annotations

from finstance.core.country import Country
from finstance.core.product import Product
from finstance.enrich import api, wire

PRODUCT = Product(
    name="enrich",
    title="Enrich",
    countries=frozenset(Country),
    paths=(
        "/v3/{customerId}/insight",
        "/v3/{customerId}/attributes",
        "/v3/{customerId}/categorization",
        "/v3/{customerId}/Categorization",
    ),
    routers=api.ROUTERS,
    endpoints=("Categories",),
    bulk_paths=("attributes/upload", "categorization/upload"),
    schemas=(wire.UploadRequest,),
)
