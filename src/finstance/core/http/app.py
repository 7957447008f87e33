"""The app factory of the core: one instance's app, built from its spec and the products it gets.

The store is opened in the lifespan, never at import time. ``products`` are the declarations of
:mod:`finstance.core.product`; this module imports none of them (:func:`finstance.app.create_app` hands them
over). A product the instance's country does not get is not mounted: its paths answer METHOD_NOT_AVAILABLE.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

import finstance
from finstance.core import errors
from finstance.core.clock import Clock, SystemClock
from finstance.core.context import InstanceContext, KeySource
from finstance.core.http import errors as http_errors
from finstance.core.http import observability
from finstance.core.http.fastlane import FastLane, InstanceApp
from finstance.core.http.middleware import BodyLimit, CanonicalPaths, CatchAll
from finstance.core.instance import InstanceSpec, Settings
from finstance.core.product import Product, check_products
from finstance.core.store import Store
from finstance.core.store.stamp import ensure_stamp
from finstance.core.worker import Sweeper, Worker


@cache
def _keep_built() -> None:
    """Once a process: what it has built by the time it starts serving (modules, apps and their routes,
    stores) lives as long as it does, so the collector's full passes leave it out from then on. Walking all of
    it took a pass about a tenth of a second, holding every request (a cached GetAccountsDetail's p99 on
    PostgreSQL: 95 ms with it, 10 ms without)."""
    gc.freeze()


def _open(
    spec: InstanceSpec,
    settings: Settings,
    clock: Clock,
    keys: KeySource | None,
    products: tuple[Product, ...],
) -> InstanceContext:
    store = Store(spec.store_url)
    try:
        if settings.migrate_on_start:
            store.migrate()
        ensure_stamp(store, spec, clock.now())
    except BaseException:
        store.dispose()
        raise
    return InstanceContext(
        spec=spec, store=store, clock=clock, settings=settings, keys=keys, products=products
    )


def mounted(spec: InstanceSpec, products: Sequence[Product]) -> tuple[Product, ...]:
    """The products this instance gets: those that serve its country."""
    return tuple(p for p in products if p.serves(spec.country))


def build_app(
    spec: InstanceSpec,
    products: Sequence[Product],
    settings: Settings | None = None,
    clock: Clock | None = None,
    keys: KeySource | None = None,
) -> FastAPI:
    """Build the app of one instance. Nothing is opened until the app's lifespan starts.

    ``keys`` supplies the current key hashes when they can change while serving (rotation); by default
    they are the spec's.
    """
    settings = settings or Settings()
    clock = clock or SystemClock()
    check_products(tuple(products))
    served = mounted(spec, products)

    @asynccontextmanager
    async def lifespan(app: InstanceApp) -> AsyncIterator[None]:
        ctx = await anyio.to_thread.run_sync(_open, spec, settings, clock, keys, served)
        # The process's pool of request threads (shared by every app of the process, set to the same value).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        app.state.ctx = ctx
        worker = sweeper = None
        if settings.run_worker:
            worker = Worker(ctx)  # with its sweeper
            worker.start()
        else:
            sweeper = Sweeper(ctx)
            sweeper.start()
        _keep_built()
        try:
            yield
        finally:
            if sweeper is not None:
                await anyio.to_thread.run_sync(sweeper.stop)
            if worker is not None:
                await anyio.to_thread.run_sync(worker.stop)
            if app.lane is not None:
                app.lane.close()
            ctx.store.dispose()

    titles = ", ".join(p.title for p in served)
    app = InstanceApp(
        title=f"finstance: {spec.name} ({spec.country.value})",
        version=finstance.__version__,
        description=f"Flinks-compatible API of one instance ({titles}). "
        "Every error carries HttpStatusCode, FlinksCode and Message.",
        lifespan=lifespan,
        docs_url=None,  # served by _docs below, from this server's own files
        redoc_url=None,
    )
    app.state.spec = spec
    app.router.redirect_slashes = False  # a 307 would carry no Flinks body and echo the Host: a 404 instead
    http_errors.install(app)
    for product in served:
        for router in product.routers:
            _include(app, router)
    for product in products:
        if not product.serves(spec.country):
            app.include_router(_refusal(product, spec))
    _include(app, observability.router)
    app.include_router(_docs(app.title))
    app.state.metrics = observability.Metrics()
    app.state.schemas = [model for p in served for model in p.schemas]
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if settings.fast_lane:  # before every middleware below: see core/http/fastlane.py
        app.lane = FastLane(spec.customer_id, served, settings.max_body_bytes)
    app.add_middleware(CanonicalPaths, names=[name for p in served for name in p.endpoints])
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        large=[(path, settings.max_upload_bytes) for p in served for path in p.bulk_paths]
        + [(path, settings.max_files_bytes) for p in served for path in p.file_paths],
    )
    app.add_middleware(CatchAll)
    app.add_middleware(observability.Measure, metrics=app.state.metrics)  # outermost: counts the 500s too
    return app


_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _include(app: FastAPI, router: APIRouter) -> None:
    """Include a product's router, sharing with every app of the process what FastAPI builds of it.

    FastAPI builds an included router's routes (their parameters' and bodies' validators) at the first
    request that reaches them, for each inclusion: in a region of 50 instances, about 50 ms an instance
    before its first answer. A product's router is included the same way in every app (no prefix, no
    dependencies or overrides of the app's own), so the first app's inclusion, with what it has built, is
    every app's.
    """
    shared = _INCLUDED.get(id(router))
    if shared is None:
        app.include_router(router)
        shared = _INCLUDED[id(router)] = app.router.routes[-1]
        return
    app.router.routes.append(shared)
    app.router._mark_routes_changed()


_INCLUDED: dict[int, BaseRoute] = {}  # id of a product's router (a module constant) -> its inclusion


def _refusal(product: Product, spec: InstanceSpec) -> APIRouter:
    """Every path of a product this instance's country does not get: the reason, in a Flinks body."""
    message = product.unavailable_message(spec.country)

    async def refuse() -> None:
        raise errors.MethodNotAvailable(message)

    router = APIRouter(include_in_schema=False)
    for prefix in product.paths:
        router.add_api_route(prefix, refuse, methods=_METHODS)
        router.add_api_route(prefix + "/{rest:path}", refuse, methods=_METHODS)
    return router


# Swagger UI's files, from the swagger-ui-bundle-v2 package (Apache-2.0): /docs loads nothing from another
# host, so it works offline.
DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
DOCS_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
}


def _docs(title: str) -> APIRouter:
    """``/docs``: Swagger UI over ``/openapi.json``, its script, style and icon served under /docs/assets."""
    router = APIRouter(include_in_schema=False)
    folder = Path(str(swagger_ui_path))

    async def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{title} - Swagger UI",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from the online validator
        )
        page.headers.update(DOCS_HEADERS)
        return page

    async def asset(name: str) -> Response:
        media_type = DOCS_ASSETS.get(name)
        if media_type is None:
            raise errors.NotFound("No such file.")
        headers = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}
        return FileResponse(folder / name, media_type=media_type, headers=headers)

    router.add_api_route("/docs", docs, methods=["GET"])
    router.add_api_route("/docs/assets/{name}", asset, methods=["GET"])
    return router


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, minus its own 422 error shape (every error here is a Flinks error body), plus the
    schemas of the bodies products read themselves."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            operation.get("responses", {}).pop("422", None)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    for model in app.state.schemas:  # bodies the products read themselves: their routes refer to these
        document = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
        components.update(document.pop("$defs", {}))
        components[model.__name__] = document
    app.openapi_schema = schema
    return schema
