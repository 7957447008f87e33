"""EFT API V1's reference lists: the purpose codes a transaction's ``transactionCode`` takes, per direction
(``GET /api/v1/purposecategories/{direction}``), and the institutions EFT reaches
(``GET /api/v1/institutions``).

Purpose codes are Payments Canada Standard 007 transaction codes. The debit groups are those Flinks publishes
(insurance, loans, mortgage, rent and leases, bill payment); 450, miscellaneous payments, is taken both ways
(it is the code of a V2 session's file line); credits take payroll deposits and 450. A code outside the
direction's list is refused, so a file never carries a code a bank would reject for its direction.

Institutions are the Canadian institution numbers of the banks and credit-union centrals the sandbox's
catalogue lists, with Flinks Capital's 777.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from finstance.core import errors
from finstance.pay.rails import Direction

Group = tuple[str, tuple[tuple[int, str], ...]]

_DEBIT: tuple[Group, ...] = (
    (
        "Insurance",
        (
            (330, "Insurance"),
            (331, "Life Insurance"),
            (332, "Auto Insurance"),
            (333, "Property Insurance"),
            (334, "Casualty Insurance"),
            (335, "Mortgage Insurance"),
            (336, "Health/Dental Claim Insurance"),
        ),
    ),
    (
        "Loans",
        (
            (350, "Loans"),
            (351, "Personal Loans"),
            (352, "Dealer Plan Loans"),
            (353, "Farm Improvement Loans"),
            (354, "Home Improvement Loans"),
            (355, "Term Loans"),
            (356, "Insurance Loans"),
        ),
    ),
    (
        "Mortgage",
        (
            (370, "Mortgage"),
            (371, "Residential Mortgage"),
            (372, "Commercial Mortgage"),
            (373, "Farm Mortgage"),
        ),
    ),
    (
        "Rent/Leases",
        (
            (400, "Rent/Leases"),
            (401, "Residential Rent/Leases"),
            (402, "Commercial Rent/Leases"),
            (403, "Equipment Rent/Leases"),
            (404, "Automobile Rent/Leases"),
            (405, "Appliance Rent/Leases"),
        ),
    ),
    ("Bill Payment", ((430, "Bill Payment"),)),
    ("Miscellaneous", ((450, "Miscellaneous Payments"),)),
)
_CREDIT: tuple[Group, ...] = (
    ("Payroll", ((200, "Payroll Deposit"),)),
    ("Miscellaneous", ((450, "Miscellaneous Payments"),)),
)
CATEGORIES: Mapping[Direction, tuple[Group, ...]] = MappingProxyType(
    {Direction.DEBIT: _DEBIT, Direction.CREDIT: _CREDIT}
)

INSTITUTIONS: tuple[tuple[str, str], ...] = (
    ("001", "BMO Bank of Montreal"),
    ("002", "Scotiabank"),
    ("003", "RBC Royal Bank"),
    ("004", "TD Canada Trust"),
    ("006", "National Bank of Canada"),
    ("010", "CIBC"),
    ("016", "HSBC Bank Canada"),
    ("039", "Laurentian Bank of Canada"),
    ("219", "ATB Financial"),
    ("540", "Manulife Bank of Canada"),
    ("614", "Tangerine"),
    ("777", "Flinks Capital"),
    ("815", "Desjardins"),
    ("809", "Central 1 Credit Union (British Columbia)"),
    ("828", "Central 1 Credit Union (Ontario)"),
)


def codes(direction: Direction) -> frozenset[int]:
    return frozenset(code for _, group in CATEGORIES[direction] for code, _ in group)


def direction_of(text: str) -> Direction:
    """The direction of a path's ``Debit`` or ``Credit`` (any case); 400 otherwise."""
    for direction in Direction:
        if text.upper() == direction.value:
            return direction
    raise errors.InvalidRequest("The direction must be Debit or Credit.")


def transaction_code(value: Any, direction: Direction) -> int:
    """``transactionCode`` as a number, when it is one of the direction's purpose codes; 400 otherwise."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.InvalidRequest(
            "transactionCode is required: a purpose code from GET /api/v1/purposecategories/{direction}."
        )
    if value not in codes(direction):
        raise errors.InvalidRequest(
            f"transactionCode {value} is not a {direction.value} purpose code: see "
            f"GET /api/v1/purposecategories/{direction.value.capitalize()}."
        )
    return value


def purpose_categories(direction: Direction) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "direction": direction.value.capitalize(),
            "purposeCodes": [{"value": code, "description": text} for code, text in group],
        }
        for name, group in CATEGORIES[direction]
    ]


def institutions() -> dict[str, Any]:
    return {
        "institutions": [
            {"institutionCode": code, "name": name, "eftEnabled": True} for code, name in INSTITUTIONS
        ]
    }
