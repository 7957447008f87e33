"""Return reason codes: the standard's meanings, the directions they apply to, and Flinks' decisions."""

from __future__ import annotations

import pytest

from finstance.pay.rails import Direction, Rail
from finstance.pay.returns import RETURN_REASONS, Action, UnknownReturnCode, return_reason


def test_every_code_of_the_standard_list_is_there_once() -> None:
    expected = {str(c) for c in range(900, 923) if c != 913} | {"990"}
    assert set(RETURN_REASONS) == expected
    assert all(reason.code == code for code, reason in RETURN_REASONS.items())


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("900", "Edit reject"),
        ("901", "NSF"),
        ("905", "Account closed"),
        ("908", "Funds not cleared"),
        ("912", "account number"),
        ("914", "name"),
        ("990", "Institution in default"),
    ],
)
def test_meanings_follow_the_standard(code: str, words: str) -> None:
    assert words in return_reason(code).reason


def test_flinks_decision_matrix_is_carried() -> None:
    by_action = {action: {c for c, r in RETURN_REASONS.items() if r.action is action} for action in Action}
    assert by_action[Action.CANCEL_SCHEDULE] == {
        "902", "905", "907", "909", "910", "911", "912", "915", "917", "920"
    }  # fmt: skip
    assert by_action[Action.CONTACT_USER] == {"901", "908"}
    assert by_action[Action.REVIEW] == {"903", "914", "916", "918", "919", "921"}
    assert by_action[Action.ESCALATE] == {"900", "904", "922", "990"}
    disputes = {c for c, r in RETURN_REASONS.items() if r.pad_dispute}
    assert disputes == {"902", "905", "907", "909", "911", "912"} | {str(c) for c in range(915, 922)}


def test_codes_are_checked_against_the_items_direction() -> None:
    assert return_reason(901, Direction.DEBIT).code == "901"
    assert return_reason("922", Direction.CREDIT).code == "922"
    assert return_reason("905", Direction.CREDIT).code == "905"
    with pytest.raises(UnknownReturnCode, match=r"901 \(NSF \(debit only\)\) cannot be put on a CREDIT item"):
        return_reason("901", Direction.CREDIT)
    with pytest.raises(UnknownReturnCode, match="cannot be put on a DEBIT item"):
        return_reason("922", Direction.DEBIT)


@pytest.mark.parametrize("code", ["913", "999", "R01", "", "0901"])
def test_unknown_codes_are_refused(code: str) -> None:
    with pytest.raises(UnknownReturnCode, match="not a CPA return reason code"):
        return_reason(code)


def test_rails_read_from_the_wire() -> None:
    assert Rail.of("EFT") is Rail.EFT
    assert Rail.of("EFT", guarantee=True) is Rail.GUARANTEED_EFT
    assert Rail.of("e-Transfer") is Rail.E_TRANSFER
    assert [r.wire_type for r in Rail] == ["EFT", "EFT", "e-Transfer"]
    assert [r.batched for r in Rail] == [True, True, False]
    with pytest.raises(ValueError, match="guarantee=True"):
        Rail.of("e-Transfer", guarantee=True)
    with pytest.raises(ValueError, match="'Wire'"):
        Rail.of("Wire")
