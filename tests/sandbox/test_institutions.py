"""The institution catalogue: Flinks Capital in both countries, lookups, ABA routing numbers, wire shape."""

from __future__ import annotations

import pytest

from finstance.core.country import Country
from finstance.sandbox.institutions import (
    FLINKS_CAPITAL_ID,
    Institution,
    aba_checksum_ok,
    aba_with_check_digit,
    by_routing_number,
    catalogue,
    find_institution,
    to_wire,
)


@pytest.mark.parametrize("country", list(Country))
def test_flinks_capital_is_listed_in_both_countries_with_id_14(country: Country) -> None:
    inst = find_institution(country, "FlinksCapital")
    assert inst is not None
    assert (inst.id, inst.display_name, inst.country) == (FLINKS_CAPITAL_ID, "Flinks Capital", country)
    assert inst in catalogue(country)


def test_ids_are_unique_across_countries_except_flinks_capital() -> None:
    ids = [i.id for c in Country for i in catalogue(c) if i.id != FLINKS_CAPITAL_ID]
    assert len(ids) == len(set(ids))
    for country in Country:
        assert [i.id for i in catalogue(country)] == sorted(i.id for i in catalogue(country))


def test_catalogues_hold_about_twenty_institutions_each_in_their_country() -> None:
    for country in Country:
        assert len(catalogue(country)) >= 20
        assert all(i.country is country for i in catalogue(country))


@pytest.mark.parametrize(
    "name",
    [
        "ATB", "BMO", "CIBC", "CoastCapital", "Desjardins", "EQBank", "Laurentienne", "Meridian", "National",
        "RBC", "Scotia", "Simplii", "Tangerine", "TD", "HSBC",
    ],
)  # fmt: skip
def test_major_canadian_institutions_are_listed(name: str) -> None:
    assert find_institution(Country.CA, name) is not None


def test_every_us_routing_number_has_a_valid_aba_checksum_and_canada_has_none() -> None:
    for inst in catalogue(Country.US):
        assert inst.routing_numbers
        assert all(aba_checksum_ok(r) for r in inst.routing_numbers), inst
    assert all(inst.routing_numbers == () for inst in catalogue(Country.CA))


def test_routing_numbers_belong_to_one_institution_each() -> None:
    numbers = [r for i in catalogue(Country.US) for r in i.routing_numbers]
    assert len(numbers) == len(set(numbers))


def test_chase_has_id_20_and_the_documented_routing_numbers() -> None:
    chase = by_routing_number("072413201")
    assert chase is not None
    assert (chase.id, chase.display_name) == (20, "Chase Bank")
    assert chase.routing_numbers[:2] == ("071000770", "072413201")
    assert by_routing_number("071000770") is chase


def test_unknown_or_canadian_lookups_by_routing_number_find_nothing() -> None:
    assert by_routing_number("123456789") is None
    flinks_us = find_institution(Country.US, "14")
    assert flinks_us is not None
    assert by_routing_number(flinks_us.routing_numbers[0]) is flinks_us


@pytest.mark.parametrize("key", ["flinkscapital", "FLINKS CAPITAL", " 14 ", "Flinks Capital"])
def test_find_institution_matches_name_display_name_or_id_case_insensitively(key: str) -> None:
    inst = find_institution(Country.CA, key)
    assert inst is not None
    assert inst.id == FLINKS_CAPITAL_ID


def test_find_institution_matches_french_names_and_stays_in_its_country() -> None:
    national = find_institution(Country.CA, "banque nationale")
    assert national is not None
    assert national.name == "National"
    assert find_institution(Country.CA, "Chase") is None
    assert find_institution(Country.US, "20") is not None
    assert find_institution(Country.CA, "20") is None
    assert find_institution(Country.US, "no such bank") is None


def test_wire_shape_matches_the_flinks_routing_number_example() -> None:
    chase = find_institution(Country.US, "Chase")
    assert chase is not None
    wire = to_wire(chase)
    assert wire["Id"] == 20
    assert wire["Status"] == "Enabled"
    assert wire["Country"] == "US"
    assert wire["RoutingNumbers"] == list(chase.routing_numbers)
    assert wire["Localizations"] == [
        {"Language": "en", "Name": "Chase Bank", "Urls": [{"Type": "Main", "Url": "https://www.chase.com/"}]},
        {"Language": "fr", "Name": "Chase Bank", "Urls": [{"Type": "Main", "Url": "https://www.chase.com/"}]},
    ]


def test_canadian_wire_items_have_no_routing_numbers_and_french_names() -> None:
    rbc = find_institution(Country.CA, "RBC")
    assert rbc is not None
    wire = to_wire(rbc)
    assert wire["RoutingNumbers"] == []
    assert wire["Country"] == "CA"
    localizations = wire["Localizations"]
    assert isinstance(localizations, list)
    assert localizations[1]["Name"] == "RBC Banque Royale"


def test_disabled_institutions_report_disabled_status() -> None:
    inst = Institution(99, "Gone", "Gone Bank", Country.CA, "https://example.com/", enabled=False)
    assert to_wire(inst)["Status"] == "Disabled"


def test_aba_check_digit_completes_a_valid_routing_number() -> None:
    assert aba_with_check_digit("02100002") == "021000021"
    for prefix in ("00000000", "12345678", "99999999"):
        assert aba_checksum_ok(aba_with_check_digit(prefix))
    with pytest.raises(ValueError, match="eight digits"):
        aba_with_check_digit("1234567")


@pytest.mark.parametrize("bad", ["021000022", "02100002", "0210000211", "02100002a", "０２１００００２１"])
def test_aba_checksum_rejects_wrong_digits_lengths_and_non_ascii(bad: str) -> None:
    assert not aba_checksum_ok(bad)
