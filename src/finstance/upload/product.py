"""Upload's declaration. Its routes, tables, jobs and events are not built yet: the room and its paths are."""

from __future__ import annotations

from finstance.core.country import Country
from finstance.core.product import Product

PRODUCT = Product(
    name="upload",
    title="Upload",
    countries=frozenset(Country),
    paths=("/v3/{customerId}/upload",),
)
