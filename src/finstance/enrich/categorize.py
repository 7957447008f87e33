"""The categorization engine: each transaction gets a primary category and a sub-category of its country.

Deterministic and explainable. A transaction is read as its normalized description
(:mod:`finstance.enrich.normalize`), its direction (money in or out) and its amount; an ordered list of named
rules is tried and the first that recognizes it decides, and the assignment records that rule's id
(``Assignment.rule``) and, when one is named, the counterparty (employer, merchant, lender, agency).

The order, from the most specific evidence to the least:

1. bank fees (``fee.*``), returned and stopped payments, refunds and fee reversals;
2. government deposits (``income.government.*``), person-to-person transfers (``p2p.*``), payroll
   (``income.payroll``), interest, dividends and pensions;
3. money moved by the bank itself: transfers between accounts, wires, investments, cash, cheques, credit
   card and line-of-credit payments and advances;
4. the country's merchant and payer dictionaries (``dict.<sub-category>`` for a named counterparty,
   ``keyword.<sub-category>`` for a generic word such as "PHARMACY"), where the direction decides between a
   purchase and a refund, a loan payment and a loan deposit;
5. recurrence over the whole batch: an unrecognized credit from the same payer, of a similar amount, on a
   weekly, bi-weekly, semi-monthly or monthly rhythm is pay (``recurrence.employer``); an unrecognized
   recurring debit stays Uncategorized but names its payee (``recurrence.unknown_debit``);
6. ``fallback.uncategorized``.

:func:`categorize` is pure: no I/O, no clock; equal inputs give equal outputs.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

from finstance.core.country import Country
from finstance.enrich import categories as c
from finstance.enrich import dictionaries as d
from finstance.enrich.model import Assignment, Txn
from finstance.enrich.normalize import Normalized, normalize, tokens_of, word_set

# -- reading a transaction -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    entry: d.Entry
    priority: int  # 2 named, 1 keyword, 0 weak keyword


@dataclass(frozen=True, slots=True)
class Case:
    """One transaction as the rules see it."""

    country: Country
    n: Normalized
    credit: bool
    cents: int  # the amount, positive
    match: Match | None  # the best dictionary entry its core names

    @property
    def debit(self) -> bool:
        return not self.credit

    def has(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self.n.text) is not None


@dataclass(frozen=True, slots=True)
class Decision:
    rule: str
    subcategory: str
    counterparty: str | None = None


def _rx(*phrases: str) -> re.Pattern[str]:
    """Whole-word alternatives (regular expressions allowed inside a phrase)."""
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


# -- dictionary lookup: a token index, longest named alias first -------------------------------------------

_Index = dict[str, list[tuple[tuple[str, ...], d.Entry, int]]]


@cache
def _index(country: Country) -> _Index:
    index: _Index = defaultdict(list)
    for entry in d.entries(country):
        priority = 0 if entry.name.startswith("~~") else 1 if entry.name.startswith("~") else 2
        for alias in entry.aliases:
            index[alias[0]].append((alias, entry, priority))
    for candidates in index.values():
        candidates.sort(key=lambda x: (-x[2], -len(x[0])))
    return dict(index)


@cache
def _firsts(country: Country) -> list[str]:
    return sorted(_index(country))


@cache
def _vocabulary(country: Country) -> frozenset[str]:
    return frozenset(word for entry in d.entries(country) for alias in entry.aliases for word in alias)


def lookup(country: Country, tokens: Sequence[str]) -> Match | None:
    """The best entry named in ``tokens``: named over generic, then the longest alias, then the leftmost."""
    index = _index(country)
    best: tuple[int, int, int] | None = None
    found: Match | None = None
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        for alias, entry, priority in index.get(token, ()):
            size = len(alias)
            if not _matches(tokens, i, alias, last):
                continue
            score = (priority, size, -i)
            if best is None or score > best:
                best, found = score, Match(entry, priority)
    if found is None and tokens and len(tokens[last]) >= 6 and tokens[last] not in _vocabulary(country):
        cut = tokens[last]  # the statement cut the name short: a single-word name it begins
        firsts = _firsts(country)
        at = bisect_right(firsts, cut)
        while at < len(firsts) and firsts[at].startswith(cut):
            for alias, entry, priority in index[firsts[at]]:
                if len(alias) == 1 and priority == 2:
                    return Match(entry, priority)
            at += 1
    return found


def _matches(tokens: Sequence[str], i: int, alias: tuple[str, ...], last: int) -> bool:
    for k, word in enumerate(alias):
        j = i + k
        if j > last:
            return False
        if tokens[j] != word and not (
            j == last and k > 0 and len(tokens[j]) >= 3 and word.startswith(tokens[j])
        ):
            return False
    return True


def _name(entry: d.Entry) -> str | None:
    return None if entry.name.startswith("~") else entry.name


def _slug(subcategory: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", subcategory.lower()).strip("_")


# -- names found in descriptions ---------------------------------------------------------------------------

_UPPER_WORDS = word_set(
    "LLC LLP LP ULC USA US CA ADP IBM CGI TD RBC BMO CIBC HSBC ATB UPS USPS AT&T IT HR II III IV NA"
)
_NOISE = word_set(
    "PPD CCD WEB TEL ID INDN CO ID DES ORIG NAME SEC TRACE ENTRY DESCR DIRECT DEP DEPOSIT DEPOT DIR FROM TO "
    "CREDIT ACH EFT ELECTRONIC MISC PAYMENT PMT THE REF"
)


def display(words: Sequence[str]) -> str | None:
    """A counterparty name from description words: "ACME CORP" → "Acme Corp"."""
    kept = [w for w in words if any(ch.isalpha() for ch in w)]
    if not kept:
        return None
    out = []
    for w in kept:
        if w in _UPPER_WORDS or (len(w) <= 3 and not any(v in w for v in "AEIOUY")):
            out.append(w)
        else:
            out.append(w.capitalize())
    return " ".join(out)


# -- rules -------------------------------------------------------------------------------------------------

Rule = Callable[[Case], Decision | None]

_FEE_WORD = _rx("FEE", "FEES", "FRAIS", "CHARGE", "CHG", "SURCHARGE", "SVC CHG")  # fmt: skip
_REVERSAL = _rx("REVERSAL", "REVERSED", "REVERSE", "REFUND", "RFND", "REBATE", "REMBOURSEMENT",
    "CORRECTION", "WAIVED", "WAIVER", "ANNULATION", "RENVERSEMENT", "CREDIT ADJ", "ADJUSTMENT", "ADJ",
)  # fmt: skip
_NSF = _rx("NSF", "N S F", "NON SUFFICIENT", "NONSUFFICIENT", "NON SUFF", "INSUFFICIENT FUNDS",
    "INSUFF FUNDS", "INSUFFICIENT FUND", "PROVISION INSUFFISANTE", "FONDS INSUFFISANTS", "EFFET RETOURNE",
    "RETURNED ITEM FEE", "RETURN ITEM FEE", "RETURNED ITEM CHARGE", "RETURNED CHEQUE FEE",
    "RETURNED CHECK FEE", "RET ITEM FEE", "RETURNED PAYMENT FEE", "RETURN ITEM CHARGE", "UNPAID ITEM FEE",
    "ITEM RETURNED FEE")  # fmt: skip
_OVERDRAFT = _rx("OVERDRAFT", "OVERDRAWN", "OD", "O D", "DECOUVERT", "OVERDRAFT ITEM", "PAID ITEM", "ODP",
)  # fmt: skip
_OVERDRAFT_FEE = _rx("FEE", "FEES", "CHARGE", "CHG", "INTEREST", "INT", "FRAIS", "INTERETS", "INTERET",
    "HANDLING", "ITEM")  # fmt: skip
_ATM = _rx("ATM", "ABM", "GAB", "DAB", "GUICHET", "GUICHET AUTOMATIQUE", "CASH MACHINE", "NETWORK",
    "NON TD", "NON RBC", "NON BMO", "NON CIBC", "NON SCOTIA", "NON CHASE", "OTHER BANK", "INTERAC ABM",
    "SURCHARGE")  # fmt: skip
_FOREIGN = _rx("FOREIGN TRANSACTION", "FOREIGN TRANS", "FOREIGN TXN", "FOREIGN CURRENCY",
    "INTL TRANSACTION", "INTERNATIONAL TRANSACTION", "INTL TXN", "INTL SERVICE", "INTERNATIONAL PURCHASE",
    "FX", "FOREX", "FOREIGN EXCHANGE", "CONVERSION", "CROSS BORDER", "DEVISE", "DEVISES", "CHANGE ETRANGER",
    "TRANSACTION ETRANGERE", "FRAIS DE CHANGE", "NON CAD", "NON USD")  # fmt: skip
_STOP = _rx("STOP PAYMENT", "STOP PMT", "STOP PAY", "STOPPED PAYMENT", "ARRET DE PAIEMENT",
    "ARRET PAIEMENT", "OPPOSITION")  # fmt: skip
_INTEREST_CHARGE = _rx("INTEREST", "INTERETS", "INTERET", "INT CHARGE", "INT CHG", "FINANCE CHARGE",
    "PURCHASE INTEREST", "CASH ADVANCE INTEREST", "INTEREST CHARGE", "INTEREST CHARGES", "INTEREST CHG",
    "INT ON", "INTEREST ON")  # fmt: skip
_SERVICE = _rx("MONTHLY FEE", "MONTHLY FEES", "MONTHLY ACCOUNT FEE", "MONTHLY PLAN FEE",
    "MONTHLY MAINTENANCE", "MAINTENANCE FEE", "MAINT FEE", "SERVICE CHARGE", "SERVICE CHARGES",
    "SERVICE FEE", "SVC CHARGE", "SVC CHG", "SERVICE CHG", "SERV CHG", "ACCOUNT FEE", "ACCT FEE",
    "PLAN FEE", "PACKAGE FEE", "PKG FEE", "MONTHLY SERVICE", "MTHLY FEE", "MTHLY PLAN FEE",
    "MTHLY ACCOUNT FEE", "MONTHLY ACCT FEE", "FRAIS MENSUELS", "FRAIS MENSUEL", "FRAIS ADMINISTRATION",
    "FRAIS D ADMINISTRATION", "FRAIS DE SERVICE", "FRAIS DE SERVICES", "FRAIS DE TENUE", "FRAIS FIXES",
    "FRAIS DE TRANSACTION", "FRAIS D OPERATION", "FRAIS OPERATION", "TRANSACTION FEE", "TXN FEE",
    "E TRANSFER FEE", "ETRANSFER FEE", "INTERAC FEE", "E TFR FEE", "EMT FEE", "PAPER STATEMENT",
    "STATEMENT FEE", "FRAIS RELEVE", "EXCESS TRANSACTION", "EXCESS ACTIVITY", "ADDITIONAL TRANSACTION",
    "SELF SERVE", "MSF", "MONTHLY PKG FEE", "BANK FEE", "BANK CHARGE", "BANK CHARGES", "BANKING FEE",
    "FRAIS BANCAIRES", "FRAIS BANCAIRE", "PLAN FEES", "SERVICE PLAN", "ZELLE FEE", "TRANSFER FEE",
    "WITHDRAWAL FEE", "DEBIT FEE", "INTERAC E TRANSFER FEE")  # fmt: skip
_OTHER_FEE = _rx("WIRE FEE", "WIRE TRANSFER FEE", "INCOMING WIRE FEE", "OUTGOING WIRE FEE", "WIRE TRF FEE",
    "CHEQUE ORDER", "CHECK ORDER", "CHEQUE BOOK", "CHECKBOOK", "DRAFT FEE", "BANK DRAFT", "MONEY ORDER FEE",
    "CERTIFIED CHEQUE", "ANNUAL FEE", "CARD FEE", "REPLACEMENT CARD", "SAFETY DEPOSIT", "SAFE DEPOSIT",
    "COFFRE", "LEGAL FEE", "GARNISHMENT FEE", "RESEARCH FEE", "COUNTER CHEQUE", "CASHIERS CHECK",
    "CASHIER CHECK", "COLLECTION FEE", "DORMANT", "INACTIVITY FEE", "LATE FEE", "LATE PAYMENT FEE",
    "OVERLIMIT FEE", "OVER LIMIT FEE", "CASH ADVANCE FEE", "BALANCE TRANSFER FEE", "ANNUAL MEMBERSHIP FEE",
    "FRAIS ANNUELS", "FRAIS ANNUEL", "FRAIS DE VIREMENT", "FRAIS TRAITE", "FRAIS CHEQUE")  # fmt: skip


_ATM_ONLY = _rx("ATM", "ABM")


def _fees(k: Case) -> Decision | None:
    fee_word = k.has(_FEE_WORD)
    if k.credit:
        if fee_word and (k.has(_REVERSAL) or k.has(_NSF) or k.has(_OVERDRAFT) or k.has(_SERVICE)):
            return Decision("adjustment.fee_reversal", c.BALANCE_ADJUSTMENT)
        return None
    if k.has(_NSF) and (fee_word or k.cents <= 6000):
        return Decision("fee.nsf", c.NSF_FEE)
    if k.has(_OVERDRAFT) and k.has(_OVERDRAFT_FEE) and not k.has(_TRANSFER_WORD):
        return Decision("fee.overdraft", c.OVERDRAFT_FEE)
    if k.has(_STOP) and fee_word:
        return Decision("fee.stop_payment", c.STOP_PAYMENT_FEE)
    if k.has(_FOREIGN) and (fee_word or k.cents <= 3000):
        return Decision("fee.foreign_transaction", c.FOREIGN_TRANSACTION_FEE)
    if k.has(_OTHER_FEE):
        return Decision("fee.other", "Other Bank Fee")
    if k.has(_ATM) and (fee_word or (k.cents <= 500 and k.has(_ATM_ONLY))):
        return Decision("fee.atm", c.ATM_FEE)
    if k.has(_SERVICE):
        return Decision("fee.service_charge", c.SERVICE_CHARGE)
    if k.has(_INTEREST_CHARGE) and (k.match is None or k.match.priority < 2):
        return Decision("fee.interest", c.INTEREST_CHARGE)
    return None


_RETURNED = _rx("RETURNED ITEM", "RETURN ITEM", "RETURNED ITEMS", "ITEM RETURNED", "RETURNED PAYMENT",
    "PAYMENT RETURNED", "RETURNED PMT", "NSF RETURN", "RETURN NSF", "NSF", "RETURNED CHEQUE",
    "RETURNED CHECK", "RETURNED CHQ", "CHEQUE RETOURNE", "CHEQUE RETOURNE NSF", "EFFET RETOURNE",
    "RETOUR D EFFET", "RETOUR EFFET", "PAIEMENT RETOURNE", "RETURNED DEPOSIT", "DEPOSITED ITEM RETURNED",
    "DEPOSIT RETURN", "DEPOSIT RETURNED", "ACH RETURN", "EFT RETURN", "RETURN OF POSTED", "REVERSAL",
    "REVERSED", "PAYMENT REVERSAL", "RETURNED", "RETOURNE", "RETOUR DE PAIEMENT", "REJECTED", "UNPAID",
    "IMPAYE", "CHARGEBACK ITEM", "RETURN SETTLEMENT", "REVERSE", "RENVERSEMENT", "ANNULATION")  # fmt: skip
_RETURN_WORDS = word_set(
    "RETURNED RETURN ITEM ITEMS NSF PAYMENT PMT REVERSAL REVERSED REVERSE CHEQUE CHECK CHQ RETOURNE RETOUR "
    "EFFET D DE DEPOSIT DEPOSITED OF POSTED ACH EFT REJECTED UNPAID IMPAYE PAIEMENT RENVERSEMENT ANNULATION "
    "SETTLEMENT CHARGEBACK"
)


def _returned(k: Case) -> Decision | None:
    if not k.has(_RETURNED) or k.has(_MDSE_RETURN):
        return None
    if k.has(_STOP):
        return Decision("transfer.stop_payment", c.STOP_PAYMENT)
    rest = [t for t in k.n.core.split() if t not in _RETURN_WORDS]
    found = lookup(k.country, rest)
    name = _name(found.entry) if found else display(rest)
    return Decision("transfer.returned", c.RETURNED_PAYMENT, name)


def _stop(k: Case) -> Decision | None:
    if k.has(_STOP):
        return Decision("transfer.stop_payment", c.STOP_PAYMENT)
    return None


_MDSE_RETURN = _rx("MDSE RETURN", "MERCHANDISE RETURN", "MERCH RETURN", "PURCHASE RETURN",
    "RETURN PURCHASE", "POS RETURN", "POS REFUND", "CREDIT VOUCHER", "RETURN AUTHORIZED", "DEBIT RETURN",
    "INTERAC RETURN", "INTERAC REFUND", "VISA DEBIT RETURN", "VISA DEBIT REFUND")  # fmt: skip
_REFUND = _rx("REFUND", "REFUNDS", "RFND", "REFUNDED", "RETURN", "REMBOURSEMENT", "REMB", "RETOUR",
    "RISTOURNE", "CREDIT ADJUSTMENT", "CREDIT ADJ", "PRICE ADJUSTMENT", "ADJUSTMENT", "ADJ", "CORRECTION",
    "PROVISIONAL CREDIT", "DISPUTE CREDIT", "CHARGEBACK", "CASHBACK", "CASH BACK REWARD", "REWARDS",
    "REWARD", "STATEMENT CREDIT", "REBATE", "RABAIS", "PURCHASE CREDIT", "MERCHANT CREDIT")  # fmt: skip
_REFUND_WORDS = word_set(
    "REFUND REFUNDS RFND REFUNDED RETURN MDSE MERCHANDISE MERCH PURCHASE REMBOURSEMENT REMB RETOUR CREDIT "
    "ADJUSTMENT ADJ VOUCHER CORRECTION PROVISIONAL DISPUTE CHARGEBACK POS INTERAC AUTHORIZED ON"
)


def _refund(k: Case) -> Decision | None:
    if k.debit or not (k.has(_MDSE_RETURN) or k.has(_REFUND)):
        return None
    rest = [t for t in k.n.core.split() if t not in _REFUND_WORDS]
    found = lookup(k.country, rest)
    if found is not None and found.entry.kind in (d.AGENCY,):
        return None  # a tax refund: the government rules have read it
    name = _name(found.entry) if found else display(rest)
    return Decision("adjustment.refund", c.BALANCE_ADJUSTMENT, name)


@cache
def _program_index(country: Country) -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """First word of every programme phrase → (phrase, programme position), to scan a description once."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    for position, program in enumerate(d.PROGRAMS[country]):
        for phrase in program.phrases:
            words = tokens_of(phrase)
            index[words[0]].append((words, position))
    return dict(index)


def _government(k: Case) -> Decision | None:
    if k.debit:
        return None
    tokens = k.n.text_tokens
    programs = d.PROGRAMS[k.country]
    index = _program_index(k.country)
    hits = {
        position
        for i, token in enumerate(tokens)
        for phrase, position in index.get(token, ())
        if tuple(tokens[i : i + len(phrase)]) == phrase
    }
    present = set(tokens)
    markers = d.GOVERNMENT_MARKERS[k.country]
    for position, program in enumerate(programs):
        hit = position in hits
        if not hit and program.codes:
            codes = present.intersection(program.codes)
            hit = bool(codes) and (len(codes) > 1 or bool((present - codes) & markers))
        if hit:
            return Decision(
                f"income.government.{_slug(program.subcategory)}", program.subcategory, program.name
            )
    return None


_ETRANSFER = _rx("E TRANSFER", "ETRANSFER", "E TRANSFERT", "E TFR", "ETFR", "E TRF", "ETRF", "EMT",
    "E MAIL TRANSFER", "EMAIL TRANSFER", "EMAIL TRF", "EMAIL MONEY TRANSFER", "INTERAC TRANSFER",
    "INTERAC TRF", "VIREMENT INTERAC", "VIR INTERAC", "INTERAC VIREMENT", "VIREMENT PAR COURRIEL",
    "VIREMENT COURRIEL", "AUTODEPOSIT", "AUTO DEPOSIT", "INTERAC E", "INTERAC ETRF", "SEND E TFR",
    "REQUEST MONEY", "INTERAC REQUEST", "INTERAC DEPOSIT", "INTERAC AUTODEPOSIT", "TRANSFERT INTERAC",
)  # fmt: skip
_P2P_APPS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("p2p.zelle", _rx("ZELLE")),
    ("p2p.venmo", _rx("VENMO")),
    ("p2p.cash_app", _rx("CASH APP", "CASHAPP", "SQUARE CASH", "SQC", "SQ CASH")),
    ("p2p.apple_cash", _rx("APPLE CASH")),
    (
        "p2p.wallet",
        _rx(
            "GOOGLE PAY SEND",
            "PAYPAL INST XFER",
            "PAYPAL TRANSFER",
            "PAYPAL XFER",
            "WISE",
            "REMITLY",
            "WESTERN UNION",
            "MONEYGRAM",
            "XOOM",
            "WORLDREMIT",
        ),
    ),
)
_P2P_WORDS = word_set(
    "E TRANSFER ETRANSFER TRANSFERT TFR ETFR TRF ETRF EMT MAIL EMAIL MONEY INTERAC VIREMENT VIR PAR COURRIEL "
    "AUTODEPOSIT AUTO DEPOSIT SENT RECEIVED RECEIVE SEND REQUEST ZELLE VENMO CASH APP CASHAPP SQUARE SQC "
    "PAYMENT PMT TO FROM DE A ENVOYE RECU RECEPTION ENVOI CANCELLED FULFILLED APPLE CREDIT DEBIT "
    "WEB ID CONF INST XFER PAYPAL P2P TRANSFER"
)


def _p2p(k: Case) -> Decision | None:
    if k.has(_ETRANSFER):
        return Decision("p2p.etransfer", c.PERSON_TO_PERSON, _person(k))
    for rule, pattern in _P2P_APPS:
        if k.has(pattern):
            return Decision(rule, c.PERSON_TO_PERSON, _person(k))
    return None


def _person(k: Case) -> str | None:
    words = [t for t in k.n.core.split() if t not in _P2P_WORDS and not any(ch.isdigit() for ch in t)]
    return display(words[:4]) if words else None


_PAY_WORD = _rx("PAYROLL", "PAYRLL", "PAYRL", "PAYROL", "PAYCHECK", "PAYCHEQUE", "PAY CHEQUE", "PAY CHECK",
    "SALARY", "SALAIRE", "SALAIRES", "WAGES", "WAGE", "PAIE", "REMUNERATION", "EMPLOYEE PAY", "NET PAY",
    "PAY", "PAYMENT OF SALARY", "DIRECT DEP", "DIRECT DEPOSIT", "DIR DEP", "DEP DIRECT", "DEPOT DIRECT",
    "DEPOT SALAIRE", "PAYROLL DEP", "PAYROLL DEPOSIT", "PAYDAY", "PAY DAY", "REG SAL", "FED SAL", "SAL",
    "PR PAYMENT", "EMPLOYER DEP", "EMPLOYER DEPOSIT", "DFAS", "COMMISSION", "BONUS", "VACATION PAY",
    "HOLIDAY PAY", "PAY ADV")  # fmt: skip
_STRONG_PAY = _rx("PAYROLL", "PAYRLL", "PAYRL", "PAYROL", "PAYCHECK", "PAYCHEQUE", "SALARY", "SALAIRE",
    "WAGES", "PAIE", "NET PAY", "DFAS")  # fmt: skip
_NOT_PAY = _rx("APPLE PAY", "GOOGLE PAY", "SAMSUNG PAY", "AMAZON PAY", "PAY IN", "SHOP PAY", "PAY LATER",
    "BILL PAY", "PAY BY PHONE", "PAYBYPHONE")  # fmt: skip
_PAY_WORDS = word_set(
    "PAYROLL PAYRLL PAYRL PAYROL PAYCHECK PAYCHEQUE CHEQUE CHECK SALARY SALAIRE SALAIRES WAGES WAGE PAIE "
    "REMUNERATION EMPLOYEE NET PAY DIRECT DEP DEPOSIT DIR DEPOT PAYDAY DAY REG SAL PR EMPLOYER "
    "COMMISSION BONUS VACATION HOLIDAY ADV PPD CCD ID INDN CO DES ORIG"
)


_PAYROLL_OUT = _rx("PAYROLL", "PAYRLL", "PAYROL", "SALAIRES", "PAIE")


def _payroll(k: Case) -> Decision | None:
    if not k.has(_PAY_WORD) or k.has(_NOT_PAY):
        return None
    weak = not k.has(_STRONG_PAY)
    if (
        weak
        and k.match is not None
        and k.match.entry.kind in (d.LENDER, d.MICRO_LENDER, d.AGENCY, d.BROKER, d.P2P)
    ):
        return None  # "PAY" next to a lender or an agency: not pay
    if k.debit:
        if k.has(_PAYROLL_OUT):
            return Decision("business.payroll", "Payroll Services", _employer(k))
        return None
    return Decision("income.payroll", c.EMPLOYMENT_INCOME, _employer(k))


def _employer(k: Case) -> str | None:
    """The payer's name around the pay words: "PAYROLL - ACME CORP Paycheck", "ACME CORP PAY", "PAIE ACME"."""
    segments: list[list[str]] = [[]]
    for token in k.n.core.split():
        if token in _PAY_WORDS or token in _NOISE:
            if segments[-1]:
                segments.append([])
        elif not any(ch.isdigit() for ch in token) or len(token) <= 3:
            segments[-1].append(token)
    best = max(segments, key=len)
    if not best:
        return None
    found = lookup(k.country, best)
    if found is not None and found.entry.kind == d.PAYROLL and len(best) == len(found.entry.aliases[0]):
        return found.entry.name
    return display(best)


_INTEREST_INCOME = _rx("INTEREST", "INT PAID", "INTEREST PAID", "INTEREST EARNED", "INTEREST CREDIT",
    "INTERETS", "INTERET", "INT CREDIT", "CREDIT INTERET", "INTEREST PAYMENT", "INT EARNED", "INTEREST DEP",
    "BONUS INTEREST", "INT PMT")  # fmt: skip
_DIVIDEND = _rx("DIVIDEND", "DIVIDENDS", "DIV", "DIVIDENDE", "DIVIDENDES", "DISTRIBUTION", "DISTRIBUTIONS",
    "CAPITAL GAIN", "COUPON", "DRIP")  # fmt: skip
_PENSION = _rx("PENSION", "PENSIONS", "ANNUITY", "ANNUITIES", "RETIREMENT", "RETRAITE", "RRIF", "FERR",
    "LIF", "FRV", "RENTE", "RENTES", "OMERS", "OTPP", "HOOPP", "CAAT", "PSPP", "OPTRUST", "CALPERS",
    "CALSTRS", "OPM", "FERS", "CSRS", "RRB", "IRA DIST", "IRA DISTRIBUTION", "401K DIST", "PENSION PLAN",
    "SUPERANNUATION", "CARRA", "RREGOP", "LAPP", "PSPIB", "TEACHERS PENSION", "MUNICIPAL PENSION",
    "ANNUITANT")  # fmt: skip


def _income(k: Case) -> Decision | None:
    if k.debit:
        return None
    if k.has(_PENSION):
        found = k.match
        return Decision("income.pension", c.RETIREMENT_INCOME, _name(found.entry) if found else None)
    if k.has(_DIVIDEND):
        return Decision("income.dividend", c.INVESTMENT_INCOME, _name(k.match.entry) if k.match else None)
    if k.has(_INTEREST_INCOME):
        return Decision("income.interest", c.INTEREST_INCOME)
    return None


_TRANSFER_WORD = _rx("TRANSFER", "TRANSFERS", "TFR", "TFRS", "XFER", "XFR", "TRF", "TRSF", "VIREMENT",
    "VIR", "TRANSFERT", "SWEEP", "AUTO SWEEP", "OD PROTECTION", "OVERDRAFT PROTECTION",
    "OVERDRAFT TRANSFER", "FUNDS TRANSFER", "BOOK TRANSFER")  # fmt: skip
_EXTERNAL = _rx("EXTERNAL", "EXT", "ACH TRANSFER", "ANOTHER BANK", "OTHER BANK", "OTHER FI",
    "AUTRE INSTITUTION", "AUTRE BANQUE", "INTERBANK", "A2A", "PLAID", "BANK XFER", "EXTERNAL TRANSFER",
)  # fmt: skip
_WIRE = _rx("WIRE", "WIRE TRANSFER", "WIRE IN", "WIRE OUT", "INCOMING WIRE", "OUTGOING WIRE", "FEDWIRE",
    "FED WIRE", "SWIFT", "INTL WIRE", "DOMESTIC WIRE", "TELEVIREMENT", "VIREMENT TELEGRAPHIQUE",
    "VIREMENT INTERNATIONAL", "WIRE TRF", "WIRE TFR", "WT FED", "WT SEQ", "RTGS", "LYNX")  # fmt: skip
_INVEST = _rx("TFSA", "RRSP", "RESP", "FHSA", "RDSP", "CELI", "REER", "REEE", "CELIAPP", "REEI",
    "BROKERAGE", "INVESTMENT", "INVESTMENTS", "INVEST", "PLACEMENT", "PLACEMENTS", "MUTUAL FUND",
    "MUTUAL FUNDS", "GIC", "CPG", "TERM DEPOSIT", "DEPOT A TERME", "IRA", "ROTH", "401K", "403B",
    "529 PLAN", "TRADING", "SECURITIES", "VALEURS MOBILIERES", "COURTAGE", "WEALTH", "EPARGNE PLACEMENT",
    "CRYPTO")  # fmt: skip
_LOAN_ACCOUNT = _rx("LINE OF CREDIT", "LINE OF CR", "LOC", "MARGE DE CREDIT", "MARGE CREDIT", "MARGE",
    "HELOC", "PLC", "PCL", "CREDIT LINE", "SCL", "PERSONAL LINE", "LIGNE DE CREDIT", "OVERDRAFT LINE",
    "READY CREDIT", "FLEXLINE", "EQUITY LINE")  # fmt: skip
_CARD = _rx("CREDIT CARD", "CREDIT CRD", "CARTE DE CREDIT", "CARTE CREDIT", "VISA", "MASTERCARD",
    "MASTER CARD", "MC", "AMEX", "CC", "CARD SERVICES", "CARDMEMBER", "CARD", "CARTE")  # fmt: skip
_PAYMENT = _rx("PAYMENT", "PMT", "PYMT", "PAIEMENT", "PAY", "AUTOPAY", "AUTO PAY", "EPAY", "E PAYMENT",
    "PAYMT", "PAYOFF", "BILL PAYMENT", "BILLPAY", "BILL PMT")  # fmt: skip
_THANK_YOU = _rx("THANK YOU", "THANKYOU", "MERCI", "PAYMENT RECEIVED", "PAYMENT RECVD", "PAYMENT RECD",
    "PAIEMENT RECU", "PYMT RECEIVED", "PMT RECEIVED", "AUTOPAY PAYMENT", "ONLINE PAYMENT RECEIVED",
    "PAYMENT CREDIT", "PAYMENT FROM CHEQUING", "PAYMENT FROM CHECKING", "MOBILE PAYMENT")  # fmt: skip
_ADVANCE = _rx("ADVANCE", "ADV", "AVANCE", "AVANCE DE FONDS", "CASH ADVANCE", "DRAWDOWN", "DRAW",
    "LOAN PROCEEDS", "LOAN DEPOSIT", "LOAN ADVANCE", "LOAN DISBURSEMENT", "DISBURSEMENT", "DEBOURSEMENT",
    "DEBOURSE", "PROCEEDS", "FUNDING", "LOAN FUNDING", "LOAN CREDIT")  # fmt: skip
_CASH_WORDS = _rx("ATM", "ABM", "GAB", "DAB", "GUICHET", "CASH WITHDRAWAL", "CASH WD", "CASH W D",
    "BRANCH WITHDRAWAL", "COUNTER WITHDRAWAL", "TELLER WITHDRAWAL", "RETRAIT EN SUCCURSALE",
    "RETRAIT ESPECES", "RETRAIT AU COMPTOIR", "WITHDRAWAL AT BRANCH", "WITHDRAWAL BRANCH", "CASH",
    "ESPECES")  # fmt: skip
_CASH_DEPOSIT = _rx("ATM DEPOSIT", "ABM DEPOSIT", "CASH DEPOSIT", "BRANCH DEPOSIT", "DEPOT ESPECES",
    "DEPOT GAB", "DEPOT AU GUICHET", "DEPOT EN SUCCURSALE", "COUNTER DEPOSIT", "TELLER DEPOSIT",
    "DEPOSIT BRANCH", "DEPOSIT AT BRANCH", "DEPOSIT ATM", "DEPOSIT ABM", "ATM DEP", "ABM DEP",
    "ATM CASH DEPOSIT", "DEPOSIT IN BRANCH", "IN BRANCH DEPOSIT", "ESPECES")  # fmt: skip
_CHEQUE_DEPOSIT = _rx("MOBILE DEPOSIT", "MOBILE CHEQUE DEPOSIT", "MOBILE CHECK DEPOSIT", "CHEQUE DEPOSIT",
    "CHECK DEPOSIT", "REMOTE DEPOSIT", "EDEPOSIT", "E DEPOSIT", "DEPOT CHEQUE", "DEPOT MOBILE",
    "DEPOT DE CHEQUE", "DEPOT CHQ", "IMAGE DEPOSIT", "DEPOSITED CHEQUE", "CHQ DEP", "CHK DEP", "MOBILE DEP",
    "RDC", "DEPOSIT CHEQUE", "DEPOSIT CHECK", "CHECK DEP", "CHEQUE DEP", "MOBILE CHQ DEP",
    "MOBILE CHECK DEP", "DEPOSIT MOBILE", "DEPOSIT ID NUMBER", "DEP CHQ", "DEPOT CHEQUES", "EDEP",
    "CHEQUE IMAGE")  # fmt: skip
_OWN_ACCOUNT = _rx("SAVINGS", "SAVING", "SAV", "CHEQUING", "CHECKING", "CHQ", "CHK", "CHEQ", "SHARE",
    "ACCOUNT", "ACCT", "ACC", "COMPTE", "CPTE", "EPARGNE", "CHEQUES", "MONEY MARKET", "MMA",
    "ONLINE BANKING", "ONLINE", "WWW", "INTERNET", "MOBILE", "MB", "TELEPHONE", "TEL", "ENTRE COMPTES",
    "BETWEEN", "INTERNAL", "OWN", "MY", "SWEEP", "AUTO SWEEP", "OD PROTECTION", "OVERDRAFT PROTECTION",
    "TO", "FROM", "DE", "A", "AU", "REG", "PERSONAL", "BUSINESS", "SPEND", "GOAL", "VAULT", "POCKET",
)  # fmt: skip


_NOT_INVESTMENT = _rx("INTEREST", "DIVIDEND")
_INVESTMENT_MOVE = _rx(
    "CONTRIBUTION", "CONTRIB", "WITHDRAWAL", "RETRAIT", "COTISATION", "DEPOSIT", "PURCHASE", "PURCHASES",
    "BUY", "SELL", "REDEMPTION", "TO", "FROM", "PAC", "PRELEVEMENT", "PAD", "SAVINGS PLAN",
)  # fmt: skip
_FROM = _rx("FROM", "DE")
_TO_CHEQUING = _rx("TO CHEQUING", "TO CHECKING", "A CHEQUES")
_CASH_ADVANCE = _rx("TO CHEQUING", "TO CHECKING", "CASH ADVANCE", "AVANCE DE FONDS")
_REWARDS = _rx("CASHBACK", "REWARD", "REWARDS")
_CARD_PURCHASE = _rx("DEBIT", "DEBIT CARD", "PURCHASE", "ACHAT")
_CASH_LENDERS = _rx("CASH APP", "CASH MONEY", "CASHCO", "CHECK INTO CASH", "ACE CASH", "SPEEDY CASH")


def _named(k: Case, *kinds: str) -> bool:
    return k.match is not None and k.match.priority == 2 and k.match.entry.kind in kinds


def _bank_moves(k: Case) -> Decision | None:
    """Money the bank moves: investments, lines of credit, card payments, wires, transfers, cash, cheques."""
    lender = _named(k, d.LENDER, d.MICRO_LENDER)
    broker = _named(k, d.BROKER)
    transfer = k.has(_TRANSFER_WORD)
    invest = (k.has(_INVEST) or broker) and not k.has(_NOT_INVESTMENT)
    if invest and (transfer or broker or k.has(_INVESTMENT_MOVE)):
        name = _name(k.match.entry) if broker and k.match else None
        return Decision("transfer.investment", c.INVESTMENT_TRANSFER, name)
    if lender:
        return None  # the lender dictionary decides between payment and deposit
    if k.has(_LOAN_ACCOUNT):
        if k.has(_ADVANCE) or (k.credit and k.has(_FROM)) or (k.debit and k.has(_TO_CHEQUING)):
            return Decision("loan.line_of_credit_advance", c.LOAN_DEPOSIT)
        return Decision("loan.line_of_credit", c.LINE_OF_CREDIT_PAYMENT)
    if k.has(_ADVANCE) and k.has(_CASH_ADVANCE):
        return Decision("loan.advance", c.LOAN_DEPOSIT)
    if k.has(_THANK_YOU) and not k.has(_REWARDS):
        return Decision("loan.credit_card", c.CREDIT_CARD_PAYMENT)
    card_payment = k.has(_CARD) and k.has(_PAYMENT) and not k.has(_CARD_PURCHASE)
    if card_payment and (
        k.match is None or k.match.priority < 2 or k.match.entry.debit == c.CREDIT_CARD_PAYMENT
    ):
        name = _name(k.match.entry) if k.match and k.match.priority == 2 else None
        return Decision("loan.credit_card", c.CREDIT_CARD_PAYMENT, name)
    if k.has(_WIRE):
        return Decision("transfer.wire", c.WIRE_TRANSFER)
    if transfer and not _named(k, *NAMED_NOT_BANK):
        if k.has(_EXTERNAL):
            return Decision("transfer.external", "Other Transfer")
        return Decision("transfer.internal", c.INTERNAL_TRANSFER)
    withdrawal = k.n.channel == "withdrawal" and (k.match is None or k.match.priority < 2)
    if k.debit and (k.has(_CASH_WORDS) or withdrawal) and not k.has(_CASH_LENDERS):
        return Decision("transfer.cash_withdrawal", c.CASH_WITHDRAWAL)
    if k.credit and k.has(_CHEQUE_DEPOSIT):
        return Decision("transfer.cheque_deposit", c.CHEQUE_DEPOSIT)
    if k.credit and k.has(_CASH_DEPOSIT):
        return Decision("transfer.cash_deposit", c.CASH_DEPOSIT)
    return None


NAMED_NOT_BANK = (d.MERCHANT, d.BILLER, d.PAYROLL, d.P2P, d.AGENCY, d.PROCESSOR, d.LENDER, d.MICRO_LENDER)


_PROPERTY_TAX = _rx("PROPERTY TAX", "PROPERTY TAXES", "PROP TAX", "TAXES MUNICIPALES", "TAXE MUNICIPALE",
    "TAXES FONCIERES", "TAXE FONCIERE", "TAXES SCOLAIRES", "TAXE SCOLAIRE", "REALTY TAX", "MUNICIPAL TAX",
    "TAX COLLECTOR", "COUNTY TREASURER")  # fmt: skip
_MUNICIPAL = _rx("CITY", "VILLE", "TOWN", "MUNICIPAL", "MUNICIPALITE", "COUNTY", "TOWNSHIP", "CANTON",
    "REGION", "BOROUGH", "VILLAGE", "DISTRICT")  # fmt: skip
_TAX = _rx("TAX", "TAXES", "TAXE", "TX")  # fmt: skip


def _property_tax(k: Case) -> Decision | None:
    if k.debit and (k.has(_PROPERTY_TAX) or (k.has(_MUNICIPAL) and k.has(_TAX))):
        return Decision("home.property_tax", "Property Tax")
    return None


def _dictionary(k: Case) -> Decision | None:
    if k.match is None:
        return None
    entry, named = k.match.entry, k.match.priority == 2
    sub = entry.credit if k.credit else entry.debit
    family = "dict" if named else "keyword"
    if k.credit and sub == c.BALANCE_ADJUSTMENT:
        return Decision(f"{family}.refund", sub, _name(entry))
    return Decision(f"{family}.{_slug(sub)}", sub, _name(entry))


_PAYPAL = _rx("PAYPAL")


def _wallet(k: Case) -> Decision | None:
    if k.n.wallet == "PAYPAL" or k.has(_PAYPAL):
        return Decision("p2p.paypal", c.PERSON_TO_PERSON, "PayPal")
    return None


_CHEQUE = _rx("CHEQUE", "CHECK", "CHQ", "CHK", "CHEQ", "CHEQUE PAID", "CHECK PAID", "CHEQUE NO", "CHECK NO",
    "CHEQUE ENCAISSE", "CHEQUE TIRE", "DRAFT", "SHARE DRAFT")  # fmt: skip


def _cheque(k: Case) -> Decision | None:
    if k.debit and k.has(_CHEQUE) and k.n.channel != "pos":
        return Decision("transfer.cheque", "Other Transfer")
    if k.credit and k.has(_CHEQUE):
        return Decision("transfer.cheque_deposit", c.CHEQUE_DEPOSIT)
    return None


_GENERIC_FEE = _rx("FEE", "FEES", "FRAIS", "SERVICE CHARGE", "CHARGES")


def _generic_fee(k: Case) -> Decision | None:
    if k.debit and k.has(_GENERIC_FEE):
        return Decision("fee.generic", "Other Bank Fee")
    return None


def _generic_deposit(k: Case) -> Decision | None:
    if k.credit and k.n.channel in ("deposit", "ach_credit") and not k.n.core.strip():
        return Decision("transfer.deposit", "Other Transfer")
    if k.credit and k.n.text in ("DEPOSIT", "DEPOT", "DEP", "CREDIT", "BRANCH DEPOSIT"):
        return Decision("transfer.deposit", "Other Transfer")
    return None


_CHEQUE_ONLY = word_set("CHEQUE CHECK CHQ CHK CHEQ NO NUM NBR PAID ENCAISSE TIRE SERIAL")


def _plain_cheque(k: Case) -> Decision | None:
    words = [t for t in k.n.text.split() if not t.isdigit()]
    if words and set(words) <= _CHEQUE_ONLY:
        if k.debit:
            return Decision("transfer.cheque", "Other Transfer")
        return Decision("transfer.cheque_deposit", c.CHEQUE_DEPOSIT)
    return None


RULES: tuple[tuple[str, Rule], ...] = (
    ("fee", _fees),
    ("returned", _returned),
    ("stop", _stop),
    ("government", _government),
    ("refund", _refund),
    ("p2p", _p2p),
    ("payroll", _payroll),
    ("income", _income),
    ("bank", _bank_moves),
    ("property_tax", _property_tax),
    ("plain_cheque", _plain_cheque),
    ("dictionary", _dictionary),
    ("wallet", _wallet),
    ("cheque", _cheque),
    ("generic_fee", _generic_fee),
    ("generic_deposit", _generic_deposit),
)
"""The ordered rule families; each returns a decision whose ``rule`` is the id recorded."""

FALLBACK = Decision("fallback.uncategorized", c.UNCATEGORIZED)


AMOUNT_BREAKS = (500, 3000, 6000)
"""The only amounts (cents) the rules compare with: decisions are equal within each band between them."""


@lru_cache(maxsize=65536)
def _lookup_core(country: Country, core: str) -> Match | None:
    return lookup(country, core.split())


def _decide(country: Country, n: Normalized, credit: bool, cents: int) -> Decision:
    k = Case(country, n, credit, cents, _lookup_core(country, n.core))
    for _, rule in RULES:
        decision = rule(k)
        if decision is not None:
            return decision
    return FALLBACK


def decide(country: Country, description: str, *, credit: bool, cents: int) -> Decision:
    """What the description, direction and amount alone say (no recurrence)."""
    return _decide(country, normalize(description), credit, cents)


# -- recurrence --------------------------------------------------------------------------------------------


def _rhythm(days: Sequence[int]) -> bool:
    """Weekly, bi-weekly, semi-monthly or monthly: the median gap between successive dates."""
    gaps = [b - a for a, b in pairwise(days) if b > a]
    if len(gaps) < 2:
        return False
    gap = statistics.median(gaps)
    return 6 <= gap <= 8 or 12 <= gap <= 18 or 26 <= gap <= 33


def _steady(amounts: Sequence[int]) -> bool:
    middle = statistics.median(amounts)
    close = sum(1 for a in amounts if abs(a - middle) <= 0.25 * middle)
    return close >= 0.6 * len(amounts)


_DIGITS = re.compile(r"\b\w*\d\w*\b")


def _recurrence(txns: Sequence[Txn], decisions: list[Decision]) -> None:
    """Name recurring payers and payees among the transactions no rule recognized (in place)."""
    groups: dict[tuple[bool, str], list[int]] = defaultdict(list)
    for i, (txn, decision) in enumerate(zip(txns, decisions, strict=True)):
        if decision.rule != FALLBACK.rule and decision.rule != "transfer.deposit":
            continue
        key = " ".join(_DIGITS.sub(" ", normalize(txn.description).core).split())
        if key:
            groups[(txn.credit_cents is not None, key)].append(i)
    for (credit, key), members in groups.items():
        if len(members) < 3:
            continue
        days = sorted(txns[i].date.toordinal() for i in members)
        amounts = [abs(txns[i].amount_cents) for i in members]
        if not (_rhythm(days) and _steady(amounts)):
            continue
        name = display(key.split())
        decision = (
            Decision("recurrence.employer", c.EMPLOYMENT_INCOME, name)
            if credit
            else Decision("recurrence.unknown_debit", c.UNCATEGORIZED, name)
        )
        for i in members:
            decisions[i] = decision


# -- assignments -------------------------------------------------------------------------------------------

_COUNTRY_NAMES: dict[Country, dict[str, str]] = {
    Country.CA: {c.CHECK_DEPOSIT: c.CHEQUE_DEPOSIT, c.UNEMPLOYMENT_BENEFITS: c.EMPLOYMENT_INSURANCE},
    Country.US: {c.CHEQUE_DEPOSIT: c.CHECK_DEPOSIT, c.EMPLOYMENT_INSURANCE: c.UNEMPLOYMENT_BENEFITS},
}


def assignment(country: Country, decision: Decision) -> Assignment:
    sub = _COUNTRY_NAMES[country].get(decision.subcategory, decision.subcategory)
    return Assignment(c.primary_of(country, sub), sub, decision.rule, decision.counterparty)


def categorize(country: Country, txns: Sequence[Txn]) -> list[Assignment]:
    """One assignment per transaction, in the same order."""
    memo: dict[tuple[Normalized, bool, int], Decision] = {}
    decisions: list[Decision] = []
    for txn in txns:
        credit = txn.credit_cents is not None
        cents = abs(txn.amount_cents)
        n = normalize(txn.description)
        key = (n, credit, bisect_left(AMOUNT_BREAKS, cents))
        decision = memo.get(key)
        if decision is None:
            decision = memo[key] = _decide(country, n, credit, cents)
        decisions.append(decision)
    _recurrence(txns, decisions)
    return [assignment(country, decision) for decision in decisions]


def categorize_one(country: Country, txn: Txn) -> Assignment:
    """One transaction alone (no recurrence to read)."""
    credit = txn.credit_cents is not None
    return assignment(country, decide(country, txn.description, credit=credit, cents=abs(txn.amount_cents)))
