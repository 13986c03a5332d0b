"""Worker process of the per-participant break bound: ``python -m escp4i.scheduler._bound_worker``.

Reads one JSON request from stdin ``{"n_slots": int, "hard": [[participant, [[usable-slot
bitmask, number of its meetings with exactly those slots], ...], runs bound], ...],
"time_limit_s": float, "per_participant_s": float}`` (``hard``: what ``bounds.cheap_minima``
left for CP-SAT, in order) and writes JSON lines to stdout (``bounds.BoundProcess`` reads
them): ``{"event": "own", "participant": p, "value": v}`` for each participant solved, in
order, then ``{"event": "done"}`` (also when the time limit left some unsolved). The parent
kills it when it stops waiting; it never writes anything else to stdout.
"""

from __future__ import annotations

import json
import sys
import time

from escp4i.scheduler._subprocess import emit
from escp4i.scheduler.bounds import exact_minima


def main() -> int:
    started = time.monotonic()
    request = json.loads(sys.stdin.read())
    hard = [
        (int(pid), [(int(mask), int(n)) for mask, n in classes], int(base))
        for pid, classes, base in request["hard"]
    ]
    for pid, value in exact_minima(
        hard,
        int(request["n_slots"]),
        deadline=started + float(request["time_limit_s"]),
        per_participant_s=float(request.get("per_participant_s", 0.5)),
    ):
        emit({"event": "own", "participant": pid, "value": value})
    emit({"event": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
