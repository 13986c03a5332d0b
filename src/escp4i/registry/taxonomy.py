"""The programme's sector taxonomy: 8 focus areas, their NACE Rev.2 codes, the free-text mapping.

The shipped data describes sectors in free text ("water-energy nexus", "plasma technology"). Each
term is mapped to zero or more focus areas by keyword; an unmapped term stays visible as text and is
counted as unmapped, never forced into an area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FocusArea:
    slug: str
    name: str
    nace_codes: tuple[str, ...]
    keywords: tuple[str, ...]


# NACE Rev.2 codes: divisions/groups whose activities the area covers (where codes exist).
FOCUS_AREAS: tuple[FocusArea, ...] = (
    FocusArea(
        "environmental-technologies",
        "Environmental technologies",
        ("D35", "E36", "E37", "E38", "E39", "M71.12"),
        (
            "environment",
            "water",
            "energy",
            "renewable",
            "cleantech",
            "circular",
            "green",
            "natural resources",
            "biomass",
            "chemicals",
            "eco",
        ),
    ),
    FocusArea(
        "agro-food-packaging",
        "Agro-food & packaging",
        ("A01", "C10", "C11", "C17.2", "C22.2"),
        (
            "food",
            "agri",
            "agro",
            "packaging",
            "nutraceutical",
            "nutrition",
            "natural products",
            "plastics",
            "agriculture",
        ),
    ),
    FocusArea(
        "mobility-transport",
        "Mobility & transport",
        ("C29", "C30", "H49", "H50", "H51", "H52"),
        ("mobility", "transport", "logistics", "automotive", "aviation", "aerospace"),
    ),
    FocusArea(
        "ict-microelectronics",
        "ICT & micro-electronics",
        ("C26", "J58", "J61", "J62", "J63"),
        (
            "ict",
            "digital",
            "electronic",
            "photonic",
            "laser",
            "software",
            "industry 4.0",
            "telecommunication",
            "smart cit",
            "media",
            "nanotechnology",
            "plasma",
            " it",
            "optoelectronic",
            "communicating",
        ),
    ),
    FocusArea("space", "Space", ("C30.3", "H51.22"), ("space", "aerospace", "earth observation")),
    FocusArea(
        "health-biotech",
        "Health & biotech",
        ("C21", "C32.5", "M72.11", "Q86"),
        ("health", "biotech", "medic", "life science", "medtech", "pharma"),
    ),
    FocusArea("construction", "Construction", ("F41", "F42", "F43"), ("construction",)),
    FocusArea("sports", "Sports", ("C32.3", "R93.1"), ("sport",)),
)

FOCUS_AREA_BY_SLUG = {area.slug: area for area in FOCUS_AREAS}


def split_multi(value: str) -> list[str]:
    """Split a semicolon-separated cell into trimmed, non-empty items."""
    return [item.strip() for item in value.split(";") if item.strip()]


def focus_areas_for_term(term: str) -> list[str]:
    """Slugs of the focus areas a free-text sector term belongs to (possibly none)."""
    text = f" {term.lower()} "
    found: list[str] = []
    for area in FOCUS_AREAS:
        for keyword in area.keywords:
            if keyword.startswith(" "):
                hit = re.search(rf"{re.escape(keyword)}\b", text) is not None
            else:
                hit = keyword in text
            if hit:
                found.append(area.slug)
                break
    return found


def focus_areas_for_terms(terms: list[str]) -> list[str]:
    """Union of focus areas for several terms, in taxonomy order."""
    hits = {slug for term in terms for slug in focus_areas_for_term(term)}
    return [area.slug for area in FOCUS_AREAS if area.slug in hits]
