"""The reasons a bank returns an EFT item: the 900-series return codes of Payments Canada's AFT standards.

Codes and meanings follow the list Payments Canada publishes with Standard 005 (the reason-for-return codes a
receiving institution puts on a returned item) and Rule H1 for pre-authorized debits (915-921). Flinks'
troubleshooting guide (products 3.1) publishes a decision for each code; it is carried as :attr:`action`
and :attr:`pad_dispute`. That guide labels some codes differently from the standard (it calls 900 "account
closed", 901 "no account" and 902 "account frozen"); the meanings here are the standard's, which is what a
bank's return file means, and the actions are Flinks', which is what its clients were told to do.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from finstance.pay.rails import Direction


class Action(enum.StrEnum):
    """What Flinks tells a client to do with a returned item."""

    CANCEL_SCHEDULE = "cancel schedule"
    CONTACT_USER = "contact user"  # and try a new transaction
    REVIEW = "review before acting"
    ESCALATE = "investigate"


BOTH = frozenset(Direction)
DEBIT_ONLY = frozenset({Direction.DEBIT})
CREDIT_ONLY = frozenset({Direction.CREDIT})


@dataclass(frozen=True, slots=True)
class ReturnReason:
    code: str
    reason: str
    directions: frozenset[Direction]  # the items this code may be put on
    action: Action | None  # None: Flinks publishes no decision for it
    pad_dispute: bool = False  # a payor's claim under Rule H1: the funds are recalled automatically


def _table(*reasons: ReturnReason) -> Mapping[str, ReturnReason]:
    return MappingProxyType({r.code: r for r in reasons})


_A = Action
RETURN_REASONS: Mapping[str, ReturnReason] = _table(
    ReturnReason("900", "Edit reject", BOTH, _A.ESCALATE),
    ReturnReason("901", "NSF (debit only)", DEBIT_ONLY, _A.CONTACT_USER),
    ReturnReason("902", "Cannot trace (account not found)", BOTH, _A.CANCEL_SCHEDULE, pad_dispute=True),
    ReturnReason("903", "Payment stopped/recalled", BOTH, _A.REVIEW),
    ReturnReason("904", "Post/stale dated", BOTH, _A.ESCALATE),
    ReturnReason("905", "Account closed", BOTH, _A.CANCEL_SCHEDULE, pad_dispute=True),
    ReturnReason("906", "Account transferred", BOTH, None),
    ReturnReason("907", "No debit allowed (no chequing privileges)", DEBIT_ONLY, _A.CANCEL_SCHEDULE, True),
    ReturnReason("908", "Funds not cleared (debit only)", DEBIT_ONLY, _A.CONTACT_USER),
    ReturnReason("909", "Currency/account mismatch", BOTH, _A.CANCEL_SCHEDULE, pad_dispute=True),
    ReturnReason("910", "Payor/payee deceased", BOTH, _A.CANCEL_SCHEDULE),
    ReturnReason("911", "Account frozen", BOTH, _A.CANCEL_SCHEDULE, pad_dispute=True),
    ReturnReason("912", "Invalid/incorrect account number", BOTH, _A.CANCEL_SCHEDULE, pad_dispute=True),
    ReturnReason("914", "Incorrect payor/payee name", BOTH, _A.REVIEW),
    ReturnReason("915", "No agreement existed (refused by payor)", DEBIT_ONLY, _A.CANCEL_SCHEDULE, True),
    ReturnReason("916", "Not in accordance with agreement - personal", DEBIT_ONLY, _A.REVIEW, True),
    ReturnReason("917", "Agreement revoked - personal", DEBIT_ONLY, _A.CANCEL_SCHEDULE, True),
    ReturnReason("918", "No confirmation/pre-notification - personal", DEBIT_ONLY, _A.REVIEW, True),
    ReturnReason("919", "Not in accordance with agreement - business", DEBIT_ONLY, _A.REVIEW, True),
    ReturnReason("920", "Agreement revoked - business", DEBIT_ONLY, _A.CANCEL_SCHEDULE, True),
    ReturnReason("921", "No confirmation/pre-notification - business", DEBIT_ONLY, _A.REVIEW, True),
    ReturnReason("922", "Customer initiated return (credit only)", CREDIT_ONLY, _A.ESCALATE),
    ReturnReason("990", "Institution in default", BOTH, _A.ESCALATE),
)


class UnknownReturnCode(ValueError):
    pass


def return_reason(code: str | int, direction: Direction | None = None) -> ReturnReason:
    """The reason for ``code`` (``"901"`` or ``901``), checked against the item's direction when given.

    Raises :class:`UnknownReturnCode` for a code the standard does not define, or one that cannot be put on
    an item of that direction (901 NSF on a credit, 922 on a debit).
    """
    reason = RETURN_REASONS.get(str(code))
    if reason is None:
        raise UnknownReturnCode(f"{code!r} is not a CPA return reason code (900-990).")
    if direction is not None and direction not in reason.directions:
        raise UnknownReturnCode(
            f"Return code {reason.code} ({reason.reason}) cannot be put on a {direction.value} item."
        )
    return reason
