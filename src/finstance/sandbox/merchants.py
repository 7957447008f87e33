"""Name tables for the synthetic sandbox data: people, places, employers, billers and merchants.

Pure data. Names of real companies are used the way bank statements show them; people, addresses, e-mail
addresses (reserved ``example.*`` domains) and phone numbers (the fictional 555-01xx range) are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from finstance.core.country import Country


@dataclass(frozen=True, slots=True)
class City:
    name: str
    region: str  # province (CA) or state (US) code
    postal_prefixes: tuple[str, ...]  # forward sortation areas (CA) or 3-digit ZIP prefixes (US)
    area_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tables:
    """Everything a persona may be drawn from, for one country (and Quebec, which gets French names)."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    employers: tuple[str, ...]
    landlords: tuple[str, ...]
    lenders: tuple[str, ...]
    internet: tuple[str, ...]
    mobile: tuple[str, ...]
    insurers: tuple[str, ...]
    grocers: tuple[str, ...]
    restaurants: tuple[str, ...]
    gas_stations: tuple[str, ...]
    shops: tuple[str, ...]
    pharmacies: tuple[str, ...]
    online: tuple[str, ...]  # shown without store number or city
    transit: tuple[str, ...]  # ride hailing, bike share (online-style descriptions); see TRANSIT
    subscriptions: tuple[tuple[str, int], ...]  # (description, monthly price in cents)
    investment_in: str  # savings -> brokerage sweep
    investment_out: str  # brokerage -> savings sweep


CA_CITIES: tuple[City, ...] = (
    City("Toronto", "ON", ("M5V", "M4Y", "M6G", "M5A", "M4E", "M6P", "M5R"), ("416", "647", "437")),
    City("Montreal", "QC", ("H2X", "H3B", "H2T", "H4C", "H1V", "H2J"), ("514", "438")),
    City("Vancouver", "BC", ("V6B", "V5K", "V6K", "V5T", "V6H"), ("604", "778")),
    City("Calgary", "AB", ("T2P", "T3A", "T2E", "T2R"), ("403", "587")),
    City("Edmonton", "AB", ("T5J", "T6E", "T5K"), ("780", "587")),
    City("Ottawa", "ON", ("K1P", "K2P", "K1S", "K1N"), ("613", "343")),
    City("Winnipeg", "MB", ("R3C", "R2M", "R3M"), ("204", "431")),
    City("Quebec", "QC", ("G1R", "G1K", "G1S"), ("418", "581")),
    City("Hamilton", "ON", ("L8P", "L9A", "L8L"), ("905", "289")),
    City("Halifax", "NS", ("B3H", "B3J", "B3K"), ("902", "782")),
    City("Saskatoon", "SK", ("S7K", "S7N"), ("306", "639")),
    City("Regina", "SK", ("S4P", "S4S"), ("306", "639")),
    City("Victoria", "BC", ("V8W", "V8V"), ("250", "778")),
    City("Laval", "QC", ("H7N", "H7T"), ("450", "579")),
    City("Mississauga", "ON", ("L5B", "L5M"), ("905", "289")),
    City("St. John's", "NL", ("A1C", "A1B"), ("709",)),
    City("Moncton", "NB", ("E1C", "E1A"), ("506",)),
    City("Gatineau", "QC", ("J8X", "J9H"), ("819", "873")),
    City("Kitchener", "ON", ("N2G", "N2H"), ("519", "226")),
)

US_CITIES: tuple[City, ...] = (
    City("New York", "NY", ("100", "101"), ("212", "646", "917")),
    City("Brooklyn", "NY", ("112",), ("718", "347")),
    City("Chicago", "IL", ("606",), ("312", "773")),
    City("Los Angeles", "CA", ("900",), ("213", "323", "310")),
    City("Houston", "TX", ("770",), ("713", "832")),
    City("Phoenix", "AZ", ("850",), ("602", "480")),
    City("Philadelphia", "PA", ("191",), ("215", "267")),
    City("San Antonio", "TX", ("782",), ("210",)),
    City("San Diego", "CA", ("921",), ("619", "858")),
    City("Dallas", "TX", ("752",), ("214", "469")),
    City("Austin", "TX", ("787",), ("512", "737")),
    City("Seattle", "WA", ("981",), ("206",)),
    City("Denver", "CO", ("802",), ("303", "720")),
    City("Boston", "MA", ("021",), ("617", "857")),
    City("Atlanta", "GA", ("303",), ("404", "470")),
    City("Miami", "FL", ("331",), ("305", "786")),
    City("Portland", "OR", ("972",), ("503", "971")),
    City("Minneapolis", "MN", ("554",), ("612",)),
    City("Columbus", "OH", ("432",), ("614",)),
    City("Charlotte", "NC", ("282",), ("704", "980")),
)

# Electricity provider by province/state; the country default covers the rest.
ELECTRICITY: dict[str, str] = {
    "ON": "Toronto Hydro",
    "QC": "Hydro-Québec",
    "BC": "BC Hydro",
    "AB": "ENMAX Energy",
    "MB": "Manitoba Hydro",
    "SK": "SaskPower",
    "NS": "Nova Scotia Power",
    "NB": "NB Power",
    "NL": "Newfoundland Power",
    "NY": "Con Edison",
    "IL": "ComEd",
    "CA": "Pacific Gas & Electric",
    "TX": "TXU Energy",
    "AZ": "APS Electric",
    "PA": "PECO Energy",
    "WA": "Puget Sound Energy",
    "CO": "Xcel Energy",
    "MA": "Eversource",
    "GA": "Georgia Power",
    "FL": "Florida Power & Light",
    "OR": "Portland General Electric",
    "MN": "Xcel Energy",
    "OH": "AEP Ohio",
    "NC": "Duke Energy",
}

_CA_FIRST = (
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophia", "Lucas", "Chloe", "Benjamin", "Amelia",
    "Jacob", "Priya", "Arjun", "Mei", "Wei", "Hannah", "Owen", "Zoe", "Nathan", "Aisha", "Omar", "Daniel",
    "Sarah", "Michael", "Jessica", "Ryan", "Megan", "Harpreet", "Connor",
)  # fmt: skip
_CA_LAST = (
    "Smith", "Brown", "Martin", "Wilson", "MacDonald", "Taylor", "Campbell", "Anderson", "Lee", "Wong",
    "Singh", "Patel", "Nguyen", "Chen", "Thompson", "White", "Li", "Kim", "Young", "Leblanc", "Robinson",
    "Clarke", "Fraser", "Gill", "O'Brien", "McKenzie",
)  # fmt: skip
_QC_FIRST = (
    "Jean", "Marie-Ève", "Mathieu", "Geneviève", "Stéphane", "Chloé", "Sébastien", "Émilie", "François",
    "Isabelle", "Olivier", "Camille", "Léa", "Félix", "Noémie", "Étienne", "Maxime", "Andrée-Anne",
)  # fmt: skip
_QC_LAST = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
    "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leclerc", "Ouellet", "Paquette", "Desjardins",
)  # fmt: skip
_US_FIRST = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "Maria", "Jose", "Carlos", "Sofia", "Aaliyah", "Jamal", "Emily", "Tyler", "Ashley", "Brandon",
    "Hannah", "Kevin", "Grace", "Diego", "Mia", "Andrew", "Chloe", "Darnell", "Lauren", "Ethan",
)  # fmt: skip
_US_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
    "Lee", "Harris", "Clark", "Lewis", "Walker", "Nguyen", "Kim", "Patel", "Washington", "Murphy",
)  # fmt: skip

_CA_STREETS = (
    "King Street West", "Queen Street East", "Bloor Street West", "Maple Avenue", "Oak Street",
    "Main Street", "Elm Drive", "Cedar Crescent", "Victoria Avenue", "Wellington Street", "Dundas Street",
    "Jasper Avenue", "Portage Avenue", "Robson Street", "Granville Street", "Spring Garden Road",
    "Church Street", "Lakeshore Road", "Birch Lane", "Albert Street",
)  # fmt: skip
_QC_STREETS = (
    "rue Saint-Denis", "rue Sherbrooke Ouest", "boulevard Saint-Laurent", "avenue du Parc",
    "rue Sainte-Catherine Est", "rue Lenoir", "chemin de la Côte-des-Neiges", "rue Saint-Jean",
    "boulevard René-Lévesque", "rue Rachel Est", "avenue Papineau", "rue Beaubien Est",
)  # fmt: skip
_US_STREETS = (
    "Oak St", "Maple Ave", "Main St", "Park Ave", "Pine St", "Cedar Ln", "Washington Blvd", "Lake St",
    "Hillcrest Dr", "Sunset Blvd", "Elm St", "2nd Ave", "Highland Ave", "Broadway", "Jefferson St",
    "Madison Ave", "Lincoln Way", "Riverside Dr",
)  # fmt: skip

_CA_COMMON: dict[str, tuple[str, ...]] = {
    "employers": (
        "Shopify", "Loblaw Companies", "Bell Canada", "CGI Group", "Air Canada", "Telus", "Cineplex",
        "City of Ottawa", "Magna International", "Sun Life Financial", "Canadian Tire Corp", "WestJet",
    ),
    "landlords": (
        "CAPREIT", "Minto Properties", "Greenwin Property Mgmt", "Boardwalk Rental", "Killam REIT",
        "Realstar Management", "Homestead Land Holdings",
    ),
    "lenders": ("MCAP", "First National Financial", "Home Trust", "Equitable Mortgage"),
    "internet": ("Bell Internet", "Rogers Internet", "Telus Internet", "TekSavvy"),
    "mobile": ("Rogers Wireless", "Fido Mobile", "Koodo Mobile", "Freedom Mobile", "Virgin Plus"),
    "insurers": ("Intact Insurance", "Desjardins Insurance", "TD Insurance", "The Co-operators"),
    "grocers": (
        "Loblaws", "Metro", "Sobeys", "No Frills", "FreshCo", "Food Basics", "Save-On-Foods", "Safeway",
        "Costco Wholesale", "Walmart Supercentre", "T&T Supermarket",
    ),
    "restaurants": (
        "Tim Hortons", "Starbucks", "A&W", "Harvey's", "Swiss Chalet", "The Keg", "Boston Pizza",
        "McDonald's", "Subway", "Pizza Pizza", "Mary Brown's", "Second Cup",
    ),
    "gas_stations": ("Petro-Canada", "Esso", "Shell", "Husky", "Pioneer"),
    "shops": ("Canadian Tire", "Best Buy", "Winners", "Dollarama", "IKEA", "Indigo", "Sport Chek"),
    "pharmacies": ("Shoppers Drug Mart", "Rexall", "London Drugs"),
    "online": ("AMAZON.CA", "SEPHORA.CA", "ETSY.COM", "APPLE.COM/BILL"),
    "transit": ("UBER CANADA/UBERTRIP", "LYFT RIDE"),
}  # fmt: skip
_QC_COMMON: dict[str, tuple[str, ...]] = {
    "employers": (
        "Desjardins", "Bombardier", "Ubisoft Montréal", "Hydro-Québec", "Ville de Montréal", "CGI Group",
        "Couche-Tard", "CHUM",
    ),
    "landlords": ("Gestion Immobilière Lavoie", "Immeubles Beaubien", "Groupe Sélection", "CAPREIT"),
    "lenders": ("Desjardins Hypothèques", "MCAP", "First National Financial"),
    "internet": ("Vidéotron", "Bell Internet"),
    "mobile": ("Vidéotron Mobile", "Fizz", "Koodo Mobile", "Fido Mobile"),
    "insurers": ("Desjardins Assurances", "Intact Assurance", "La Capitale"),
    "grocers": ("IGA", "Metro", "Provigo", "Maxi", "Super C", "Costco Wholesale", "Marché Jean-Talon"),
    "restaurants": (
        "Tim Hortons", "Café Dépôt", "La Belle Province", "St-Hubert", "Chez Cora", "Première Moisson",
        "Pâtisserie Rolland", "McDonald's", "Van Houtte",
    ),
    "gas_stations": ("Couche-Tard", "Ultramar", "Petro-Canada", "Esso"),
    "shops": ("Canadian Tire", "Simons", "Renaud-Bray", "Dollarama", "Winners", "Archambault"),
    "pharmacies": ("Pharmaprix", "Jean Coutu", "Uniprix", "Familiprix"),
    "online": ("AMAZON.CA", "ETSY.COM", "APPLE.COM/BILL"),
    "transit": ("UBER CANADA/UBERTRIP", "BIXI MONTRÉAL"),
}  # fmt: skip
_US_COMMON: dict[str, tuple[str, ...]] = {
    "employers": (
        "Amazon", "Walmart", "Kaiser Permanente", "Target", "UPS", "Home Depot", "Microsoft",
        "Bank of America", "Delta Air Lines", "Salesforce", "Kroger", "Starbucks",
    ),
    "landlords": ("Greystar", "Equity Residential", "AvalonBay", "Camden Property", "Mid-America Apts"),
    "lenders": ("Rocket Mortgage", "Mr. Cooper", "Wells Fargo Home Mtg", "PennyMac"),
    "internet": ("Comcast Xfinity", "Spectrum", "AT&T Internet", "Verizon Fios", "Cox Communications"),
    "mobile": ("Verizon Wireless", "T-Mobile", "AT&T Wireless", "Mint Mobile"),
    "insurers": ("GEICO", "State Farm", "Progressive", "Allstate"),
    "grocers": (
        "Kroger", "Safeway", "Whole Foods Market", "Trader Joe's", "Publix", "H-E-B", "Costco Whse",
        "Walmart Supercenter", "Aldi", "Wegmans",
    ),
    "restaurants": (
        "Starbucks", "Chipotle", "McDonald's", "Chick-fil-A", "Panera Bread", "Subway", "Dunkin'",
        "Olive Garden", "Shake Shack", "Taco Bell",
    ),
    "gas_stations": ("Shell", "Chevron", "Exxon", "BP", "Speedway", "Sunoco", "Valero", "Circle K"),
    "shops": ("Target", "Best Buy", "Home Depot", "Macy's", "TJ Maxx", "IKEA", "Barnes & Noble"),
    "pharmacies": ("CVS Pharmacy", "Walgreens", "Rite Aid"),
    "online": ("AMAZON.COM", "ETSY.COM", "APPLE.COM/BILL", "EBAY"),
    "transit": ("UBER *TRIP", "LYFT *RIDE"),
}  # fmt: skip

# Public transit fare as it shows on a card statement, by city.
TRANSIT: dict[str, str] = {
    "Toronto": "PRESTO FARE/TTC",
    "Mississauga": "PRESTO FARE/MIWAY",
    "Hamilton": "PRESTO FARE/HSR",
    "Ottawa": "PRESTO FARE/OC TRANSPO",
    "Montreal": "STM OPUS",
    "Laval": "STL OPUS",
    "Quebec": "RTC QUEBEC",
    "Vancouver": "COMPASS TRANSLINK",
    "Victoria": "BC TRANSIT UMO",
    "Calgary": "CALGARY TRANSIT",
    "Edmonton": "ETS ARC CARD",
    "Winnipeg": "WINNIPEG TRANSIT PEGGO",
    "New York": "MTA*NYCT OMNY",
    "Brooklyn": "MTA*NYCT OMNY",
    "Chicago": "CTA VENTRA",
    "Los Angeles": "LA METRO TAP",
    "Boston": "MBTA CHARLIE",
    "Seattle": "ORCA KING COUNTY METRO",
    "Philadelphia": "SEPTA KEY",
    "Portland": "TRIMET HOP FASTPASS",
    "Denver": "RTD DENVER",
    "Minneapolis": "METRO TRANSIT MN",
}

_SUBSCRIPTIONS: dict[Country, tuple[tuple[str, int], ...]] = {
    Country.CA: (("NETFLIX.COM", 1649), ("SPOTIFY", 1199), ("CRAVE", 1999), ("DISNEY PLUS", 1199)),
    Country.US: (("NETFLIX.COM", 1549), ("SPOTIFY USA", 1199), ("HULU", 1799), ("DISNEY PLUS", 1399)),
}


def _tables(
    country: Country, people: tuple[tuple[str, ...], ...], common: dict[str, tuple[str, ...]]
) -> Tables:
    first, last, streets = people
    return Tables(
        first_names=first,
        last_names=last,
        streets=streets,
        subscriptions=_SUBSCRIPTIONS[country],
        investment_in="TFSA CONTRIBUTION - Wealthsimple"
        if country is Country.CA
        else "TRANSFER TO BROKERAGE",
        investment_out="TFSA WITHDRAWAL - Wealthsimple"
        if country is Country.CA
        else "TRANSFER FROM BROKERAGE",
        **common,
    )


CA_TABLES = _tables(Country.CA, (_CA_FIRST, _CA_LAST, _CA_STREETS), _CA_COMMON)
QC_TABLES = _tables(Country.CA, (_QC_FIRST, _QC_LAST, _QC_STREETS), _QC_COMMON)
US_TABLES = _tables(Country.US, (_US_FIRST, _US_LAST, _US_STREETS), _US_COMMON)


def tables_for(country: Country, region: str) -> Tables:
    if country is Country.US:
        return US_TABLES
    return QC_TABLES if region == "QC" else CA_TABLES


def cities(country: Country) -> tuple[City, ...]:
    return CA_CITIES if country is Country.CA else US_CITIES


def electricity_provider(country: Country, region: str) -> str:
    return ELECTRICITY.get(region, "Hydro One" if country is Country.CA else "Duke Energy")
