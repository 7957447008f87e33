"""The payment request state machine: every move each rail allows or refuses, and when the clock moves it."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime, timedelta

import pytest

from finstance.pay.calendar import TORONTO
from finstance.pay.lifecycle import (
    Details,
    Event,
    PaymentRequest,
    PaymentStatus,
    SessionStatus,
    Timing,
    TransitionRefused,
    advance,
    allowed,
    cancel,
    complete,
    force_decline,
    force_failure,
    force_return,
    new_request,
    next_transition,
    sandbox_outcome,
    session_view,
    start,
)
from finstance.pay.rails import Direction, Rail

S, E = PaymentStatus, Event
EVERY_RAIL = {
    (S.INITIATED, E.START),
    (S.INITIATED, E.CANCEL),
    (S.INITIATED, E.EXPIRE),
    (S.PROCESSING, E.ACCEPT),
    (S.PROCESSING, E.FAIL),
    (S.PROCESSING, E.DECLINE),
    (S.PROCESSING, E.CANCEL),
    (S.PROCESSING, E.EXPIRE),
    (S.ACCEPTED, E.SEND),
    (S.PROCESSED, E.SETTLE),
}
EFT_RAILS_ONLY = {(S.ACCEPTED, E.CANCEL), (S.PROCESSED, E.RETURN), (S.SETTLED, E.RETURN)}
EXPECTED = {
    Rail.EFT: EVERY_RAIL | EFT_RAILS_ONLY,
    Rail.GUARANTEED_EFT: EVERY_RAIL | EFT_RAILS_ONLY,
    Rail.E_TRANSFER: EVERY_RAIL,
}


def toronto(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TORONTO)


def at_status(
    rail: Rail, status: PaymentStatus, since: datetime, direction: Direction = Direction.DEBIT
) -> PaymentRequest:
    return PaymentRequest(rail, direction, status, since, None, 10_000)


@pytest.mark.parametrize(("rail", "status", "event"), list(itertools.product(Rail, PaymentStatus, Event)))
def test_every_move_of_every_rail_is_allowed_or_refused_as_specified(
    rail: Rail, status: PaymentStatus, event: Event
) -> None:
    request = at_status(rail, status, toronto(4, 2, 9))
    assert allowed(request, event) is ((status, event) in EXPECTED[rail])


def through_the_public_functions(request: PaymentRequest, event: Event, at: datetime) -> PaymentRequest:
    timing = Timing(session_window=timedelta(days=365), e_transfer_window=timedelta(days=365))
    match event:
        case Event.START:
            return start(request, at, timing)
        case Event.ACCEPT:
            return complete(request, sandbox_outcome("Happy1", "Everyday"), at, timing)
        case Event.FAIL:
            return force_failure(request, at, Details.INSUFFICIENT_BALANCE, timing)
        case Event.DECLINE:
            return force_decline(request, at, timing=timing)
        case Event.CANCEL:
            return cancel(request, at, timing)
        case Event.RETURN:
            return force_return(request, at, "905", timing)
        case _:
            raise AssertionError(event)


PEOPLE_EVENTS = [E.START, E.ACCEPT, E.FAIL, E.DECLINE, E.CANCEL, E.RETURN]
# Statuses the clock will not move within the test's minute (sends are due at 13:00, settling the next day).
STILL = [S.INITIATED, S.PROCESSING, S.ACCEPTED, S.PROCESSED, S.SETTLED, S.FAILED, S.CANCELLED, S.EXPIRED,
         S.DECLINED, S.RETURNED]  # fmt: skip


@pytest.mark.parametrize(("rail", "status", "event"), list(itertools.product(Rail, STILL, PEOPLE_EVENTS)))
def test_each_event_function_moves_or_refuses_per_the_table(
    rail: Rail, status: PaymentStatus, event: Event
) -> None:
    since = toronto(4, 2, 9)
    request = at_status(rail, status, since)
    if rail is Rail.E_TRANSFER and status is S.ACCEPTED:
        request = dataclasses.replace(request, status=S.PROCESSING)  # an accepted e-Transfer moves at once
        status = S.PROCESSING
    if (status, event) in EXPECTED[rail]:
        moved = through_the_public_functions(request, event, since + timedelta(minutes=1))
        assert moved.since == since + timedelta(minutes=1)
        assert moved.status is not status
    else:
        with pytest.raises(TransitionRefused, match="cannot"):
            through_the_public_functions(request, event, since + timedelta(minutes=1))


def test_an_eft_accepted_before_the_cut_off_is_sent_that_day_and_settles_after_good_friday() -> None:
    request = new_request(Rail.GUARANTEED_EFT, Direction.DEBIT, toronto(4, 2, 10), amount=10_000)
    assert (request.status, request.status_details) == (S.INITIATED, Details.CREATED)
    request = start(request, toronto(4, 2, 10, 1))
    assert session_view(request) == (SessionStatus.IN_PROGRESS, None)
    request = complete(request, sandbox_outcome("Happy1", "Everyday"), toronto(4, 2, 10, 5))
    assert (request.status, request.status_details) == (S.ACCEPTED, Details.SCHEDULED)

    step = next_transition(request)
    assert step is not None and (step.event, step.to, step.at) == (E.SEND, S.PROCESSED, toronto(4, 2, 13))
    assert advance(request, toronto(4, 2, 12, 59)).status is S.ACCEPTED
    sent = advance(request, toronto(4, 2, 13))
    assert (sent.status, sent.since) == (S.PROCESSED, toronto(4, 2, 13))

    step = next_transition(sent)
    assert step is not None and (step.event, step.at) == (E.SETTLE, toronto(4, 6))  # Monday after Good Friday
    settled = advance(request, toronto(4, 6, 8))
    assert (settled.status, settled.since, settled.status_details) == (S.SETTLED, toronto(4, 6), "EFT0301")
    assert next_transition(settled) is None
    assert session_view(settled) == (SessionStatus.COMPLETED, Details.SCHEDULED)


def test_an_eft_accepted_after_the_cut_off_waits_for_the_next_business_days_file() -> None:
    request = at_status(Rail.EFT, S.ACCEPTED, toronto(4, 2, 14))
    step = next_transition(request)
    assert step is not None and step.at == toronto(4, 6, 13)
    assert advance(request, toronto(4, 7, 0)).status is S.SETTLED
    assert advance(request, toronto(4, 6, 23, 59)).status is S.PROCESSED


def test_an_e_transfer_moves_at_once_and_settles_the_next_business_day() -> None:
    accepted = at_status(Rail.E_TRANSFER, S.ACCEPTED, toronto(12, 26, 11))  # a Saturday, Boxing Day
    now = advance(accepted, toronto(12, 26, 11))
    assert (now.status, now.since) == (S.PROCESSED, toronto(12, 26, 11))
    step = next_transition(now)
    assert step is not None and step.at == toronto(12, 30)  # Monday 28 is Boxing Day observed


def test_an_idle_session_expires_and_a_late_cancel_is_refused() -> None:
    request = new_request(Rail.GUARANTEED_EFT, Direction.DEBIT, toronto(4, 2, 10))
    step = next_transition(request)
    assert step is not None and (step.to, step.at) == (S.EXPIRED, toronto(4, 2, 10, 30))
    expired = advance(request, toronto(4, 2, 10, 30))
    assert session_view(expired) == (SessionStatus.EXPIRED, Details.EXPIRED)
    with pytest.raises(TransitionRefused, match="Expired cannot cancel"):
        cancel(request, toronto(4, 2, 10, 31))
    cancelled = cancel(request, toronto(4, 2, 10, 29))
    assert (cancelled.status, cancelled.status_details) == (S.CANCELLED, Details.CANCELLED)
    assert session_view(cancelled) == (SessionStatus.CANCELED, Details.CANCELLED)
    assert next_transition(cancelled) is None


def test_an_e_transfer_request_waits_thirty_days() -> None:
    request = new_request(Rail.E_TRANSFER, Direction.DEBIT, toronto(4, 2, 10))
    assert advance(request, toronto(4, 2, 11)).status is S.INITIATED
    assert advance(request, toronto(5, 2, 10)).status is S.EXPIRED


def test_an_accepted_eft_can_be_cancelled_until_its_file_closes() -> None:
    request = at_status(Rail.EFT, S.ACCEPTED, toronto(4, 2, 10))
    assert cancel(request, toronto(4, 2, 12, 59)).status is S.CANCELLED
    with pytest.raises(TransitionRefused, match="Processed cannot cancel"):
        cancel(request, toronto(4, 2, 13))


def test_an_accepted_e_transfer_cannot_be_cancelled_or_returned() -> None:
    request = at_status(Rail.E_TRANSFER, S.PROCESSING, toronto(4, 2, 10))
    request = complete(request, sandbox_outcome("Happy3", "Everyday"), toronto(4, 2, 10, 1))
    assert not allowed(request, E.CANCEL)
    # The clock sends it the instant it is accepted: by any later call it is already Processed.
    with pytest.raises(TransitionRefused, match="Processed cannot cancel"):
        cancel(request, toronto(4, 2, 10, 1))
    with pytest.raises(TransitionRefused, match="cannot be returned"):
        force_return(advance(request, toronto(4, 8)), toronto(4, 8), "901")


def test_a_settled_debit_is_returned_with_its_cpa_code() -> None:
    settled = at_status(Rail.GUARANTEED_EFT, S.SETTLED, toronto(4, 6))
    returned = force_return(settled, toronto(4, 9, 10), 901)
    assert (returned.status, returned.status_details, returned.since) == (
        S.RETURNED,
        "901",
        toronto(4, 9, 10),
    )
    assert next_transition(returned) is None
    with pytest.raises(TransitionRefused, match="Returned cannot return"):
        force_return(returned, toronto(4, 9, 11), "905")
    with pytest.raises(TransitionRefused, match="not a CPA return reason code"):
        force_return(settled, toronto(4, 9, 10), "R01")


def test_a_credit_cannot_carry_a_debit_only_return_code() -> None:
    credit = at_status(Rail.EFT, S.PROCESSED, toronto(4, 2, 13), Direction.CREDIT)
    with pytest.raises(TransitionRefused, match="cannot be put on a CREDIT item"):
        force_return(credit, toronto(4, 2, 20), "901")
    assert force_return(credit, toronto(4, 2, 20), "922").status_details == "922"


def test_decline_and_failure_carry_their_codes_into_the_session() -> None:
    processing = at_status(Rail.GUARANTEED_EFT, S.PROCESSING, toronto(4, 2, 10))
    declined = force_decline(processing, toronto(4, 2, 10, 5))
    assert (declined.status, session_view(declined)) == (S.DECLINED, (SessionStatus.FAILED, "EFT0402"))
    failed = force_failure(processing, toronto(4, 2, 10, 5), Details.IDENTITY_FAILED)
    assert (failed.status, session_view(failed)) == (S.FAILED, (SessionStatus.FAILED, "EFT0403"))
    with pytest.raises(TransitionRefused, match="EFT0301 is not a failure code"):
        force_failure(processing, toronto(4, 2, 10, 5), Details.SCHEDULED)


@pytest.mark.parametrize(
    ("username", "password", "names_match", "status", "details", "amount"),
    [
        ("Happy1", "Everyday", True, S.ACCEPTED, "EFT0301", 10_000),
        ("Happy2", "Everyday", True, S.ACCEPTED, "EFT0301", 5_000),  # Next Best Offer: a reduced amount
        ("Happy3", "Everyday", True, S.ACCEPTED, "EFT0301", 10_000),
        ("Unhappy1", "Everyday", True, S.DECLINED, "EFT0402", 10_000),
        ("Happy1", "Wrong", True, S.FAILED, "EFT0401", 10_000),
        ("Nobody", "Everyday", True, S.FAILED, "EFT0401", 10_000),
        ("Happy1", "Everyday", False, S.FAILED, "EFT0403", 10_000),
    ],
)
def test_sandbox_users_end_their_flow_as_published(
    username: str, password: str, names_match: bool, status: PaymentStatus, details: str, amount: int
) -> None:
    request = at_status(Rail.GUARANTEED_EFT, S.PROCESSING, toronto(4, 2, 10))
    outcome = sandbox_outcome(username, password, names_match=names_match)
    done = complete(request, outcome, toronto(4, 2, 10, 3))
    assert (done.status, done.status_details, done.amount) == (status, details, amount)


def test_new_requests_take_only_the_directions_their_rail_allows() -> None:
    assert new_request(Rail.EFT, Direction.CREDIT, toronto(4, 2, 9)).direction is Direction.CREDIT
    for rail in (Rail.GUARANTEED_EFT, Rail.E_TRANSFER):
        with pytest.raises(TransitionRefused, match="cannot be a CREDIT"):
            new_request(rail, Direction.CREDIT, toronto(4, 2, 9))


def test_events_need_an_aware_instant_not_before_the_last_change() -> None:
    request = new_request(Rail.EFT, Direction.DEBIT, toronto(4, 2, 10))
    with pytest.raises(ValueError, match="precedes"):
        start(request, toronto(4, 2, 9))
    with pytest.raises(ValueError, match="timezone-aware"):
        start(request, datetime(2026, 4, 2, 11, 0))
    with pytest.raises(ValueError, match="cannot end with 'cancel'"):
        complete(request, dataclasses.replace(sandbox_outcome("Happy1", "Everyday"), event=E.CANCEL),
                 toronto(4, 2, 11))  # fmt: skip
