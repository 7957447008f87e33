"""When a failed call is sent again, and after how long: one decision shared by both clients.

The rule is about side effects. A call is sent again only when sending it twice cannot do twice what it
does once:

- A **connection that was never made** (``httpx.ConnectError``, ``ConnectTimeout``, ``PoolTimeout``)
  means nothing reached the server, so every call may be sent again, ``/Authorize`` included.
- Once the request **may have reached the server** (a read or write error or timeout, a 5xx, 429,
  ``RETRY_LATER``), only **replay-safe** calls are sent again: the data reads and their Async polls,
  ``GetMFAQuestions``, ``Institutions``, and the two setters whose second call leaves the same state
  (``SetScheduledRefresh``, ``AnswerMFAQuestions``). ``GenerateAuthorizeToken`` (mints a token),
  ``/Authorize`` live or cached (spends a token, opens a session at the institution, mints a RequestId)
  and ``DeleteCard`` (a second call answers "invalid LoginId") are never sent again after that point;
  their error reaches the caller, who decides.
- ``AGGREGATION_ERROR`` (500) is the final outcome of an aggregation, not a transient failure: not retried.
- A ``Retry-After`` (seconds or an HTTP date) is honoured as given; one longer than
  :attr:`RetryPolicy.max_retry_after` ends the retries instead of blocking the caller.
- Otherwise the wait is capped exponential backoff with jitter: ``base * 2**(n-1)``, at most ``max_delay``,
  drawn uniformly from its upper half so that clients that failed together do not retry together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

# Endpoints whose second call, after the first may have been processed, changes nothing more.
REPLAY_SAFE = frozenset(
    {
        "GetAccountsSummary",
        "GetAccountsDetail",
        "GetStatements",
        "GetAccountsSummaryAsync",
        "GetAccountsDetailAsync",
        "GetStatementsAsync",
        "GetMFAQuestions",
        "Institutions",
        "SetScheduledRefresh",
        "AnswerMFAQuestions",
        # Enrich computes from what is stored (or sent) and stores nothing.
        "GetIncomeAttributes",
        "GetLendingAttributes",
        "GetCreditRiskAttributes",
        "GetUserAnalysisAttributes",
        "GetBusinessAnalysisAttributes",
        "GetAllAttributes",
        "GetAllBusinessAttributes",
        "Attributes",
        "GetCategorization",
        "Categories",
        "AttributesLibrary",
        "AttributesUpload",
        "CategorizationUpload",
    }
)

# Transport errors raised before any byte of the request could reach the server.
NOT_SENT: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many attempts a call gets and how long to wait between them.

    ``max_attempts`` counts the first one: ``RetryPolicy(max_attempts=1)`` never retries."""

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("delays must not be negative")

    def backoff(self, attempt: int) -> float:
        """The jittered wait after failed attempt number ``attempt`` (1-based)."""
        cap = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return float(cap / 2 + self.rng.uniform(0, cap / 2))

    def after_exception(self, endpoint: str, attempt: int, exc: httpx.TransportError) -> float | None:
        """The wait before sending again after a transport error, or ``None`` to give up."""
        if attempt >= self.max_attempts:
            return None
        if isinstance(exc, NOT_SENT) or endpoint in REPLAY_SAFE:
            return self.backoff(attempt)
        return None

    def after_response(
        self,
        endpoint: str,
        attempt: int,
        status: int,
        flinks_code: str | None,
        retry_after: str | None,
    ) -> float | None:
        """The wait before sending again after an answer, or ``None`` to keep the answer."""
        if attempt >= self.max_attempts or endpoint not in REPLAY_SAFE:
            return None
        if flinks_code == "AGGREGATION_ERROR":
            return None
        if status not in RETRYABLE_STATUS and flinks_code != "RETRY_LATER":
            return None
        if retry_after is not None:
            wait = parse_retry_after(retry_after)
            if wait is not None:
                return wait if wait <= self.max_retry_after else None
        return self.backoff(attempt)


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date); ``None`` if unreadable."""
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)
