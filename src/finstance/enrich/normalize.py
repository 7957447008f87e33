"""Description normalization: what the categorizer reads of a bank transaction's description.

A statement line carries much that says nothing of whom the money went to: the channel ("Point of Sale -
INTERAC RETAIL PURCHASE 215015119851", "VISA DEBIT PURCHASE", "CHECKCARD 0412", "PREAUTHORIZED DEBIT",
"ACH DEBIT", Quebec's "ACHAT", "PAIEMENT", "DEP. DIRECT"), store numbers ("#1234"), reference numbers,
dates, masked card numbers, phone numbers, web decorations ("WWW.", ".COM") and the city and province or
state of the terminal. :func:`normalize` gives two views of the same line:

``text``
    upper-case ASCII words (accents folded, punctuation to spaces, "&" kept), channel words and numbers
    kept, mixed letter-and-digit references dropped: what the keyword rules read ("NSF FEE", "SSA TREAS 310").
``core``
    ``text`` without its channel prefix, processor prefixes ("SQ *", "TST*"), reference numbers and the
    trailing city and region: the counterparty's own name, what the dictionaries and the employer
    extraction read.

``channel`` names the prefix that was removed ("pos", "preauth", "ach_debit", "ach_credit", "bill",
"deposit", "withdrawal") or is empty. Dictionary aliases go through :func:`tokens_of` so that both sides of
a lookup are spelled alike ("PETRO-CANADA" and "PETRO CANADA", "MCDONALD'S" and "MCDONALDS").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def word_set(words: str) -> frozenset[str]:
    """The set of the whitespace-separated words of a string (word tables written as text)."""
    return frozenset(words.split())


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str  # every word, channel included, single spaces
    core: str  # the counterparty part
    channel: str  # the channel prefix removed from ``core``, or ""
    wallet: str  # a payment processor or wallet prefix removed ("PAYPAL", "SQUARE"), or ""

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.core.split())

    @property
    def text_tokens(self) -> tuple[str, ...]:
        return tuple(self.text.split())


# -- stage 1: on the upper-cased line, before punctuation goes ------------------------------------------

_DOMAIN = re.compile(r"\bWWW\.|\.(?:COM|CA|NET|ORG|IO|CO|US|QC\.CA)\b")
_PHONE = re.compile(r"\b(?:1[-. ]?)?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b|\b\d{3}-\d{4}\b")
_DATE = re.compile(
    r"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b|\b\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\b"
    r"|\b\d{1,2}(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\d{0,4}\b"
)
_STORE = re.compile(r"#\s*\d+|\bNO\.\s?\d+")
_GLUED_NUMBER = re.compile(r"\b([A-Z]{3,})\d{4,}\b")  # "IMPARK00123456"
_MASKED = re.compile(r"\b[X*]{2,}\s?\d*|\*{2,}\d+|\bCARD\s?\d{4}\b")
_ELISION = re.compile(r"\b[DLJN][''](?=[A-Z])")
_APOSTROPHE = re.compile(r"['']")
_STRUCTURED_ACH = (
    # Chase: "ORIG CO NAME:ACME INC ORIG ID:123 DESC DATE:250412 CO ENTRY DESCR:PAYROLL SEC:PPD ..."
    re.compile(r"ORIG CO NAME:\s*(?P<name>.+?)\s+ORIG ID:.*?CO ENTRY DESCR:\s*(?P<what>.+?)\s+SEC:"),
    # Bank of America: "ACME INC DES:PAYROLL ID:XXXXX INDN:DOE JOHN CO ID:XXXXX PPD"
    re.compile(r"^(?P<name>.+?)\s+DES:\s*(?P<what>.+?)(?:\s+ID:|\s+INDN:|$)"),
)

# -- stage 2: on the words ------------------------------------------------------------------------------

_PUNCT = re.compile(r"[^A-Z0-9& ]+")
_SPACES = re.compile(r"\s+")
_XX_TOKEN = re.compile(r"\bX{2,}(?=[A-Z]{2})")

_PREFIXES: tuple[tuple[str, str], ...] = (
    (r"POINT OF SALE(?: (?:INTERAC|VISA DEBIT|DEBIT|MASTERCARD DEBIT))?"
     r"(?: (?:RETAIL PURCHASE|PURCHASE|MDSE RETURN|RETURN|REFUND|CASH BACK))?", "pos"),
    (r"(?:INTERAC|VISA DEBIT|MASTERCARD DEBIT|DEBIT MASTERCARD|MC DEBIT)"
     r" (?:RETAIL )?(?:PURCHASE|PURCH|PUR|POS|RETURN|REFUND|FLASH|DEBIT)", "pos"),
    (r"(?:DEBIT CARD|CHECK CARD|CHECKCARD|CHKCARD|CHK CARD|DBT CRD|DEBIT|CARD|PIN|POS|CONTACTLESS|"
     r"RECURRING(?: DEBIT)?(?: CARD)?) (?:PURCHASE|PURCH|PMT|PAYMENT|DEBIT|W D|WD)(?: WITH PIN| RETURN)?"
     r"(?: AUTHORIZED ON)?", "pos"),
    (r"(?:CHECKCARD|CHECK CARD|CHKCARD|POS|PURCHASE AUTHORIZED ON|RECURRING PAYMENT AUTHORIZED ON|"
     r"PURCHASE RETURN AUTHORIZED ON|PURCHASE|CARD PURCHASE|VISA DEBIT|DEBIT VISA|MASTERCARD DEBIT|"
     r"DEBIT MASTERCARD)", "pos"),
    (r"ACHAT(?: (?:INTERAC|PDV|DIRECT|CARTE DEBIT|PAIEMENT DIRECT|PAR CARTE|SANS CONTACT|VISA DEBIT|"
     r"DEBIT VISA|MASTERCARD DEBIT|DEBIT))?|"
     r"PAIEMENT DIRECT(?: ACHAT)?|PDV", "pos"),
    (r"(?:PRE ?AUTHORI[ZS]ED|PRE ?AUTH|PREAUTH|PREAUTORISE|AUTO(?:MATIC)?) (?:DEBIT|DB|PMT|PAYMENT|DR)"
     r"|PAD|DPA|PRELEVEMENT(?: AUTOMATIQUE| PREAUTORISE)?|RETRAIT PREAUTORISE|DEBIT PREAUTORISE", "preauth"),
    (r"ACH (?:DEBIT|WITHDRAWAL|WD|PMT|PAYMENT)|ELECTRONIC (?:WITHDRAWAL|PAYMENT|PMT|DEBIT)|EFT DEBIT|"
     r"EXTERNAL WITHDRAWAL|EXT WITHDRAWAL|WEB AUTHORIZED PMT|WEB PMT|ONLINE PMT|ONLINE PAYMENT|"
     r"EFT WITHDRAWAL|EFT", "ach_debit"),
    (r"ACH (?:CREDIT|DEPOSIT|DEP)|ELECTRONIC DEPOSIT|EFT CREDIT|EFT DEPOSIT|EXTERNAL DEPOSIT", "ach_credit"),
    (r"(?:ONLINE |INTERNET |TELEPHONE |TEL |MB |WWW |MOBILE )?(?:BILL (?:PAYMENT|PMT|PAY|PYMT)|"
     r"BILLPAY(?:MENT)?)|(?:PAIEMENT|PAIE) (?:DE )?FACTURE|MISC (?:PAYMENT|PMT)|PAYMENT TO|"
     r"PAIEMENT|PMT|PYMT|PAYMENT", "bill"),
    (r"(?:DIRECT (?:DEPOSIT|DEP)|DIR DEP|DEP DIRECT|DEPOT DIRECT|PAYROLL (?:DEPOSIT|DEP)|"
     r"DEPOSIT|DEPOT|DEP)", "deposit"),
    (r"(?:ATM|ABM|CASH|GAB|DAB) (?:WITHDRAWAL|WITHDRWL|W D|WD)|RETRAIT(?: (?:GAB|DAB|AU GUICHET|GUICHET))?"
     r"|WITHDRAWAL", "withdrawal"),
)  # fmt: skip
_PREFIX = re.compile("|".join(f"(?P<c{i}>^(?:{p})\\b)" for i, (p, _) in enumerate(_PREFIXES)))
_CHANNELS = tuple(c for _, c in _PREFIXES)

_WALLETS: dict[str, str] = {
    "SQ": "SQUARE", "SQU": "SQUARE", "TST": "TOAST", "SP": "SHOPIFY", "PAYPAL": "PAYPAL", "PP": "PAYPAL",
    "PY": "", "IN": "", "FSP": "", "CKE": "", "BT": "", "PAR": "", "DRI": "", "ZTL": "", "SUMUP": "",
    "CLV": "CLOVER", "CLOVER": "CLOVER", "GOOGLE PAY": "", "APPLE PAY": "", "EVENTBRITE": "",
}  # fmt: skip
_WALLET = re.compile(r"(?:^|[\s-])(?P<head>" + "|".join(sorted(_WALLETS, key=len, reverse=True)) + r")\s*\*")

PROVINCES = frozenset({"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "PQ", "SK", "YT"})
STATES = word_set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC "
    "ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
)
_REGIONS = PROVINCES | STATES | {"CAN", "USA", "US"}
# Names that carry digits of their own, kept where reference numbers are dropped.
BRANDS = word_set(
    "BET365 BET99 7ELEVEN FIT4LESS CASH4YOU PAY2DAY FOOD4LESS 407ETR 1PASSWORD 888SPORT F45 EQ3 P66 A25 "
    "24HR 3M 99BIKES 5GUYS"
)
_CITIES = word_set(
    """TORONTO MONTREAL VANCOUVER CALGARY EDMONTON OTTAWA WINNIPEG QUEBEC HAMILTON HALIFAX SASKATOON REGINA
    VICTORIA LAVAL MISSISSAUGA MONCTON GATINEAU KITCHENER WATERLOO LONDON BRAMPTON MARKHAM VAUGHAN OAKVILLE
    BURLINGTON BURNABY SURREY RICHMOND LONGUEUIL SHERBROOKE GUELPH BARRIE KINGSTON WINDSOR OSHAWA SUDBURY
    FREDERICTON DARTMOUTH CHARLOTTETOWN KELOWNA NANAIMO LETHBRIDGE LEVIS TERREBONNE BROSSARD SAGUENAY
    TROIS RIVIERES DRUMMONDVILLE GRANBY ETOBICOKE SCARBOROUGH NORTH YORK NEW WESTMINSTER COQUITLAM
    AMHERST BROOKLYN CHICAGO HOUSTON PHOENIX PHILADELPHIA SAN ANTONIO DIEGO DALLAS AUSTIN SEATTLE DENVER
    BOSTON ATLANTA MIAMI PORTLAND MINNEAPOLIS COLUMBUS CHARLOTTE NEW YORK LOS ANGELES SAN FRANCISCO JOSE
    DETROIT NASHVILLE BALTIMORE OAKLAND TAMPA ORLANDO CLEVELAND PITTSBURGH SACRAMENTO JOHNS ST STE
    JERSEY CITY NEWARK ARLINGTON JACKSONVILLE INDIANAPOLIS MEMPHIS LOUISVILLE MILWAUKEE ALBUQUERQUE TUCSON
    FRESNO MESA OMAHA RALEIGH LAS VEGAS KANSAS CITY BRONX QUEENS"""
)


def fold(description: str) -> str:
    """Upper-case ASCII: accents folded ("DÉPÔT" → "DEPOT"), typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", description.replace("’", "'"))
    return decomposed.encode("ascii", "ignore").decode().upper()


def _words(line: str) -> str:
    line = _ELISION.sub("", line)
    line = _APOSTROPHE.sub("", line)
    line = _PUNCT.sub(" ", line)
    line = _XX_TOKEN.sub("", line)
    return _SPACES.sub(" ", line).strip()


def tokens_of(alias: str) -> tuple[str, ...]:
    """A dictionary alias as the words :func:`normalize` makes of a description."""
    return tuple(_words(_DOMAIN.sub(" ", fold(alias))).split())


def _is_reference(token: str) -> bool:
    if token in BRANDS:
        return False
    digits = sum(c.isdigit() for c in token)
    if not digits:
        return False
    if token.isdigit():
        return len(token) >= 4
    return len(token) >= 5 or digits >= 2


def _strip_location(tokens: list[str]) -> list[str]:
    if len(tokens) >= 2 and tokens[-1] in _REGIONS:
        tokens = tokens[:-1]
        while len(tokens) >= 2 and tokens[-1] in _CITIES:
            tokens = tokens[:-1]
    return tokens


@lru_cache(maxsize=65536)
def normalize(description: str) -> Normalized:
    """The categorizer's reading of one description (pure; cached per distinct description)."""
    line = fold(description)
    for pattern in _STRUCTURED_ACH:
        match = pattern.search(line)
        if match:
            line = f"{match['name']} {match['what']}"
            break
    line = _DOMAIN.sub(" ", line)
    line = _PHONE.sub(" ", line)
    line = _DATE.sub(" ", line)
    line = _STORE.sub(" ", line)
    line = _MASKED.sub(" ", line)
    line = _GLUED_NUMBER.sub(r"\1", line)
    text = _words(line)

    rest, channel, wallet = text, "", ""
    for _ in range(3):  # "POS PURCHASE VISA DEBIT ..." carries two channel phrases
        match = _PREFIX.match(rest)
        if not match or match.end() == 0:
            break
        if not channel:
            channel = _CHANNELS[int(str(match.lastgroup)[1:])]
        rest = " ".join(t for t in rest[match.end() :].split() if not (t.isdigit() and len(t) >= 4))
    starred = _WALLET.search(line)
    if starred is not None:
        head = starred["head"]
        wallet = _WALLETS[head]
        head_tokens = tokens_of(head)
        rest_tokens = rest.split()
        if tuple(rest_tokens[: len(head_tokens)]) == head_tokens:
            rest = " ".join(rest_tokens[len(head_tokens) :])
    kept = [t for t in rest.split() if not _is_reference(t)]
    kept = _strip_location(kept)
    core = " ".join(kept) if kept else rest
    text = " ".join(t for t in text.split() if not _is_reference(t) or t.isdigit())
    return Normalized(text=text, core=core, channel=channel, wallet=wallet)
