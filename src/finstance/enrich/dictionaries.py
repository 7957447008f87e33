"""Merchant and payer dictionaries of each country, as data: what a counterparty's name says a transaction is.

Each block lists counterparties of one kind, one per line, as ``Canonical Name: ALIAS | ALIAS`` (a line that
starts with ``|`` continues the one before): the
canonical name is what ``Assignment.counterparty`` reports, every alias (the canonical name included) is a
phrase of whole words as statements print it, spelled as :func:`finstance.enrich.normalize.tokens_of` reads
it, so "PETRO-CANADA", "PETRO CANADA" and "Petro-Canada" are one alias. A block gives the sub-category of
money sent to the counterparty (a purchase, a bill, a loan payment) and of money received from it: a refund
(Balance Adjustment) for merchants and billers, a loan deposit from a lender, pay from a payroll provider.

Keyword blocks have no canonical names: generic words ("PHARMACY", "DENTAL", "GARDERIE") that name a kind
of business, used when no named counterparty matched.

Government payers (benefits, pensions, tax refunds) are listed as :class:`Program`: long phrases that name
the programme on their own ("CANADA CHILD BENEFIT", "SSA TREAS 310"), and short codes ("EI", "AE", "SV")
that count only next to a government marker ("CANADA", "GOUV", "FED") or their other-language twin.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from finstance.core.country import Country
from finstance.enrich import categories as c
from finstance.enrich.normalize import tokens_of, word_set

# The kinds of counterparty: what money received from one means.
MERCHANT, BILLER, LENDER, MICRO_LENDER = "merchant", "biller", "lender", "micro_lender"
PAYROLL, BROKER, P2P, AGENCY, PROCESSOR = "payroll", "broker", "p2p", "agency", "processor"

BOTH = None  # a block of both countries


@dataclass(frozen=True, slots=True)
class Entry:
    name: str  # canonical counterparty name ("" for keywords)
    aliases: tuple[tuple[str, ...], ...]
    debit: str  # sub-category of money sent to it
    credit: str  # sub-category of money received from it
    kind: str


@dataclass(frozen=True, slots=True)
class Block:
    country: Country | None  # None: both
    debit: str
    credit: str
    kind: str
    lines: str


def _b(
    country: Country | None, debit: str, lines: str, credit: str = c.BALANCE_ADJUSTMENT, kind: str = MERCHANT
) -> Block:
    return Block(country, debit, credit, kind, lines)


CA, US = Country.CA, Country.US
ADJ = c.BALANCE_ADJUSTMENT

BLOCKS: tuple[Block, ...] = (
    # -- Food and Dining ---------------------------------------------------------------------------------
    _b(
        CA,
        "Groceries",
        """
        Loblaws: LOBLAWS | LOBLAW | LOBLAWS INC
        Metro: METRO | METRO PLUS | METRO ONTARIO | METRO RICHELIEU | METRO INC
        Sobeys: SOBEYS | SOBEY S | SOBEYS URBAN FRESH
        IGA: IGA | IGA EXTRA | IGA EXPRESS
        Maxi: MAXI | MAXI & CIE
        Provigo: PROVIGO | PROVIGO LE MARCHE
        Super C: SUPER C
        No Frills: NO FRILLS | NOFRILLS | NO FRILL | NOFRILL
        Food Basics: FOOD BASICS | FOODBASICS
        FreshCo: FRESHCO
        Real Canadian Superstore: SUPERSTORE | REAL CDN SUPERSTORE | REAL CANADIAN SUPERSTORE | RCSS
        | ATLANTIC SUPERSTORE
        Zehrs: ZEHRS | ZEHRS MARKETS
        Fortinos: FORTINOS
        Valu-mart: VALU MART | VALUMART
        Your Independent Grocer: YOUR INDEPENDENT GROCER | YIG | INDEPENDENT GROCER
        Save-On-Foods: SAVE ON FOODS | SAVEONFOODS | SAVE ON
        Farm Boy: FARM BOY | FARMBOY
        T&T Supermarket: T&T | T&T SUPERMARKET | T & T SUPERMARKET
        Longo's: LONGOS | LONGO S
        Co-op: CO OP FOOD | CALGARY CO OP | COOP FOOD | FEDERATED CO OP
        Thrifty Foods: THRIFTY FOODS
        Safeway: SAFEWAY | CANADA SAFEWAY
        Costco: COSTCO | COSTCO WHOLESALE | COSTCO WHSE | COSTCO WHOLESAL
        Giant Tiger: GIANT TIGER
        Marche Adonis: ADONIS | MARCHE ADONIS
        Marche Jean-Talon: MARCHE JEAN TALON
        Avril: AVRIL SUPERMARCHE
        Rachelle-Bery: RACHELLE BERY
        Pusateri's: PUSATERIS
        Whole Foods Market: WHOLE FOODS | WHOLEFDS
        Galleria Supermarket: GALLERIA SUPERMARKET
        Nations Fresh Foods: NATIONS FRESH
        Urban Fare: URBAN FARE
        M&M Food Market: M&M FOOD MARKET | M&M MEAT SHOPS | M & M FOOD
        Bulk Barn: BULK BARN
        Instacart: INSTACART | INSTACART CA
        PC Express: PC EXPRESS | PCEXPRESS
        Voila by Sobeys: VOILA
        7-Eleven: 7 ELEVEN | 7ELEVEN | SEVEN ELEVEN
        Couche-Tard Depanneur: DEPANNEUR COUCHE TARD
        Mac's Convenience: MACS CONV | MACS CONVENIENCE
        Hasty Market: HASTY MARKET
    """,
    ),
    _b(
        US,
        "Groceries",
        """
        Kroger: KROGER | KROGER FUEL CTR
        Safeway: SAFEWAY
        Publix: PUBLIX | PUBLIX SUPER MAR | PUBLIX SUPER MARKETS
        Whole Foods Market: WHOLE FOODS | WHOLEFDS | WHOLE FOODS MARKET | WFM
        Trader Joe's: TRADER JOES | TRADER JOE S | TRADER JOE
        Aldi: ALDI
        H-E-B: H E B | HEB | H E B GROCERY
        Wegmans: WEGMANS
        Costco: COSTCO | COSTCO WHSE | COSTCO WHOLESALE
        Sam's Club: SAMS CLUB | SAMSCLUB | SAM S CLUB
        Albertsons: ALBERTSONS
        Vons: VONS
        Ralphs: RALPHS
        Food Lion: FOOD LION
        Giant Eagle: GIANT EAGLE
        Giant Food: GIANT FOOD | GIANT FOODS
        Stop & Shop: STOP & SHOP | STOP AND SHOP
        ShopRite: SHOPRITE | SHOP RITE
        Meijer: MEIJER
        Hy-Vee: HY VEE | HYVEE
        Winn-Dixie: WINN DIXIE
        Harris Teeter: HARRIS TEETER
        Sprouts: SPROUTS | SPROUTS FARMERS MAR | SPROUTS FARMERS MARKET
        Food 4 Less: FOOD 4 LESS | FOOD4LESS
        WinCo Foods: WINCO | WINCO FOODS
        Smart & Final: SMART & FINAL | SMART AND FINAL
        Fred Meyer: FRED MEYER
        Jewel-Osco: JEWEL OSCO | JEWEL
        King Soopers: KING SOOPERS
        Fry's Food: FRYS FOOD | FRY S FOOD
        Piggly Wiggly: PIGGLY WIGGLY
        Lidl: LIDL
        Save A Lot: SAVE A LOT | SAVE-A-LOT | SAVEALOT
        Market Basket: MARKET BASKET
        Food City: FOOD CITY
        Ingles: INGLES
        Stater Bros: STATER BROS
        Grocery Outlet: GROCERY OUTLET
        Fairway Market: FAIRWAY MARKET
        Instacart: INSTACART
        7-Eleven: 7 ELEVEN | 7ELEVEN
    """,
    ),
    _b(
        BOTH,
        "Fast Food",
        """
        McDonald's: MCDONALDS | MCDONALD S | MC DONALDS | MCDONALD
        Burger King: BURGER KING | BK
        Wendy's: WENDYS | WENDY S
        A&W: A&W | A & W | A AND W
        Harvey's: HARVEYS | HARVEY S
        Subway: SUBWAY
        KFC: KFC | KENTUCKY FRIED
        Taco Bell: TACO BELL
        Popeyes: POPEYES
        Chick-fil-A: CHICK FIL A | CHICKFILA | CHICK FIL
        Chipotle: CHIPOTLE | CHIPOTLE ONLINE
        Five Guys: FIVE GUYS | 5 GUYS
        Pizza Pizza: PIZZA PIZZA
        Pizza Hut: PIZZA HUT
        Domino's: DOMINOS | DOMINO S | DOMINOS PIZZA
        Little Caesars: LITTLE CAESARS | LITTLE CAESAR
        Papa John's: PAPA JOHNS
        Mary Brown's: MARY BROWNS | MARY BROWN S
        Dairy Queen: DAIRY QUEEN | DQ
        Arby's: ARBYS
        Sonic Drive-In: SONIC DRIVE IN | SONIC
        Jack in the Box: JACK IN THE BOX
        In-N-Out Burger: IN N OUT | IN N OUT BURGER
        Whataburger: WHATABURGER
        Carl's Jr: CARLS JR
        Hardee's: HARDEES
        Jimmy John's: JIMMY JOHNS
        Jersey Mike's: JERSEY MIKES
        Firehouse Subs: FIREHOUSE SUBS
        Panda Express: PANDA EXPRESS
        Qdoba: QDOBA
        Del Taco: DEL TACO
        Raising Cane's: RAISING CANES | RAISING CANE S
        Wingstop: WINGSTOP
        Zaxby's: ZAXBYS
        Culver's: CULVERS
        Shake Shack: SHAKE SHACK
        Freshii: FRESHII
        Mucho Burrito: MUCHO BURRITO
        Osmow's: OSMOWS
        Quesada: QUESADA
        Barburrito: BARBURRITO
        Thai Express: THAI EXPRESS
        Manchu Wok: MANCHU WOK
        La Belle Province: LA BELLE PROVINCE | BELLE PROVINCE
        Lafleur: LAFLEUR RESTAURANT | RESTAURANT LAFLEUR
        Benny & Co: BENNY & CO
        Mr. Sub: MR SUB
        Panago: PANAGO
        Triple O's: TRIPLE OS
        Fatburger: FATBURGER
        Church's Chicken: CHURCHS CHICKEN
        Bojangles: BOJANGLES
        Checkers: CHECKERS DRIVE IN
        Smashburger: SMASHBURGER
        Noodles & Company: NOODLES & CO | NOODLES & COMPANY
        Sweetgreen: SWEETGREEN
        Cava: CAVA
        Pita Pit: PITA PIT
        Taco Time: TACO TIME
        Chick'n Chick'n: COQ FRIT
    """,
    ),
    _b(
        BOTH,
        "Coffee Shops",
        """
        Tim Hortons: TIM HORTONS | TIM HORTON | TIMHORTONS | TIM HORTON S | TIMS
        Starbucks: STARBUCKS | STARBUCKS STORE | SBUX
        Second Cup: SECOND CUP | 2ND CUP
        Dunkin': DUNKIN | DUNKIN DONUTS | DUNKIN #
        Krispy Kreme: KRISPY KREME
        Van Houtte: VAN HOUTTE
        Cafe Depot: CAFE DEPOT
        Balzac's Coffee: BALZACS
        Blenz Coffee: BLENZ
        JJ Bean: JJ BEAN
        Dutch Bros: DUTCH BROS
        Peet's Coffee: PEETS | PEETS COFFEE | PEET S
        Caribou Coffee: CARIBOU COFFEE
        Coffee Bean & Tea Leaf: COFFEE BEAN
        Blue Bottle Coffee: BLUE BOTTLE
        Philz Coffee: PHILZ
        Cafe Nero: CAFFE NERO
        Premiere Moisson: PREMIERE MOISSON
        Patisserie Rolland: PATISSERIE ROLLAND
        Cobs Bread: COBS BREAD
        Panera Bread: PANERA | PANERA BREAD
        Pret A Manger: PRET A MANGER
        David's Tea: DAVIDSTEA | DAVIDS TEA
        Booster Juice: BOOSTER JUICE
        Jamba: JAMBA | JAMBA JUICE
        Cinnabon: CINNABON
        Cafe Cortado: CAFE CORTADO
        Country Style: COUNTRY STYLE
        Coffee Time: COFFEE TIME
    """,
    ),
    _b(
        BOTH,
        "Restaurants",
        """
        Swiss Chalet: SWISS CHALET
        St-Hubert: ST HUBERT | RESTAURANT ST HUBERT
        The Keg: KEG | THE KEG | KEG STEAKHOUSE
        Boston Pizza: BOSTON PIZZA
        East Side Mario's: EAST SIDE MARIOS
        Montana's: MONTANAS
        Kelsey's: KELSEYS
        Milestones: MILESTONES
        Earls: EARLS | EARLS KITCHEN
        Cactus Club: CACTUS CLUB | CACTUS CLUB CAFE
        Joey: JOEY RESTAURANTS | JOEY
        The Old Spaghetti Factory: OLD SPAGHETTI FACTORY
        Denny's: DENNYS
        IHOP: IHOP
        Chez Cora: CORA | CHEZ CORA | CORA DEJEUNERS
        Olive Garden: OLIVE GARDEN
        Applebee's: APPLEBEES
        Chili's: CHILIS
        TGI Fridays: TGI FRIDAYS | TGIF
        Red Lobster: RED LOBSTER
        Outback Steakhouse: OUTBACK | OUTBACK STEAKHOUSE
        Texas Roadhouse: TEXAS ROADHOUSE
        LongHorn Steakhouse: LONGHORN STEAK | LONGHORN STEAKHOUSE
        Buffalo Wild Wings: BUFFALO WILD WINGS | BWW
        Cheesecake Factory: CHEESECAKE FACTORY | CHEESECAKE
        Red Robin: RED ROBIN
        Cracker Barrel: CRACKER BARREL
        P.F. Chang's: PF CHANGS
        Waffle House: WAFFLE HOUSE
        Benihana: BENIHANA
        The Works: THE WORKS GOURMET
        Jack Astor's: JACK ASTORS
        Scores: ROTISSERIE SCORES
        Baton Rouge: BATON ROUGE
        Tutti Frutti: TUTTI FRUTTI
        Eggsmart: EGGSMART
        White Spot: WHITE SPOT
        Moxie's: MOXIES
        Browns Socialhouse: BROWNS SOCIALHOUSE
        Chuck E. Cheese: CHUCK E CHEESE
        Toast: TOAST
        OpenTable: OPENTABLE
        ~Restaurant: RESTAURANT | RESTAURANTS | RESTO | DINER | TAVERN | TAVERNE | GRILL | GRILLE | BISTRO
        | BRASSERIE | TRATTORIA | OSTERIA | PIZZERIA | STEAKHOUSE | STEAK HOUSE | SUSHI | RAMEN | PHO
        | CUISINE | KITCHEN | EATERY | CANTINA | TAQUERIA | BBQ | SMOKEHOUSE | NOODLE | NOODLES | DIM SUM
        | BUFFET | CREPERIE | SEAFOOD | OYSTER BAR | BRUNCH | DELI | TRAITEUR | CATERING
    """,
    ),
    _b(
        BOTH,
        "Fast Food",
        """
        ~Fast Food: BURGER | BURGERS | SHAWARMA | FALAFEL | POUTINE | POUTINERIE | FRITES | HOT DOG | WINGS
        | PIZZA | TACOS | DONAIR | FRIED CHICKEN | SUBS | CASSE CROUTE | SNACK BAR | FOOD TRUCK
    """,
    ),
    _b(
        BOTH,
        "Coffee Shops",
        """
        ~Cafe: CAFE | CAFES | COFFEE | CAFFE | ESPRESSO | BAKERY | BOULANGERIE | PATISSERIE | DONUT | DONUTS
        | BAGEL | BAGELS | TEA | BUBBLE TEA | TEAHOUSE | JUICE | ROASTERS | BAKE SHOP | CHOCOLATIER | GELATO
        | ICE CREAM | CREMERIE
    """,
    ),
    _b(
        BOTH,
        "Alcohol and Bars",
        """
        ~Bar: PUB | BAR | BREWERY | BREWING | BREW PUB | LOUNGE | TAPROOM | WINERY | DISTILLERY | NIGHTCLUB
        | SALOON | CIDERY | MICROBRASSERIE | BEER | BIERE | WINE BAR | SPORTS BAR
    """,
    ),
    _b(
        BOTH,
        "Groceries",
        """
        ~Grocery: GROCERY | GROCERIES | GROCER | SUPERMARKET | SUPERMARCHE | MARCHE | EPICERIE | FRUITERIE
        | BOUCHERIE | BUTCHER | DEPANNEUR | CONVENIENCE | CONV | CONV STORE | FOOD MART | MINI MART
        | FOOD MARKET | FARMERS MARKET | MEAT MARKET | FISH MARKET | POISSONNERIE | FROMAGERIE | PRODUCE
        | ORGANIC MARKET | HALAL MEAT | ASIAN MARKET | MERCADO | BODEGA
        ~~Market: MARKET | FOODS
    """,
    ),
    _b(
        BOTH,
        "Other Shopping",
        """
        ~Shop: GIFT SHOP | GIFTS | JEWELLERS | JEWELERS | JEWELRY | JEWELLERY | BIJOUTERIE | TOYS | JOUETS
        | SPORTING GOODS | CRAFTS | HOBBY | SMOKE SHOP | VAPE | TABAGIE | CANNABIS | DISPENSARY | SQDC
        | THRIFT | CONSIGNMENT | PAWN | OUTFITTERS
    """,
    ),
    _b(
        BOTH,
        "Clothing",
        """
        ~Clothing: APPAREL | CLOTHING | CLOTHES | SHOES | SHOE | CHAUSSURES | VETEMENTS | BOUTIQUE | FASHION
        | FASHIONS | JEANS | LINGERIE | TAILOR | MODE
    """,
    ),
    _b(
        BOTH,
        "Electronics",
        """
        ~Electronics: ELECTRONICS | ELECTRONIQUE | COMPUTER | COMPUTERS | CELL PHONE | PHONE REPAIR | GAMING
    """,
    ),
    _b(
        BOTH,
        "Home Improvement",
        """
        ~Hardware: HARDWARE | QUINCAILLERIE | LUMBER | PAINT | BUILDING SUPPLIES | BUILDING SUPPLY
        | GARDEN CENTRE | GARDEN CENTER | NURSERY | PLANTS | HOME CENTER | HOME CENTRE | MATERIAUX
    """,
    ),
    _b(
        BOTH,
        "Pet Supplies",
        """
        ~Pets: PET | PETS | PET STORE | PET FOOD | VET | VETS | VETERINARY | VETERINAIRE | ANIMAL HOSPITAL
        | ANIMAL CLINIC | ANIMALERIE | GROOMING | TOILETTAGE | CLINIQUE VETERINAIRE
    """,
    ),
    _b(
        BOTH,
        "Fuel",
        """
        ~Gas Station: GAS | GAS BAR | GASBAR | GASOLINE | FUEL | FUELS | PETROLEUM | ESSENCE
        | STATION SERVICE | PETRO | TRUCK STOP | TRAVEL CENTER | EV CHARGING
    """,
    ),
    _b(
        BOTH,
        "Public Transit",
        """
        ~Transit: TRANSIT | TRANSIT FARE | BUS FARE | FARE | TRANSPORT EN COMMUN | RAIL
    """,
    ),
    _b(
        BOTH,
        "Airlines",
        """
        ~Airline: AIRLINES | AIRLINE | AIRWAYS | AIR LINES | AIRLINE TICKET
    """,
    ),
    _b(
        BOTH,
        "Mobile Phone",
        """
        ~Wireless: WIRELESS | CELLULAR | MOBILITY | MOBILITE | PREPAID PHONE
    """,
        kind=BILLER,
    ),
    _b(
        BOTH,
        "Internet and Cable",
        """
        ~Internet: INTERNET | CABLE | CABLESYSTEMS | BROADBAND | FIBRE | FIBER | SATELLITE TV
    """,
        kind=BILLER,
    ),
    _b(
        BOTH,
        "Food Delivery",
        """
        Uber Eats: UBER EATS | UBEREATS | UBER EAT | UBER CANADA UBEREATS | UBER ONE
        DoorDash: DOORDASH | DOOR DASH | DD DOORDASH | DASHPASS
        SkipTheDishes: SKIP THE DISHES | SKIPTHEDISHES | SKIP DISHES | SKIPTHEDISH
        Grubhub: GRUBHUB | GRUB HUB
        Seamless: SEAMLESS
        Postmates: POSTMATES
        Caviar: CAVIAR
        Fantuan: FANTUAN
        HelloFresh: HELLOFRESH | HELLO FRESH
        Chefs Plate: CHEFS PLATE
        Goodfood: GOODFOOD | GOOD FOOD MARKET
        Gopuff: GOPUFF
    """,
    ),
    _b(
        BOTH,
        "Alcohol and Bars",
        """
        LCBO: LCBO | LCBO RAO
        SAQ: SAQ | SAQ SELECTION | SAQ EXPRESS | SAQ DEPOT
        The Beer Store: BEER STORE | THE BEER STORE
        BC Liquor Stores: BC LIQUOR | BCLS | BC LIQUOR STORE
        Alberta Liquor: LIQUOR DEPOT | WINE AND BEYOND | ALCANNA
        NSLC: NSLC
        NB Liquor: ANBL | NB LIQUOR
        Liquor Marts: LIQUOR MART | MB LIQUOR MART
        SLGA: SLGA
        Wine Rack: WINE RACK
        Total Wine: TOTAL WINE
        BevMo: BEVMO
        ABC Fine Wine: ABC FINE WINE
        Spec's: SPECS LIQUOR
        Binny's: BINNYS
        Drizly: DRIZLY
        ~Liquor Store: LIQUOR STORE | LIQUOR | LIQUORS | WINE & SPIRITS | SPIRITS
    """,
    ),
    # -- Shopping ----------------------------------------------------------------------------------------
    _b(
        BOTH,
        "General Merchandise",
        """
        Walmart: WALMART | WAL MART | WM SUPERCENTER | WALMART SUPERCENTER | WALMART SUPERCENTRE
        | WALMART CA | WAL MART SUPERCENTER | WALMART STORE
        Target: TARGET | TARGET T
        Canadian Tire: CANADIAN TIRE | CDN TIRE
        Dollarama: DOLLARAMA
        Dollar Tree: DOLLAR TREE | DOLLARTREE
        Family Dollar: FAMILY DOLLAR
        Dollar General: DOLLAR GENERAL | DOLLAR GEN | DOLGEN
        Five Below: FIVE BELOW
        Giant Tiger: GIANT TIGER
        Hudson's Bay: HUDSONS BAY | THE BAY | HBC
        Macy's: MACYS | MACY S
        Kohl's: KOHLS | KOHL S
        JCPenney: JCPENNEY | JC PENNEY | JCP
        Nordstrom: NORDSTROM | NORDSTROM RACK
        Dillard's: DILLARDS
        Big Lots: BIG LOTS
        Costco Online: COSTCO CA ONLINE
        BJ's Wholesale: BJS WHOLESALE | BJ S WHOLESALE
        Tuesday Morning: TUESDAY MORNING
        Miniso: MINISO
        ~Dollar Store: DOLLAR STORE
        Hart: HART STORES
    """,
    ),
    _b(
        BOTH,
        "Online Marketplaces",
        """
        Amazon: AMAZON | AMZN | AMZN MKTP | AMAZON MKTPLACE | AMAZON MARKETPLACE | AMAZON MKTP | AMZ
        | AMAZON COM | AMAZON RETAIL | AMZN DIGITAL
        eBay: EBAY | EBAY O
        Etsy: ETSY
        Temu: TEMU
        Shein: SHEIN
        AliExpress: ALIEXPRESS | ALIPAY
        Wish: WISH COM
        Wayfair: WAYFAIR
        Walmart.com: WALMART COM | WMT PLUS
        Facebook Marketplace: FACEBOOK MARKETPLACE
        Kijiji: KIJIJI
        Poshmark: POSHMARK
        Mercari: MERCARI
        Chewy: CHEWY
        Newegg: NEWEGG
        Best Buy Marketplace: BESTBUY MARKETPLACE
    """,
    ),
    _b(
        BOTH,
        "Clothing",
        """
        Winners: WINNERS | WINNERS HOMESENSE
        Marshalls: MARSHALLS
        TJ Maxx: TJ MAXX | TJMAXX | T J MAXX
        Ross: ROSS STORES | ROSS DRESS FOR LESS | ROSS
        Old Navy: OLD NAVY
        Gap: GAP | GAP OUTLET
        Banana Republic: BANANA REPUBLIC
        H&M: H&M | H & M | HM
        Zara: ZARA
        Uniqlo: UNIQLO
        Simons: SIMONS | LA MAISON SIMONS
        Sport Chek: SPORT CHEK | SPORTCHEK
        Sports Experts: SPORTS EXPERTS
        Lululemon: LULULEMON | LULULEMON ATHLETICA
        Roots: ROOTS
        Aritzia: ARITZIA
        Mark's: MARKS | MARKS WORK WEARHOUSE | L EQUIPEUR
        Reitmans: REITMANS
        Ardene: ARDENE
        Le Chateau: LE CHATEAU
        American Eagle: AMERICAN EAGLE | AE OUTFITTERS
        Forever 21: FOREVER 21
        Foot Locker: FOOT LOCKER | FOOTLOCKER
        Nike: NIKE | NIKE COM
        Adidas: ADIDAS
        Payless: PAYLESS
        DSW: DSW
        Aldo: ALDO
        Browns Shoes: BROWNS SHOES
        Burlington: BURLINGTON | BURLINGTON STORES
        Gap Canada: GAP CANADA
        Urban Outfitters: URBAN OUTFITTERS
        Anthropologie: ANTHROPOLOGIE
        Nordstrom Rack: NORDSTROM RACK
        Abercrombie: ABERCROMBIE
        Hollister: HOLLISTER
        Old Navy: OLDNAVY
        Garage Clothing: GARAGE CLOTHING
        Dynamite: DYNAMITE
        Bluenotes: BLUENOTES
        Joe Fresh: JOE FRESH
        Gildan: GILDAN
        Carter's: CARTERS
        Children's Place: CHILDRENS PLACE
    """,
    ),
    _b(
        BOTH,
        "Electronics",
        """
        Best Buy: BEST BUY | BESTBUY | BEST BUY MOBILE
        Apple Store: APPLE STORE | APPLE ONLINE STORE
        The Source: THE SOURCE
        Staples: STAPLES | BUREAU EN GROS
        Visions Electronics: VISIONS ELECTRONICS
        Memory Express: MEMORY EXPRESS
        Canada Computers: CANADA COMPUTERS
        Micro Center: MICRO CENTER
        GameStop: GAMESTOP | EB GAMES
        Microsoft Store: MICROSOFT STORE
        Samsung: SAMSUNG
        Dell: DELL
        B&H Photo: B&H PHOTO | BH PHOTO
        Office Depot: OFFICE DEPOT | OFFICEMAX
    """,
    ),
    _b(
        BOTH,
        "Home Improvement",
        """
        Home Depot: HOME DEPOT | THE HOME DEPOT | HOMEDEPOT
        Lowe's: LOWES | LOWE S
        RONA: RONA | RONA INC | RONA L ENTREPOT
        Home Hardware: HOME HARDWARE
        Kent Building Supplies: KENT | KENT BUILDING | KENT BUILDING SUPPLIES
        Reno-Depot: RENO DEPOT
        BMR: BMR
        Canac: CANAC
        Patrick Morin: PATRICK MORIN
        Menards: MENARDS
        Ace Hardware: ACE HARDWARE | ACE HDWE
        True Value: TRUE VALUE
        Harbor Freight: HARBOR FREIGHT
        Sherwin-Williams: SHERWIN WILLIAMS
        Benjamin Moore: BENJAMIN MOORE
        Lee Valley: LEE VALLEY
        Princess Auto: PRINCESS AUTO
        Peavey Mart: PEAVEY MART
        TSC Stores: TSC STORES
        Tractor Supply: TRACTOR SUPPLY
        Windsor Plywood: WINDSOR PLYWOOD
        Castle Building: CASTLE BUILDING
    """,
    ),
    _b(
        BOTH,
        "Pet Supplies",
        """
        PetSmart: PETSMART
        Petco: PETCO
        Pet Valu: PET VALU | PETVALU
        Global Pet Foods: GLOBAL PET FOODS
        Mondou: MONDOU
        Banfield: BANFIELD
        VCA Animal Hospitals: VCA | VCA ANIMAL
        Pet Supplies Plus: PET SUPPLIES PLUS
        Rover: ROVER COM
    """,
    ),
    _b(
        BOTH,
        "Other Shopping",
        """
        Indigo: INDIGO | CHAPTERS | INDIGO BOOKS | COLES
        Renaud-Bray: RENAUD BRAY
        Archambault: ARCHAMBAULT
        Barnes & Noble: BARNES & NOBLE | BARNES AND NOBLE | BARNESNOBLE
        Michaels: MICHAELS | MICHAELS STORES
        Hobby Lobby: HOBBY LOBBY
        Jo-Ann: JOANN | JO ANN
        DeSerres: DESERRES
        Party City: PARTY CITY
        Toys R Us: TOYS R US | TOYSRUS
        Mastermind Toys: MASTERMIND TOYS
        Dick's Sporting Goods: DICKS SPORTING | DICKS SPORTING GOODS
        Academy Sports: ACADEMY SPORTS
        Decathlon: DECATHLON
        MEC: MEC | MOUNTAIN EQUIPMENT
        REI: REI
        Bass Pro Shops: BASS PRO | BASS PRO SHOPS | CABELAS
        Atmosphere: ATMOSPHERE
        Pandora: PANDORA JEWELRY
        Peoples Jewellers: PEOPLES JEWELLERS
        Kay Jewelers: KAY JEWELERS
        Claire's: CLAIRES
        Spencer's: SPENCERS
        Value Village: VALUE VILLAGE | SAVERS
        Goodwill: GOODWILL
        Salvation Army Thrift: SALVATION ARMY THRIFT
        Urban Planet: URBAN PLANET
        Bed Bath & Beyond: BED BATH & BEYOND | BED BATH
        HomeSense: HOMESENSE
        HomeGoods: HOMEGOODS
        Kitchen Stuff Plus: KITCHEN STUFF PLUS
        Linen Chest: LINEN CHEST
        ~Florist: FLORIST | FLOWERS | FLEURISTE | 1 800 FLOWERS | FTD
        Vistaprint: VISTAPRINT
        Shopify Store: SHOP APP
    """,
    ),
    # -- Transportation ----------------------------------------------------------------------------------
    _b(
        BOTH,
        "Fuel",
        """
        Petro-Canada: PETRO CANADA | PETROCAN | PETRO CAN | PETROCANADA | PETRO CDA
        Esso: ESSO | ESSO CIRCLE K
        Shell: SHELL | SHELL OIL | SHELL SERVICE | SHELL CANADA
        Husky: HUSKY
        Pioneer: PIONEER | PIONEER GAS
        Ultramar: ULTRAMAR
        Irving Oil: IRVING | IRVING OIL
        Co-op Gas: CO OP GAS | COOP GAS | CO OP GAS BAR
        Couche-Tard: COUCHE TARD | COUCHE TARD ESSO
        Circle K: CIRCLE K
        Mobil: MOBIL
        Costco Gas: COSTCO GAS | COSTCO GASOLINE | COSTCO FUEL
        Canadian Tire Gas+: GAS+ | CANADIAN TIRE GAS BAR | CT GAS
        Chevron: CHEVRON
        ExxonMobil: EXXON | EXXONMOBIL | EXXON MOBIL
        BP: BP | BP#
        Speedway: SPEEDWAY
        Sunoco: SUNOCO
        Valero: VALERO
        Marathon: MARATHON PETRO | MARATHON
        Phillips 66: PHILLIPS 66 | P66
        Conoco: CONOCO
        Citgo: CITGO
        Arco: ARCO | AMPM
        QuikTrip: QUIKTRIP | QT
        RaceTrac: RACETRAC
        Murphy USA: MURPHY USA | MURPHY OIL | MURPHY EXPRESS
        Casey's: CASEYS | CASEYS GEN STORE
        Pilot: PILOT | PILOT FLYING J | FLYING J
        Love's: LOVES TRAVEL | LOVES COUNTRY
        Kwik Trip: KWIK TRIP
        Wawa: WAWA
        Sheetz: SHEETZ
        Gulf: GULF OIL
        Texaco: TEXACO
        Cumberland Farms: CUMBERLAND FARMS
        Tesla Supercharger: TESLA SUPERCHARGER
        ChargePoint: CHARGEPOINT
        Electrify America: ELECTRIFY AMERICA
        FLO: FLO EV
        Crevier: CREVIER
        Sonic Petroleum: SONIC PETROLEUM
        Mobil Canada: MOBIL CANADA
        Esso Express: ON THE RUN
    """,
    ),
    _b(
        BOTH,
        "Public Transit",
        """
        PRESTO: PRESTO | PRESTO FARE | PRESTO CARD
        TTC: TTC | TORONTO TRANSIT
        GO Transit: GO TRANSIT | METROLINX
        OC Transpo: OC TRANSPO
        MiWay: MIWAY
        STM: STM | STM OPUS | SOCIETE DE TRANSPORT
        STL: STL OPUS
        RTC: RTC QUEBEC
        OPUS: OPUS
        exo: EXO
        REM: REM
        TransLink: TRANSLINK | COMPASS | COMPASS TRANSLINK | COMPASS VENDING
        BC Transit: BC TRANSIT
        Calgary Transit: CALGARY TRANSIT
        Edmonton Transit: ETS | EDMONTON TRANSIT | ARC CARD
        Winnipeg Transit: WINNIPEG TRANSIT
        Halifax Transit: HALIFAX TRANSIT
        VIA Rail: VIA RAIL
        UP Express: UP EXPRESS
        Bixi: BIXI
        Bike Share Toronto: BIKE SHARE TORONTO
        MTA: MTA | MTA NYCT | NYCT | OMNY | MTA MNR | METRO NORTH | LIRR
        NJ Transit: NJ TRANSIT | NJT
        PATH: PATH
        CTA: CTA | CTA VENTRA | VENTRA
        Metra: METRA
        Clipper: CLIPPER | CLIPPER CARD
        BART: BART
        LA Metro: LA METRO | METRO TAP | TAP
        MBTA: MBTA | MBTA CHARLIE | CHARLIE CARD
        SEPTA: SEPTA | SEPTA KEY
        WMATA: WMATA | SMARTRIP
        MARTA: MARTA
        ORCA: ORCA | KING COUNTY METRO | SOUND TRANSIT
        TriMet: TRIMET | HOP FASTPASS
        RTD: RTD DENVER | RTD
        Metro Transit: METRO TRANSIT
        DART: DART
        Amtrak: AMTRAK
        Citi Bike: CITI BIKE | CITIBIKE
        Lime: LIME | LIME SCOOTER
        Bird: BIRD RIDES
        Greyhound: GREYHOUND
        Megabus: MEGABUS
        Orleans Express: ORLEANS EXPRESS
        Peggo: PEGGO
        UMO: UMO
    """,
    ),
    _b(
        BOTH,
        "Ride Share",
        """
        Uber: UBER | UBER TRIP | UBERTRIP | UBER RIDES | UBER CANADA | UBER BV | UBER TECHNOLOGIES
        Lyft: LYFT | LYFT RIDE
        Beck Taxi: BECK TAXI
        Co-op Cabs: COOP CABS
        ~Taxi: TAXI | CAB | TAXI DIAMOND | TAXI COOP | YELLOW CAB | CURB
        Eva: EVA RIDE
        Hopp: HOPP
    """,
    ),
    _b(
        BOTH,
        "Parking and Tolls",
        """
        Impark: IMPARK
        Indigo Park: INDIGO PARK | INDIGO PARKING | PARK INDIGO
        Green P: GREEN P | TORONTO PARKING AUTHORITY
        HonkMobile: HONK | HONKMOBILE
        PayByPhone: PAYBYPHONE | PAY BY PHONE
        SP+: SP PLUS | SP+
        ParkMobile: PARKMOBILE
        Precise ParkLink: PRECISE PARKLINK
        EasyPark: EASYPARK
        Stationnement de Montreal: STATIONNEMENT DE MONTREAL
        ~Stationnement: STATIONNEMENT
        407 ETR: 407 ETR | 407ETR | ETR 407
        A25: A25
        E-ZPass: E ZPASS | EZPASS | E Z PASS
        SunPass: SUNPASS
        FasTrak: FASTRAK
        Peach Pass: PEACH PASS
        TxTag: TXTAG | NTTA
        ~Toll: TOLL | TOLLS | PEAGE | TOLL ROAD
        ~Parking: PARKING | PARKADE | CITY PARKING | PARKING LOT
        Laz Parking: LAZ PARKING
        ABM Parking: ABM PARKING
        Diamond Parking: DIAMOND PARKING
    """,
    ),
    _b(
        BOTH,
        "Auto Maintenance",
        """
        Jiffy Lube: JIFFY LUBE
        Mr. Lube: MR LUBE
        Midas: MIDAS
        Meineke: MEINEKE
        Valvoline: VALVOLINE
        Kal Tire: KAL TIRE
        OK Tire: OK TIRE
        Discount Tire: DISCOUNT TIRE
        Firestone: FIRESTONE
        Goodyear: GOODYEAR
        Pep Boys: PEP BOYS
        AutoZone: AUTOZONE
        O'Reilly Auto Parts: OREILLY AUTO | O REILLY AUTO | OREILLY
        Advance Auto Parts: ADVANCE AUTO
        NAPA: NAPA | NAPA AUTO
        Lordco: LORDCO
        Uni-Select: UNI SELECT
        Speedy Auto: SPEEDY AUTO
        Monro: MONRO
        Safelite: SAFELITE
        Canadian Tire Auto: CANADIAN TIRE AUTO
        ~Car Wash: CAR WASH | LAVE AUTO | CARWASH
        CAA: CAA | CAA MEMBERSHIP
        AAA: AAA | AAA MEMBERSHIP
        ~Pneus: PNEUS | GARAGE | AUTO REPAIR | AUTO SERVICE | MECANIQUE
    """,
    ),
    # -- Travel ------------------------------------------------------------------------------------------
    _b(
        BOTH,
        "Airlines",
        """
        Air Canada: AIR CANADA | AIRCANADA | AIR CAN
        WestJet: WESTJET | WEST JET
        Porter Airlines: PORTER AIRLINES | PORTER AIR | FLYPORTER
        Air Transat: AIR TRANSAT | TRANSAT
        Flair Airlines: FLAIR AIRLINES | FLAIR AIR
        Swoop: SWOOP
        Sunwing: SUNWING
        Lynx Air: LYNX AIR
        Delta Air Lines: DELTA AIR | DELTA AIRLINES | DELTA AIR LINES
        United Airlines: UNITED AIRLINES | UNITED AIR
        American Airlines: AMERICAN AIRLINES | AMERICAN AIR | AA COM
        Southwest Airlines: SOUTHWEST AIR | SOUTHWEST AIRLINES | SOUTHWES
        JetBlue: JETBLUE | JET BLUE
        Alaska Airlines: ALASKA AIR | ALASKA AIRLINES
        Spirit Airlines: SPIRIT AIRL | SPIRIT AIRLINES
        Frontier Airlines: FRONTIER AIRLINES | FRONTIER AIR
        Allegiant: ALLEGIANT
        Hawaiian Airlines: HAWAIIAN AIR
        British Airways: BRITISH AIRWAYS
        Air France: AIR FRANCE
        KLM: KLM
        Lufthansa: LUFTHANSA
    """,
    ),
    _b(
        BOTH,
        "Hotels",
        """
        Marriott: MARRIOTT | COURTYARD | RESIDENCE INN | FAIRFIELD INN | SPRINGHILL
        Hilton: HILTON | HAMPTON INN | HAMPTON | DOUBLETREE | EMBASSY SUITES | HOMEWOOD SUITES
        Hyatt: HYATT
        Holiday Inn: HOLIDAY INN | IHG | CROWNE PLAZA
        Best Western: BEST WESTERN
        Fairmont: FAIRMONT
        Delta Hotels: DELTA HOTELS
        Sheraton: SHERATON | WESTIN
        Comfort Inn: COMFORT INN | CHOICE HOTELS | QUALITY INN
        Super 8: SUPER 8
        Motel 6: MOTEL 6
        Days Inn: DAYS INN
        Travelodge: TRAVELODGE
        Booking.com: BOOKING COM | BOOKING
        Expedia: EXPEDIA | HOTELS COM
        ~Hotel: HOTEL | MOTEL | HOTELS | AUBERGE | INN
    """,
    ),
    _b(
        BOTH,
        "Hotels",
        """
        Airbnb: AIRBNB | AIRBNB PAYMENTS
        Vrbo: VRBO | HOMEAWAY
    """,
        credit=c.RENTAL_INCOME,
    ),
    _b(
        BOTH,
        "Car Rental",
        """
        Enterprise: ENTERPRISE RENT | ENTERPRISE RENT A CAR | ENTERPRISE
        Hertz: HERTZ
        Avis: AVIS
        Budget: BUDGET RENT | BUDGET CAR
        National Car Rental: NATIONAL CAR
        Alamo: ALAMO
        Discount Car Rental: DISCOUNT CAR
        Turo: TURO
        Communauto: COMMUNAUTO
        Evo Car Share: EVO CAR SHARE | EVO
        Zipcar: ZIPCAR
        Sixt: SIXT
        Thrifty: THRIFTY CAR
        Dollar Rent A Car: DOLLAR RENT
        U-Haul: U HAUL | UHAUL
    """,
    ),
    _b(
        BOTH,
        "Other Travel",
        """
        Flight Centre: FLIGHT CENTRE
        Priceline: PRICELINE
        Kayak: KAYAK
        Hopper: HOPPER
        Travelocity: TRAVELOCITY
        Carnival: CARNIVAL CRUISE
        Royal Caribbean: ROYAL CARIBBEAN
        Norwegian Cruise: NORWEGIAN CRUISE
        Nexus: NEXUS | GLOBAL ENTRY
        Duty Free: DUTY FREE
        Air Miles: AIR MILES
        ~Travel Agency: TRAVEL | VOYAGES
    """,
    ),
    # -- Utilities ---------------------------------------------------------------------------------------
    _b(
        CA,
        "Electricity",
        """
        Hydro One: HYDRO ONE
        Hydro-Quebec: HYDRO QUEBEC | HYDRO QC
        Toronto Hydro: TORONTO HYDRO | TORONTO HYDRO ELECTRIC
        BC Hydro: BC HYDRO | BCHYDRO
        Alectra Utilities: ALECTRA | ALECTRA UTILITIES
        Hydro Ottawa: HYDRO OTTAWA
        London Hydro: LONDON HYDRO
        Elexicon Energy: ELEXICON
        Enova Power: ENOVA | KITCHENER WILMOT HYDRO
        ENMAX: ENMAX | ENMAX ENERGY
        EPCOR: EPCOR
        ATCO Electric: ATCO ELECTRIC
        FortisAlberta: FORTISALBERTA | FORTIS ALBERTA
        Direct Energy: DIRECT ENERGY
        Just Energy: JUST ENERGY
        Manitoba Hydro: MANITOBA HYDRO | MB HYDRO
        SaskPower: SASKPOWER | SASK POWER
        Nova Scotia Power: NOVA SCOTIA POWER | NS POWER
        NB Power: NB POWER | NBPOWER | ENERGIE NB
        Newfoundland Power: NEWFOUNDLAND POWER | NL POWER
        Maritime Electric: MARITIME ELECTRIC
        Hydro Sherbrooke: HYDRO SHERBROOKE
        Utilities Kingston: UTILITIES KINGSTON
        Burlington Hydro: BURLINGTON HYDRO
        Oakville Hydro: OAKVILLE HYDRO
        ~Hydro: HYDRO | HYDRO BILL | ELECTRICITE
    """,
    ),
    _b(
        US,
        "Electricity",
        """
        Con Edison: CON ED | CONED | CON EDISON | CONSOLIDATED EDISON
        PG&E: PG&E | PGE | PGANDE | PG AND E | PACIFIC GAS & ELECTRIC | PACIFIC GAS AND ELECTRIC | PACIFIC GAS
        Duke Energy: DUKE ENERGY | DUKE ENERGY PROGRESS | DUKEENERGY
        National Grid: NATIONAL GRID | NATIONALGRID | NGRID
        ComEd: COMED | COMMONWEALTH EDISON
        Southern California Edison: SO CAL EDISON | SOUTHERN CALIFORNIA EDISON | SCE
        San Diego Gas & Electric: SDG&E | SDGE
        Florida Power & Light: FPL | FLORIDA POWER & LIGHT | FLORIDA POWER LIGHT
        Georgia Power: GEORGIA POWER
        Dominion Energy: DOMINION ENERGY | DOMINION VA POWER
        Xcel Energy: XCEL ENERGY | XCEL
        Eversource: EVERSOURCE
        PSE&G: PSE&G | PSEG
        PECO: PECO | PECO ENERGY
        PPL Electric: PPL ELECTRIC | PPL
        AEP: AEP | AEP OHIO | APPALACHIAN POWER
        Ameren: AMEREN
        Entergy: ENTERGY
        DTE Energy: DTE ENERGY | DTE
        Consumers Energy: CONSUMERS ENERGY
        TXU Energy: TXU ENERGY | TXU
        Reliant Energy: RELIANT ENERGY
        Oncor: ONCOR
        CenterPoint Energy: CENTERPOINT | CENTERPOINT ENERGY
        APS: APS | APS ELECTRIC | ARIZONA PUBLIC SERVICE
        SRP: SRP | SALT RIVER PROJECT
        Puget Sound Energy: PUGET SOUND ENERGY | PSE
        Portland General Electric: PORTLAND GENERAL | PGE PORTLAND
        Pacific Power: PACIFIC POWER | PACIFICORP | ROCKY MOUNTAIN POWER
        NV Energy: NV ENERGY
        Alabama Power: ALABAMA POWER
        Tampa Electric: TAMPA ELECTRIC | TECO
        BGE: BGE | BALTIMORE GAS
        Pepco: PEPCO
        JCP&L: JCP&L | JCPL
        FirstEnergy: FIRSTENERGY | FIRST ENERGY | OHIO EDISON
        Evergy: EVERGY
        LADWP: LADWP | LA DWP
        Austin Energy: AUSTIN ENERGY
        ~Electric Company: ELECTRIC | ELECTRIC CO | POWER CO | LIGHT & POWER | ENERGY
    """,
    ),
    _b(
        CA,
        "Natural Gas and Heating",
        """
        Enbridge Gas: ENBRIDGE | ENBRIDGE GAS | ENBRIDGE GAS DISTRIBUTION
        FortisBC: FORTISBC | FORTIS BC
        ATCO Gas: ATCO | ATCO GAS
        Energir: ENERGIR | GAZ METRO | GAZ METRO ENERGIR
        SaskEnergy: SASKENERGY
        Centra Gas: CENTRA GAS
        Heritage Gas: HERITAGE GAS
        Liberty Utilities: LIBERTY UTILITIES
        Reliance Home Comfort: RELIANCE HOME COMFORT | RELIANCE COMFORT
        Enercare: ENERCARE
        Superior Propane: SUPERIOR PROPANE
        Irving Energy: IRVING ENERGY
        Sonic Energy: SONIC ENERGY
        ~Huile a chauffage: HUILE A CHAUFFAGE | MAZOUT
    """,
    ),
    _b(
        US,
        "Natural Gas and Heating",
        """
        SoCalGas: SOCALGAS | SO CAL GAS | SOUTHERN CALIFORNIA GAS
        Nicor Gas: NICOR | NICOR GAS
        Peoples Gas: PEOPLES GAS
        Washington Gas: WASHINGTON GAS
        Columbia Gas: COLUMBIA GAS
        Atmos Energy: ATMOS ENERGY | ATMOS
        Spire: SPIRE | SPIRE ENERGY
        Piedmont Natural Gas: PIEDMONT NATURAL GAS | PIEDMONT NG
        Dominion Energy Gas: DOMINION GAS
        Southwest Gas: SOUTHWEST GAS | SW GAS
        CenterPoint Gas: CENTERPOINT GAS
        Xcel Gas: XCEL GAS
        NW Natural: NW NATURAL | NORTHWEST NATURAL
        Georgia Natural Gas: GEORGIA NATURAL GAS | GNG
        Scana Energy: SCANA
        Suburban Propane: SUBURBAN PROPANE
        AmeriGas: AMERIGAS
        Ferrellgas: FERRELLGAS
        ~Gas Company: GAS CO | GAS COMPANY | NATURAL GAS | PROPANE | HEATING OIL
    """,
    ),
    _b(
        BOTH,
        "Water",
        """
        ~City Water: WATER | WATER BILL | WATER UTILITY | WATER DEPT | WATER SEWER | EAU | AQUEDUC
        | WATERWORKS | WATER WORKS | WATER & SEWER
        American Water: AMERICAN WATER | NEW JERSEY AMERICAN WATER | CALIFORNIA AMERICAN WATER
        Aqua America: AQUA PA | AQUA AMERICA
        DC Water: DC WATER
        NYC Water Board: NYC WATER BOARD | NYC WATER
        Philadelphia Water: PHILA WATER
        EPCOR Water: EPCOR WATER
        Region of Peel: REGION OF PEEL | PEEL REGION
        Halifax Water: HALIFAX WATER
        Waste Management: WASTE MANAGEMENT | WM CORPORATE | REPUBLIC SERVICES | GFL ENVIRONMENTAL
    """,
    ),
    _b(
        CA,
        "Internet and Cable",
        """
        Rogers: ROGERS | ROGERS COMMUNICATIONS | ROGERS CABLE | ROGERS INTERNET | ROGERS BILL | ROGERS HOME
        Bell: BELL | BELL CANADA | BELL INTERNET | BELL FIBE | BELL ALIANT | BELL MTS | BELL HOME | BELL TV
        | BELL CANADA BILL
        Telus: TELUS | TELUS COMMUNICATIONS | TELUS INTERNET | TELUS HOME
        Videotron: VIDEOTRON | VIDEOTRON LTEE | VIDEOTRON G P
        Shaw: SHAW | SHAW CABLE | SHAW COMMUNICATIONS | SHAW DIRECT
        Cogeco: COGECO | COGECO CONNEXION
        Eastlink: EASTLINK
        TekSavvy: TEKSAVVY
        Start.ca: START COMMUNICATIONS | START CA
        Distributel: DISTRIBUTEL
        Ebox: EBOX
        Oxio: OXIO
        Carrytel: CARRYTEL
        SaskTel: SASKTEL
        Xplore: XPLORE | XPLORNET
        Starlink: STARLINK
        Sirius XM: SIRIUSXM | SIRIUS XM
        Bell Aliant: ALIANT
    """,
        kind=BILLER,
    ),
    _b(
        US,
        "Internet and Cable",
        """
        Comcast Xfinity: COMCAST | XFINITY | COMCAST CABLE | COMCAST XFINITY
        Spectrum: SPECTRUM | CHARTER COMMUNICATIONS | CHARTER COMM | TWC
        AT&T Internet: AT&T INTERNET | AT&T U VERSE | ATT U VERSE | ATT INTERNET
        Verizon Fios: VERIZON FIOS | FIOS
        Cox Communications: COX | COX COMM | COX COMMUNICATIONS
        Optimum: OPTIMUM | ALTICE | CABLEVISION | SUDDENLINK
        Frontier Communications: FRONTIER COMM | FRONTIER COMMUNICATIONS | FRONTIER ONLINE
        CenturyLink: CENTURYLINK | CENTURY LINK | LUMEN | QUANTUM FIBER
        Mediacom: MEDIACOM
        WOW: WOW INTERNET | WIDEOPENWEST
        Windstream: WINDSTREAM | KINETIC
        DirecTV: DIRECTV | DIRECT TV
        Dish Network: DISH NETWORK | DISH
        Google Fiber: GOOGLE FIBER
        Starlink: STARLINK
        HughesNet: HUGHESNET
        Astound: ASTOUND | RCN
        Sirius XM: SIRIUSXM | SIRIUS XM
    """,
        kind=BILLER,
    ),
    _b(
        CA,
        "Mobile Phone",
        """
        Rogers Wireless: ROGERS WIRELESS | ROGERS MOBILE
        Bell Mobility: BELL MOBILITY | BELL MOBILITE
        Telus Mobility: TELUS MOBILITY | TELUS MOBILITE
        Fido: FIDO | FIDO MOBILE | FIDO SOLUTIONS
        Koodo: KOODO | KOODO MOBILE
        Virgin Plus: VIRGIN PLUS | VIRGIN MOBILE | VIRGIN
        Freedom Mobile: FREEDOM MOBILE | FREEDOM | WIND MOBILE
        Chatr: CHATR
        Public Mobile: PUBLIC MOBILE
        Lucky Mobile: LUCKY MOBILE
        Fizz: FIZZ
        Videotron Mobile: VIDEOTRON MOBILE | VIDEOTRON MOBILITE
        Eastlink Wireless: EASTLINK WIRELESS
        SaskTel Mobility: SASKTEL MOBILITY
        PC Mobile: PC MOBILE
        Cityfone: CITYFONE
    """,
        kind=BILLER,
    ),
    _b(
        US,
        "Mobile Phone",
        """
        Verizon Wireless: VERIZON | VERIZON WIRELESS | VZWRLSS | VZW | VERIZON WRLS
        AT&T Wireless: AT&T | ATT | AT&T WIRELESS | AT&T MOBILITY | ATT MOBILITY | AT T | ATT WIRELESS
        | ATT BILL PAYMENT
        T-Mobile: T MOBILE | TMOBILE | T MOBILE USA
        Sprint: SPRINT
        Metro by T-Mobile: METRO BY T MOBILE | METROPCS | METRO PCS
        Cricket Wireless: CRICKET | CRICKET WIRELESS
        Boost Mobile: BOOST MOBILE | BOOST
        Mint Mobile: MINT MOBILE
        Visible: VISIBLE
        Google Fi: GOOGLE FI | GOOGLE FIBER MOBILE
        US Cellular: US CELLULAR | USCELLULAR
        Straight Talk: STRAIGHT TALK | STRAIGHTTALK | TRACFONE
        Consumer Cellular: CONSUMER CELLULAR
        Xfinity Mobile: XFINITY MOBILE
        Spectrum Mobile: SPECTRUM MOBILE
        Total Wireless: TOTAL WIRELESS
        Ting: TING
    """,
        kind=BILLER,
    ),
    # -- Home --------------------------------------------------------------------------------------------
    _b(
        BOTH,
        "Rent",
        """
        CAPREIT: CAPREIT
        Minto: MINTO | MINTO PROPERTIES
        Greenwin: GREENWIN
        Boardwalk: BOARDWALK | BOARDWALK RENTAL
        Killam: KILLAM | KILLAM REIT | KILLAM PROPERTIES
        Realstar: REALSTAR
        Homestead: HOMESTEAD LAND
        Mainstreet Equity: MAINSTREET EQUITY
        Skyline Living: SKYLINE LIVING
        Starlight Investments: STARLIGHT
        Hazelview: HAZELVIEW
        Timbercreek: TIMBERCREEK
        Greystar: GREYSTAR
        Equity Residential: EQUITY RESIDENTIAL | EQR
        AvalonBay: AVALONBAY | AVALON BAY
        Camden: CAMDEN PROPERTY | CAMDEN
        Mid-America Apartments: MID AMERICA APTS | MAA
        Invitation Homes: INVITATION HOMES
        American Homes 4 Rent: AMERICAN HOMES 4 RENT | AH4R
        Essex Property: ESSEX PROPERTY
        RentCafe: RENTCAFE | RENT CAFE
        AppFolio: APPFOLIO
        Buildium: BUILDIUM
        RentPayment: RENTPAYMENT | RENT PAYMENT
        Yardi: YARDI
        Zillow Rent: ZILLOW RENT
        Bilt Rent: BILT
        PadSplit: PADSPLIT
        ~Rent: RENT | LOYER | RENTAL PAYMENT | PROPERTY MGMT | PROPERTY MANAGEMENT | GESTION IMMOBILIERE
        | APARTMENTS | APTS | LANDLORD
    """,
        credit=c.RENTAL_INCOME,
    ),
    _b(
        BOTH,
        "Condo Fees",
        """
        ~Condo Fees: CONDO FEES | CONDO FEE | CONDO CORP | CONDOMINIUM | FRAIS DE CONDO
        | SYNDICAT DE COPROPRIETE | HOA | HOA DUES | HOMEOWNERS ASSOC | STRATA | STRATA FEES | TSCC | MTCC
        | PCC
        FirstService Residential: FIRSTSERVICE RESIDENTIAL | FIRSTSERVICE
        Associa: ASSOCIA
    """,
    ),
    _b(
        BOTH,
        "Home Services",
        """
        ADT: ADT | ADT SECURITY
        Vivint: VIVINT
        Ring: RING COM | RING
        SimpliSafe: SIMPLISAFE
        Telus SmartHome Security: TELUS SMARTHOME
        TaskRabbit: TASKRABBIT
        Merry Maids: MERRY MAIDS
        Molly Maid: MOLLY MAID
        Two Men and a Truck: TWO MEN AND A TRUCK
        Terminix: TERMINIX
        Orkin: ORKIN
        Abell Pest Control: ABELL PEST
        Angi: ANGI | HOMEADVISOR
        Handy: HANDY
        ~Lawn Care: LAWN | LANDSCAPING | PEST CONTROL | PLUMBING | PLOMBERIE | ELECTRICIEN | CLEANING
        | MENAGE | MOVING | DEMENAGEMENT | SNOW REMOVAL | DENEIGEMENT | STORAGE | PUBLIC STORAGE
        | EXTRA SPACE
    """,
    ),
    _b(
        BOTH,
        "Furniture",
        """
        IKEA: IKEA
        Structube: STRUCTUBE
        The Brick: THE BRICK | BRICK WAREHOUSE
        Leon's: LEONS | LEON S
        Ashley HomeStore: ASHLEY | ASHLEY FURNITURE | ASHLEY HOMESTORE
        Bouclair: BOUCLAIR
        Sleep Country: SLEEP COUNTRY
        Mattress Firm: MATTRESS FIRM
        Pottery Barn: POTTERY BARN
        West Elm: WEST ELM
        Crate & Barrel: CRATE & BARREL | CRATE AND BARREL
        RH: RESTORATION HARDWARE
        Rooms To Go: ROOMS TO GO
        Bob's Discount Furniture: BOBS DISCOUNT
        Article: ARTICLE COM
        EQ3: EQ3
        La-Z-Boy: LA Z BOY | LAZBOY
        Brault & Martineau: BRAULT & MARTINEAU | BRAULT MARTINEAU
        Tanguay: TANGUAY
        Surplus RD: SURPLUS RD
        ~Furniture: FURNITURE | MEUBLES | MOBILIER
    """,
    ),
    # -- Insurance ---------------------------------------------------------------------------------------
    _b(
        CA,
        "Auto Insurance",
        """
        Intact Insurance: INTACT | INTACT INSURANCE | INTACT ASSURANCE | INTACT INS
        Desjardins Insurance: DESJARDINS ASSURANCES | DESJARDINS INSURANCE | DESJARDINS ASSURANCE
        | DESJARDINS GENERAL | CERTAS
        Belairdirect: BELAIR | BELAIRDIRECT | BELAIR DIRECT
        TD Insurance: TD INSURANCE | TD ASSURANCE | TD HOME AND AUTO | TD INS | SECURITY NATIONAL
        The Co-operators: COOPERATORS | CO OPERATORS | THE CO OPERATORS | THE COOPERATORS
        Aviva: AVIVA | AVIVA CANADA
        Economical: ECONOMICAL | ECONOMICAL INSURANCE | DEFINITY
        Wawanesa: WAWANESA
        RSA: RSA INSURANCE | RSA CANADA | JOHNSON INSURANCE | JOHNSON INC
        Allstate: ALLSTATE
        Sonnet: SONNET
        La Capitale: LA CAPITALE | BENEVA | PROMUTUEL
        CAA Insurance: CAA INSURANCE
        ICBC: ICBC
        SGI: SGI | SGI CANADA
        MPI: MPI | MANITOBA PUBLIC INSURANCE
        SAAQ: SAAQ
        Gore Mutual: GORE MUTUAL
        Onlia: ONLIA
        Square One: SQUARE ONE INSURANCE
        Industrielle Alliance Auto: IA AUTO
        ~Insurance: INSURANCE | ASSURANCE | ASSURANCES | INS PREM | AUTO INSURANCE | ASSURANCE AUTO
    """,
        kind=BILLER,
    ),
    _b(
        US,
        "Auto Insurance",
        """
        GEICO: GEICO
        Progressive: PROGRESSIVE | PROG DIRECT | PROGRESSIVE INS | PROGRESSIVE LEASING
        State Farm: STATE FARM | STATEFARM | STATE FARM RO
        Allstate: ALLSTATE
        Liberty Mutual: LIBERTY MUTUAL
        Farmers Insurance: FARMERS INSURANCE | FARMERS INS
        Nationwide: NATIONWIDE
        USAA: USAA | USAA P&C | USAA INSURANCE
        Travelers: TRAVELERS
        American Family: AMERICAN FAMILY | AMFAM
        Root Insurance: ROOT INSURANCE
        Erie Insurance: ERIE INSURANCE | ERIE INS
        The General: THE GENERAL
        Esurance: ESURANCE
        Mercury Insurance: MERCURY INSURANCE | MERCURY INS
        Safeco: SAFECO
        The Hartford: THE HARTFORD | HARTFORD
        Kemper: KEMPER
        Infinity: INFINITY INS
        Lemonade: LEMONADE
        ~Insurance: INSURANCE | INS PREM | AUTO INSURANCE | INS PMT
    """,
        kind=BILLER,
    ),
    _b(
        BOTH,
        "Home Insurance",
        """
        Square One Home: SQUARE ONE HOME
        ~Tenant Insurance: TENANT INSURANCE | HOME INSURANCE | HOMEOWNERS INS | HOMEOWNERS INSURANCE
        | RENTERS INSURANCE | ASSURANCE HABITATION
        Assurant: ASSURANT
        Foremost: FOREMOST
    """,
        kind=BILLER,
    ),
    _b(
        BOTH,
        "Life Insurance",
        """
        Sun Life: SUN LIFE | SUNLIFE | SUN LIFE FINANCIAL | SUN LIFE ASSURANCE
        Manulife: MANULIFE | MANUFACTURERS LIFE | MANULIFE FINANCIAL | JOHN HANCOCK
        Canada Life: CANADA LIFE | GREAT WEST LIFE | GREAT WEST | LONDON LIFE
        iA Financial: IA FINANCIAL | INDUSTRIELLE ALLIANCE | INDUSTRIAL ALLIANCE | IA GROUPE FINANCIER
        RBC Insurance: RBC INSURANCE | RBC LIFE
        Desjardins Financial Security: DESJARDINS SECURITE FINANCIERE | DESJARDINS FINANCIAL SECURITY | DSF
        Empire Life: EMPIRE LIFE
        Equitable Life: EQUITABLE LIFE
        SSQ: SSQ | SSQ ASSURANCE
        Primerica: PRIMERICA
        RBC Life: RBC VIE
        Northwestern Mutual: NORTHWESTERN MUTUAL | NW MUTUAL
        New York Life: NEW YORK LIFE | NY LIFE
        MetLife: METLIFE | MET LIFE
        Prudential: PRUDENTIAL | PRU LIFE
        MassMutual: MASSMUTUAL | MASS MUTUAL
        Lincoln Financial: LINCOLN FINANCIAL | LINCOLN NATIONAL
        Transamerica: TRANSAMERICA
        Globe Life: GLOBE LIFE
        Mutual of Omaha: MUTUAL OF OMAHA
        Aflac: AFLAC
        Colonial Penn: COLONIAL PENN
        Pacific Life: PACIFIC LIFE
        ~Life Insurance: LIFE INSURANCE | LIFE INS | ASSURANCE VIE | ASS VIE
    """,
        kind=BILLER,
    ),
    _b(
        BOTH,
        "Health Insurance",
        """
        Blue Cross: BLUE CROSS | CROIX BLEUE | MEDAVIE | PACIFIC BLUE CROSS | ALBERTA BLUE CROSS
        GreenShield: GREEN SHIELD | GREENSHIELD | GSC
        Blue Cross Blue Shield: BCBS | BLUE SHIELD | ANTHEM | HIGHMARK | EMPIRE BCBS | CAREFIRST
        UnitedHealthcare: UNITEDHEALTHCARE | UNITED HEALTHCARE | UHC | UNITED HEALTH
        Aetna: AETNA
        Cigna: CIGNA
        Humana: HUMANA
        Kaiser Permanente: KAISER | KAISER PERMANENTE
        Oscar Health: OSCAR HEALTH
        Ambetter: AMBETTER
        Molina: MOLINA
        Medicare: MEDICARE | CMS MEDICARE
        Delta Dental: DELTA DENTAL
        ~Health Insurance: HEALTH INSURANCE | DENTAL INSURANCE | HEALTHCARE GOV | COVERED CA
    """,
        kind=BILLER,
    ),
    _b(
        BOTH,
        "Other Insurance",
        """
        Trupanion: TRUPANION
        Petsecure: PETSECURE
        Pets Plus Us: PETS PLUS US
        Nationwide Pet: NATIONWIDE PET
        Healthy Paws: HEALTHY PAWS
        Embrace Pet: EMBRACE PET
        Allianz Travel: ALLIANZ | ALLIANZ GLOBAL
        ~Blue Cross Travel: TRAVEL INSURANCE
        AppleCare: APPLECARE
        Asurion: ASURION
        SquareTrade: SQUARETRADE
    """,
        kind=BILLER,
    ),
    # -- Health ------------------------------------------------------------------------------------------
    _b(
        BOTH,
        "Pharmacy",
        """
        Shoppers Drug Mart: SHOPPERS DRUG MART | SHOPPERS DRUG | SHOPPERSDRUGMART | SDM | SHOPPERS
        Pharmaprix: PHARMAPRIX
        Jean Coutu: JEAN COUTU | PJC | PJC JEAN COUTU
        Rexall: REXALL | REXALL PHARMA PLUS | PHARMA PLUS
        London Drugs: LONDON DRUGS
        Uniprix: UNIPRIX
        Familiprix: FAMILIPRIX
        Proxim: PROXIM
        Brunet: BRUNET
        Guardian: GUARDIAN PHARMACY
        IDA: IDA PHARMACY | IDA
        Pharmasave: PHARMASAVE
        Lawtons Drugs: LAWTONS
        Drug Mart: DRUG MART | DRUGMART
        Well.ca: WELL CA
        CVS Pharmacy: CVS | CVS PHARMACY | CVS PHARM | CVS CAREMARK | CVSPHARMACY
        Walgreens: WALGREENS | WAL GREENS | WALGREEN
        Rite Aid: RITE AID | RITEAID
        Duane Reade: DUANE READE
        Express Scripts: EXPRESS SCRIPTS
        OptumRx: OPTUM RX | OPTUMRX
        GoodRx: GOODRX
        Amazon Pharmacy: AMAZON PHARMACY
        ~Pharmacy: PHARMACY | PHARMACIE | PHARMA | DRUGS | DRUG STORE | APOTHECARY | CHEMIST | RX
    """,
    ),
    _b(
        BOTH,
        "Medical",
        """
        LifeLabs: LIFELABS | LIFE LABS
        Dynacare: DYNACARE
        Quest Diagnostics: QUEST DIAGNOSTICS
        Labcorp: LABCORP
        Maple Virtual Care: MAPLE CORP | GETMAPLE
        Teladoc: TELADOC
        MinuteClinic: MINUTECLINIC | MINUTE CLINIC
        CityMD: CITYMD
        ~Physio: PHYSIO | PHYSIOTHERAPY | PHYSIOTHERAPIE | CHIRO | CHIROPRACTIC | CHIROPRATIQUE
        | MASSAGE THERAPY | RMT | OSTEO | OSTEOPATHE | ACUPUNCTURE
        ~Clinic: CLINIC | CLINIQUE | MEDICAL | MEDICALE | MEDICAL CENTRE | MEDICAL CENTER | HOSPITAL
        | HOPITAL | HEALTH CENTRE | HEALTH CENTER | URGENT CARE | PHYSICIANS | LABORATORY | RADIOLOGY
        | IMAGING | PSYCHOLOGY | PSYCHOLOGUE | COUNSELLING | THERAPY | PEDIATRICS | DERMATOLOGY
    """,
    ),
    _b(
        BOTH,
        "Dental",
        """
        ~Dentist: DENTAL | DENTAIRE | DENTIST | DENTISTE | DENTISTRY | ORTHODONTICS | ORTHODONTIE
        | ORTHODONTIST | DENTURE | SMILE | CLINIQUE DENTAIRE | DENTAL CLINIC | DENTAL CARE | ASPEN DENTAL
        | DENTALCORP
    """,
    ),
    _b(
        BOTH,
        "Vision",
        """
        LensCrafters: LENSCRAFTERS
        Hakim Optical: HAKIM OPTICAL | HAKIM
        IRIS: IRIS | IRIS OPTOMETRISTES
        FYidoctors: FYIDOCTORS | FYI DOCTORS
        Clearly: CLEARLY
        Warby Parker: WARBY PARKER
        Specsavers: SPECSAVERS
        ~Visions: OPTOMETRIST | OPTOMETRY | OPTOMETRISTE | OPTOMETRISTES | OPTICAL | OPTICIEN | OPTICIAN
        | EYE CARE | EYECARE | VISION CENTER | EYEWEAR | LUNETTERIE | CONTACT LENS | 1 800 CONTACTS
        | AMERICAS BEST
        Bonlook: BONLOOK
        Costco Optical: COSTCO OPTICAL
    """,
    ),
    _b(
        BOTH,
        "Fitness",
        """
        GoodLife Fitness: GOODLIFE | GOODLIFE FITNESS | GOOD LIFE FITNESS
        Planet Fitness: PLANET FITNESS | PLANET FIT | PF BLACK CARD
        Anytime Fitness: ANYTIME FITNESS
        Fit4Less: FIT4LESS | FIT 4 LESS
        LA Fitness: LA FITNESS | LAFITNESS
        Energie Cardio: ENERGIE CARDIO
        Econofitness: ECONOFITNESS
        YMCA: YMCA | YWCA
        Orangetheory: ORANGETHEORY | ORANGE THEORY
        F45: F45
        Crunch Fitness: CRUNCH | CRUNCH FITNESS
        24 Hour Fitness: 24 HOUR FITNESS
        Equinox: EQUINOX
        Gold's Gym: GOLDS GYM
        Life Time: LIFE TIME FITNESS | LIFETIME FITNESS
        Peloton: PELOTON
        ClassPass: CLASSPASS
        SoulCycle: SOULCYCLE
        Barry's: BARRYS BOOTCAMP
        Strava: STRAVA
        ~Gym: GYM | FITNESS | YOGA | PILATES | CROSSFIT | CLIMBING | ESCALADE | MARTIAL ARTS | KARATE
        | BOXING | CURLING CLUB | GOLF | SKI | ARENA
    """,
    ),
    # -- Entertainment -----------------------------------------------------------------------------------
    _b(
        BOTH,
        "Streaming Services",
        """
        Netflix: NETFLIX | NETFLIX COM
        Spotify: SPOTIFY | SPOTIFY USA | SPOTIFY P
        Disney+: DISNEY PLUS | DISNEYPLUS | DISNEY+
        Crave: CRAVE | CRAVE TV | CRAVETV
        Apple: APPLE BILL | APPLE COM BILL | APL ITUNES | ITUNES | APPLE MUSIC | APPLE TV | ICLOUD | APL
        Amazon Prime: AMAZON PRIME | PRIME VIDEO | AMZN PRIME | PRIMEVIDEO | AUDIBLE | KINDLE UNLTD
        YouTube: YOUTUBE | YOUTUBE PREMIUM | GOOGLE YOUTUBE | YOUTUBE TV | GOOGLE STORAGE | GOOGLE ONE
        Google Play: GOOGLE PLAY | GOOGLE
        Hulu: HULU
        HBO Max: HBO | HBO MAX | MAX COM
        Paramount+: PARAMOUNT | PARAMOUNT PLUS | PARAMOUNT+ | CBS ALL ACCESS
        Peacock: PEACOCK
        Apple TV+: APPLE TV PLUS
        DAZN: DAZN
        TSN: TSN DIRECT | TSN
        Sportsnet: SPORTSNET | SPORTSNET NOW | SN NOW
        Club illico: ILLICO | CLUB ILLICO
        Tou.tv: TOU TV | TOUTV | ICI TOU TV
        Britbox: BRITBOX
        Crunchyroll: CRUNCHYROLL
        Tidal: TIDAL
        Deezer: DEEZER
        Pandora: PANDORA
        SiriusXM Online: SXM
        Sling TV: SLING | SLING TV
        Fubo: FUBO | FUBOTV
        Philo: PHILO
        ESPN+: ESPN | ESPN PLUS
        Starz: STARZ
        Showtime: SHOWTIME
        Patreon: PATREON
        Twitch: TWITCH
        Kobo: KOBO
        OnlyFans: ONLYFANS
        Audible: AUDIBLE CA
    """,
    ),
    _b(
        BOTH,
        "Movies and Events",
        """
        Cineplex: CINEPLEX | CINEPLEX ENTERTAINMENT | SCENEPLUS
        Landmark Cinemas: LANDMARK CINEMAS
        Cinemas Guzzo: GUZZO | CINEMAS GUZZO
        Cineplex Odeon: CINEPLEX ODEON
        AMC Theatres: AMC | AMC THEATRES | AMC THEATERS
        Regal Cinemas: REGAL | REGAL CINEMAS
        Cinemark: CINEMARK
        Fandango: FANDANGO
        Ticketmaster: TICKETMASTER | TM TICKETMASTER | LIVE NATION | LIVENATION
        StubHub: STUBHUB
        SeatGeek: SEATGEEK
        Eventbrite: EVENTBRITE
        Vivid Seats: VIVID SEATS
        Evenko: EVENKO
        Admission: ADMISSION COM
        Ripley's: RIPLEYS
        CN Tower: CN TOWER
        Canada's Wonderland: CANADAS WONDERLAND | WONDERLAND
        La Ronde: LA RONDE | SIX FLAGS
        Cedar Point: CEDAR POINT
        Disney Parks: WALT DISNEY WORLD | DISNEYLAND
        Universal Studios: UNIVERSAL STUDIOS | UNIVERSAL ORLANDO
        ~Museum: MUSEUM | MUSEE | ZOO | AQUARIUM | THEATRE | THEATER | CINEMA | CINEMAS | CONCERT | TICKETS
        | BILLETS | BILLETTERIE | GALLERY | BOWLING | ESCAPE ROOM | MINI GOLF
    """,
    ),
    _b(
        BOTH,
        "Games",
        """
        Steam: STEAM | STEAMGAMES | STEAM GAMES | STEAM PURCHASE | VALVE
        PlayStation: PLAYSTATION | PLAYSTATION NETWORK | PSN | SONY PLAYSTATION
        Xbox: XBOX | XBOX LIVE | MICROSOFT XBOX | XBOX GAME PASS
        Nintendo: NINTENDO | NINTENDO ESHOP
        Epic Games: EPIC GAMES | EPICGAMES
        Riot Games: RIOT GAMES | RIOT
        Blizzard: BLIZZARD | BATTLE NET | ACTIVISION
        EA: ELECTRONIC ARTS | EA ORIGIN | EA COM
        Roblox: ROBLOX
        Ubisoft: UBISOFT
        Humble Bundle: HUMBLE BUNDLE
        Candy Crush: KING COM
        Supercell: SUPERCELL
        Microsoft Game: MS GAMES
    """,
    ),
    _b(
        BOTH,
        c.GAMBLING,
        """
        OLG: OLG | OLG CA | PLAYOLG | OLG LOTTERY | ONTARIO LOTTERY
        Loto-Quebec: LOTO QUEBEC | LOTOQUEBEC | ESPACEJEUX | MISE O JEU | LOTERIES VIDEO
        Atlantic Lottery: ATLANTIC LOTTERY | ALC | ALC PROLINE
        BCLC: BCLC | PLAYNOW | PLAY NOW | BC LOTTERY
        AGLC: AGLC | PLAYALBERTA | PLAY ALBERTA
        Western Canada Lottery: WCLC | WESTERN CANADA LOTTERY
        Bet365: BET365 | BET 365
        DraftKings: DRAFTKINGS | DRAFT KINGS | DK DRAFTKINGS
        FanDuel: FANDUEL | FAN DUEL | FANDUEL SPORTSBOOK
        BetMGM: BETMGM | BET MGM | MGM
        Caesars Sportsbook: CAESARS SPORTSBOOK | CAESARS | WILLIAM HILL
        PointsBet: POINTSBET
        theScore Bet: THESCORE BET | SCORE BET
        BetRivers: BETRIVERS | RUSH STREET
        PokerStars: POKERSTARS | POKER STARS
        Bet99: BET99
        Sports Interaction: SPORTS INTERACTION | SPORTSINTERACTION
        Jackpot City: JACKPOTCITY | JACKPOT CITY
        Spin Casino: SPIN CASINO
        Betway: BETWAY
        888: 888 CASINO | 888 POKER | 888SPORT
        Fliff: FLIFF
        PrizePicks: PRIZEPICKS | PRIZE PICKS
        Underdog Fantasy: UNDERDOG FANTASY | UNDERDOG SPORTS
        Chumba Casino: CHUMBA | CHUMBA CASINO | VGW
        Stake: STAKE COM | STAKE
        ~Powerball: POWERBALL | MEGA MILLIONS | LOTTERY | LOTTO | LOTO | STATE LOTTERY
        ~Casino: CASINO | CASINO RAMA | CASINO DE MONTREAL | CASINO DU LAC LEAMY | FALLSVIEW
        | GREAT CANADIAN | RIVER ROCK | HARD ROCK | BELLAGIO | MGM GRAND | WYNN | MOHEGAN | FOXWOODS
        | SPORTSBOOK | BINGO | PROLINE | SLOTS
    """,
    ),
    _b(
        BOTH,
        "Other Entertainment",
        """
        ~Amusement: AMUSEMENT | ARCADE | PLAYDIUM | REC ROOM | THE REC ROOM | DAVE & BUSTERS
        | DAVE AND BUSTERS | TOPGOLF | SKYZONE | SKY ZONE | LASER TAG | GO KART | KARTING
        Parks Canada: PARKS CANADA | PARCS CANADA | SEPAQ | NATIONAL PARK | RECREATION GOV | ONTARIO PARKS
        | STATE PARK
        Meetup: MEETUP
        Tinder: TINDER | BUMBLE | HINGE | MATCH COM
        ~Newspapers: NEW YORK TIMES | NYTIMES | WSJ | GLOBE AND MAIL | GLOBEANDMAIL | TORONTO STAR
        | LA PRESSE | LE DEVOIR | WASHINGTON POST | SUBSTACK | MEDIUM
    """,
    ),
    # -- Education ---------------------------------------------------------------------------------------
    _b(
        BOTH,
        "Tuition",
        """
        University of Toronto: UNIVERSITY OF TORONTO | UOFT | U OF T
        McGill University: MCGILL | MCGILL UNIVERSITY
        University of British Columbia: UBC
        York University: YORK UNIVERSITY | YORK U
        Toronto Metropolitan University: TORONTO METROPOLITAN | TMU | RYERSON
        Concordia University: CONCORDIA
        UQAM: UQAM
        Universite de Montreal: UNIVERSITE DE MONTREAL | UDEM
        Universite Laval: UNIVERSITE LAVAL | ULAVAL
        University of Ottawa: UOTTAWA | UNIVERSITY OF OTTAWA
        University of Waterloo: UWATERLOO | UNIVERSITY OF WATERLOO
        Western University: WESTERN UNIVERSITY | UWO
        Seneca College: SENECA | SENECA COLLEGE
        Humber College: HUMBER | HUMBER COLLEGE
        George Brown College: GEORGE BROWN
        Sheridan College: SHERIDAN COLLEGE
        Algonquin College: ALGONQUIN COLLEGE
        Centennial College: CENTENNIAL COLLEGE
        Coursera: COURSERA
        Udemy: UDEMY
        edX: EDX
        MasterClass: MASTERCLASS
        Duolingo: DUOLINGO
        Skillshare: SKILLSHARE
        Khan Academy: KHAN ACADEMY
        Sylvan Learning: SYLVAN LEARNING
        Kumon: KUMON
        Oxford Learning: OXFORD LEARNING
        ~School: UNIVERSITY | UNIVERSITE | UNIV | COLLEGE | CEGEP | SCHOOL | ECOLE | TUITION | SCOLARITE
        | FRAIS DE SCOLARITE | ACADEMY | ACADEMIE | SCHOOL BOARD | COMMISSION SCOLAIRE
        | CENTRE DE SERVICES SCOLAIRE | SCHOOL DISTRICT | ISD | MONTESSORI | INSTITUTE OF TECHNOLOGY
    """,
    ),
    _b(
        BOTH,
        "Books and Supplies",
        """
        Chegg: CHEGG
        Pearson: PEARSON
        McGraw Hill: MCGRAW HILL
        Scholastic: SCHOLASTIC
        Wiley: WILEY
        Cengage: CENGAGE
        ~Campus Bookstore: BOOKSTORE | CAMPUS STORE | COOP ETUDIANTE | LIBRAIRIE | BOOKS | TEXTBOOK
    """,
    ),
    # -- Personal Care -----------------------------------------------------------------------------------
    _b(
        BOTH,
        "Hair and Beauty",
        """
        Sephora: SEPHORA
        Ulta Beauty: ULTA | ULTA BEAUTY
        Sally Beauty: SALLY BEAUTY
        Bath & Body Works: BATH & BODY WORKS | BATH AND BODY WORKS | BATH & BODY
        Lush: LUSH
        The Body Shop: THE BODY SHOP
        MAC Cosmetics: MAC COSMETICS
        Great Clips: GREAT CLIPS
        Supercuts: SUPERCUTS
        First Choice Haircutters: FIRST CHOICE HAIRCUTTERS
        Sport Clips: SPORT CLIPS
        Fantastic Sams: FANTASTIC SAMS
        Chatters: CHATTERS
        Magicuts: MAGICUTS
        Benefit Cosmetics: BENEFIT COSMETICS
        ~Salon: SALON | HAIR | COIFFURE | COIFFEUR | BARBER | BARBERSHOP | BARBIER | SPA | NAILS | NAIL
        | ONGLES | ESTHETIQUE | ESTHETICS | BEAUTY | BEAUTE | LASH | WAXING | TATTOO | COSMETICS
        | COSMETIQUES | PARFUMERIE | PERFUME
    """,
    ),
    _b(
        BOTH,
        "Laundry and Dry Cleaning",
        """
        ~Dry Cleaner: DRY CLEANER | DRY CLEANERS | DRY CLEANING | CLEANERS | NETTOYEUR | NETTOYEURS
        | BUANDERIE | LAUNDROMAT | LAUNDRY | COIN LAUNDRY | WASH N FOLD | CSC SERVICEWORKS | COINAMATIC
        | SPARKLING LAUNDRY
    """,
    ),
    # -- Gifts, Children, Government fees ----------------------------------------------------------------
    _b(
        BOTH,
        "Charity",
        """
        CanadaHelps: CANADAHELPS | CANADA HELPS
        United Way: UNITED WAY | CENTRAIDE
        Canadian Red Cross: RED CROSS | CROIX ROUGE | AMERICAN RED CROSS
        SickKids Foundation: SICKKIDS | SICK KIDS
        World Vision: WORLD VISION | VISION MONDIALE
        UNICEF: UNICEF
        Salvation Army: SALVATION ARMY | ARMEE DU SALUT
        Doctors Without Borders: DOCTORS WITHOUT BORDERS | MEDECINS SANS FRONTIERES
        Plan International: PLAN INTERNATIONAL | PLAN CANADA
        Canadian Cancer Society: CANADIAN CANCER SOCIETY | CANCER SOCIETY | SOCIETE CANADIENNE DU CANCER
        Heart & Stroke: HEART & STROKE | HEART AND STROKE | COEUR ET AVC
        St. Jude: ST JUDE | STJUDE
        GoFundMe: GOFUNDME | GO FUND ME
        Feeding America: FEEDING AMERICA
        Habitat for Humanity: HABITAT FOR HUMANITY
        ACLU: ACLU
        Wikimedia: WIKIMEDIA | WIKIPEDIA
        Oxfam: OXFAM
        ~Donation: DONATION | DONATIONS | CHARITY | CHARITABLE | FOUNDATION | FONDATION | CHURCH | EGLISE
        | PARISH | PAROISSE | MOSQUE | SYNAGOGUE | TEMPLE | MINISTRIES | TITHE | DIME | OFFERING | TITHELY
        | PUSHPAY | FUNDRAISER
    """,
    ),
    _b(
        BOTH,
        "Childcare",
        """
        Bright Horizons: BRIGHT HORIZONS
        KinderCare: KINDERCARE
        La Petite Academy: LA PETITE ACADEMIE | LA PETITE ACADEMY
        Learning Care Group: LEARNING CARE
        Kids & Company: KIDS & COMPANY
        Care.com: CARE COM
        ~Daycare: DAYCARE | DAY CARE | CHILDCARE | CHILD CARE | GARDERIE | CPE | SERVICE DE GARDE
        | SERVICE GARDE | PRESCHOOL | NURSERY SCHOOL | BABYSITTER | NANNY | AFTER SCHOOL | CAMP
        | CAMP DE JOUR | DAY CAMP | EARLY LEARNING
    """,
    ),
    _b(
        BOTH,
        "Child Support Paid",
        """
        Family Responsibility Office: FRO | FAMILY RESPONSIBILITY | FAMILY RESPONSIBILITY OFFICE
        ~Child Support: CHILD SUPPORT | CHILD SUPP | CHILD SUP | SUPPORT PAYMENT | PENSION ALIMENTAIRE | SDU
        | STATE DISBURSEMENT | OCSE | ALIMONY | SPOUSAL SUPPORT | MAINTENANCE ENFORCEMENT | FMEP
    """,
        credit=c.CHILD_SUPPORT,
    ),
    _b(
        BOTH,
        "Government Fees",
        """
        ServiceOntario: SERVICEONTARIO | SERVICE ONTARIO
        Service Canada: SERVICE CANADA | PASSPORT CANADA | PASSEPORT
        IRCC: IRCC | IMMIGRATION CANADA | CIC
        ServiceBC: SERVICEBC | SERVICE BC
        Alberta Registries: ALBERTA REGISTRIES | REGISTRY AGENT | REGISTRIES
        Service Nova Scotia: ACCESS NOVA SCOTIA | SERVICE NOVA SCOTIA
        Service New Brunswick: SERVICE NB | SNB
        DMV: DMV | MVD | DEPT OF MOTOR | MOTOR VEHICLES | BMV | SOS VEHICLE
        USCIS: USCIS | US CITIZENSHIP
        US Passport: PASSPORT SERVICES | US PASSPORT | TRAVEL STATE GOV
        ~Parking Ticket: PARKING TICKET | PARKING VIOLATION | PARKING FINE | CONTRAVENTION | AMENDE
        | COURT FINE | TRAFFIC FINE | CITATION | PHOTO RADAR
        ~Licence: LICENCE | LICENSE | PERMIT | PERMIS | FISHING LICENSE | HUNTING LICENSE | DOG LICENCE
        ~~City Hall: CITY OF | VILLE DE | TOWN OF | MUNICIPALITE | COUNTY OF | MUNICIPALITY | TOWNSHIP
    """,
    ),
    # -- Business Services -------------------------------------------------------------------------------
    _b(
        BOTH,
        "Software and Subscriptions",
        """
        Microsoft 365: MICROSOFT | MSFT | MICROSOFT 365 | OFFICE 365 | MICROSOFT STORE ONLINE
        Adobe: ADOBE | ADOBE SYSTEMS | ADOBE CREATIVE CLOUD
        Dropbox: DROPBOX
        Google Workspace: GOOGLE WORKSPACE | GSUITE | G SUITE | GOOGLE CLOUD | GOOGLE GSUITE
        Zoom: ZOOM | ZOOM US | ZOOM VIDEO
        Slack: SLACK
        Intuit QuickBooks: QUICKBOOKS | INTUIT | QBOOKS | INTUIT QBOOKS | TURBOTAX
        Xero: XERO
        FreshBooks: FRESHBOOKS
        Wave: WAVE FINANCIAL | WAVEAPPS
        Canva: CANVA
        Notion: NOTION
        Atlassian: ATLASSIAN
        GitHub: GITHUB
        Amazon Web Services: AWS | AMAZON WEB SERVICES
        DigitalOcean: DIGITALOCEAN
        GoDaddy: GODADDY | GO DADDY
        Squarespace: SQUARESPACE | SQSP
        Wix: WIX | WIX COM
        Shopify: SHOPIFY | SHOPIFY SUBSCRIPTION
        Mailchimp: MAILCHIMP | MAILCHIMP COM
        DocuSign: DOCUSIGN
        OpenAI: OPENAI | CHATGPT
        LinkedIn Premium: LINKEDIN
        1Password: 1PASSWORD
        LastPass: LASTPASS
        NordVPN: NORDVPN
        Norton: NORTON | NORTONLIFELOCK
        McAfee: MCAFEE
        Grammarly: GRAMMARLY
        HubSpot: HUBSPOT
        Salesforce: SALESFORCE
        Calendly: CALENDLY
        Sage Software: SAGE SOFTWARE
        H&R Block: H&R BLOCK | HR BLOCK
        Wealthsimple Tax: WEALTHSIMPLE TAX
    """,
    ),
    _b(
        BOTH,
        "Advertising",
        """
        Google Ads: GOOGLE ADS | GOOGLE ADWORDS | ADWORDS
        Facebook Ads: FACEBK | FACEBOOK ADS | FB ADS | META ADS | FACEBK ADS | META PLATFORMS
        LinkedIn Ads: LINKEDIN ADS
        TikTok Ads: TIKTOK ADS
        Yelp Ads: YELP | YELP ADS
        Microsoft Ads: BING ADS | MICROSOFT ADS
        Twitter Ads: TWITTER ADS | X ADS
        Pinterest Ads: PINTEREST ADS
        Nextdoor Ads: NEXTDOOR
        Yellow Pages: YELLOW PAGES | PAGES JAUNES
    """,
    ),
    _b(
        BOTH,
        "Shipping",
        """
        Canada Post: CANADA POST | POSTES CANADA | CANADAPOST | CPC SCP
        Purolator: PUROLATOR
        FedEx: FEDEX | FED EX | FEDEX OFFIC
        UPS: UPS | UPS STORE | THE UPS STORE | UNITED PARCEL
        USPS: USPS | US POSTAL | USPS PO | POST OFFICE
        DHL: DHL
        Canpar: CANPAR
        Stamps.com: STAMPS COM | STAMPS
        ShipStation: SHIPSTATION
        Chit Chats: CHIT CHATS
        Pirate Ship: PIRATE SHIP | PIRATESHIP
        Freightcom: FREIGHTCOM
        Loomis: LOOMIS EXPRESS
        Intelcom: INTELCOM
    """,
    ),
    _b(
        BOTH,
        "Payroll Services",
        """
        ADP: ADP | ADP PAYROLL | ADP CANADA | ADP WFN | ADP TOTALSOURCE | ADP LLC
        Ceridian: CERIDIAN | DAYFORCE | CERIDIAN DAYFORCE
        Payworks: PAYWORKS
        Wagepoint: WAGEPOINT
        Nethris: NETHRIS
        Employeur D: EMPLOYEUR D
        Rise People: RISE PEOPLE
        Humi: HUMI
        Knit People: KNIT
        Gusto: GUSTO | ZENPAYROLL
        Paychex: PAYCHEX | PAYCHEX INC | PAYCHEX EIB
        Paylocity: PAYLOCITY
        Paycom: PAYCOM
        Paycor: PAYCOR
        UKG: UKG | ULTIMATE SOFTWARE | KRONOS
        Workday: WORKDAY
        TriNet: TRINET
        Justworks: JUSTWORKS
        Rippling: RIPPLING
        Insperity: INSPERITY
        Deel: DEEL
        Intuit Payroll: INTUIT PAYROLL | QUICKBOOKS PAYROLL
        Square Payroll: SQUARE PAYROLL
        OnPay: ONPAY
        Patriot Software: PATRIOT SOFTWARE
        Paychex Flex: PAYCHEX FLEX
        Heartland Payroll: HEARTLAND PAYROLL
    """,
        credit=c.EMPLOYMENT_INCOME,
        kind=PAYROLL,
    ),
    _b(
        BOTH,
        "Merchant Services",
        """
        Moneris: MONERIS
        Square: SQUARE INC | SQUARE CANADA | SQ DEPOSIT | SQUARE DEPOSIT
        Stripe: STRIPE | STRIPE PAYMENTS | STRIPE TRANSFER
        Shopify Payments: SHOPIFY PAYMENTS | SHOPIFY PAYOUT
        Clover: CLOVER | CLOVER NETWORK
        Global Payments: GLOBAL PAYMENTS | GLOBAL PAYMENT
        Chase Paymentech: PAYMENTECH | CHASE PAYMENTECH
        Elavon: ELAVON
        Helcim: HELCIM
        Worldpay: WORLDPAY | VANTIV | FIS
        Heartland: HEARTLAND PAYMENT | HPS
        Toast Payouts: TOAST PAYOUT
        Fiserv: FISERV | FIRST DATA
        ~Merchant Deposit: MERCHANT DEPOSIT | MERCH DEP | BANKCARD | BANKCARD DEP | MERCH SETTLEMENT
        | SETTLEMENT | MERCHANT SERVICES | MERCH FEE | DISCOUNT FEE | AMEX SETTLE
    """,
        credit="Merchant Services",
        kind=PROCESSOR,
    ),
    # -- Loans -------------------------------------------------------------------------------------------
    _b(
        BOTH,
        c.MORTGAGE_PAYMENT,
        """
        First National Financial: FIRST NATIONAL | FIRST NATIONAL FINANCIAL | FN MORTGAGE
        MCAP: MCAP | MCAP SERVICE
        Home Trust: HOME TRUST
        Equitable Bank: EQUITABLE MORTGAGE | EQUITABLE BANK
        CMLS: CMLS
        RFA Mortgage: RFA MORTGAGE
        Desjardins Hypotheques: DESJARDINS HYPOTHEQUES | DESJARDINS HYPOTHEQUE
        Rocket Mortgage: ROCKET MORTGAGE | QUICKEN LOANS | ROCKET MTG
        Wells Fargo Home Mortgage: WELLS FARGO HOME MTG | WELLS FARGO HOME MORTGAGE | WF HOME MTG
        Mr. Cooper: MR COOPER | NATIONSTAR
        PennyMac: PENNYMAC | PENNYMAC LOAN
        Chase Mortgage: CHASE MORTGAGE | CHASE MTG | CHASE HOME FINANCE
        Bank of America Mortgage: BANK OF AMERICA MORTGAGE | BAC HOME LOANS | BOA MORTGAGE
        U.S. Bank Home Mortgage: US BANK HOME MTG | US BANK HOME MORTGAGE
        Freedom Mortgage: FREEDOM MORTGAGE | FREEDOM MTG
        LoanDepot: LOANDEPOT | LOAN DEPOT
        Shellpoint: SHELLPOINT
        Newrez: NEWREZ
        Carrington Mortgage: CARRINGTON MORTGAGE
        Lakeview Loan Servicing: LAKEVIEW LOAN
        Cenlar: CENLAR
        Ocwen: OCWEN | PHH MORTGAGE
        Guild Mortgage: GUILD MORTGAGE
        Caliber Home Loans: CALIBER HOME
        Flagstar: FLAGSTAR
        Truist Mortgage: TRUIST MORTGAGE
        ~Mortgage: MORTGAGE | MTG | MTGE | MORTG | HYPOTHEQUE | HYPOTHEQUES | HYPOTH | PRET HYPOTHECAIRE
        | MORTGAGE PMT | MORTGAGE PAYMENT | HOME LOAN | HELOC
    """,
        credit=c.LOAN_DEPOSIT,
        kind=LENDER,
    ),
    _b(
        BOTH,
        c.AUTO_LOAN_PAYMENT,
        """
        Toyota Financial Services: TOYOTA FINANCIAL | TOYOTA FINANCE | TFS | TOYOTA CREDIT
        | TOYOTA MOTOR CREDIT | TMCC
        Honda Financial Services: HONDA FINANCIAL | HONDA FINANCE | AMERICAN HONDA FINANCE
        | HONDA CANADA FINANCE | AHFC | HCFI
        Ford Credit: FORD CREDIT | FORD MOTOR CREDIT | FORD CREDIT CANADA | FMCC
        GM Financial: GM FINANCIAL | GMF | GM FINANCIAL CANADA | AMERICREDIT
        Ally: ALLY | ALLY AUTO | ALLY FINANCIAL | ALLY PAYMENT
        Nissan Canada Finance: NISSAN FINANCE | NISSAN CANADA FINANCE | NISSAN MOTOR ACCEPTANCE | NMAC
        | INFINITI FINANCIAL
        Hyundai Capital: HYUNDAI CAPITAL | HYUNDAI MOTOR FINANCE | HYUNDAI FINANCE
        Kia Finance: KIA FINANCE | KIA MOTORS FINANCE | KMF
        Mazda Credit: MAZDA CREDIT | MAZDA FINANCE
        VW Credit: VW CREDIT | VOLKSWAGEN FINANCE | VCI
        BMW Financial Services: BMW FINANCIAL | BMW FS | BMW FINANCIAL SERVICES
        Mercedes-Benz Financial: MERCEDES BENZ FINANCIAL | MB FINANCIAL | MBFS
        Subaru Financial: SUBARU FINANCIAL | SUBARU MOTORS FINANCE
        Chrysler Capital: CHRYSLER CAPITAL | STELLANTIS FINANCIAL | FCA CANADA
        Tesla Finance: TESLA FINANCE | TESLA MOTORS LEASE
        Santander Consumer: SANTANDER CONSUMER | SANTANDER AUTO
        Capital One Auto: CAPITAL ONE AUTO | CAPITAL ONE AUTO FINANCE | COAF
        Westlake Financial: WESTLAKE FINANCIAL | WESTLAKE
        Exeter Finance: EXETER FINANCE
        Credit Acceptance: CREDIT ACCEPTANCE
        Carvana: CARVANA
        CarMax Auto Finance: CARMAX AUTO | CARMAX AUTO FINANCE | CAF
        Bridgecrest: BRIDGECREST
        TD Auto Finance: TD AUTO FINANCE | TD AUTO
        RBC Auto Loan: RBC AUTO
        Scotia Dealer Advantage: SCOTIA DEALER | SDA
        Eden Park: EDEN PARK
        Iceberg Finance: ICEBERG FINANCE
        ~Auto Loan: AUTO LOAN | CAR LOAN | AUTO LEASE | CAR PAYMENT | AUTO PAYMENT | PRET AUTO
        | LOCATION AUTO | AUTO FINANCE | VEHICLE LOAN | LEASE PMT
    """,
        credit=c.LOAN_DEPOSIT,
        kind=LENDER,
    ),
    _b(
        BOTH,
        c.STUDENT_LOAN_PAYMENT,
        """
        NSLSC: NSLSC | NATIONAL STUDENT LOANS | CANADA STUDENT LOAN | CSLP | CSL | PRETS ETUDIANTS
        | PRET ETUDIANT | AFE
        Sallie Mae: SALLIE MAE | SALLIEMAE | SMB
        Navient: NAVIENT
        Nelnet: NELNET
        MOHELA: MOHELA
        Great Lakes: GREAT LAKES | GREAT LAKES EDUCATIONAL
        FedLoan Servicing: FEDLOAN | FEDLOAN SERVICING | PHEAA
        Aidvantage: AIDVANTAGE
        EdFinancial: EDFINANCIAL | EDFINANCIAL SERVICES
        Dept of Education: DEPT EDUCATION | DEPT OF EDUCATION | US DEPT OF ED | ED FINANCIAL
        SoFi Student Loan: SOFI STUDENT
        Earnest: EARNEST
        Laurel Road: LAUREL ROAD
        ~Student Loan: STUDENT LOAN | STUDENT LN | STUDENTLOAN | STUDENT LOANS | OSAP | ALBERTA STUDENT AID
        | STUDENTAID | STUDENT AID
    """,
        credit=c.LOAN_DEPOSIT,
        kind=LENDER,
    ),
    _b(
        BOTH,
        c.PERSONAL_LOAN_PAYMENT,
        """
        Fairstone: FAIRSTONE | FAIRSTONE FINANCIAL | CITIFINANCIAL
        SoFi: SOFI | SOFI LENDING | SOFI BANK
        LendingClub: LENDINGCLUB | LENDING CLUB
        Prosper: PROSPER | PROSPER MARKETPLACE
        Upstart: UPSTART
        Best Egg: BEST EGG | BESTEGG
        Avant: AVANT
        OneMain Financial: ONEMAIN | ONE MAIN | ONEMAIN FINANCIAL | ONEMAIN FINANCE
        Upgrade: UPGRADE | UPGRADE INC
        Marcus: MARCUS | MARCUS BY GOLDMAN
        LightStream: LIGHTSTREAM
        Happy Money: HAPPY MONEY | PAYOFF
        Mariner Finance: MARINER FINANCE
        Regional Finance: REGIONAL FINANCE
        World Finance: WORLD FINANCE | WORLD ACCEPTANCE
        Lendful: LENDFUL
        Spring Financial: SPRING FINANCIAL
        Mogo: MOGO
        LendDirect: LENDDIRECT | LEND DIRECT
        Borrowell: BORROWELL
        goeasy: GOEASY
        Financeit: FINANCEIT
        Concora Credit: CONCORA
        ~Loan Payment: LOAN PAYMENT | LOAN PMT | LOAN PYMT | PERSONAL LOAN | INSTALLMENT LOAN
        | INSTALMENT LOAN | PRET PERSONNEL | REMBOURSEMENT PRET | PRET | LOAN | LOANS | LN PMT
        | LOAN REPAYMENT
    """,
        credit=c.LOAN_DEPOSIT,
        kind=LENDER,
    ),
    _b(
        BOTH,
        c.MICRO_LOAN_PAYMENT,
        """
        Money Mart: MONEY MART | MONEYMART | MONEY MART FIN | MONEYMART COM
        easyfinancial: EASYFINANCIAL | EASY FINANCIAL | EASYHOME | EASY HOME
        Cash Money: CASH MONEY | CASHMONEY
        iCash: ICASH | I CASH
        Cash 4 You: CASH 4 YOU | CASH4YOU
        Magical Credit: MAGICAL CREDIT
        Pay2Day: PAY2DAY
        Cashco: CASHCO | CASH CO
        Speedy Cash: SPEEDY CASH | SPEEDYCASH
        Ferratum: FERRATUM
        Loan Express: LOAN EXPRESS
        Afficash: AFFICASH
        GoDay: GODAY | GO DAY
        Lend Express: LENDEXPRESS
        Prets Rapides: PRET RAPIDE | PRETS RAPIDES
        Credit Plus: CREDIT PLUS
        Capital Now: CAPITAL NOW
        Loan Away: LOANAWAY
        Spotloan: SPOTLOAN
        Advance America: ADVANCE AMERICA
        Check Into Cash: CHECK INTO CASH | CHECKINTOCASH
        Check 'n Go: CHECK N GO | CHECKNGO | CHECK NGO
        ACE Cash Express: ACE CASH EXPRESS | ACE CASH
        CashNetUSA: CASHNETUSA | CASHNET USA | CASHNET
        Enova: NETCREDIT
        Rise Credit: RISE CREDIT | RISECREDIT
        Elevate: ELEVATE CREDIT
        OppLoans: OPPLOANS | OPPFI
        LendUp: LENDUP
        Possible Finance: POSSIBLE FINANCE | POSSIBLE FIN
        MoneyLion: MONEYLION | MONEY LION | MLION
        Dave: DAVE | DAVE INC | DAVE COM
        EarnIn: EARNIN | EARNIN ACTIVEHOURS | ACTIVEHOURS | ACTIVE HOURS
        Brigit: BRIGIT
        Chime SpotMe: CHIME SPOTME
        Albert: ALBERT INSTANT | ALBERT COM
        Cleo: CLEO AI | CLEO
        Klover: KLOVER
        Empower Finance: EMPOWER FINANCE | EMPOWER INC
        Floatme: FLOATME
        Vola: VOLA FINANCE
        Current Overdrive: CURRENT OVERDRIVE
        ~Payday Loan: PAYDAY LOAN | PAYDAY | CASH ADVANCE LOAN | PRET SUR SALAIRE
    """,
        credit=c.MICRO_LOAN_DEPOSIT,
        kind=MICRO_LENDER,
    ),
    _b(
        BOTH,
        c.BUY_NOW_PAY_LATER,
        """
        Affirm: AFFIRM | AFFIRM INC | AFFIRM COM PAYMENTS | AFFIRM PAY
        Klarna: KLARNA | KLARNA INC
        Afterpay: AFTERPAY | AFTER PAY | CLEARPAY
        PayBright: PAYBRIGHT | PAY BRIGHT
        Sezzle: SEZZLE
        Zip: ZIP CO | QUADPAY | ZIP PAY
        PayPal Pay in 4: PAYPAL PAY IN 4 | PAY IN 4 | PAYPAL PAY LATER
        Uplift: UPLIFT
        Katapult: KATAPULT
        Snap Finance: SNAP FINANCE
        Acima: ACIMA
    """,
        kind=LENDER,
    ),
    _b(
        BOTH,
        c.CREDIT_CARD_PAYMENT,
        """
        American Express: AMEX | AMERICAN EXPRESS | AMEX EPAYMENT | AMEX BANK OF CANADA
        Capital One: CAPITAL ONE | CAPITALONE | CAP ONE | CAPITAL ONE CARD | CAPITAL ONE MOBILE PMT
        Discover: DISCOVER | DISCOVER CARD | DISCOVER E PAYMENT
        Chase Card Services: CHASE CREDIT CRD | CHASE CARD | CHASE CREDIT CARD | CHASE EPAY
        Citi Cards: CITI CARD | CITICARD | CITI AUTOPAY | CITIBANK CARD | CITI CARDS
        Synchrony: SYNCHRONY | SYNCHRONY BANK | SYNCB | SYNCB PAYMENT
        Barclaycard: BARCLAYCARD | BARCLAYS
        Credit One: CREDIT ONE | CREDIT ONE BANK
        Bank of America Card: BK OF AMER VISA | BA CARD | BANK OF AMERICA CREDIT CARD
        Wells Fargo Card: WF CREDIT CARD | WELLS FARGO CARD
        Mission Lane: MISSION LANE
        Apple Card: APPLECARD | APPLE CARD | APPLECARD GSBANK
        Comenity: COMENITY | COMENITY BANK
        Rogers Bank: ROGERS BANK | ROGERS MASTERCARD
        Tangerine Mastercard: TANGERINE MASTERCARD
        PC Financial: PC FINANCIAL | PC MASTERCARD | PC FINANCIAL MASTERCARD | PRESIDENTS CHOICE FINANCIAL
        Triangle Mastercard: TRIANGLE | CANADIAN TIRE BANK | CTFS | CANADIAN TIRE MASTERCARD
        MBNA: MBNA
        Neo Financial: NEO FINANCIAL | NEO
        Home Trust Card: HOME TRUST VISA
        Brim Financial: BRIM
        Koho: KOHO
        ~Credit Card: CREDIT CARD | CARTE DE CREDIT | CARTE CREDIT | VISA | MASTERCARD | MC | VISA PAYMENT
        | MASTERCARD PAYMENT | MC PAYMENT | CC PAYMENT | CARD PAYMENT | CARDMEMBER SERV
        | CARDMEMBER SERVICES | CRCARDPMT | CRD PMT | EPAY CARD | PAYMENT THANK YOU | THANK YOU PAYMENT
        | PAIEMENT MERCI | AUTOPAY CREDIT CARD
    """,
        credit=c.CREDIT_CARD_PAYMENT,
        kind=LENDER,
    ),
    # -- Transfers and money movement --------------------------------------------------------------------
    _b(
        BOTH,
        c.INVESTMENT_TRANSFER,
        """
        Wealthsimple: WEALTHSIMPLE | WEALTHSIMPLE INVEST | WS INVESTMENTS | WEALTHSIMPLE TRADE
        Questrade: QUESTRADE
        Disnat: DISNAT
        Qtrade: QTRADE
        Interactive Brokers: INTERACTIVE BROKERS | IBKR
        TD Direct Investing: TD DIRECT INVESTING | TD WATERHOUSE | TD WEBBROKER
        RBC Direct Investing: RBC DIRECT INVESTING | RBC DI
        BMO InvestorLine: BMO INVESTORLINE
        Scotia iTrade: SCOTIA ITRADE | ITRADE
        CIBC Investor's Edge: INVESTORS EDGE
        National Bank Direct Brokerage: NBDB | NATIONAL BANK DIRECT BROKERAGE
        Desjardins Online Brokerage: DESJARDINS COURTAGE
        Fidelity: FIDELITY | FIDELITY INVESTMENTS | FID BKG SVC | FIDELITY BROKERAGE | NFS
        Vanguard: VANGUARD | VANGUARD BUY | VANGUARD SELL
        Charles Schwab: SCHWAB | CHARLES SCHWAB | SCHWAB BROKERAGE
        E*TRADE: ETRADE | E TRADE
        Robinhood: ROBINHOOD | ROBINHOOD SECURITIES
        Webull: WEBULL
        Acorns: ACORNS | ACORNS INVEST
        Stash: STASH | STASH CAPITAL
        Betterment: BETTERMENT
        Wealthfront: WEALTHFRONT
        Coinbase: COINBASE | COINBASE INC | COINBASE COM
        Kraken: KRAKEN | PAYWARD
        Crypto.com: CRYPTO COM | FORIS DAX
        Binance: BINANCE
        Newton: NEWTON CRYPTO | NEWTON
        Shakepay: SHAKEPAY
        Bitbuy: BITBUY
        Gemini: GEMINI
        Edward Jones: EDWARD JONES | EDWARDJONES
        Merrill: MERRILL | MERRILL LYNCH | MERRILL EDGE
        Ameriprise: AMERIPRISE
        TIAA: TIAA
        Empower: EMPOWER RETIREMENT | EMPOWER
        Public.com: PUBLIC COM | PUBLIC HOLDINGS
        M1 Finance: M1 FINANCE
        Mackenzie Investments: MACKENZIE
        Investors Group: IG WEALTH | INVESTORS GROUP | IG INVESTMENT
        Edward Jones Canada: EDWARD JONES CANADA
        Primerica Investments: PRIMERICA FUNDS
        ~Investment: INVESTMENT | INVESTMENTS | INVEST | PLACEMENT | PLACEMENTS | BROKERAGE | TFSA | RRSP
        | RESP | CELI | REER | REEE | FHSA | CELIAPP | MUTUAL FUND | FONDS | IRA | ROTH IRA | 401K | CRYPTO
        | BITCOIN
    """,
        credit=c.INVESTMENT_TRANSFER,
        kind=BROKER,
    ),
    _b(
        BOTH,
        c.PERSON_TO_PERSON,
        """
        PayPal: PAYPAL | PAYPAL INST XFER | PAYPAL TRANSFER
        Venmo: VENMO
        Cash App: CASH APP | CASHAPP | SQUARE CASH | SQC
        Zelle: ZELLE
        Apple Cash: APPLE CASH
        Google Pay: GOOGLE PAY SEND
        Wise: WISE | TRANSFERWISE
        Western Union: WESTERN UNION | WU
        MoneyGram: MONEYGRAM
        Remitly: REMITLY
        Xoom: XOOM
        WorldRemit: WORLDREMIT
        Interac e-Transfer: INTERAC ETRANSFER | INTERAC E TRANSFER
        Chime Pay Friends: CHIME PAY FRIENDS
    """,
        credit=c.PERSON_TO_PERSON,
        kind=P2P,
    ),
    # -- Taxes -------------------------------------------------------------------------------------------
    _b(
        CA,
        "Tax Payment",
        """
        Canada Revenue Agency: CRA | CANADA REVENUE | CANADA REVENUE AGENCY | CRA ARC | ARC
        | RECEIVER GENERAL | REC GEN | RECEVEUR GENERAL | AGENCE DU REVENU | CRA TAX | GOVT CANADA TAX
        | FEDERAL TAX | CANADA TAX | CRA REVENUE
        Revenu Quebec: REVENU QUEBEC | REVENUQUEBEC | MINISTERE DU REVENU | MRQ
        ~Tax: TAX PAYMENT | TAX INSTALMENT | TAX INSTALLMENT | INCOME TAX | IMPOT | IMPOTS
        | ACOMPTE PROVISIONNEL | TAXES PAYMENT
    """,
        credit=c.TAX_REFUNDS_AND_CREDITS,
        kind=AGENCY,
    ),
    _b(
        US,
        "Tax Payment",
        """
        Internal Revenue Service: IRS | IRS USATAXPYMT | USATAXPYMT | US TREASURY TAX | EFTPS | IRS TAX
        | US TREASURY | TREAS TAX | TAX PYMT | IRS PAYMENT
        Franchise Tax Board: FRANCHISE TAX BD | FRANCHISE TAX BOARD | FTB | CA FTB
        NYS DTF: NYS DTF | NYS TAX | NY STATE TAX | NYS DTF PIT
        ~State Tax: STATE TAX | DEPT OF REVENUE | DEPT OF REV | DEPARTMENT OF REVENUE | DOR | COMPTROLLER
        | TAX COMMISSION | TAXATION | TAX PAYMENT | EST TAX | ESTIMATED TAX | INCOME TAX
    """,
        credit=c.TAX_REFUNDS_AND_CREDITS,
        kind=AGENCY,
    ),
    _b(
        BOTH,
        "Property Tax",
        """
        ~Property Tax: PROPERTY TAX | PROPERTY TAXES | PROP TAX | TAXES MUNICIPALES | TAXE MUNICIPALE
        | TAXES FONCIERES | TAXE FONCIERE | TAXES SCOLAIRES | TAXE SCOLAIRE | REALTY TAX | TAX COLLECTOR
        | COUNTY TREASURER | COUNTY TAX | MUNICIPAL TAX | CITY TAXES | TAX CERT
    """,
        kind=AGENCY,
    ),
)


def _joined(lines: str) -> list[str]:
    """The block's entries, a line that starts with "|" continuing the one before."""
    out: list[str] = []
    for line in (raw.strip() for raw in lines.strip().splitlines()):
        if line.startswith("|") and out:
            out[-1] += " " + line
        elif line:
            out.append(line)
    return out


@cache
def entries(country: Country) -> tuple[Entry, ...]:
    """Every named and keyword entry of the country, country-specific blocks first."""
    out: list[Entry] = []
    for block in sorted(BLOCKS, key=lambda b: b.country is None):
        if block.country not in (None, country):
            continue
        for line in _joined(block.lines):
            name, _, aliases = line.partition(":")
            words = [a.strip() for a in aliases.split("|")] if aliases else [name]
            parsed = tuple(dict.fromkeys(t for t in (tokens_of(a) for a in words) if t))
            out.append(Entry(name.strip(), parsed, block.debit, block.credit, block.kind))
    return tuple(out)


# -- government payers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Program:
    """A government programme that deposits money, and how statements name it."""

    subcategory: str
    name: str  # canonical payer
    phrases: tuple[str, ...]  # enough on their own
    codes: tuple[str, ...] = ()  # single words that need a marker (or another code of the programme)


GOVERNMENT_MARKERS: dict[Country, frozenset[str]] = {
    CA: word_set(
        "CANADA CDA CAN GOV GOVT GOUV GOUVERNEMENT GOVERNMENT FED FEDERAL FEDERALE GC CRA ARC ESDC EDSC "
        "RECEIVER RECEVEUR PROV PROVINCE PROVINCIAL QUEBEC ONTARIO ALBERTA BC MANITOBA SASK NS NB PEI NL "
        "SERVICE BENEFIT BENEFITS PRESTATION PRESTATIONS"
    ),
    US: word_set(
        "TREAS TREASURY US USA STATE DEPT GOV GOVT FED FEDERAL BENEFIT BENEFITS BEN PAYMENT PYMT UI DD "
        "CLAIM CLAIMS PAY DOL DEPARTMENT"
    ),
}

PROGRAMS: dict[Country, tuple[Program, ...]] = {
    CA: (
        Program(c.DISABILITY_BENEFITS, "Government of Canada",
                ("CPP DISABILITY", "CPPD", "CPP D", "RPC INVALIDITE", "CANADA DISABILITY BENEFIT",
                 "PRESTATION CANADIENNE POUR LES PERSONNES HANDICAPEES", "ODSP", "ONTARIO DISABILITY",
                 "AISH", "ALBERTA AISH", "DISABILITY ASSISTANCE", "DISABILITY BENEFIT", "DISABILITY SUPPORT"),
                ("CDB", "PCPH", "SAID", "PWD")),
        Program(c.EMPLOYMENT_INSURANCE, "Employment and Social Development Canada",
                ("EMPLOYMENT INSURANCE", "ASSURANCE EMPLOI", "EI BENEFIT", "EI BENEFITS", "EI CANADA",
                 "CANADA EI", "EI AE", "AE EI", "PRESTATIONS AE", "RQAP", "QPIP", "PARENTAL INSURANCE",
                 "ASSURANCE PARENTALE", "CERB", "PCU", "CRB", "PCRE"),
                ("EI", "AE")),
        Program(c.CHILD_BENEFITS, "Canada Revenue Agency",
                ("CANADA CHILD BENEFIT", "CHILD BENEFIT", "ALLOCATION CANADIENNE POUR ENFANTS",
                 "CANADA CHILD TAX", "CHILD TAX BENEFIT", "PRESTATION FISCALE CANADIENNE POUR ENFANTS",
                 "CCB ACE", "ACE CCB", "CCB", "CCTB", "ALLOCATION FAMILLE", "SOUTIEN AUX ENFANTS",
                 "FAMILY ALLOWANCE", "FAMILY BENEFIT", "ONTARIO CHILD BENEFIT", "OCB", "BC FAMILY BENEFIT",
                 "ALBERTA CHILD", "ACFB", "CHILD DISABILITY BENEFIT"),
                ("ACE", "PFCE", "AF")),
        Program(c.GOVERNMENT_PENSION, "Government of Canada",
                ("CANADA PENSION", "CANADA PENSION PLAN", "OLD AGE SECURITY", "SECURITE DE LA VIEILLESSE",
                 "GUARANTEED INCOME SUPPLEMENT", "SUPPLEMENT DE REVENU GARANTI", "CPP RPC", "RPC CPP",
                 "OAS SV", "SV OAS", "OAS PSV", "CPP", "OAS", "QUEBEC PENSION", "QPP", "RRQ",
                 "RETRAITE QUEBEC", "REGIME DE RENTES", "RENTE DE RETRAITE", "CPP OAS", "CANADA RPC",
                 "CANADA CPP", "CANADA OAS"),
                ("RPC", "SV", "PSV", "GIS", "SRG")),
        Program(c.TAX_REFUNDS_AND_CREDITS, "Canada Revenue Agency",
                ("GST HST", "GST HST CREDIT", "GSTC", "GST CREDIT", "HST CREDIT", "CREDIT TPS", "TPS TVH",
                 "GST TPS", "HST TVH", "TPS GST", "CANADA CARBON REBATE", "CARBON REBATE", "CCR",
                 "CLIMATE ACTION", "CLIMATE ACTION INCENTIVE", "REMISE CARBONE", "CANADA WORKERS BENEFIT",
                 "CWB", "ACWB", "TAX REFUND", "INCOME TAX REFUND", "CRA REFUND", "REMBOURSEMENT IMPOT",
                 "REMBOURSEMENT D IMPOT", "ONTARIO TRILLIUM", "TRILLIUM BENEFIT", "OTB",
                 "CREDIT SOLIDARITE", "SOLIDARITY TAX CREDIT", "CREDIT D IMPOT", "TAX CREDIT",
                 "CANADA REVENUE", "CANADA RIT", "REVENU QUEBEC", "GROCERY REBATE", "CAI", "CANADA FPT"),
                ("GST", "HST", "TPS", "TVH", "IPC", "RIT", "FPT", "CRA", "ARC")),
        Program(c.SOCIAL_ASSISTANCE, "Provincial social services",
                ("ONTARIO WORKS", "AIDE SOCIALE", "SOLIDARITE SOCIALE", "INCOME ASSISTANCE",
                 "SOCIAL ASSISTANCE", "ALBERTA WORKS", "INCOME SUPPORT", "BC INCOME ASSIST", "MTESS", "MESS",
                 "EMPLOYMENT AND INCOME ASSISTANCE", "SOCIAL SERVICES", "SOCIAL DEVELOPMENT"),
                ("OW", "EIA")),
        Program(c.WORKERS_COMPENSATION, "Workers' compensation board",
                ("WSIB", "CNESST", "CSST", "WORKSAFEBC", "WORKSAFE BC", "WORKSAFE", "WCB", "WORKERS COMP",
                 "WORKERS COMPENSATION", "WORKPLACE SAFETY"),
                ()),
        Program(c.VETERANS_BENEFITS, "Veterans Affairs Canada",
                ("VETERANS AFFAIRS", "ANCIENS COMBATTANTS", "VETERANS CANADA", "VAC ACC"),
                ("VAC", "ACC")),
        Program(c.CHILD_SUPPORT, "Family support enforcement",
                ("FAMILY RESPONSIBILITY", "FRO", "MAINTENANCE ENFORCEMENT", "MEP", "PENSION ALIMENTAIRE",
                 "PERCEPTION DES PENSIONS", "CHILD SUPPORT", "SPOUSAL SUPPORT", "FMEP"),
                ()),
        Program(c.TAX_REFUNDS_AND_CREDITS, "Government of Canada",
                ("CANADA PRO DEP", "PRO DEP", "FED GOV", "FED GOVT", "FEDERAL PAYMENT", "GOVT CANADA",
                 "GOUV CANADA",
                 "GOUVERNEMENT DU CANADA", "GOVERNMENT OF CANADA", "RECEIVER GENERAL", "RECEVEUR GENERAL",
                 "GOUV FED", "CANADA FED", "GOUV QUEBEC", "GOUVERNEMENT DU QUEBEC", "PROV GOV", "PROV GOVT",
                 "PROVINCE OF", "GOVT OF"),
                ()),
    ),
    US: (
        Program(c.DISABILITY_BENEFITS, "Social Security Administration",
                ("SSI TREAS", "SSI", "SUPP SEC", "SSDI", "STATE DISABILITY", "EDD SDI", "SDI",
                 "DISABILITY BENEFIT", "DISABILITY INS", "NYS DISABILITY", "LTD BENEFIT"),
                ()),
        Program(c.GOVERNMENT_PENSION, "Social Security Administration",
                ("SSA TREAS", "SSA TREAS 310", "SOC SEC", "SOCIAL SECURITY", "SSA", "SS BENEFIT",
                 "RAILROAD RETIREMENT", "RRB TREAS"),
                ()),
        Program(c.VETERANS_BENEFITS, "Department of Veterans Affairs",
                ("VA BENEFIT", "VA BENEFITS", "VA BENEF", "VACP TREAS", "VACP", "VETERANS AFFAIRS",
                 "DEPT OF VETERANS", "VA TREAS", "VBA TREAS", "VA COMP", "VA PENSION"),
                ()),
        Program(c.UNEMPLOYMENT_BENEFITS, "State unemployment insurance",
                ("UNEMPLOYMENT", "UNEMPL", "UNEMPLOY", "UI BENEFIT", "UI BENEFITS", "UI PAYMENT", "UI DD",
                 "DEPT OF LABOR", "DEPARTMENT OF LABOR", "DEPT LABOR", "NYS DOL", "DOL UI", "EDD UI",
                 "CA EDD", "TWC UI", "TWC BENEFITS", "IDES", "DES UI", "DEO UI", "RECONNECT", "DETR",
                 "ESD UI", "WA ESD", "DEED UI", "JOB SERVICE", "EMPLOYMENT SECURITY", "WORKFORCE COMMISSION",
                 "LABOR & INDUSTRY", "L&I", "UI"),
                ("EDD", "TWC", "DEO", "DES", "ESD", "DOL", "DLI", "DEED", "DWD", "DLLR", "DUA")),
        Program(c.SOCIAL_ASSISTANCE, "State human services",
                ("TANF", "SNAP", "EBT", "PUBLIC ASSISTANCE", "DHS", "HHS", "DSS", "DHHS", "CASH ASSISTANCE",
                 "WIC", "SOCIAL SERVICES", "HUMAN SERVICES", "GENERAL ASSISTANCE"),
                ()),
        Program(c.WORKERS_COMPENSATION, "Workers' compensation",
                ("WORKERS COMP", "WORKERS COMPENSATION", "WORK COMP", "WC BENEFIT", "WORKERS COMP BENEFIT"),
                ()),
        Program(c.CHILD_SUPPORT, "State child support enforcement",
                ("CHILD SUPPORT", "CHILD SUPP", "CHILD SUP", "CSE", "SDU", "STATE DISBURSEMENT",
                 "SUPPORT PAYMENT", "SPOUSAL SUPPORT", "ALIMONY", "OCSE", "CSEA", "FAMILY SUPPORT"),
                ()),
        Program(c.TAX_REFUNDS_AND_CREDITS, "Internal Revenue Service",
                ("IRS TREAS", "TAX REF", "TAX REFUND", "TAXRFD", "TAX RFND", "CHILD CTC", "CTC", "IRS",
                 "STATE TAX REFUND", "DTF PIT REFUND", "NYSTTAXRFD", "TAX RFD",
                 "STTAXRFD", "NYS DTF", "DTF", "PIT REFUND", "FTB TAX REF",
                 "FRANCHISE TAX", "DEPT OF REVENUE", "DEPT OF REV", "DOR REFUND", "TAX REF ST",
                 "ECONOMIC IMPACT", "EIP", "STIMULUS", "US TREASURY", "TREAS 310"),
                ()),
    ),
}  # fmt: skip
