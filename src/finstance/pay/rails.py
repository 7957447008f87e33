"""The ways Pay moves money, and which way it goes.

The wire names the rail with ``type`` (``"EFT"`` or ``"e-Transfer"``) and, for EFT, whether Flinks guarantees
the debit (``options.guarantee.enable``): a Guaranteed EFT is an EFT session with the guarantee on
(reference 6.3). Both a rail and a direction are closed sets here, read once at the edge.
"""

from __future__ import annotations

import enum


class Direction(enum.StrEnum):
    DEBIT = "DEBIT"  # money is taken from the payor's account (a PAD debit, a Request for Money)
    CREDIT = "CREDIT"  # money is sent to the payee's account


class Rail(enum.StrEnum):
    EFT = "EFT"
    GUARANTEED_EFT = "GEFT"
    E_TRANSFER = "e-Transfer"

    @property
    def wire_type(self) -> str:
        """The session's ``type`` on the wire: a Guaranteed EFT is an ``"EFT"`` with the guarantee on."""
        return "e-Transfer" if self is Rail.E_TRANSFER else "EFT"

    @property
    def batched(self) -> bool:
        """Whether the rail's money leaves in a bank's AFT file (CPA-005) rather than at once (Interac)."""
        return self is not Rail.E_TRANSFER

    @classmethod
    def of(cls, wire_type: str, *, guarantee: bool = False) -> Rail:
        """The rail of a session from its ``type`` and ``options.guarantee.enable``; ValueError otherwise."""
        if wire_type == "e-Transfer" and not guarantee:
            return cls.E_TRANSFER
        if wire_type == "EFT":
            return cls.GUARANTEED_EFT if guarantee else cls.EFT
        raise ValueError(f"No Pay rail has type {wire_type!r} with guarantee={guarantee}.")
