"""Identifiers carry their issuer; keys are stored hashed; instance specs validate themselves."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finstance.core.country import Country
from finstance.core.identifiers import IdMinter, Origin, classify, is_finstance_id
from finstance.core.instance import TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY, InstanceSpec, toolbox_spec
from finstance.core.keys import hash_key, key_matches

CA = IdMinter("3f305ebe-6ab2-4744-bb1a-d12414b0173d", b"k" * 32)
US = IdMinter("615d9e39-b026-43fb-b06c-e50cf7bc1251", b"j" * 32)


def test_minted_ids_are_standard_guids_recognised_by_their_issuer_only() -> None:
    for value in (CA.random(), CA.derived("login", "FlinksCapital", "greatday", "en")):
        parsed = uuid.UUID(value)
        assert str(parsed) == value and parsed.variant == uuid.RFC_4122
        assert classify(value, CA.customer_id) == Origin.THIS_INSTANCE
        assert classify(value, US.customer_id) == Origin.OTHER_INSTANCE


def test_derived_ids_are_deterministic_and_random_ids_are_not() -> None:
    assert CA.derived("a", "b") == CA.derived("a", "b") != CA.derived("a", "c")
    assert CA.random() != CA.random()
    assert CA.derived("a", "b") != IdMinter(CA.customer_id, b"z" * 32).derived("a", "b")


@given(st.uuids())
def test_arbitrary_guids_are_not_taken_for_finstance_ids(value: uuid.UUID) -> None:
    # 32 bits of check: a false positive would need ~4 billion tries.
    assert not is_finstance_id(str(value))
    assert classify(str(value), CA.customer_id) == Origin.FOREIGN_FORMAT


@given(st.text(max_size=60))
def test_any_text_classifies_without_error(text: str) -> None:
    assert classify(text, CA.customer_id) in set(Origin)


def test_tampering_with_an_id_breaks_its_check() -> None:
    value = CA.random()
    flipped = value[:-1] + ("0" if value[-1] != "0" else "1")
    assert classify(flipped, CA.customer_id) == Origin.FOREIGN_FORMAT


def test_keys_match_only_their_hash_and_are_never_stored_in_clear() -> None:
    stored = hash_key(TOOLBOX_SECRET_KEY)
    assert TOOLBOX_SECRET_KEY not in stored
    assert key_matches(TOOLBOX_SECRET_KEY.upper(), stored)
    assert not key_matches(None, stored) and not key_matches("", stored)
    assert not key_matches(TOOLBOX_SECRET_KEY[:-1] + "0", stored)


def test_instance_spec_validates_itself() -> None:
    spec = toolbox_spec("sqlite:///x.db")
    assert spec.customer_id == TOOLBOX_CUSTOMER_ID and spec.country is Country.CA and spec.sandbox
    fields = {f: getattr(spec, f) for f in spec.__dataclass_fields__}
    for bad in (
        {"name": "Bad Name"},
        {"customer_id": "nope"},
        {"secret_key_hash": TOOLBOX_SECRET_KEY},
        {"store_url": ""},
        {"derive_key": b"short"},
        {"customer_id": TOOLBOX_CUSTOMER_ID.upper()},
    ):
        with pytest.raises(ValueError, match=r"."):
            InstanceSpec(**{**fields, **bad})
    assert Country.parse(" us ") is Country.US
    with pytest.raises(ValueError, match="unknown country"):
        Country.parse("FR")
