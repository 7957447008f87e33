"""Statements from OFX and QFX files (OFX 1.x SGML and 2.x XML), with a small reader of our own.

ofxparse (MIT, last released 2021) was tried: it works on Python 3.11 but calls BeautifulSoup's ``findAll``,
deprecated since bs4 4.13 and warned about on every call (an error under our test settings), and it brings
bs4, lxml and six for what is a flat tag format. OFX 1.x leaves most elements unclosed (``<TRNAMT>-12.34``),
so this reader takes each ``<TAG>value`` pair within the aggregate it is in, which reads both versions.

Each ``STMTRS`` (bank) or ``CCSTMTRS`` (card) is an account: ``BANKACCTFROM``/``CCACCTFROM`` give the
number, ``CURDEF`` the currency, ``BANKTRANLIST`` the period and transactions, ``LEDGERBAL`` the closing
balance; the opening balance is the closing balance less the transactions (OFX prints no opening). Amounts
are signed from the holder's side (negative is money out, a charge on a card); card accounts run as money
owed, and OFX gives their ledger balance as a negative number when money is owed.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from finstance.upload.statement import (
    BalanceSign,
    ExtractedAccount,
    ExtractedStatement,
    ExtractedTransaction,
    ExtractionResult,
    ExtractionStatus,
)

_AGGREGATE = re.compile(r"<(STMTRS|CCSTMTRS)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
_TRANSACTION = re.compile(r"<STMTTRN>(.*?)(?:</STMTTRN>|(?=<STMTTRN>)|\Z)", re.DOTALL | re.I)
_ELEMENT = re.compile(r"<([A-Z0-9.]+)>([^<\r\n]*)", re.IGNORECASE)
_BLOCK = r"<{0}>(.*?)</{0}>"


def _fields(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag, value in _ELEMENT.findall(text):
        out.setdefault(tag.upper(), _unescape(value.strip()))
    return out


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _block(name: str, text: str) -> str:
    m = re.search(_BLOCK.format(name), text, re.DOTALL | re.IGNORECASE)
    return m[1] if m else ""


def _date(value: str) -> date:
    return date(int(value[0:4]), int(value[4:6]), int(value[6:8]))


def _cents(value: str) -> int:
    amount = Decimal(value.replace(",", "."))
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise InvalidOperation(value)
    return int(cents)


def _decode(data: bytes) -> str:
    header = data[:600].decode("ascii", errors="replace").upper()
    if "CHARSET:1252" in header or "ENCODING:USASCII" in header:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    return data.decode("utf-8", errors="replace")


def extract_ofx(data: bytes) -> ExtractionResult:
    """The accounts and transactions of an OFX/QFX file."""
    text = _decode(data)
    aggregates = _AGGREGATE.findall(text)
    if not aggregates:
        return ExtractionResult(
            ExtractionStatus.NO_TRANSACTION_TABLE, "no STMTRS or CCSTMTRS statement in the file"
        )
    accounts = []
    starts, ends = [], []
    try:
        for kind, body in aggregates:
            card = kind.upper() == "CCSTMTRS"
            source = _fields(_block("CCACCTFROM" if card else "BANKACCTFROM", body))
            listing = _block("BANKTRANLIST", body)
            head = _fields(listing.split("<STMTTRN>", 1)[0])
            if "DTSTART" in head:
                starts.append(_date(head["DTSTART"]))
            if "DTEND" in head:
                ends.append(_date(head["DTEND"]))
            moves = []
            for raw in _TRANSACTION.findall(listing):
                f = _fields(raw)
                cents = _cents(f["TRNAMT"])
                description = " ".join(v for v in (f.get("NAME", ""), f.get("MEMO", "")) if v).strip()
                debit, credit = (-cents, None) if cents < 0 else (None, cents)
                moves.append((_date(f["DTPOSTED"]), description, debit, credit))
            ledger = _fields(_block("LEDGERBAL", body))
            if "BALAMT" not in ledger:
                return ExtractionResult(
                    ExtractionStatus.UNRECONCILED, "no LEDGERBAL: nothing to reconcile against"
                )
            closing = _cents(ledger["BALAMT"])
            sign = BalanceSign.OWED if card else BalanceSign.HELD
            if card:
                closing = -closing  # OFX gives a card's balance as negative when money is owed
            net = sum((c or 0) - (b or 0) for _, _, b, c in moves)
            opening = closing - net if sign is BalanceSign.HELD else closing + net
            running, transactions = opening, []
            for when, description, debit, credit in sorted(moves, key=lambda m: m[0]):
                running = sign.apply(running, debit, credit)
                transactions.append(ExtractedTransaction(when, description, debit, credit, running, 0))
            accounts.append(
                ExtractedAccount(
                    number=source.get("ACCTID", ""),
                    title=source.get("ACCTTYPE", "CREDITCARD" if card else "").title() or "Account",
                    currency=_fields(body).get("CURDEF"),
                    opening_balance_cents=opening,
                    closing_balance_cents=closing,
                    sign=sign,
                    transactions=tuple(transactions),
                )
            )
    except (KeyError, ValueError, InvalidOperation) as exc:
        return ExtractionResult(ExtractionStatus.UNREADABLE, f"malformed OFX: {exc!r}")
    statement = ExtractedStatement(
        holder=None,
        period_start=min(starts) if starts else None,
        period_end=max(ends) if ends else None,
        accounts=tuple(accounts),
    )
    return ExtractionResult(ExtractionStatus.EXTRACTED, "read from OFX", statement)
