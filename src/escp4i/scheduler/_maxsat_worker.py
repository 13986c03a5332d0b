"""Worker process of the MaxSAT engine: ``python -m escp4i.scheduler._maxsat_worker``.

Reads one JSON request from stdin ``{"problem": <escp4i JSON problem>, "cap": int | null,
"solver": str}`` and writes JSON lines to stdout: ``{"event": "bound", "value": n}`` for each
raised lower bound, then ``{"event": "result", "status": ..., "breaks": ..., "slots": [[meeting,
slot], ...], "cores": n, "seconds": s}``. The parent (``portfolio``) kills it when it no longer
needs it; it never writes anything else to stdout.
"""

from __future__ import annotations

import json
import sys

from escp4i.scheduler.io import problem_from_dict
from escp4i.scheduler.maxsat import solve_maxsat


def _emit(payload: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def main() -> int:
    request = json.loads(sys.stdin.read())
    problem = problem_from_dict(request["problem"])
    result = solve_maxsat(
        problem,
        cap=request.get("cap"),
        solver=request.get("solver", "cadical195"),
        on_bound=lambda value: _emit({"event": "bound", "value": value}),
    )
    _emit(
        {
            "event": "result",
            "status": result.status,
            "breaks": result.breaks,
            "slots": sorted(result.slot_of.items()),
            "cores": result.cores,
            "seconds": round(result.seconds, 3),
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
