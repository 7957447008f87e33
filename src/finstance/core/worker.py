"""The background worker of one instance: each product's periodic work (Connect's scheduled refreshes), due
jobs, then due webhook deliveries.

It runs as a thread inside ``finstance serve`` and as its own process with ``finstance worker``. Any number
of workers of one instance can run at once: everything they do is claimed in the store first.
"""

from __future__ import annotations

import logging
import threading

import httpx

from finstance.core import jobs, ratelimit, webhooks
from finstance.core.context import InstanceContext

log = logging.getLogger("finstance.worker")


def run_once(ctx: InstanceContext, client: httpx.Client) -> int:
    """One pass. Returns how much work was done (0: nothing was due)."""
    for product in ctx.products:
        if product.tick is not None:
            product.tick(ctx)
    ratelimit.prune(ctx)
    return jobs.run_due(ctx) + webhooks.deliver_due(ctx, client)


class Worker:
    """Runs :func:`run_once` in a background thread until stopped."""

    def __init__(self, ctx: InstanceContext) -> None:
        self.ctx = ctx
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self.run, name=f"finstance-worker-{ctx.spec.name}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the loop to end after the current pass (safe from a signal handler)."""
        self._stop.set()

    def stop(self, timeout: float = 20.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run(self) -> None:
        """The loop; call it directly to run in the foreground (``finstance worker``)."""
        with webhooks.new_client(self.ctx) as client:
            while not self._stop.is_set():
                try:
                    done = run_once(self.ctx, client)
                except Exception as exc:  # the type only: store errors carry row values
                    log.error("worker pass failed on instance %s: %s", self.ctx.spec.name, type(exc).__name__)
                    done = 0
                if not done:
                    self._stop.wait(self.ctx.settings.worker_poll_seconds)
