"""Waking an instance's workers when an event is committed to its outbox, so a webhook leaves at once instead
of at the worker's next poll.

- In the process that commits: the transaction that wrote the event sets the instance's :class:`Wake` once
  it commits (:func:`on_commit`); a rolled-back transaction wakes nobody.
- In other processes, on PostgreSQL: the same transaction sends ``NOTIFY`` on the instance's database (one
  database per instance, so the channel is the instance's alone), delivered at commit; every worker keeps a
  :class:`Listener` connection that sets its own :class:`Wake` on each notification.
- In other processes, on SQLite: every worker of a file store keeps a named pipe beside the database file
  (``<database>-wake``, next to SQLite's own ``-wal`` and ``-shm``) open for reading, in a
  :class:`PipeListener` thread; a commit that wrote an event writes one byte to it (:func:`poke`). The byte
  carries nothing (it only says "look at the store"); the pipe is the instance's alone, beside its database.
- The worker's poll remains the fallback everywhere: for an in-memory store, a lost notification, a pipe that
  cannot be made.
"""

from __future__ import annotations

import functools
import logging
import os
import select
import stat
import threading
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session as DbSession

log = logging.getLogger("finstance.worker")

CHANNEL = "finstance_outbox"
_MARK = "finstance.wake"
_LISTENING: set[Path] = set()  # the wake pipes a worker of this process holds open


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


def on_commit(db: DbSession, wake: Wake, store_url: str) -> None:
    """Wake the workers when ``db``'s transaction commits: this process's through ``wake``, other processes'
    through ``NOTIFY`` (PostgreSQL) or the store's pipe (SQLite). Called once or many times in one
    transaction."""
    if db.info.get(_MARK):
        return
    db.info[_MARK] = True
    if _backend(store_url) == "postgresql":
        db.execute(text(f"NOTIFY {CHANNEL}"))
    pipe = pipe_path(store_url)

    def committed(_session: DbSession) -> None:
        wake.set()
        if pipe is not None and pipe not in _LISTENING:  # this process's own worker is woken by ``wake``
            poke(pipe)

    event.listen(db, "after_commit", committed, once=True)


@functools.cache
def _backend(store_url: str) -> str:
    return make_url(store_url).get_backend_name()


@functools.cache
def pipe_path(store_url: str) -> Path | None:
    """The wake pipe of a SQLite file store, beside its database; None for any other store (or a system
    without named pipes)."""
    url = make_url(store_url)
    database = url.database
    if url.get_backend_name() != "sqlite" or not hasattr(os, "mkfifo"):
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database).absolute()
    return path.with_name(path.name + "-wake")


def poke(pipe: Path) -> None:
    """Write one byte to a wake pipe, never blocking. Nothing to do when no worker ever made the pipe (it does
    not exist), none has it open now (``ENXIO``) or a wake is already pending (the pipe is full)."""
    try:
        fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):  # never write into a file that took the pipe's name
            os.write(fd, b"\0")
    except OSError:
        pass
    finally:
        os.close(fd)


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
        self.settled = threading.Event()  # set once the first LISTEN is in place or has failed

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
                    if self.settled.is_set():  # anything committed while nobody listened is due now
                        self._wake.set()
                    self.settled.set()  # the first time, the worker's first pass, which follows, finds it
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
                self.settled.set()


class PipeListener:
    """Holds a SQLite store's wake pipe open and sets ``wake`` when a byte arrives, in a thread of its own.

    It blocks in ``poll`` with no timeout (an idle region costs no CPU), on the pipe and on a signal of its
    own that :meth:`stop` sets. The pipe is open for reading and writing in one descriptor: a reader that is
    also a writer never sees the end-of-file that would otherwise follow each poker's close. Two descriptors
    in all (an ``eventfd`` for the signal), as a region serves many instances in one process.
    """

    def __init__(self, pipe: Path, wake: Wake, name: str) -> None:
        self._pipe = pipe
        self._wake = wake
        self._signal = _signal()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name=f"finstance-pipe-{name}", daemon=True)
        self.listening = threading.Event()  # set while the pipe is open
        self.settled = threading.Event()  # set once the pipe is open or cannot be

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        if self._stopped:
            return
        self._stopped = True
        os.write(self._signal[1], (1).to_bytes(8, "little"))  # an eventfd takes 8 bytes; a pipe, any
        if self._thread.is_alive():
            self._thread.join(timeout)
        if not self._thread.is_alive():  # a thread still in poll keeps its signal
            for fd in set(self._signal):
                os.close(fd)

    def _open(self) -> int | None:
        try:
            os.mkfifo(self._pipe, 0o600)
        except FileExistsError:
            pass
        except OSError as exc:
            log.warning("no wake pipe beside the store (%s); polling", type(exc).__name__)
            return None
        fd = os.open(self._pipe, os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.close(fd)
            log.warning("the store's wake pipe is not a pipe; polling")
            return None
        return fd

    def _run(self) -> None:
        try:
            fd = self._open()
        except OSError as exc:
            log.warning("could not open the store's wake pipe (%s); polling", type(exc).__name__)
            fd = None
        if fd is None:
            self.settled.set()
            return
        try:
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            poller.register(self._signal[0], select.POLLIN)
            self.listening.set()
            _LISTENING.add(self._pipe)
            # Anything committed while nobody listened is found by the worker's first pass, which follows.
            self.settled.set()
            while True:
                ready = {ready_fd for ready_fd, _ in poller.poll()}
                if self._signal[0] in ready:
                    return
                if fd in ready:
                    _drain(fd)
                    self._wake.set()
        finally:
            _LISTENING.discard(self._pipe)
            self.listening.clear()
            os.close(fd)


def _signal() -> tuple[int, int]:
    """What :meth:`PipeListener.stop` writes to and the thread polls: one ``eventfd`` where the system has it,
    else a pipe's two ends."""
    if hasattr(os, "eventfd"):
        fd = os.eventfd(0, os.EFD_CLOEXEC | os.EFD_NONBLOCK)
        return fd, fd
    return os.pipe()


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass
