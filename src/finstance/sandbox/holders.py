"""The KYC identity of a sandbox end-user: name, postal address, e-mail and phone number."""

from __future__ import annotations

import random
import re
import unicodedata

from finstance.core.country import Country
from finstance.core.profile import Address, Holder
from finstance.sandbox.merchants import City, cities, tables_for

# Letters Canada Post uses in postal codes (D, F, I, O, Q and U never appear).
_POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"

# The documented Flinks Capital sample user (docs: GetAccountsDetail response).
GREATDAY_ADDRESS = Address(
    civic_address="25 york street", city="Toronto", province="ON", postal_code="M5J 2V5", country="CA"
)
GREATDAY_EMAIL = "test_user1@nomail.com"
GREATDAY_PHONE = "9051234567"


def is_greatday(username: str, country: Country) -> bool:
    return country is Country.CA and username.lower() == "greatday"


# Flinks Pay's sandbox payors (sandbox/bank.py): their accounts are held by John Doe, Flinks' Happy1 customer,
# whom a Pay session's payor must match.
PAY_PAYORS = frozenset({"happy1", "happy2", "happy3", "unhappy1"})
PAY_HOLDER = ("John", "Doe")


def make_holder(rng: random.Random, country: Country, username: str) -> tuple[Holder, City]:
    """A seeded, realistic holder and the city they live in.

    The documented sample user (``greatday`` in Canada) keeps the documented address, e-mail and phone.
    """
    if is_greatday(username, country):
        city = next(c for c in cities(country) if c.name == "Toronto")
        first, last = _name(rng, country, city)
        return Holder(f"{first} {last}", GREATDAY_ADDRESS, GREATDAY_EMAIL, GREATDAY_PHONE), city
    city = rng.choice(cities(country))
    first, last = _name(rng, country, city)
    if username.lower() in PAY_PAYORS:
        first, last = PAY_HOLDER
    address = _address(rng, country, city)
    return Holder(f"{first} {last}", address, _email(rng, first, last), _phone(rng, city)), city


def _name(rng: random.Random, country: Country, city: City) -> tuple[str, str]:
    tables = tables_for(country, city.region)
    return rng.choice(tables.first_names), rng.choice(tables.last_names)


def _address(rng: random.Random, country: Country, city: City) -> Address:
    street = rng.choice(tables_for(country, city.region).streets)
    number = rng.randint(1, 9999) if rng.random() < 0.7 else rng.randint(1, 399)
    prefix = rng.choice(city.postal_prefixes)
    if country is Country.US:
        unit = f" Apt {rng.randint(1, 30)}{rng.choice('ABCD')}" if rng.random() < 0.4 else ""
        return Address(
            f"{number} {street}{unit}", city.name, city.region, f"{prefix}{rng.randint(1, 99):02d}", "US"
        )
    civic = f"{number} {street}"
    if rng.random() < 0.4:  # Canadian unit-civic form, "1203-88 Harbour Street"
        civic = f"{rng.randint(1, 30)}{rng.randint(1, 20):02d}-{civic}"
    postal = f"{prefix} {rng.randint(0, 9)}{rng.choice(_POSTAL_LETTERS)}{rng.randint(0, 9)}"
    return Address(civic, city.name, city.region, postal, "CA")


def _ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", decomposed.lower())


def _email(rng: random.Random, first: str, last: str) -> str:
    domain = rng.choice(("example.com", "example.net", "example.org"))
    local = rng.choice(
        (f"{_ascii_slug(first)}.{_ascii_slug(last)}", f"{_ascii_slug(first)[0]}{_ascii_slug(last)}")
    )
    return f"{local}{rng.randint(1, 99)}@{domain}"


def _phone(rng: random.Random, city: City) -> str:
    # 555-0100..555-0199 is reserved for fiction in the North American Numbering Plan.
    return f"{rng.choice(city.area_codes)}5550{rng.randint(100, 199)}"
