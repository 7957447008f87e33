"""/Institutions: each instance lists its own country's catalogue; routing numbers resolve U.S. banks."""

from __future__ import annotations

import httpx

from tests.conftest import US_CUSTOMER_ID
from tests.flinks import PREFIX

US_PREFIX = f"/v3/{US_CUSTOMER_ID}/BankingServices"


async def test_institutions_are_paged_with_skip_and_take(toolbox: httpx.AsyncClient) -> None:
    everything = (await toolbox.get(f"{PREFIX}/Institutions")).json()
    assert everything["HttpStatusCode"] == 200
    assert everything["Count"] == len(everything["Institutions"]) >= 15
    page = (await toolbox.get(f"{PREFIX}/Institutions", params={"skip": 2, "take": 3})).json()
    assert page["Count"] == everything["Count"]
    assert page["Institutions"] == everything["Institutions"][2:5]
    first = everything["Institutions"][0]
    assert {"Id", "Localizations", "Status", "Country", "RoutingNumbers"} <= first.keys()
    assert {loc["Language"] for loc in first["Localizations"]} == {"en", "fr"}


async def test_a_canadian_instance_lists_canadian_institutions_and_flinks_capital(
    toolbox: httpx.AsyncClient,
) -> None:
    listed = (await toolbox.get(f"{PREFIX}/Institutions")).json()["Institutions"]
    assert {i["Country"] for i in listed} == {"CA"}
    assert any(i["Id"] == 14 for i in listed)


async def test_bad_paging_values_are_invalid_request(toolbox: httpx.AsyncClient) -> None:
    for params in ({"take": 0}, {"take": 1001}, {"skip": -1}, {"skip": "x"}):
        response = await toolbox.get(f"{PREFIX}/Institutions", params=params)
        assert response.status_code == 400 and response.json()["FlinksCode"] == "INVALID_REQUEST"


async def test_routing_number_finds_a_us_bank_on_a_us_instance(demo_us: httpx.AsyncClient) -> None:
    chase = await demo_us.get(f"{US_PREFIX}/Institutions/RoutingNumber/071000770")
    assert chase.status_code == 200
    assert chase.json()["Id"] == 20 and "071000770" in chase.json()["RoutingNumbers"]
    listed = (await demo_us.get(f"{US_PREFIX}/Institutions")).json()["Institutions"]
    assert {i["Country"] for i in listed} == {"US"}
    unknown = await demo_us.get(f"{US_PREFIX}/Institutions/RoutingNumber/000000000")
    assert unknown.status_code == 404 and unknown.json()["FlinksCode"] == "NOT_FOUND"


async def test_routing_number_lookup_on_a_canadian_instance_finds_nothing(toolbox: httpx.AsyncClient) -> None:
    response = await toolbox.get(f"{PREFIX}/Institutions/RoutingNumber/071000770")
    assert response.status_code == 404
