"""What a product brings to an instance, declared once and read by the app factory, the worker, DeleteCard
and the residency audit.

Every product (Connect, Enrich, Upload, Pay, Outbound) lives in a room of its own, ``finstance/<name>/``, and
declares itself in ``finstance/<name>/product.py`` as one :class:`Product`. Nothing registers itself at import
time: :func:`finstance.app.create_app` is handed the list of products and mounts those the instance's country
gets. A product the country does not get still owns its paths there: they answer ``METHOD_NOT_AVAILABLE``
naming the reason, so a client learns why rather than meeting a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from finstance.core.country import Country

if TYPE_CHECKING:
    from fastapi import APIRouter
    from pydantic import BaseModel
    from sqlalchemy.orm import Session as DbSession

    from finstance.core.context import InstanceContext
    from finstance.core.store.tables import Job

JobHandler = Callable[["InstanceContext", "Job"], None]
"""Runs one claimed job of the kind it is declared for."""

Forget = Callable[["InstanceContext", "DbSession", str], None]
"""Deletes everything the product holds for a loginId, in DeleteCard's transaction."""

Tick = Callable[["InstanceContext"], object]
"""Periodic work of the product, run by every pass of the instance's worker (e.g. scheduled refreshes)."""

Sweep = Callable[["InstanceContext"], object]
"""Lets go of what this process keeps in memory of the logins another process of the instance deleted
(DeleteCard): run every ``Settings.memory_sweep_seconds`` in each process of the instance, API or worker, by a
thread of its own (core/worker.py, Sweeper)."""

FastHandler = Callable[["InstanceContext", Mapping[bytes, bytes], bytes], "bytes | None"]
"""A hot path answered before the router (core/http/fastlane.py): given the request's headers (lower-case
names) and body, the exact bytes of the 200 JSON answer the route would give, or None to let the route answer.
It must answer None for anything it does not fully check itself."""


@dataclass(frozen=True, slots=True)
class FastRoute:
    """The handlers of one hot path (core/http/fastlane.py), tried in this order; the route answers what
    neither does.

    ``read`` never writes, and runs on the event loop (off SQLite, again for each row it reads, which is
    fetched on the loop in between: ``Store.reading_ahead``), so what it does before a read changes nothing.
    ``write`` may commit one transaction (``Store.transaction``), of the very rows the route would write for
    the same answer, and only when it answers: when it answers None it has written nothing (the route then
    answers and writes as it always does). On SQLite it is first tried on the event loop, where its
    transaction raises ``WouldWait`` rather than wait for the lock; it then runs again in the lane's threads,
    so what it does before its transaction may be done twice and must change nothing."""

    read: FastHandler | None = None
    write: FastHandler | None = None


@dataclass(frozen=True, slots=True)
class Product:
    name: str  # the room's name: connect, enrich, upload, pay, outbound
    title: str  # as the product is called in messages: "Pay"
    countries: frozenset[Country]  # the countries whose instances get it
    paths: tuple[str, ...] = ()  # path prefixes it answers under (refused where the country does not get it)
    routers: tuple[APIRouter, ...] = ()
    endpoints: tuple[str, ...] = ()  # BankingServices endpoint names, matched case-insensitively
    # Path prefixes after /v3/{customerId}/ (matched case-insensitively) whose bodies are a client's data in
    # bulk: they may be as large as Settings.max_upload_bytes instead of max_body_bytes.
    bulk_paths: tuple[str, ...] = ()
    # Path prefixes (as bulk_paths, or whole paths when they start with "/") whose bodies are an end-user's
    # files: up to Settings.max_files_bytes.
    file_paths: tuple[str, ...] = ()
    # Models of request bodies its routes read themselves (bulk bodies, parsed without per-item validation
    # objects): the OpenAPI document lists them among its schemas, for the routes that refer to them.
    schemas: tuple[type[BaseModel], ...] = ()
    jobs: Mapping[str, JobHandler] = field(default_factory=dict)  # job kind -> handler
    events: tuple[str, ...] = ()  # the webhook event types (ResponseType) it emits
    forget: Forget | None = None
    tick: Tick | None = None
    sweep: Sweep | None = None
    # (table, column) pairs of its tables that hold identifiers minted by the instance: the audit checks them.
    minted: tuple[tuple[Any, str], ...] = ()
    # Hot paths under /v3/{customerId}/: (method, the rest of the path, such as
    # "/BankingServices/GetAccountsDetail") -> the handlers that answer them before FastAPI's router, or
    # defer to the route (core/http/fastlane.py).
    fast: Mapping[tuple[str, str], FastRoute] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.countries:
            raise ValueError(f"product {self.name!r} serves no country")
        for path in self.paths:
            if not path.startswith("/") or path.endswith("/"):
                raise ValueError(
                    f"product {self.name!r}: path {path!r} must start with '/' and not end with it"
                )

    def serves(self, country: Country) -> bool:
        return country in self.countries

    def unavailable_message(self, country: Country) -> str:
        where = " and ".join(sorted(c.value for c in self.countries))
        return (
            f"{self.title} is not available on {country.value} instances: it serves {where} end-users only, "
            "on the instances of those countries."
        )


def check_products(products: tuple[Product, ...]) -> None:
    """Refuse a set of products that would collide: one name, job kind or event type claimed twice."""
    seen: dict[str, str] = {}
    for product in products:
        claims = [("product", product.name)]
        claims += [("job kind", kind) for kind in product.jobs]
        claims += [("event type", event) for event in product.events]
        claims += [("path", path) for path in product.paths]
        for what, value in claims:
            key = f"{what} {value}"
            if key in seen:
                raise ValueError(f"{what} {value!r} is declared by both {seen[key]!r} and {product.name!r}")
            seen[key] = product.name
