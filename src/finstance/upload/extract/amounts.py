"""Money as statements print it, to integer cents.

Accepted: ``1,234.56``, ``-12.00``, ``12.00-``, ``(12.00)``, ``12.00 CR`` / ``12.00 DR``, ``$1,234.56``,
``1 234,56 $`` and ``1 234,56`` (French: space or no-break space thousands, decimal comma). A trailing
``CR`` makes the amount positive-credit and ``DR`` negative, as on card statements.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY = re.compile(r"(?i)\$|\bCAD\b|\bUSD\b|\bCAN\b|\bUS\b")
_ENGLISH = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$|^\d+\.\d{2}$")
_FRENCH = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f.]\d{3})*,\d{2}$|^\d+,\d{2}$")
_AMOUNT_TOKEN = re.compile(r"^[(\-+−$]*\d[\d,. \u00a0\u202f]*[)\-−]?\$?$")


def looks_like_amount(text: str) -> bool:
    """Whether one word could be (part of) an amount: digits with separators, sign, parentheses or ``$``."""
    return bool(_AMOUNT_TOKEN.match(text.strip())) or text.strip().upper() in {"CR", "DR", "$"}


def parse_amount(text: str) -> int | None:
    """Cents of ``text`` (negative for a debit sign), or None when it is not an amount."""
    raw = text.strip()
    if not raw:
        return None
    negative = False
    upper = raw.upper()
    if upper.endswith(("CR", "DR")):
        negative = upper.endswith("DR")
        raw = raw[:-2].strip()
    raw = _CURRENCY.sub("", raw).strip()
    raw = raw.replace("−", "-")
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1].strip()
    if raw.startswith("-"):
        negative, raw = True, raw[1:].strip()
    elif raw.endswith("-"):
        negative, raw = True, raw[:-1].strip()
    elif raw.startswith("+"):
        raw = raw[1:].strip()
    raw = _CURRENCY.sub("", raw).strip()
    if _ENGLISH.match(raw):
        digits = raw.replace(",", "")
    elif _FRENCH.match(_SPACES.sub(" ", raw)):
        digits = _SPACES.sub("", raw).replace(".", "").replace(",", ".")
    else:
        return None
    whole, frac = digits.split(".")
    cents = int(whole) * 100 + int(frac)
    return -cents if negative else cents
