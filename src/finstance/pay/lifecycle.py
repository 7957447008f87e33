"""The life of a payment request, as pure functions of the request, its rail and the instance clock.

Statuses (products 3.1, the complete set Flinks publishes, plus ``Returned`` for an EFT item a bank sends
back with a CPA return code)::

    Initiated ──start──▶ Processing ──accept──▶ Accepted ──send──▶ Processed ──settle──▶ Settled
        │                   │ fail ▶ Failed        │                   │                   │
        │                   │ decline ▶ Declined   │ cancel            └──return──▶ Returned ◀──return──┘
        ├──cancel / expire──┴──▶ Cancelled / Expired  (cancel: EFT rails, before the file's cut-off)

Who moves what:

* the payor's flow moves ``start`` and ``accept`` / ``fail`` / ``decline`` (in the sandbox, the test user's
  scenario decides: :func:`sandbox_outcome`);
* the API moves ``cancel``; the sandbox forces ``decline``, ``fail`` and ``return``;
* the clock moves ``expire``, ``send`` and ``settle``, and ``accept`` for a scheduled EFT transaction
  (EFT API V1) on its payment day once authorized: :func:`next_transition` says which is next and when,
  :func:`advance` applies every one that is due. An EFT is sent in the file of its day (the cut-off and
  closed days of :mod:`finstance.pay.calendar`) and settles the next business day; an Interac e-Transfer
  moves at once when accepted and settles the next business day. Only EFT items can be returned (an
  e-Transfer is final), and only an EFT that is not yet in a file can be cancelled once accepted.

Every event first applies what the clock already made due, so a cancel that arrives after the deadline meets
an ``Expired`` request and is refused.

Sessions (V2) show the same request with the session's own words (reference 6.3): :func:`session_view`.
Note the spellings: a payment request is ``Cancelled``, a session ``Canceled``.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from types import MappingProxyType

from finstance.core import errors
from finstance.pay import calendar
from finstance.pay.rails import Direction, Rail
from finstance.pay.returns import UnknownReturnCode, return_reason


class PaymentStatus(enum.StrEnum):
    INITIATED = "Initiated"
    PROCESSING = "Processing"
    ACCEPTED = "Accepted"  # the payor accepted at their bank; Flinks holds the funds as guaranteed
    PROCESSED = "Processed"  # sent, awaiting settlement
    SETTLED = "Settled"
    FAILED = "Failed"
    CANCELLED = "Cancelled"
    EXPIRED = "Expired"
    DECLINED = "Declined"
    RETURNED = "Returned"


class SessionStatus(enum.StrEnum):
    INITIATED = "Initiated"
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"
    FAILED = "Failed"
    CANCELED = "Canceled"
    EXPIRED = "Expired"


class Details(enum.StrEnum):
    """The ``statusDetails`` codes of V2 sessions (reference 6.3)."""

    CREATED = "EFT0101"  # waiting for the payor
    SCHEDULED = "EFT0301"  # the transaction is scheduled
    AWAITING_PAD = "EFT0302"  # bank account validated, the PAD agreement not signed yet
    LOGIN_FAILED = "EFT0401"
    NOT_ELIGIBLE = "EFT0402"  # no guarantee offered
    IDENTITY_FAILED = "EFT0403"
    INSUFFICIENT_BALANCE = "EFT0404"
    CANCELLED = "EFT0501"
    EXPIRED = "EFT0601"


FAILURES = frozenset(
    {Details.LOGIN_FAILED, Details.NOT_ELIGIBLE, Details.IDENTITY_FAILED, Details.INSUFFICIENT_BALANCE}
)


class Event(enum.StrEnum):
    START = "start"
    ACCEPT = "accept"
    FAIL = "fail"
    DECLINE = "decline"
    CANCEL = "cancel"
    EXPIRE = "expire"
    SEND = "send"
    SETTLE = "settle"
    RETURN = "return"


_S, _E = PaymentStatus, Event
# Every move any rail may make; :func:`_refusal` narrows it by rail.
TRANSITIONS: Mapping[tuple[PaymentStatus, Event], PaymentStatus] = MappingProxyType(
    {
        (_S.INITIATED, _E.START): _S.PROCESSING,
        (_S.INITIATED, _E.CANCEL): _S.CANCELLED,
        (_S.INITIATED, _E.EXPIRE): _S.EXPIRED,
        (_S.PROCESSING, _E.ACCEPT): _S.ACCEPTED,
        (_S.PROCESSING, _E.FAIL): _S.FAILED,
        (_S.PROCESSING, _E.DECLINE): _S.DECLINED,
        (_S.PROCESSING, _E.CANCEL): _S.CANCELLED,
        (_S.PROCESSING, _E.EXPIRE): _S.EXPIRED,
        (_S.ACCEPTED, _E.SEND): _S.PROCESSED,
        (_S.ACCEPTED, _E.CANCEL): _S.CANCELLED,  # EFT rails only, before the file's cut-off
        (_S.PROCESSED, _E.SETTLE): _S.SETTLED,
        (_S.PROCESSED, _E.RETURN): _S.RETURNED,  # EFT rails only
        (_S.SETTLED, _E.RETURN): _S.RETURNED,  # EFT rails only
    }
)
# The rails each direction may take (reference 6.3: a Guaranteed EFT and an e-Transfer request are debits).
DIRECTIONS: Mapping[Rail, frozenset[Direction]] = MappingProxyType(
    {
        Rail.EFT: frozenset(Direction),
        Rail.GUARANTEED_EFT: frozenset({Direction.DEBIT}),
        Rail.E_TRANSFER: frozenset({Direction.DEBIT}),
    }
)


class TransitionRefused(errors.InvalidRequest):
    """The request cannot make that move from where it stands."""


@dataclass(frozen=True, slots=True)
class Timing:
    """The instance's clock rules. Expiry windows are set at onboarding at Flinks; these are our defaults."""

    cutoff: time = calendar.CUTOFF
    settlement_lag: int = calendar.SETTLEMENT_LAG
    session_window: timedelta = timedelta(minutes=30)  # an EFT / GEFT session left idle
    e_transfer_window: timedelta = timedelta(days=30)  # an Interac request for money left unanswered

    def window(self, rail: Rail) -> timedelta:
        return self.e_transfer_window if rail is Rail.E_TRANSFER else self.session_window


DEFAULT_TIMING = Timing()


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    rail: Rail
    direction: Direction
    status: PaymentStatus
    since: datetime  # when it entered ``status``
    status_details: str | None = Details.CREATED  # an EFT code, or the CPA code of a return
    amount: int | None = None  # cents; None until the payor enters it
    # A scheduled EFT transaction (EFT API V1): the instant of its payment day when the clock accepts it,
    # once it is authorized (``start``: its PAD signed, or at once for a credit). It never idles out: it
    # expires only when that instant comes before it was authorized. None for a session's request.
    scheduled: datetime | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    event: Event
    to: PaymentStatus
    at: datetime
    status_details: str | None = None


def new_request(
    rail: Rail,
    direction: Direction,
    at: datetime,
    *,
    amount: int | None = None,
    scheduled: datetime | None = None,
) -> PaymentRequest:
    if direction not in DIRECTIONS[rail]:
        raise TransitionRefused(f"A {rail.value} payment cannot be a {direction.value}.")
    if scheduled is not None and not rail.batched:
        raise TransitionRefused(f"An {rail.value} cannot be scheduled.")
    calendar.local(at)  # refuses a naive instant
    return PaymentRequest(rail, direction, PaymentStatus.INITIATED, at, Details.CREATED, amount, scheduled)


# -- the clock ------------------------------------------------------------------------------------------


def next_transition(request: PaymentRequest, timing: Timing = DEFAULT_TIMING) -> Transition | None:
    """The move the clock will make next, and when; None when only a person (or nothing) can move it."""
    status, since = request.status, request.since
    if request.scheduled is not None and status is PaymentStatus.INITIATED:
        return Transition(Event.EXPIRE, PaymentStatus.EXPIRED, request.scheduled, Details.EXPIRED)
    if request.scheduled is not None and status is PaymentStatus.PROCESSING:
        # Authorized: accepted on its payment day, or at once when authorized on that day (a credit).
        return Transition(
            Event.ACCEPT, PaymentStatus.ACCEPTED, max(request.scheduled, since), Details.SCHEDULED
        )
    if status in (PaymentStatus.INITIATED, PaymentStatus.PROCESSING):
        return Transition(
            Event.EXPIRE, PaymentStatus.EXPIRED, since + timing.window(request.rail), Details.EXPIRED
        )
    if status is PaymentStatus.ACCEPTED:
        if not request.rail.batched:
            return Transition(Event.SEND, PaymentStatus.PROCESSED, since, request.status_details)
        day = calendar.file_date(since, cutoff=timing.cutoff)
        sent = calendar.cutoff_instant(day, cutoff=timing.cutoff)
        return Transition(Event.SEND, PaymentStatus.PROCESSED, sent, request.status_details)
    if status is PaymentStatus.PROCESSED:
        # The file day for an EFT (it was sent at that day's cut-off); the day it moved for an e-Transfer.
        day = calendar.roll_forward(calendar.local(since).date())
        settles = calendar.add_business_days(day, timing.settlement_lag)
        return Transition(
            Event.SETTLE, PaymentStatus.SETTLED, calendar.start_of(settles), request.status_details
        )
    return None


def moves(
    request: PaymentRequest, now: datetime, timing: Timing = DEFAULT_TIMING
) -> Iterator[PaymentRequest]:
    """Each state the clock moves the request through by ``now``, in order, each at its own instant."""
    while (step := next_transition(request, timing)) is not None and step.at <= now:
        request = _enter(request, step)
        yield request


def advance(request: PaymentRequest, now: datetime, timing: Timing = DEFAULT_TIMING) -> PaymentRequest:
    """The request as it stands at ``now``: every move the clock made due by then."""
    last = request
    for last in moves(request, now, timing):  # noqa: B007 (the last state is the answer)
        pass
    return last


# -- the people -----------------------------------------------------------------------------------------


def start(request: PaymentRequest, at: datetime, timing: Timing = DEFAULT_TIMING) -> PaymentRequest:
    """The payor opened the flow (the session is ``InProgress``)."""
    return _move(request, Event.START, at, None, timing)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How the payor's flow ended: which event, with which details, and a Next Best Offer if any."""

    event: Event
    status_details: Details
    offer_percent: int | None = field(default=None)  # the share of the amount offered instead


def complete(
    request: PaymentRequest, outcome: Outcome, at: datetime, timing: Timing = DEFAULT_TIMING
) -> PaymentRequest:
    """The payor's flow ended: accepted (perhaps for a reduced amount), failed or declined."""
    if outcome.event not in (Event.ACCEPT, Event.FAIL, Event.DECLINE):
        raise ValueError(f"A flow cannot end with {outcome.event.value!r}.")
    moved = _move(request, outcome.event, at, outcome.status_details, timing)
    if outcome.offer_percent is not None and moved.amount is not None:
        moved = dataclasses.replace(moved, amount=max(1, moved.amount * outcome.offer_percent // 100))
    return moved


def cancel(request: PaymentRequest, at: datetime, timing: Timing = DEFAULT_TIMING) -> PaymentRequest:
    """Cancelled through the API (``EFT0501``): before it is accepted, or an EFT before its file's cut-off."""
    return _move(request, Event.CANCEL, at, Details.CANCELLED, timing)


def force_decline(
    request: PaymentRequest,
    at: datetime,
    details: Details = Details.NOT_ELIGIBLE,
    timing: Timing = DEFAULT_TIMING,
) -> PaymentRequest:
    """The sandbox declines the request as the payor's bank (or Flinks' guarantee) would."""
    return _move(request, Event.DECLINE, at, _failure(details), timing)


def force_failure(
    request: PaymentRequest, at: datetime, details: Details, timing: Timing = DEFAULT_TIMING
) -> PaymentRequest:
    """The sandbox fails the request with one of the ``EFT040x`` codes."""
    return _move(request, Event.FAIL, at, _failure(details), timing)


def force_return(
    request: PaymentRequest, at: datetime, code: str | int, timing: Timing = DEFAULT_TIMING
) -> PaymentRequest:
    """The payor's bank sends the EFT item back with a CPA return reason code (checked for its direction)."""
    try:
        reason = return_reason(code, request.direction)
    except UnknownReturnCode as exc:
        raise TransitionRefused(str(exc)) from None
    return _move(request, Event.RETURN, at, reason.code, timing)


def allowed(request: PaymentRequest, event: Event) -> bool:
    """Whether ``event`` may move the request as it stands (the clock not applied)."""
    return _refusal(request, event) is None


# -- the sandbox ----------------------------------------------------------------------------------------

SANDBOX_PASSWORD = "Everyday"  # noqa: S105 (the published sandbox password)
SANDBOX_USERS: Mapping[str, Outcome] = MappingProxyType(
    {
        "Happy1": Outcome(Event.ACCEPT, Details.SCHEDULED),
        "Happy2": Outcome(Event.ACCEPT, Details.SCHEDULED, offer_percent=50),  # Next Best Offer
        "Happy3": Outcome(Event.ACCEPT, Details.SCHEDULED),
        "Unhappy1": Outcome(Event.DECLINE, Details.NOT_ELIGIBLE),  # "Joe Fails": no guarantee offered
    }
)


def sandbox_outcome(username: str, password: str, *, names_match: bool = True) -> Outcome:
    """How a sandbox flow ends for a test user (products 3.1): the four published users, else a failure.

    Wrong credentials fail with ``EFT0401``; a payor whose names differ from the account holder's with
    ``EFT0403``. The Next Best Offer of ``Happy2`` is half the amount (Flinks does not publish its figure).
    """
    outcome = SANDBOX_USERS.get(username)
    if outcome is None or password != SANDBOX_PASSWORD:
        return Outcome(Event.FAIL, Details.LOGIN_FAILED)
    if not names_match:
        return Outcome(Event.FAIL, Details.IDENTITY_FAILED)
    return outcome


# -- the session's words --------------------------------------------------------------------------------


def session_view(request: PaymentRequest) -> tuple[SessionStatus, str | None]:
    """``(status, statusDetails)`` of the V2 session that carries the request."""
    match request.status:
        case PaymentStatus.INITIATED:
            return SessionStatus.INITIATED, Details.CREATED
        case PaymentStatus.PROCESSING:
            return SessionStatus.IN_PROGRESS, None
        case PaymentStatus.FAILED | PaymentStatus.DECLINED:
            return SessionStatus.FAILED, request.status_details
        case PaymentStatus.CANCELLED:
            return SessionStatus.CANCELED, Details.CANCELLED
        case PaymentStatus.EXPIRED:
            return SessionStatus.EXPIRED, Details.EXPIRED
        case _:  # accepted and after: the session did its part, whatever the money does next
            return SessionStatus.COMPLETED, Details.SCHEDULED


# -- the mechanics --------------------------------------------------------------------------------------


def _failure(details: Details) -> Details:
    if details not in FAILURES:
        raise TransitionRefused(f"{details.value} is not a failure code (EFT0401-EFT0404).")
    return details


def _refusal(request: PaymentRequest, event: Event) -> str | None:
    status, rail = request.status, request.rail
    if (status, event) not in TRANSITIONS:
        return f"A payment request that is {status.value} cannot {event.value}."
    if event is Event.RETURN and not rail.batched:
        return f"An {rail.value} cannot be returned: it is final once accepted."
    if event is Event.CANCEL and status is PaymentStatus.ACCEPTED and not rail.batched:
        return f"An {rail.value} cannot be cancelled once accepted: the money has moved."
    return None


def _move(
    request: PaymentRequest, event: Event, at: datetime, details: str | None, timing: Timing
) -> PaymentRequest:
    calendar.local(at)  # refuses a naive instant
    if at < request.since:
        raise ValueError(f"{event.value} at {at.isoformat()} precedes the request's last change.")
    request = advance(request, at, timing)
    refusal = _refusal(request, event)
    if refusal is not None:
        raise TransitionRefused(refusal)
    return _enter(request, Transition(event, TRANSITIONS[request.status, event], at, details))


def _enter(request: PaymentRequest, step: Transition) -> PaymentRequest:
    return dataclasses.replace(request, status=step.to, since=step.at, status_details=step.status_details)
