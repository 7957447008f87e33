"""The background worker of one instance: each product's periodic work (Connect's scheduled refreshes), due
jobs, then due webhook deliveries. And the sweeper every process of an instance runs, worker or API: each
product lets go of what the process keeps in memory of logins deleted by another process.

It runs as a thread inside ``finstance serve`` and as its own process with ``finstance worker``. Any number
of workers of one instance can run at once: everything they do is claimed in the store first.
"""

from __future__ import annotations

import logging
import threading
import time
import zlib
from typing import TYPE_CHECKING

from finstance.core import clients, jobs, ratelimit, webhooks
from finstance.core.context import InstanceContext
from finstance.core.wake import Listener, PipeListener, pipe_path

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("finstance.worker")


# How often a worker forgets rate windows that are over and API tokens that have expired. Both are refused by
# their times before they go, and each prune is a write: not at every poll.
PRUNE_EVERY_SECONDS = 60.0
# How long a worker waits for its listener before its first pass (the listener may wait on PostgreSQL).
LISTEN_WAIT_SECONDS = 5.0
# The first passes of a process's workers are spread over this (or the poll, when it is shorter).
FIRST_PASS_SPREAD_SECONDS = 1.0


def run_once(ctx: InstanceContext, client: httpx.Client | webhooks.Sender, *, prune: bool = True) -> int:
    """One pass. Returns how much work was done (0: nothing was due)."""
    for product in ctx.products:
        if product.tick is not None:
            product.tick(ctx)
    if prune:
        ratelimit.prune(ctx)
        clients.prune(ctx)
    return jobs.run_due(ctx) + webhooks.deliver_due(ctx, client)


def sweep_memory(ctx: InstanceContext) -> None:
    """Each product lets go of what this process keeps of the logins deleted by another (Product.sweep), and
    the store of the rows its hot reads converted and keep (any of them may be a deleted login's)."""
    for product in ctx.products:
        if product.sweep is not None:
            try:
                product.sweep(ctx)
            except Exception as exc:  # the type only: store errors carry row values
                log.error("%s's memory sweep failed on instance %s: %s", product.title, ctx.spec.name,
                          type(exc).__name__)  # fmt: skip
    ctx.store.forget_seen()


class Sweeper:
    """Runs :func:`sweep_memory` every ``Settings.memory_sweep_seconds`` in a thread of its own until stopped,
    so that neither a worker's long pass nor a busy request pool delays it. Every process of an instance runs
    one: its worker's (:class:`Worker` starts it), or its API's when it runs no worker. None runs for a store
    no other process can open (an in-memory database): nothing can be deleted elsewhere."""

    def __init__(self, ctx: InstanceContext) -> None:
        self.ctx = ctx
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"finstance-sweeper-{ctx.spec.name}", daemon=True
        )

    def start(self) -> None:
        if self.ctx.store.shared:
            self._thread.start()

    def stop(self, timeout: float = 20.0) -> None:
        """Stop, once the sweep under way (if any) has ended: the store may be closed after."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        every = max(self.ctx.settings.memory_sweep_seconds, 0.01)
        # The sweepers of a region's instances do not all sweep at the same moment.
        wait = every * (1 + first_share(self.ctx.spec.name))
        while not self._stop.wait(wait):
            sweep_memory(self.ctx)
            wait = every


def first_share(name: str) -> float:
    """The share, in [0, 1), of :data:`FIRST_PASS_SPREAD_SECONDS` (or of the poll, when it is shorter) that
    the worker of instance ``name`` waits before its first pass: spread evenly over names, the same at every
    start."""
    return zlib.crc32(name.encode()) / 2**32


class Worker:
    """Runs :func:`run_once` in a background thread until stopped.

    Between passes it sleeps until the instance's wake is set (an outbox event committed in this process,
    or in another one: a PostgreSQL notification, a byte in a SQLite store's wake pipe) or the poll interval
    passes, whichever comes first.
    """

    def __init__(self, ctx: InstanceContext) -> None:
        self.ctx = ctx
        self._stop = threading.Event()
        self.passes = 0  # passes done so far (after each, the worker sleeps unless there was work)
        self._thread = threading.Thread(
            target=self.run, name=f"finstance-worker-{ctx.spec.name}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the loop to end after the current pass (safe from a signal handler)."""
        self._stop.set()
        self.ctx.wake.set()

    def stop(self, timeout: float = 20.0) -> None:
        self.request_stop()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run(self) -> None:
        """The loop; call it directly to run in the foreground (``finstance worker``)."""
        listener: Listener | PipeListener | None = None
        pipe = pipe_path(self.ctx.store.url)
        if self.ctx.store.backend == "postgresql":
            listener = Listener(self.ctx.store.url, self.ctx.wake, self.ctx.spec.name)
        elif pipe is not None:
            listener = PipeListener(pipe, self.ctx.wake, self.ctx.spec.name)
        if listener is not None:
            listener.start()
        sweeper = Sweeper(self.ctx)
        sweeper.start()
        try:
            sender = webhooks.Sender(self.ctx)
            try:
                # The first pass comes once the listener listens (it finds what was committed before), after
                # this instance's share of a poll; an event committed meanwhile wakes it at once. The workers
                # of a region's instances do not all run their first pass while the process starts (each
                # compiles its statements), nor all poll at the same moment afterwards.
                if listener is not None:
                    listener.settled.wait(LISTEN_WAIT_SECONDS)
                spread = min(self.ctx.settings.worker_poll_seconds, FIRST_PASS_SPREAD_SECONDS)
                self.ctx.wake.wait(spread * first_share(self.ctx.spec.name))
                pruned_at: float | None = None
                while not self._stop.is_set():
                    self.ctx.wake.clear()  # a wake during the pass below makes the next wait return at once
                    prune = pruned_at is None or time.monotonic() - pruned_at >= PRUNE_EVERY_SECONDS
                    if prune:
                        pruned_at = time.monotonic()
                    try:
                        done = run_once(self.ctx, sender, prune=prune)
                    except Exception as exc:  # the type only: store errors carry row values
                        log.error(
                            "worker pass failed on instance %s: %s", self.ctx.spec.name, type(exc).__name__
                        )
                        done = 0
                    self.passes += 1
                    if not done and not self._stop.is_set():
                        self.ctx.wake.wait(self.ctx.settings.worker_poll_seconds)
            finally:
                sender.close()
        finally:
            sweeper.stop()
            if listener is not None:
                listener.stop()
