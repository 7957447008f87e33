"""The CPA-005 writer: every field of every record read back by position, padding, totals, refusals.

The layout below is transcribed from Standard 005's field list (start, length, kind), not taken from the
writer: the first test holds the writer's table to it, and the reader here slices records with it.
"""

from __future__ import annotations

from datetime import date

import pytest

from finstance.pay.cpa005 import (
    DETAIL_PREFIX,
    HEADER,
    SEGMENT,
    TRAILER,
    Cpa005Error,
    Originator,
    Payment,
    julian,
    write_file,
)
from finstance.pay.rails import Direction

PUBLISHED_HEADER = [
    ("record_type", 1, 1, "A"), ("record_count", 2, 9, "N"), ("originator_id", 11, 10, "A"),
    ("file_creation_number", 21, 4, "N"), ("creation_date", 25, 6, "N"), ("data_centre", 31, 5, "N"),
    ("communication_area", 36, 20, "A"), ("currency", 56, 3, "A"), ("filler", 59, 1406, "A"),
]  # fmt: skip
PUBLISHED_SEGMENT = [  # relative to the segment; the first segment starts at position 25, the sixth at 1225
    ("transaction_code", 1, 3, "N"), ("amount", 4, 10, "N"), ("due_date", 14, 6, "N"),
    ("institution_route", 20, 9, "N"), ("account_number", 29, 12, "A"), ("item_trace_number", 41, 22, "N"),
    ("stored_transaction_type", 63, 3, "N"), ("originator_short_name", 66, 15, "A"),
    ("payee_name", 81, 30, "A"), ("originator_long_name", 111, 30, "A"),
    ("originating_user_id", 141, 10, "A"),
    ("cross_reference", 151, 19, "A"), ("return_institution_route", 170, 9, "N"),
    ("return_account_number", 179, 12, "A"), ("sundry_information", 191, 15, "A"), ("filler", 206, 22, "A"),
    ("settlement_code", 228, 2, "A"), ("invalid_data_element", 230, 11, "N"),
]  # fmt: skip
PUBLISHED_TRAILER = [
    ("record_type", 1, 1, "A"), ("record_count", 2, 9, "N"), ("originator_id", 11, 10, "A"),
    ("file_creation_number", 21, 4, "N"), ("total_debit_value", 25, 14, "N"),
    ("total_debit_count", 39, 8, "N"),
    ("total_credit_value", 47, 14, "N"), ("total_credit_count", 61, 8, "N"),
    ("total_e_correction_value", 69, 14, "N"), ("total_e_correction_count", 83, 8, "N"),
    ("total_f_correction_value", 91, 14, "N"), ("total_f_correction_count", 105, 8, "N"),
    ("filler", 113, 1352, "A"),
]  # fmt: skip


def test_the_writers_table_is_the_published_layout() -> None:
    def rows(layout: object) -> list[tuple[str, int, int, str]]:
        return [(f.name, f.start, f.length, f.kind) for f in layout]  # type: ignore[attr-defined]

    assert rows(HEADER) == PUBLISHED_HEADER
    assert rows(DETAIL_PREFIX) == PUBLISHED_HEADER[:4]
    assert rows(SEGMENT) == PUBLISHED_SEGMENT
    assert rows(TRAILER) == PUBLISHED_TRAILER
    assert 24 + 6 * sum(length for _, _, length, _ in PUBLISHED_SEGMENT) == 1464


def parse(record: str, layout: list[tuple[str, int, int, str]], offset: int = 0) -> dict[str, str]:
    """Slice a record by the published positions (1-based), checking each field's padding as it goes."""
    fields = {}
    for name, start, length, kind in layout:
        raw = record[offset + start - 1 : offset + start - 1 + length]
        assert len(raw) == length
        if kind == "N":
            assert raw.isdigit(), f"{name} must be zero-filled digits: {raw!r}"
        else:
            assert raw == raw.rstrip().ljust(length), f"{name} must be left-justified: {raw!r}"
        fields[name] = raw
    return fields


ORIGINATOR = Originator(
    id="FINST00001",
    short_name="FINSTANCE PAY",
    long_name="Finstance Payments Inc.",
    return_institution="003",
    return_transit="00012",
    return_account="1234567",
    data_centre=310,
)


def payment(n: int, direction: Direction, **changes: object) -> Payment:
    values: dict[str, object] = {
        "direction": direction,
        "transaction_code": 450,
        "amount": 1000 * n + 1,
        "due_date": date(2026, 4, 6),
        "institution": "999",
        "transit": "60265",
        "account": "9876541",
        "name": "John Doe",
        "cross_reference": f"REF-{n}",
    }
    values.update(changes)
    return Payment(**values)  # type: ignore[arg-type]


def test_every_field_of_every_record() -> None:
    credits = [payment(n, Direction.CREDIT) for n in range(1, 8)]  # 7 credits: a full record and one more
    debits = [payment(n, Direction.DEBIT, name="Amélie Tremblay", sundry="LOAN 42") for n in (8, 9)]
    text = write_file(ORIGINATOR, debits + credits, file_number=17, created=date(2026, 4, 2))

    assert text.endswith("\r\n")
    records = text.split("\r\n")[:-1]
    assert [len(r) for r in records] == [1464] * 5
    assert [r[0] for r in records] == ["A", "C", "C", "D", "Z"]

    header = parse(records[0], PUBLISHED_HEADER)
    assert header == {
        "record_type": "A",
        "record_count": "000000001",
        "originator_id": "FINST00001",
        "file_creation_number": "0017",
        "creation_date": "026092",  # 2 April 2026 is the 92nd day
        "data_centre": "00310",
        "communication_area": " " * 20,
        "currency": "CAD",
        "filler": " " * 1406,
    }

    expected_segments = [(records[1], credits[:6]), (records[2], credits[6:]), (records[3], debits)]
    for number, (record, items) in enumerate(expected_segments, start=2):
        prefix = parse(record, PUBLISHED_HEADER[:4])
        assert prefix["record_count"] == f"{number:09d}"
        assert (prefix["originator_id"], prefix["file_creation_number"]) == ("FINST00001", "0017")
        for slot in range(6):
            offset = 24 + 240 * slot
            if slot >= len(items):
                assert record[offset : offset + 240] == " " * 240, "an unused segment is blank"
                continue
            item = items[slot]
            segment = parse(record, PUBLISHED_SEGMENT, offset)
            assert segment == {
                "transaction_code": "450",
                "amount": f"{item.amount:010d}",
                "due_date": "026096",
                "institution_route": "099960265",
                "account_number": "9876541     ",
                "item_trace_number": "0" * 22,
                "stored_transaction_type": "000",
                "originator_short_name": "FINSTANCE PAY  ",
                "payee_name": ("Amelie Tremblay" if item.direction is Direction.DEBIT else "John Doe").ljust(
                    30
                ),
                "originator_long_name": "Finstance Payments Inc.       ",
                "originating_user_id": "FINST00001",
                "cross_reference": item.cross_reference.ljust(19),
                "return_institution_route": "000300012",
                "return_account_number": "1234567     ",
                "sundry_information": item.sundry.ljust(15),
                "filler": " " * 22,
                "settlement_code": "  ",
                "invalid_data_element": "0" * 11,
            }

    trailer = parse(records[4], PUBLISHED_TRAILER)
    assert trailer == {
        "record_type": "Z",
        "record_count": "000000005",
        "originator_id": "FINST00001",
        "file_creation_number": "0017",
        "total_debit_value": f"{8001 + 9001:014d}",
        "total_debit_count": "00000002",
        "total_credit_value": f"{sum(1000 * n + 1 for n in range(1, 8)):014d}",
        "total_credit_count": "00000007",
        "total_e_correction_value": "0" * 14,
        "total_e_correction_count": "0" * 8,
        "total_f_correction_value": "0" * 14,
        "total_f_correction_count": "0" * 8,
        "filler": " " * 1352,
    }


def test_an_empty_day_is_a_header_and_a_zero_trailer() -> None:
    records = write_file(ORIGINATOR, [], file_number=1, created=date(2027, 12, 31)).split("\r\n")[:-1]
    assert [r[0] for r in records] == ["A", "Z"]
    assert parse(records[0], PUBLISHED_HEADER)["creation_date"] == "027365"
    trailer = parse(records[1], PUBLISHED_TRAILER)
    assert (trailer["record_count"], trailer["total_debit_value"], trailer["total_credit_count"]) == (
        "000000002", "0" * 14, "0" * 8,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2026, 1, 15), "026015"), (date(2028, 12, 31), "028366"), (date(2030, 2, 1), "030032")],
)
def test_julian_dates(day: date, text: str) -> None:
    assert julian(day) == text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "X" * 31}, "payee_name of payment 'REF-1' is 31 characters long, over 30"),
        ({"name": "  "}, "payee_name of payment 'REF-1' is empty"),
        ({"name": "Ωmega"}, "payee_name of payment 'REF-1' has characters a bank file cannot carry"),
        ({"amount": -500}, "amount of payment 'REF-1' must be more than zero cents"),
        ({"amount": 0}, "more than zero cents"),
        ({"amount": 10_000_000_000}, "amount of payment 'REF-1' does not fit in 10 digits"),
        ({"account": "12-3456"}, "account number of payment 'REF-1' must be 1 to 12 digits"),
        ({"account": "1234567890123"}, "must be 1 to 12 digits"),
        ({"account": ""}, "must be 1 to 12 digits"),
        ({"institution": "99"}, "institution of payment 'REF-1' must be 3 digits"),
        ({"transit": "6026A"}, "transit of payment 'REF-1' must be 5 digits"),
        ({"cross_reference": "R" * 20}, "cross_reference of payment 'RRRR"),
        ({"cross_reference": ""}, "cross_reference of a payment is empty"),
        ({"transaction_code": 1000}, "transaction_code of payment 'REF-1' must be a 3-digit code"),
        ({"sundry": "S" * 16}, "sundry_information"),
    ],
)
def test_bad_payments_are_refused_by_name(changes: dict[str, object], message: str) -> None:
    with pytest.raises(Cpa005Error, match=message.replace("(", r"\(")):
        write_file(
            ORIGINATOR, [payment(1, Direction.DEBIT, **changes)], file_number=1, created=date(2026, 4, 2)
        )


@pytest.mark.parametrize(
    ("originator", "file_number", "currency", "message"),
    [
        (Originator("FINST-0001", "A", "B", "003", "00012", "1"), 1, "CAD", "originator_id must be 1 to 10"),
        (Originator("FINST00001", "S" * 16, "B", "003", "00012", "1"), 1, "CAD", "originator_short_name"),
        (Originator("FINST00001", "A", "B", "3", "00012", "1"), 1, "CAD", "institution of the returns of"),
        (
            Originator("FINST00001", "A", "B", "003", "00012", "1", data_centre=123456),
            1,
            "CAD",
            "data_centre",
        ),
        (ORIGINATOR, 0, "CAD", "file_creation_number must be 1-9999"),
        (ORIGINATOR, 10_000, "CAD", "file_creation_number must be 1-9999"),
        (ORIGINATOR, 1, "EUR", "currency must be CAD or USD"),
    ],
)
def test_bad_file_settings_are_refused(
    originator: Originator, file_number: int, currency: str, message: str
) -> None:
    with pytest.raises(Cpa005Error, match=message):
        write_file(
            originator,
            [payment(1, Direction.CREDIT)],
            file_number=file_number,
            created=date(2026, 4, 2),
            currency=currency,
        )
