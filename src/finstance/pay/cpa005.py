"""The CPA-005 file a Canadian bank's AFT service receives: one settlement day's EFT credits and debits.

Layout source: Payments Canada, *Standard 005 - Standards for the Exchange of Financial Data on AFT Files*,
its 1464-character logical records (the layout Canadian banks accept as "CPA-005" or "CPA 1464"). The
positions below are that standard's field list as the banks' AFT file specifications reproduce it; the copy
that Payments Canada distributes to its members could not be consulted here, so where a bank adds fields of
its own (in the reserved communication area, in the sundry information) this writer leaves them blank. The MIT
``node-eft-generator`` project was read for comparison: it writes the returns institution as one digit, where
the standard has nine (``0IIITTTTT``), which this writer follows.

A file is:

* one ``A`` header: the originator, file creation number, creation date, data centre and currency;
* ``C`` (credit) then ``D`` (debit) records, each carrying up to six 240-character segments (one payment each)
  after a 24-character prefix; the segments left unused in a record's last slots are blank;
* one ``Z`` trailer: the total value and number of debit and credit payments (the error-correction ``E`` and
  ``F`` totals are zero: this writer makes no corrections).

Records are numbered from 1 (the header) and end with CR LF. Dates are ``0YYDDD`` (a zero, the year's last two
digits, the day of the year). Alphanumeric fields are left-justified and space-filled; numeric fields are
right-justified and zero-filled. Letters with accents are written without them (``Amélie`` -> ``Amelie``);
any other character outside printable ASCII, and any value too long for its field, is refused with
:class:`Cpa005Error`: a bank rejects the whole file for one bad record, so nothing is truncated silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from finstance.pay.rails import Direction

RECORD_LENGTH = 1464
SEGMENT_LENGTH = 240
SEGMENTS_PER_RECORD = 6
NEWLINE = "\r\n"

Kind = Literal["A", "N"]  # alphanumeric / numeric


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    start: int  # 1-based position, as the standard numbers them
    length: int
    kind: Kind

    @property
    def end(self) -> int:
        """The position after the field's last character (1-based)."""
        return self.start + self.length


def _layout(*fields: tuple[str, int, Kind], first: int = 1) -> tuple[Field, ...]:
    """Fields laid end to end from ``first``: the table states lengths, and the positions follow from them."""
    out: list[Field] = []
    start = first
    for name, length, kind in fields:
        out.append(Field(name, start, length, kind))
        start += length
    return tuple(out)


HEADER = _layout(
    ("record_type", 1, "A"),
    ("record_count", 9, "N"),
    ("originator_id", 10, "A"),
    ("file_creation_number", 4, "N"),
    ("creation_date", 6, "N"),
    ("data_centre", 5, "N"),
    ("communication_area", 20, "A"),
    ("currency", 3, "A"),
    ("filler", 1406, "A"),
)
DETAIL_PREFIX = HEADER[:4]
SEGMENT = _layout(  # positions relative to the segment (1 = the segment's first character)
    ("transaction_code", 3, "N"),
    ("amount", 10, "N"),
    ("due_date", 6, "N"),
    ("institution_route", 9, "N"),  # 0IIITTTTT: institution and transit (branch) of the payee/payor
    ("account_number", 12, "A"),
    ("item_trace_number", 22, "N"),  # the bank's to fill
    ("stored_transaction_type", 3, "N"),
    ("originator_short_name", 15, "A"),
    ("payee_name", 30, "A"),  # the payee's name on a credit, the payor's on a debit
    ("originator_long_name", 30, "A"),
    ("originating_user_id", 10, "A"),
    ("cross_reference", 19, "A"),
    ("return_institution_route", 9, "N"),  # where returned items go: 0IIITTTTT
    ("return_account_number", 12, "A"),
    ("sundry_information", 15, "A"),
    ("filler", 22, "A"),
    ("settlement_code", 2, "A"),
    ("invalid_data_element", 11, "N"),
)
TRAILER = _layout(
    ("record_type", 1, "A"),
    ("record_count", 9, "N"),
    ("originator_id", 10, "A"),
    ("file_creation_number", 4, "N"),
    ("total_debit_value", 14, "N"),
    ("total_debit_count", 8, "N"),
    ("total_credit_value", 14, "N"),
    ("total_credit_count", 8, "N"),
    ("total_e_correction_value", 14, "N"),
    ("total_e_correction_count", 8, "N"),
    ("total_f_correction_value", 14, "N"),
    ("total_f_correction_count", 8, "N"),
    ("filler", 1352, "A"),
)
RECORD_TYPES: Mapping[Direction, str] = {Direction.CREDIT: "C", Direction.DEBIT: "D"}


class Cpa005Error(ValueError):
    """A value the file cannot carry; the message names the field and the payment."""


@dataclass(frozen=True, slots=True)
class Originator:
    """The business sending the file, as its bank set it up (ids, names, where returns are credited)."""

    id: str  # the originator id the bank assigned, up to 10 characters
    short_name: str  # up to 15: what the payor's statement shows
    long_name: str  # up to 30
    return_institution: str  # 3 digits
    return_transit: str  # 5 digits
    return_account: str  # up to 12 digits
    data_centre: int = 0  # the bank's destination data centre (5 digits)


@dataclass(frozen=True, slots=True)
class Payment:
    """One payment of the day, one segment of the file."""

    direction: Direction
    transaction_code: int  # Payments Canada Standard 007 code, e.g. 450 (miscellaneous payments)
    amount: int  # cents, more than zero
    due_date: date
    institution: str  # 3 digits
    transit: str  # 5 digits
    account: str  # 1-12 digits
    name: str  # the payee's (credit) or payor's (debit) name, up to 30
    cross_reference: str  # ours, to match returns and reports, up to 19
    sundry: str = ""  # up to 15
    # Where a return of this payment goes (institution, transit, account) when not the originator's account:
    # the account this payment settles to, when the originator settles to several.
    returns_to: tuple[str, str, str] | None = None


def julian(day: date) -> str:
    """``0YYDDD``: 15 January 2026 is ``026015``."""
    return f"0{day.year % 100:02d}{day.timetuple().tm_yday:03d}"


def write_file(
    originator: Originator,
    payments: Iterable[Payment],
    *,
    file_number: int,
    created: date,
    currency: str = "CAD",
) -> str:
    """The file for ``payments``: header, credit records, debit records, trailer, each line ending CR LF.

    ``file_number`` is the file creation number (1-9999) the bank expects to grow by one per file.
    """
    items = list(payments)
    if not 1 <= file_number <= 9999:
        raise Cpa005Error(f"file_creation_number must be 1-9999, got {file_number}.")
    if currency not in ("CAD", "USD"):
        raise Cpa005Error(f"currency must be CAD or USD, got {currency!r}.")
    control: dict[str, str | int] = {
        "originator_id": _originator_id(originator.id),
        "file_creation_number": file_number,
    }
    lines = [
        _render(
            HEADER,
            {
                "record_type": "A",
                "record_count": 1,
                **control,
                "creation_date": julian(created),
                "data_centre": originator.data_centre,
                "currency": currency,
            },
        )
    ]
    totals: dict[Direction, list[int]] = {d: [0, 0] for d in Direction}
    for direction in (Direction.CREDIT, Direction.DEBIT):
        group = [p for p in items if p.direction is direction]
        for chunk in (group[i : i + SEGMENTS_PER_RECORD] for i in range(0, len(group), SEGMENTS_PER_RECORD)):
            prefix = {"record_type": RECORD_TYPES[direction], "record_count": len(lines) + 1, **control}
            segments = "".join(_segment(originator, p) for p in chunk)
            lines.append((_render(DETAIL_PREFIX, prefix) + segments).ljust(RECORD_LENGTH))
            for p in chunk:
                totals[direction][0] += p.amount
                totals[direction][1] += 1
    lines.append(
        _render(
            TRAILER,
            {
                "record_type": "Z",
                "record_count": len(lines) + 1,
                **control,
                "total_debit_value": totals[Direction.DEBIT][0],
                "total_debit_count": totals[Direction.DEBIT][1],
                "total_credit_value": totals[Direction.CREDIT][0],
                "total_credit_count": totals[Direction.CREDIT][1],
            },
        )
    )
    return "".join(line + NEWLINE for line in lines)


_DIGITS = re.compile(r"\d+")


def _segment(originator: Originator, p: Payment) -> str:
    where = f"payment {p.cross_reference!r}"
    if p.amount <= 0:
        raise Cpa005Error(f"amount of {where} must be more than zero cents, got {p.amount}.")
    if not 1 <= p.transaction_code <= 999:
        raise Cpa005Error(f"transaction_code of {where} must be a 3-digit code, got {p.transaction_code}.")
    if not p.name.strip():
        raise Cpa005Error(f"payee_name of {where} is empty.")
    if not p.cross_reference.strip():
        raise Cpa005Error("cross_reference of a payment is empty: returns could not be matched to it.")
    returns = p.returns_to or (
        originator.return_institution,
        originator.return_transit,
        originator.return_account,
    )
    return _render(
        SEGMENT,
        {
            "transaction_code": p.transaction_code,
            "amount": p.amount,
            "due_date": julian(p.due_date),
            "institution_route": _route(p.institution, p.transit, where),
            "account_number": _account(p.account, where),
            "originator_short_name": originator.short_name,
            "payee_name": p.name,
            "originator_long_name": originator.long_name,
            "originating_user_id": _originator_id(originator.id),
            "cross_reference": p.cross_reference,
            "return_institution_route": _route(returns[0], returns[1], f"the returns of {where}"),
            "return_account_number": _account(returns[2], f"the returns of {where}"),
            "sundry_information": p.sundry,
        },
        where=where,
    )


def _route(institution: str, transit: str, where: str) -> str:
    if not (len(institution) == 3 and _DIGITS.fullmatch(institution)):
        raise Cpa005Error(f"institution of {where} must be 3 digits, got {institution!r}.")
    if not (len(transit) == 5 and _DIGITS.fullmatch(transit)):
        raise Cpa005Error(f"transit of {where} must be 5 digits, got {transit!r}.")
    return f"0{institution}{transit}"


def _account(account: str, where: str) -> str:
    if not (len(account) <= 12 and _DIGITS.fullmatch(account)):
        raise Cpa005Error(f"account number of {where} must be 1 to 12 digits, got {account!r}.")
    return account


def _originator_id(value: str) -> str:
    if not (1 <= len(value) <= 10 and value.isascii() and value.isalnum()):
        raise Cpa005Error(f"originator_id must be 1 to 10 letters or digits, got {value!r}.")
    return value


def _ascii(text: str, name: str, where: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if not (plain.isascii() and plain.isprintable()):
        raise Cpa005Error(f"{name} of {where} has characters a bank file cannot carry: {text!r}.")
    return plain


def _render(layout: Sequence[Field], values: Mapping[str, str | int], *, where: str = "the file") -> str:
    """One record (or segment) from ``values``; a field without a value is blank (A) or zeros (N)."""
    out: list[str] = []
    for f in layout:
        value = values.get(f.name)
        if f.kind == "N":
            text = str(value if value is not None else 0)
            if not _DIGITS.fullmatch(text):
                raise Cpa005Error(f"{f.name} of {where} must be a whole number of 0 or more, got {value!r}.")
            if len(text) > f.length:
                raise Cpa005Error(f"{f.name} of {where} does not fit in {f.length} digits: {value!r}.")
            out.append(text.rjust(f.length, "0"))
        else:
            text = _ascii(str(value or ""), f.name, where)
            if len(text) > f.length:
                raise Cpa005Error(
                    f"{f.name} of {where} is {len(text)} characters long, over {f.length}: {text!r}."
                )
            out.append(text.ljust(f.length))
    return "".join(out)
