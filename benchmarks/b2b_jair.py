"""Benchmark: the 20 real B2B instances of Bofill et al. (JAIR 74, 2022) vs the published results.

Usage: python benchmarks/b2b_jair.py [DIR] [--time-limit 60] [--workers 2] [--only NAME ...]
DIR defaults to $ESCP4I_B2B_JAIR_DIR or ../shared/benchmarks/b2b-jair. The instances are read
from there, never copied into this repository. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from escp4i.scheduler import fcfs, read_dzn, solve, validate


def published(readme: Path) -> dict[str, tuple[int, float]]:
    """instance -> (optimum breaks, MaxSAT seconds), parsed from the README's results table."""
    rows: dict[str, tuple[int, float]] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 8 and re.fullmatch(r"[a-z]+-\d+\w*", cells[0]):
            rows[cells[0]] = (int(cells[6]), float(cells[7]))
    return rows


def main() -> int:
    default_dir = os.environ.get("ESCP4I_B2B_JAIR_DIR", "../shared/benchmarks/b2b-jair")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", nargs="?", default=default_dir)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"no instance folder at {folder}", file=sys.stderr)
        return 2
    reference = published(folder / "README.md")
    names = sorted(p.stem for p in folder.glob("*.dzn"))
    if args.only:
        names = [n for n in names if n in args.only]
    print(
        "| instance | breaks | bound | status | s | published opt | MaxSAT s | FCFS breaks "
        "| FCFS unscheduled | fewer breaks than FCFS | valid |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    total = published_total = 0.0
    proven = matched = 0
    for name in names:
        problem = read_dzn(folder / f"{name}.dzn")
        started = time.monotonic()
        schedule = solve(
            problem, time_limit_s=args.time_limit, workers=args.workers, seed=args.seed, fairness=2
        )
        seconds = time.monotonic() - started
        base = fcfs(problem)
        problems = validate(problem, schedule, fairness=2, require_all=True)
        optimum, maxsat = reference.get(name, (-1, float("nan")))
        total += seconds
        published_total += maxsat
        proven += schedule.status == "optimal"
        matched += schedule.breaks == optimum
        fewer = (
            f"{1 - schedule.breaks / base.breaks:.1%}"
            if schedule.breaks is not None and base.breaks
            else "-"
        )
        print(
            f"| {name} | {schedule.breaks} | {schedule.lower_bound} | {schedule.status} | "
            f"{seconds:.1f} | {optimum} | {maxsat} | {base.breaks} | {len(base.unscheduled)} | "
            f"{fewer} | "
            f"{'yes' if not problems else problems[0].code} |",
            flush=True,
        )
    print(
        f"\nproven optimal: {proven}/{len(names)}; breaks equal to the published optimum: "
        f"{matched}/{len(names)}; total {total:.1f} s (published MaxSAT total "
        f"{published_total:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
