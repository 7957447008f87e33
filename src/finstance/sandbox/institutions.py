"""The institution catalogue an instance lists, per country, and its Flinks wire shape.

Ids are unique across both countries, except Flinks Capital (14), the test bank, which both catalogues
list. U.S. institutions carry ABA routing numbers (published ones; Flinks Capital's are invented but
checksum-valid); Canadian ones have none, as in Flinks' ``/Institutions`` answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from finstance.core.country import Country

FLINKS_CAPITAL_ID = 14
FLINKS_CAPITAL_NAME = "FlinksCapital"


@dataclass(frozen=True, slots=True)
class Institution:
    id: int
    name: str  # the API string, e.g. "FlinksCapital", "RBC"
    display_name: str
    country: Country
    url: str
    routing_numbers: tuple[str, ...] = ()
    name_fr: str | None = None
    enabled: bool = True


def aba_checksum_ok(routing: str) -> bool:
    """Whether ``routing`` is nine digits whose ABA checksum (weights 3, 7, 1) is a multiple of ten."""
    if len(routing) != 9 or not routing.isascii() or not routing.isdigit():
        return False
    digits = [int(c) for c in routing]
    return sum(w * d for w, d in zip((3, 7, 1) * 3, digits, strict=True)) % 10 == 0


def aba_with_check_digit(first_eight: str) -> str:
    """Complete eight digits into a routing number by appending its ABA check digit."""
    if len(first_eight) != 8 or not first_eight.isascii() or not first_eight.isdigit():
        raise ValueError(f"need eight digits, got {first_eight!r}")
    partial = sum(w * int(d) for w, d in zip((3, 7, 1, 3, 7, 1, 3, 7), first_eight, strict=True))
    return f"{first_eight}{(10 - partial % 10) % 10}"


def _ca(
    id_: int, name: str, display: str, url: str, fr: str | None = None, *, enabled: bool = True
) -> Institution:
    return Institution(id_, name, display, Country.CA, url, (), fr or display, enabled)


def _us(id_: int, name: str, display: str, url: str, *routing: str) -> Institution:
    return Institution(id_, name, display, Country.US, url, routing, display)


FLINKS_CAPITAL_ROUTING_NUMBERS = (aba_with_check_digit("07770001"), aba_with_check_digit("07770002"))

_CA: tuple[Institution, ...] = (
    _ca(1, "RBC", "RBC Royal Bank", "https://www.rbcroyalbank.com/", "RBC Banque Royale"),
    _ca(2, "TD", "TD Canada Trust", "https://www.td.com/ca/", "Banque TD"),
    _ca(3, "BMO", "BMO Bank of Montreal", "https://www.bmo.com/", "BMO Banque de Montréal"),
    _ca(4, "Scotia", "Scotiabank", "https://www.scotiabank.com/", "Banque Scotia"),
    _ca(5, "CIBC", "CIBC", "https://www.cibc.com/"),
    _ca(6, "National", "National Bank", "https://www.nbc.ca/", "Banque Nationale"),
    _ca(7, "Desjardins", "Desjardins", "https://www.desjardins.com/"),
    _ca(8, "Tangerine", "Tangerine", "https://www.tangerine.ca/"),
    _ca(9, "Laurentienne", "Laurentian Bank", "https://www.laurentianbank.ca/", "Banque Laurentienne"),
    _ca(10, "ATB", "ATB Financial", "https://www.atb.com/"),
    # HSBC Bank Canada customers moved to RBC in 2024; Flinks reaches them through RBC.
    _ca(11, "HSBC", "HSBC Bank Canada", "https://www.hsbc.ca/", "Banque HSBC Canada", enabled=False),
    _ca(12, "Simplii", "Simplii Financial", "https://www.simplii.com/"),
    _ca(13, "EQBank", "EQ Bank", "https://www.eqbank.ca/", "Banque EQ"),
    _ca(FLINKS_CAPITAL_ID, FLINKS_CAPITAL_NAME, "Flinks Capital", "https://flinks.com/"),
    _ca(15, "CoastCapital", "Coast Capital Savings", "https://www.coastcapitalsavings.com/"),
    _ca(16, "Meridian", "Meridian Credit Union", "https://www.meridiancu.ca/"),
    _ca(17, "Vancity", "Vancity", "https://www.vancity.com/"),
    _ca(18, "Servus", "Servus Credit Union", "https://www.servus.ca/"),
    _ca(19, "Conexus", "Conexus Credit Union", "https://www.conexus.ca/"),
    _ca(50, "Alterna", "Alterna Savings", "https://www.alterna.ca/", "Alterna Caisse d'économie"),
    _ca(51, "Affinity", "Affinity Credit Union", "https://www.affinitycu.ca/"),
    _ca(52, "Motusbank", "motusbank", "https://www.motusbank.ca/"),
    _ca(53, "ManulifeBank", "Manulife Bank", "https://www.manulifebank.ca/", "Banque Manuvie"),
)

_US: tuple[Institution, ...] = (
    Institution(
        FLINKS_CAPITAL_ID,
        FLINKS_CAPITAL_NAME,
        "Flinks Capital",
        Country.US,
        "https://flinks.com/",
        FLINKS_CAPITAL_ROUTING_NUMBERS,
        "Flinks Capital",
    ),
    _us(20, "Chase", "Chase Bank", "https://www.chase.com/", "071000770", "072413201", "021000021"),
    _us(
        21,
        "BankOfAmerica",
        "Bank of America",
        "https://www.bankofamerica.com/",
        "026009593",
        "011000138",
        "121000358",
    ),
    _us(
        22, "WellsFargo", "Wells Fargo", "https://www.wellsfargo.com/", "121000248", "111900659", "091000019"
    ),
    _us(23, "Citibank", "Citibank", "https://www.citi.com/", "021000089", "322271724"),
    _us(24, "USBank", "U.S. Bank", "https://www.usbank.com/", "091000022", "123000220"),
    _us(25, "PNC", "PNC Bank", "https://www.pnc.com/", "043000096", "031000053"),
    _us(
        26, "CapitalOne", "Capital One", "https://www.capitalone.com/", "051405515", "056073502", "065000090"
    ),
    _us(27, "TDBankUS", "TD Bank", "https://www.td.com/us/", "031101266", "011103093"),
    _us(28, "Truist", "Truist", "https://www.truist.com/", "061000104", "053101121"),
    _us(29, "FifthThird", "Fifth Third Bank", "https://www.53.com/", "042000314"),
    _us(30, "Citizens", "Citizens Bank", "https://www.citizensbank.com/", "011500120"),
    _us(31, "KeyBank", "KeyBank", "https://www.key.com/", "041001039"),
    _us(32, "Regions", "Regions Bank", "https://www.regions.com/", "062000019"),
    _us(33, "MTBank", "M&T Bank", "https://www.mtb.com/", "022000046"),
    _us(34, "Huntington", "Huntington Bank", "https://www.huntington.com/", "044000024"),
    _us(35, "Ally", "Ally Bank", "https://www.ally.com/", "124003116"),
    _us(36, "Schwab", "Charles Schwab Bank", "https://www.schwab.com/", "121202211"),
    _us(37, "NavyFederal", "Navy Federal Credit Union", "https://www.navyfederal.org/", "256074974"),
    _us(38, "USAA", "USAA", "https://www.usaa.com/", "314074269"),
    _us(39, "BMOUS", "BMO (U.S.)", "https://www.bmo.com/en-us/", "071000288"),
    _us(40, "Santander", "Santander Bank", "https://www.santanderbank.com/", "231372691"),
    _us(41, "HSBCUS", "HSBC Bank USA", "https://www.us.hsbc.com/", "021001088"),
    _us(42, "Discover", "Discover Bank", "https://www.discover.com/", "031100649"),
)

_CATALOGUE: dict[Country, tuple[Institution, ...]] = {Country.CA: _CA, Country.US: _US}
_BY_ROUTING: dict[str, Institution] = {r: inst for inst in _US for r in inst.routing_numbers}


def catalogue(country: Country) -> tuple[Institution, ...]:
    """Every institution an instance in ``country`` lists, ordered by id."""
    return _CATALOGUE[country]


def find_institution(country: Country, name_or_id: str) -> Institution | None:
    """Look up by API name, display name or French name (case-insensitive), or by numeric id."""
    key = name_or_id.strip()
    if key.isdigit():
        wanted = int(key)
        return next((i for i in _CATALOGUE[country] if i.id == wanted), None)
    folded = key.casefold()
    for inst in _CATALOGUE[country]:
        names = (inst.name, inst.display_name, inst.name_fr or inst.display_name)
        if any(n.casefold() == folded for n in names):
            return inst
    return None


def by_routing_number(routing: str) -> Institution | None:
    """The U.S. institution that owns an ABA routing number."""
    return _BY_ROUTING.get(routing.strip())


def to_wire(inst: Institution) -> dict[str, object]:
    """The Flinks ``/Institutions`` item shape."""
    names = (("en", inst.display_name), ("fr", inst.name_fr or inst.display_name))
    return {
        "Id": inst.id,
        "Localizations": [
            {"Language": lang, "Name": name, "Urls": [{"Type": "Main", "Url": inst.url}]}
            for lang, name in names
        ],
        "Status": "Enabled" if inst.enabled else "Disabled",
        "Country": inst.country.value,
        "RoutingNumbers": list(inst.routing_numbers),
    }
