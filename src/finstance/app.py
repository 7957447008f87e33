"""The app of one instance, with every product: Connect, Enrich, Upload, Pay and Outbound.

This is the one place that names the products. :func:`create_app` hands them to the core's factory
(:func:`finstance.core.http.app.build_app`), which mounts those the instance's country gets.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import MetaData

from finstance.connect.product import PRODUCT as CONNECT
from finstance.core.clock import Clock
from finstance.core.context import KeySource
from finstance.core.http.app import build_app, mounted
from finstance.core.instance import InstanceSpec, Settings
from finstance.core.product import Product
from finstance.core.store.tables import Base
from finstance.enrich.product import PRODUCT as ENRICH
from finstance.outbound.product import PRODUCT as OUTBOUND
from finstance.pay.product import PRODUCT as PAY
from finstance.upload.product import PRODUCT as UPLOAD

PRODUCTS: tuple[Product, ...] = (CONNECT, ENRICH, UPLOAD, PAY, OUTBOUND)


def create_app(
    spec: InstanceSpec,
    settings: Settings | None = None,
    clock: Clock | None = None,
    keys: KeySource | None = None,
) -> FastAPI:
    """Build the app of one instance. Nothing is opened until the app's lifespan starts."""
    return build_app(spec, PRODUCTS, settings, clock, keys)


def schema() -> MetaData:
    """The whole schema of an instance's store: the core's tables and every product's (each product's
    ``tables`` module declares its own on the core's metadata, and is imported with its product above)."""
    return Base.metadata


def products_of(spec: InstanceSpec) -> tuple[Product, ...]:
    """The products an instance of this spec gets (what a worker or CLI context of it runs)."""
    return mounted(spec, PRODUCTS)


__all__ = ["PRODUCTS", "create_app", "products_of", "schema"]
