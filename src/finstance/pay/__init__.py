"""Pay: EFT, Guaranteed EFT and Interac e-Transfer, on Canadian instances only.

Flinks serves Pay from a host of its own; an instance serves it under ``/pay``. A U.S. instance answers
every Pay path with METHOD_NOT_AVAILABLE."""
