"""Named groups of third countries used as targets ("ASEAN", "Latin America"...).

Sources name targets either by ISO code or by region; a region is stored as itself (never expanded
into guessed countries on a partnership) and its member countries serve filtering and maps.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RegionDef:
    slug: str
    name: str
    aliases: tuple[str, ...]
    countries: tuple[str, ...]


_NORTH_AFRICA = ("DZ", "EG", "LY", "MA", "TN")
_WEST_AFRICA = (
    "BJ",
    "BF",
    "CV",
    "CI",
    "GM",
    "GH",
    "GN",
    "GW",
    "LR",
    "ML",
    "MR",
    "NE",
    "NG",
    "SN",
    "SL",
    "TG",
)
_ASEAN = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN")
_SOUTH_AMERICA = ("AR", "BO", "BR", "CL", "CO", "EC", "GY", "PE", "PY", "SR", "UY", "VE")
_CENTRAL_AMERICA_CARIBBEAN = ("MX", "GT", "HN", "SV", "NI", "CR", "PA", "CU", "DO")
_GULF = ("AE", "BH", "KW", "OM", "QA", "SA")
_MIDDLE_EAST = (*_GULF, "IQ", "IR", "IL", "JO", "LB", "PS", "SY", "YE")

REGIONS: tuple[RegionDef, ...] = (
    RegionDef("asean", "ASEAN", ("ASEAN",), _ASEAN),
    RegionDef(
        "southeast-asia", "South-East Asia", ("Southeast Asia", "South-East Asia"), (*_ASEAN, "TL")
    ),
    RegionDef(
        "gulf-middle-east",
        "Gulf & Middle East",
        ("Middle East", "Gulf", "Gulf/Middle East", "GCC"),
        _MIDDLE_EAST,
    ),
    RegionDef(
        "latin-america",
        "Latin America",
        ("Latin America", "LATAM", "LAC"),
        (*_CENTRAL_AMERICA_CARIBBEAN, *_SOUTH_AMERICA),
    ),
    RegionDef("south-america", "South America", ("South America",), _SOUTH_AMERICA),
    RegionDef("north-america", "North America", ("North America",), ("US", "CA", "MX")),
    RegionDef("north-africa", "North Africa", ("North Africa",), _NORTH_AFRICA),
    RegionDef(
        "north-west-africa",
        "North & West Africa",
        ("North and West Africa", "North & West Africa"),
        (*_NORTH_AFRICA, *_WEST_AFRICA),
    ),
    RegionDef(
        "asia",
        "Asia",
        ("Asia",),
        (
            "AF",
            "AM",
            "AZ",
            "BD",
            "BT",
            "CN",
            "GE",
            "HK",
            "IN",
            "JP",
            "KZ",
            "KG",
            "KP",
            "KR",
            "MO",
            "MN",
            "MV",
            "NP",
            "PK",
            "LK",
            "TW",
            "TJ",
            "TM",
            "UZ",
            "TL",
            *_ASEAN,
            *_MIDDLE_EAST,
        ),
    ),
)

_BY_ALIAS = {
    alias.lower(): region for region in REGIONS for alias in (*region.aliases, region.name)
}


def resolve_region(value: str) -> RegionDef | None:
    return _BY_ALIAS.get(value.strip().lower())
