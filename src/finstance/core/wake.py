"""Waking an instance's workers when an event is committed to its outbox, so a webhook leaves at once instead
of at the worker's next poll.

- In the process that commits: the transaction that wrote the event sets the instance's :class:`Wake` once
  it commits (:func:`on_commit`); a rolled-back transaction wakes nobody.
- In other processes, on PostgreSQL: the same transaction sends ``NOTIFY`` on the instance's database (one
  database per instance, so the channel is the instance's alone), delivered at commit; every worker keeps a
  :class:`Listener` connection that sets its own :class:`Wake` on each notification.
- Everywhere else (a ``finstance worker`` process on SQLite): the worker's poll remains the fallback.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session as DbSession

log = logging.getLogger("finstance.worker")

CHANNEL = "finstance_outbox"
_MARK = "finstance.wake"


class Wake:
    """A flag a worker sleeps on between passes: set by a commit, a notification or a stop."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def clear(self) -> None:
        self._event.clear()

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)


def on_commit(db: DbSession, wake: Wake, *, notify: bool) -> None:
    """Wake the workers when ``db``'s transaction commits: this process's through ``wake``, other processes'
    through ``NOTIFY`` when ``notify`` (PostgreSQL). Called once or many times in one transaction."""
    if db.info.get(_MARK):
        return
    db.info[_MARK] = True
    if notify:
        db.execute(text(f"NOTIFY {CHANNEL}"))
    event.listen(db, "after_commit", lambda _session: wake.set(), once=True)


class Listener:
    """A PostgreSQL connection that ``LISTEN``s on the instance's channel and sets ``wake`` on each
    notification, in a thread of its own. It reconnects after a failure; meanwhile the poll covers."""

    def __init__(self, store_url: str, wake: Wake, name: str) -> None:
        self._conninfo = (
            make_url(store_url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        self._wake = wake
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"finstance-listen-{name}", daemon=True)
        self.listening = threading.Event()  # set while a LISTEN is in place

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg  # the PostgreSQL driver, only where the store is PostgreSQL

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._wake.set()  # anything committed while nobody listened is due now
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self._wake.set()
            except psycopg.Error as exc:  # the type only: a driver message can carry the connection string
                log.warning(
                    "outbox listener lost its connection: %s; polling until it is back", type(exc).__name__
                )
                self._stop.wait(1.0)
            finally:
                self.listening.clear()
