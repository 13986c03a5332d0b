"""Offline evaluation of the partner recommender: leave-one-member-out on the shipped data.

    .venv/bin/python benchmarks/matching_eval.py [--k 10] [--no-semantic]

Reads partnerships.csv and members.csv from src/escp4i/registry/data (no database, no Django),
hides each membership in turn and ranks all organisations for the rest of the partnership.
Prints a Markdown table: recall@k and MRR for the engine, a sector-only and a random baseline,
ablations, and the engine with the optional ``semantic`` extra when it is installed.
Leakage: every profile is rebuilt without the partnership under test (see escp4i.matching.records).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # a fresh clone works even before `pip install -e .`

from escp4i.core.countries import resolve_country
from escp4i.matching.engine import (
    DEFAULT_WEIGHTS,
    PartnershipQuery,
    PartnerWeights,
    recommend_partners,
)
from escp4i.matching.evaluation import MethodResult, Scorer, leave_one_member_out
from escp4i.matching.records import (
    MarketGeography,
    OrganisationProfile,
    OrganisationRecord,
    PartnershipRecord,
)
from escp4i.matching.text import TextModel, TfidfModel
from escp4i.registry.regions import REGIONS, resolve_region
from escp4i.registry.taxonomy import (
    focus_areas_for_term,
    focus_areas_for_terms,
    split_multi,
)

DATA = ROOT / "src" / "escp4i" / "registry" / "data"
GEOGRAPHY = MarketGeography({r.slug: frozenset(r.countries) for r in REGIONS})


def org_key(name: str, country: str) -> str:
    return f"{name.strip().casefold()}|{country.strip().upper()}"


def markets(cell: str) -> frozenset[str]:
    out: set[str] = set()
    for item in split_multi(cell):
        code = resolve_country(item)
        if code is not None:
            out.add(code)
            continue
        region = resolve_region(item)
        if region is not None:
            out.add(region.slug)
    return frozenset(out)


def load(data: Path = DATA) -> tuple[list[OrganisationRecord], list[PartnershipRecord]]:
    with (data / "members.csv").open(encoding="utf-8", newline="") as stream:
        member_rows = list(csv.DictReader(stream))
    with (data / "partnerships.csv").open(encoding="utf-8", newline="") as stream:
        partnership_rows = list(csv.DictReader(stream))
    organisations: dict[str, OrganisationRecord] = {}
    members: dict[str, list[str]] = {}
    for row in member_rows:
        key = org_key(row["organisation_name"], row["country_iso2"])
        name = row["organisation_name"].strip()
        # Only the organisation's own data: its name (sector words in it) and country.
        organisations.setdefault(
            key,
            OrganisationRecord(
                key=key,
                name=name,
                country=row["country_iso2"].strip().upper(),
                sector_families=frozenset(focus_areas_for_term(name)),
            ),
        )
        pkey = f"{row['partnership_acronym'].strip()}|{row['generation'].strip()}"
        members.setdefault(pkey, []).append(key)
    partnerships = []
    for row in partnership_rows:
        pkey = f"{row['acronym'].strip()}|{row['generation'].strip()}"
        terms = tuple(split_multi(row["sectors"]))
        partnerships.append(
            PartnershipRecord(
                key=pkey,
                name=row["name"].strip(),
                sector_terms=terms,
                sector_families=frozenset(focus_areas_for_terms(list(terms))),
                markets=markets(row["target_countries"]),
                members=tuple(members.get(pkey, ())),
            )
        )
    return list(organisations.values()), partnerships


def engine(weights: PartnerWeights, text_model: TextModel | None = None) -> Scorer:
    fitted: dict[int, TextModel] = {}  # one TF-IDF fit per candidate set (i.e. per partnership)

    def score(
        query: PartnershipQuery, profiles: Mapping[str, OrganisationProfile]
    ) -> dict[str, float]:
        model = text_model
        if model is None:
            if id(profiles) not in fitted:
                fitted[id(profiles)] = TfidfModel(p.text for p in profiles.values())
            model = fitted[id(profiles)]
        ranked = recommend_partners(
            query,
            profiles,
            text_model=model,
            geography=GEOGRAPHY,
            weights=weights,
            limit=None,
        )
        return {s.key: s.score for s in ranked}

    return score


def random_baseline(
    query: PartnershipQuery, profiles: Mapping[str, OrganisationProfile]
) -> dict[str, float]:
    return dict.fromkeys(profiles, 0.0)  # all tied: exact expectation of a random order


def methods(*, semantic: bool) -> tuple[dict[str, Scorer], list[str]]:
    notes: list[str] = []
    found: dict[str, Scorer] = {
        "Engine (TF-IDF, default)": engine(DEFAULT_WEIGHTS),
        "Sector-only baseline": engine(DEFAULT_WEIGHTS.only("sector")),
        "Random baseline (expected)": random_baseline,
        "Ablation: engine without prior collaboration": engine(
            PartnerWeights(**{**_as_dict(DEFAULT_WEIGHTS), "collaboration": 0.0})
        ),
        "Ablation: TF-IDF text only": engine(DEFAULT_WEIGHTS.only("text")),
    }
    if not semantic:
        notes.append("semantic extra skipped (--no-semantic)")
        return found, notes
    from escp4i.matching.semantic import SemanticModel, semantic_available

    if not semantic_available():
        notes.append(
            "semantic extra not installed: install torch==2.13.0, then the `semantic` extra, "
            "to add the embedding rows"
        )
        return found, notes
    model = SemanticModel()
    found["Engine + semantic (embeddings replace TF-IDF)"] = engine(DEFAULT_WEIGHTS, model)
    found["Engine + semantic (hybrid TF-IDF + embeddings)"] = _hybrid(model)
    found["Ablation: embedding text only"] = engine(DEFAULT_WEIGHTS.only("text"), model)
    return found, notes


def _hybrid(model: object) -> Scorer:
    from escp4i.matching.semantic import HybridModel, SemanticModel
    from escp4i.matching.text import TfidfModel

    assert isinstance(model, SemanticModel)

    def score(
        query: PartnershipQuery, profiles: Mapping[str, OrganisationProfile]
    ) -> Mapping[str, float]:
        hybrid = HybridModel(TfidfModel(p.text for p in profiles.values()), model)
        return engine(DEFAULT_WEIGHTS, hybrid)(query, profiles)

    return score


def _as_dict(weights: PartnerWeights) -> dict[str, float]:
    return {name: getattr(weights, name) for name in PartnerWeights.__dataclass_fields__}


def table(results: list[MethodResult], k: int) -> str:
    warm = results[0].count("warm")
    cold = results[0].count("cold")
    lines = [
        f"| Method | recall@{k} | MRR | recall@{k} warm (n={warm}) | recall@{k} cold (n={cold}) "
        "| MRR cold |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.method} | {r.recall():.3f} | {r.mrr():.3f} | {r.recall('warm'):.3f} "
            f"| {r.recall('cold'):.3f} | {r.mrr('cold'):.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--no-semantic", action="store_true", help="skip the embedding rows")
    args = parser.parse_args(argv)
    organisations, partnerships = load()
    run: Callable[..., list[MethodResult]] = leave_one_member_out
    found, notes = methods(semantic=not args.no_semantic)
    started = time.perf_counter()
    results = run(organisations, partnerships, found, k=args.k)
    elapsed = time.perf_counter() - started
    cases = results[0].count()
    print(
        f"Leave-one-member-out: {cases} held-out memberships, {len(partnerships)} partnerships, "
        f"{len(organisations)} organisations; candidates = all organisations except the "
        f"remaining members; ties scored by their expectation. ({elapsed:.1f} s)\n"
    )
    print(table(results, args.k))
    for note in notes:
        print(f"\nNote: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
