"""ISO 3166-1 countries (via pycountry) and EU membership by date.

The EU's membership changes over time (the United Kingdom was a member when the first ESCP-4i
generation was labelled in March 2016), so "is this an EU country?" always takes a date.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pycountry

# Accession (and, for the UK, withdrawal) dates. Founding members are dated from the EEC's start;
# withdrawal is the first day the state is no longer a member.
_EU_MEMBERSHIP: dict[str, tuple[dt.date, dt.date | None]] = {
    **dict.fromkeys(("BE", "DE", "FR", "IT", "LU", "NL"), (dt.date(1958, 1, 1), None)),
    "DK": (dt.date(1973, 1, 1), None),
    "IE": (dt.date(1973, 1, 1), None),
    "GB": (dt.date(1973, 1, 1), dt.date(2020, 2, 1)),
    "GR": (dt.date(1981, 1, 1), None),
    "ES": (dt.date(1986, 1, 1), None),
    "PT": (dt.date(1986, 1, 1), None),
    **dict.fromkeys(("AT", "FI", "SE"), (dt.date(1995, 1, 1), None)),
    **dict.fromkeys(
        ("CY", "CZ", "EE", "HU", "LV", "LT", "MT", "PL", "SK", "SI"), (dt.date(2004, 5, 1), None)
    ),
    "BG": (dt.date(2007, 1, 1), None),
    "RO": (dt.date(2007, 1, 1), None),
    "HR": (dt.date(2013, 7, 1), None),
}

# Common English spellings that pycountry's fuzzy lookup gets wrong or does not know.
_NAME_ALIASES: dict[str, str] = {
    "uk": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "usa": "US",
    "united states": "US",
    "united states of america": "US",
    "us": "US",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "taiwan": "TW",
    "russia": "RU",
    "iran": "IR",
    "vietnam": "VN",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "türkiye": "TR",
    "el": "GR",
    "greece": "GR",
    "holland": "NL",
    "the netherlands": "NL",
    "slovak republic": "SK",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "laos": "LA",
    "syria": "SY",
    "palestine": "PS",
    "kosovo": "XK",
}


def eu_member_codes(on: dt.date) -> frozenset[str]:
    """ISO alpha-2 codes of the EU member states on ``on``."""
    return frozenset(
        code
        for code, (joined, left) in _EU_MEMBERSHIP.items()
        if joined <= on and (left is None or on < left)
    )


def is_eu_member(code: str, on: dt.date) -> bool:
    return code.upper() in eu_member_codes(on)


def ever_eu_member(code: str) -> bool:
    return code.upper() in _EU_MEMBERSHIP


@lru_cache(maxsize=1)
def all_countries() -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, common English name) for every ISO 3166-1 country, sorted by code."""
    rows = []
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        rows.append((country.alpha_2, name))
    return tuple(sorted(rows))


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code.upper()
    return str(getattr(country, "common_name", None) or country.name)


def resolve_country(value: str) -> str | None:
    """Turn an ISO alpha-2/alpha-3 code or an English country name into an alpha-2 code.

    Returns None when the value is not a country (the caller decides whether that is an error
    or, for example, a region name).
    """
    text = value.strip()
    if not text:
        return None
    alias = _NAME_ALIASES.get(text.lower())
    if alias is not None:
        return alias if alias != "XK" else None
    if len(text) == 2 and text.isalpha():
        country = pycountry.countries.get(alpha_2=text.upper())
        return str(country.alpha_2) if country else None
    if len(text) == 3 and text.isalpha() and text.isupper():
        country = pycountry.countries.get(alpha_3=text.upper())
        if country:
            return str(country.alpha_2)
    for country in pycountry.countries:
        names = {country.name.lower()}
        for attr in ("common_name", "official_name"):
            extra = getattr(country, attr, None)
            if extra:
                names.add(str(extra).lower())
        if text.lower() in names:
            return str(country.alpha_2)
    return None
