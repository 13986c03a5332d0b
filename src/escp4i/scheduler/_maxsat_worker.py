"""Worker process of the MaxSAT engines: ``python -m escp4i.scheduler._maxsat_worker``.

Reads one JSON request from stdin ``{"problem": <escp4i JSON problem>, "cap": int | null,
"solver": str, "engine": "rc2" | "linear", "optimistic_s": float}`` (default engine: ``rc2``,
``maxsat.solve_maxsat``; ``linear`` is ``maxsat.solve_linear``, ``optimistic_s`` its first
zero-break attempt, default 0) and writes JSON lines to stdout: ``{"event": "bound",
"value": n}`` for each raised lower bound, ``{"event": "solution", "breaks": n, "slots":
[[meeting, slot], ...]}`` for each improved schedule (linear engine), then ``{"event":
"result", "status": ..., "breaks": ..., "slots": [...], "cores": n, "seconds": s}`` (``cores``:
SAT calls for the linear engine). The parent (``portfolio``) kills it when it no longer needs
it; it never writes anything else to stdout.
"""

from __future__ import annotations

import json
import sys

from escp4i.scheduler._subprocess import emit
from escp4i.scheduler.io import problem_from_dict
from escp4i.scheduler.maxsat import solve_linear, solve_maxsat


def main() -> int:
    request = json.loads(sys.stdin.read())
    problem = problem_from_dict(request["problem"])
    cap = request.get("cap")
    solver = request.get("solver", "cadical195")

    def bound(value: int) -> None:
        emit({"event": "bound", "value": value})

    if request.get("engine", "rc2") == "linear":

        def solution(slot_of: dict[int, int], breaks: int) -> None:
            emit({"event": "solution", "breaks": breaks, "slots": sorted(slot_of.items())})

        result = solve_linear(
            problem,
            cap=cap,
            solver=solver,
            on_bound=bound,
            on_solution=solution,
            optimistic_s=float(request.get("optimistic_s", 0.0)),
        )
    else:
        result = solve_maxsat(problem, cap=cap, solver=solver, on_bound=bound)
    emit(
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
