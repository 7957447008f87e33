"""The serialized data of GetAccountsDetail answers, kept in memory so that a cached login's data is not
built from its rows again at every call.

What an answer holds besides its envelope (the accounts with their transactions and holder, the statements
when asked for) depends only on the login's data, the day of its last refresh (the window of transactions
ends there) and the call's options. The data of a login changes only when an aggregation saves other data,
which changes ``Login.data_digest`` in the same transaction, or when DeleteCard removes it. So an entry is
keyed by the login, its data digest and the day of its ``last_refresh`` as the data call reads them, and the
options (without their RequestId): data saved by any process of the instance changes the key every process
looks up, and nothing is ever served from other data. A refresh that brought the same data the same day
leaves the key as it was, so every process keeps answering from what it kept. This process also drops a
login's other entries once it commits a refresh of it.

The cache also holds the rows of the profiles this process aggregated lately (``aggregation._rows``), so that
a login refreshed again and again builds and digests its rows once: at most ``ROWS`` profiles in the process,
whatever the number of its stores. Everything a cache holds of a login goes once the login is deleted: at once
in the process that committed the DeleteCard (:func:`forget`), and in the instance's other processes at their
next :func:`sweep` (one read of which of the logins kept are still stored), which each process runs every
``Settings.memory_sweep_seconds`` (``core/worker.py``, ``Sweeper``).

One cache per store, so one instance's answers are never looked up by another, bounded in bytes (least
recently used first out) by ``Settings.document_cache_bytes``.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from finstance.connect import tables
from finstance.core.context import InstanceContext
from finstance.core.store import Store

# Login id, its data digest (or, for data saved without one, its last refresh), the day of its last refresh,
# the options (canonical JSON, no RequestId).
Key = tuple[str, str, date, bytes]
Data = tuple[str, date]  # the two in the middle: which data, on which day
# What an answer's envelope shows besides its document's key: the session, its institution and tag, the login.
Envelope = tuple[object, ...]

# Whole answers kept (envelope and document, serialized), the least recently served first out: at most this
# many, in at most a quarter of the cache's bytes (on top of the documents' bytes).
ANSWERS = 64
ANSWER_SHARE = 4
# The rows of this many profiles aggregated lately are kept in the process, by the cache of their store, the
# profile object (its id) and the login.
ROWS = 32
RowsKey = tuple[int, str]
_ROWS: OrderedDict[tuple[int, int, str], object] = OrderedDict()
_ROWS_LOCK = threading.Lock()


def _drop_rows(cache_id: int) -> None:
    """A cache is gone (its store was): the rows kept for it go too."""
    with _ROWS_LOCK:
        for key in [key for key in _ROWS if key[0] == cache_id]:
            del _ROWS[key]


class DocumentCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Key, tuple[bytes, ...]] = OrderedDict()
        self._by_login: dict[str, set[Key]] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        # The whole answers of the sessions served lately: a session asking again with the same options is
        # answered with the same bytes, not spliced and serialized again. Only while its document is kept.
        self._answers: OrderedDict[tuple[Key, Envelope], bytes] = OrderedDict()
        self._answer_bytes = 0
        weakref.finalize(self, _drop_rows, id(self))

    def get(self, key: Key) -> tuple[bytes, ...] | None:
        with self._lock:
            parts = self._entries.get(key)
            if parts is not None:
                self._entries.move_to_end(key)
            return parts

    def answer(self, key: Key, envelope: Envelope) -> bytes | None:
        """The whole answer kept for a document and an envelope, while the document is kept."""
        with self._lock:
            body = self._answers.get((key, envelope))
            if body is not None:
                self._answers.move_to_end((key, envelope))
            return body

    def keep_answer(self, key: Key, envelope: Envelope, body: bytes) -> None:
        limit = self.max_bytes // ANSWER_SHARE
        if len(body) > limit:
            return
        with self._lock:
            if key not in self._entries:  # its document went meanwhile (a refresh, a DeleteCard)
                return
            if (key, envelope) in self._answers:  # another thread kept it first
                return
            self._answers[(key, envelope)] = body
            self._answer_bytes += len(body)
            while len(self._answers) > ANSWERS or self._answer_bytes > limit:
                _, old = self._answers.popitem(last=False)
                self._answer_bytes -= len(old)

    def put(self, key: Key, parts: tuple[bytes, ...]) -> None:
        """Keep ``parts`` under ``key``, unless something is kept there already (the same bytes)."""
        size = sum(len(p) for p in parts)
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = parts
            self._by_login.setdefault(key[0], set()).add(key)
            self._bytes += size
            while self._bytes > self.max_bytes:
                old, old_parts = self._entries.popitem(last=False)
                self._drop(old, old_parts)

    def rows(self, key: RowsKey) -> object | None:
        """The rows kept under ``key`` (a profile's id and its login), or None."""
        full = (id(self), *key)
        with _ROWS_LOCK:
            rows = _ROWS.get(full)
            if rows is not None:
                _ROWS.move_to_end(full)
            return rows

    def keep_rows(self, key: RowsKey, rows: object) -> None:
        with _ROWS_LOCK:
            _ROWS[(id(self), *key)] = rows
            while len(_ROWS) > ROWS:
                _ROWS.popitem(last=False)

    def rows_of(self) -> set[str]:
        """The logins whose rows are kept for this cache."""
        mine = id(self)
        with _ROWS_LOCK:
            return {login_id for cache_id, _, login_id in _ROWS if cache_id == mine}

    def logins(self) -> set[str]:
        """The logins whose data this cache holds (documents, whole answers, rows)."""
        rows = self.rows_of()
        with self._lock:
            return set(self._by_login) | rows

    def forget(self, login_id: str, *, keep: Data | None = None) -> None:
        """Drop the login's entries, but for those of the data ``keep``; without ``keep``, its rows too."""
        if keep is None:
            mine = id(self)
            with _ROWS_LOCK:
                for gone in [key for key in _ROWS if key[0] == mine and key[2] == login_id]:
                    del _ROWS[gone]
        with self._lock:
            keys = self._by_login.pop(login_id, set())
            kept = {key for key in keys if key[1:3] == keep}
            for key in keys - kept:
                parts = self._entries.pop(key)
                self._bytes -= sum(len(p) for p in parts)
            if kept:
                self._by_login[login_id] = kept
            self._drop_answers(lambda key: key[0] == login_id and key not in kept)

    def _drop(self, key: Key, parts: tuple[bytes, ...]) -> None:
        self._bytes -= sum(len(p) for p in parts)
        self._drop_answers(lambda kept: kept == key)
        keys = self._by_login.get(key[0])
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._by_login[key[0]]

    def _drop_answers(self, dropped: Callable[[Key], bool]) -> None:
        for found in [k for k in self._answers if dropped(k[0])]:
            self._answer_bytes -= len(self._answers.pop(found))

    @property
    def answers(self) -> int:
        """How many whole answers are kept."""
        return len(self._answers)

    @property
    def answer_bytes(self) -> int:
        """The bytes of the whole answers kept."""
        return self._answer_bytes

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        return self._bytes


_CACHES: weakref.WeakKeyDictionary[Store, DocumentCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def cache(ctx: InstanceContext) -> DocumentCache | None:
    """The cache of ``ctx``'s store, or None when the instance keeps none."""
    if ctx.settings.document_cache_bytes <= 0:
        return None
    found = _CACHES.get(ctx.store)
    if found is None:
        with _CACHES_LOCK:
            found = _CACHES.setdefault(ctx.store, DocumentCache(ctx.settings.document_cache_bytes))
    return found


def changed(ctx: InstanceContext, login_id: str, *, now: Data | None = None) -> None:
    """A refresh of ``login_id`` (whose data is now ``now``, when known) was committed by this process: forget
    its answers, but for those of its data now."""
    found = _CACHES.get(ctx.store)
    if found is not None:
        found.forget(login_id, keep=now)


def forget(ctx: InstanceContext, *login_ids: str) -> None:
    """The logins were deleted: this process keeps nothing of them, answers, rows, or rows the store's hot
    reads converted (``Store.forget_seen``)."""
    found = _CACHES.get(ctx.store)
    if found is not None:
        for login_id in login_ids:
            found.forget(login_id)
    ctx.store.forget_seen()


_SWEEP_BATCH = 500  # login ids asked for in one statement


def sweep(ctx: InstanceContext) -> int:
    """Forget the logins another process deleted: those this process keeps data of that the store no longer
    holds. Returns how many were forgotten. One read, and only when something is kept."""
    found = _CACHES.get(ctx.store)
    logins = found.logins() if found is not None else set()
    if not logins:
        return 0
    asked = sorted(logins)
    stored: set[str] = set()
    with ctx.store.read() as db:
        for start in range(0, len(asked), _SWEEP_BATCH):
            ids = asked[start : start + _SWEEP_BATCH]
            stored.update(db.scalars(select(tables.Login.id).where(tables.Login.id.in_(ids))))
    gone = logins - stored
    if gone:
        forget(ctx, *gone)
    return len(gone)
