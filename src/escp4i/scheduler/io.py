"""Reading and writing problems: the JAIR 2022 MiniZinc ``.dzn`` instances and our JSON format.

JSON format (version 1)::

    {"format": "escp4i-b2b", "version": 1, "name": "...", "slots": 21, "tables": 12,
     "sessions": [{"name": "morning", "slots": [1, 2, ...]}, ...],
     "keep_table_per_session": false,
     "participants": [{"id": 1, "name": "...", "forbidden": [3], "max_meetings": 8,
                       "is_host": false}, ...],
     "meetings": [{"id": 1, "participants": [1, 2], "allowed_slots": [1, 2, 3] | null,
                   "fixed_slot": null, "after": [], "priority": 1}, ...]}

Bad input raises ``ProblemFormatError`` (a ``ValueError``) with the line (``.dzn``) or path
(JSON, e.g. ``$.meetings[3].after``) of the problem, and never another exception: types, ranges,
references and sizes are all checked here (sizes are capped so a typo cannot exhaust memory).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from escp4i.scheduler.problem import Meeting, Participant, SchedulingProblem, Session


class ProblemFormatError(ValueError):
    def __init__(self, message: str, *, line: int | None = None, where: str = "") -> None:
        location = f"line {line}: " if line is not None else (f"{where}: " if where else "")
        super().__init__(f"{location}{message}")
        self.line = line
        self.where = where


_ASSIGN = re.compile(r"([A-Za-z_]\w*)\s*=\s*(.*?);", re.S)

# Far beyond any real event (the JAIR instances have at most a few dozen slots and tables): a
# larger value is a typo, and building its slot ranges would exhaust memory.
MAX_SLOTS = 10_000
MAX_TABLES = 10_000
MAX_PARTICIPANTS = 100_000


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _int(value: str, name: str, line: int) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ProblemFormatError(
            f"{name} must be an integer, got {value.strip()!r}", line=line
        ) from None


def _sets(value: str, name: str, line: int) -> list[set[int]]:
    body = value.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise ProblemFormatError(f"{name} must be an array of sets", line=line)
    result: list[set[int]] = []
    for item in re.findall(r"\{([^}]*)\}|(\d+)\s*\.\.\s*(\d+)", body[1:-1]):
        inner, lo, hi = item
        if lo:
            result.append(_range(int(lo), int(hi), name, line))
            continue
        values: set[int] = set()
        for part in inner.split(","):
            part = part.strip()
            if not part:
                continue
            if ".." in part:
                bounds = part.split("..")
                if len(bounds) != 2:
                    raise ProblemFormatError(f"{name}: bad range {part!r}", line=line)
                values |= _range(
                    _int(bounds[0], name, line), _int(bounds[1], name, line), name, line
                )
            else:
                values.add(_int(part, name, line))
        result.append(values)
    return result


def _range(lo: int, hi: int, name: str, line: int) -> set[int]:
    if hi - lo >= MAX_SLOTS:
        raise ProblemFormatError(f"{name}: range {lo}..{hi} is too long", line=line)
    return set(range(lo, hi + 1))


def read_dzn(path: str | Path) -> SchedulingProblem:
    """Read a JAIR 2022 instance. Meetings are numbered by their row in ``requested``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemFormatError(f"cannot read {path}: {exc}") from None
    return parse_dzn(text, name=path.stem)


def parse_dzn(text: str, *, name: str = "instance") -> SchedulingProblem:
    text = re.sub(r"%[^\n]*", "", text)
    fields: dict[str, tuple[str, int]] = {}
    for match in _ASSIGN.finditer(text):
        fields[match.group(1)] = (match.group(2), _line_of(text, match.start()))
    for required in ("nBusiness", "nTables", "nTotalSlots", "requested"):
        if required not in fields:
            raise ProblemFormatError(f"missing field {required}")
    n_business = _int(*fields["nBusiness"][:1], "nBusiness", fields["nBusiness"][1])
    tables = _int(fields["nTables"][0], "nTables", fields["nTables"][1])
    n_slots = _int(fields["nTotalSlots"][0], "nTotalSlots", fields["nTotalSlots"][1])
    morning = (
        _int(fields["nMorningSlots"][0], "nMorningSlots", fields["nMorningSlots"][1])
        if "nMorningSlots" in fields
        else n_slots
    )
    if n_business < 1 or tables < 1 or n_slots < 1 or not 0 <= morning <= n_slots:
        raise ProblemFormatError("sizes must be positive and nMorningSlots ≤ nTotalSlots")
    if n_slots > MAX_SLOTS or tables > MAX_TABLES or n_business > MAX_PARTICIPANTS:
        raise ProblemFormatError(
            f"sizes too large (at most {MAX_SLOTS} slots, {MAX_TABLES} tables, "
            f"{MAX_PARTICIPANTS} participants)"
        )
    raw, line = fields["requested"]
    rows = [r for r in raw.strip().strip("[]").split("|") if r.strip()]
    requested: list[tuple[int, int, int]] = []
    for index, row in enumerate(rows, start=1):
        cells = [c for c in row.replace("\n", " ").split(",") if c.strip()]
        if len(cells) != 3:
            raise ProblemFormatError(
                f"requested row {index} must have 3 values: {row.strip()!r}", line=line
            )
        a, b, s = (_int(c, "requested", line) for c in cells)
        if not (1 <= a <= n_business and 1 <= b <= n_business) or a == b:
            raise ProblemFormatError(f"requested row {index}: bad participants {a}, {b}", line=line)
        if s not in (1, 2, 3):
            raise ProblemFormatError(f"requested row {index}: session must be 1, 2 or 3", line=line)
        requested.append((a, b, s))
    if "nMeetings" in fields:
        declared = _int(fields["nMeetings"][0], "nMeetings", fields["nMeetings"][1])
        if declared != len(requested):
            raise ProblemFormatError(
                f"nMeetings = {declared} but requested has {len(requested)} rows"
            )
    forbidden = [set[int]() for _ in range(n_business)]
    if "forbidden" in fields:
        sets = _sets(fields["forbidden"][0], "forbidden", fields["forbidden"][1])
        if len(sets) != n_business:
            raise ProblemFormatError(
                f"forbidden has {len(sets)} sets for {n_business} participants",
                line=fields["forbidden"][1],
            )
        forbidden = [{v for v in s if v != 0} for s in sets]
    fixed = [0] * len(requested)
    if "fixed" in fields:
        raw_fixed, fline = fields["fixed"]
        values = [v for v in raw_fixed.strip().strip("[]").split(",") if v.strip()]
        if len(values) != len(requested):
            raise ProblemFormatError("fixed must have one entry per meeting", line=fline)
        fixed = [_int(v, "fixed", fline) for v in values]
    precedences = [set[int]() for _ in requested]
    if "precedences" in fields:
        sets = _sets(fields["precedences"][0], "precedences", fields["precedences"][1])
        if len(sets) != len(requested):
            raise ProblemFormatError(
                "precedences must have one set per meeting", line=fields["precedences"][1]
            )
        precedences = sets
    morning_slots = frozenset(range(1, morning + 1))
    afternoon_slots = frozenset(range(morning + 1, n_slots + 1))
    sessions = [Session("morning", tuple(sorted(morning_slots)))]
    if afternoon_slots:
        sessions.append(Session("afternoon", tuple(sorted(afternoon_slots))))
    meetings = []
    for index, (a, b, s) in enumerate(requested, start=1):
        allowed = {1: morning_slots, 2: afternoon_slots, 3: None}[s]
        fixed_slot = fixed[index - 1] or None
        if fixed_slot is not None and not 1 <= fixed_slot <= n_slots:
            raise ProblemFormatError(f"meeting {index}: fixed slot {fixed_slot} out of range")
        after = tuple(sorted(precedences[index - 1]))
        if any(not 1 <= m <= len(requested) or m == index for m in after):
            raise ProblemFormatError(f"meeting {index}: bad precedence {sorted(after)}")
        meetings.append(Meeting(index, (a, b), allowed, fixed_slot, after))
    participants = tuple(
        Participant(p, forbidden=frozenset(s for s in forbidden[p - 1] if 1 <= s <= n_slots))
        for p in range(1, n_business + 1)
    )
    return SchedulingProblem(
        name=name,
        n_slots=n_slots,
        tables=tables,
        participants=participants,
        meetings=tuple(meetings),
        sessions=tuple(sessions),
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in data:
        raise ProblemFormatError(f"missing {key!r}", where=where)
    value = data[key]
    if kind is int and not _is_int(value):
        raise ProblemFormatError(f"{key!r} must be an integer", where=where)
    if kind is list and not isinstance(value, list):
        raise ProblemFormatError(f"{key!r} must be a list", where=where)
    return value


def _optional_int(
    data: dict[str, Any], key: str, where: str, *, default: int | None, minimum: int
) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    if not _is_int(value) or value < minimum:
        raise ProblemFormatError(f"{key!r} must be an integer ≥ {minimum}", where=where)
    return int(value)


def _optional_bool(data: dict[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ProblemFormatError(f"{key!r} must be true or false", where=where)
    return value


def _int_list(data: dict[str, Any], key: str, where: str, *, default: Any = ()) -> list[int]:
    value = data.get(key, default)
    if not isinstance(value, list | tuple) or not all(_is_int(v) for v in value):
        raise ProblemFormatError(f"{key!r} must be a list of integers", where=where)
    return [int(v) for v in value]


def _slot_list(data: dict[str, Any], key: str, where: str, n_slots: int) -> list[int]:
    slots = _int_list(data, key, where)
    if any(not 1 <= s <= n_slots for s in slots):
        raise ProblemFormatError(f"{key!r}: slots must be between 1 and {n_slots}", where=where)
    return slots


def _object(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ProblemFormatError("must be an object", where=where)
    return raw


def problem_from_dict(data: Any) -> SchedulingProblem:
    """Build a problem from the JSON format, checking every value (``ProblemFormatError``)."""
    if not isinstance(data, dict):
        raise ProblemFormatError("top level must be an object")
    n_slots = _require(data, "slots", int, "$")
    tables = _require(data, "tables", int, "$")
    if n_slots < 1 or tables < 1:
        raise ProblemFormatError("slots and tables must be ≥ 1", where="$")
    if n_slots > MAX_SLOTS or tables > MAX_TABLES:
        raise ProblemFormatError(f"at most {MAX_SLOTS} slots and {MAX_TABLES} tables", where="$")
    participants = []
    ids: set[int] = set()
    for i, item in enumerate(_require(data, "participants", list, "$")):
        where = f"$.participants[{i}]"
        raw = _object(item, where)
        pid = _require(raw, "id", int, where)
        if pid in ids:
            raise ProblemFormatError(f"duplicate participant id {pid}", where=where)
        ids.add(pid)
        participants.append(
            Participant(
                pid,
                str(raw.get("name", "")),
                frozenset(_slot_list(raw, "forbidden", where, n_slots)),
                _optional_int(raw, "max_meetings", where, default=None, minimum=0),
                _optional_bool(raw, "is_host", where),
            )
        )
    meetings = []
    meeting_ids: set[int] = set()
    for i, item in enumerate(_require(data, "meetings", list, "$")):
        where = f"$.meetings[{i}]"
        raw = _object(item, where)
        mid = raw.get("id", i + 1)
        if not _is_int(mid) or mid in meeting_ids:
            raise ProblemFormatError(f"bad or duplicate meeting id {mid!r}", where=where)
        meeting_ids.add(mid)
        people = _int_list(raw, "participants", where, default=None)
        if len(people) < 2 or len(set(people)) != len(people) or not set(people) <= ids:
            raise ProblemFormatError("needs ≥ 2 distinct known participants", where=where)
        allowed = raw.get("allowed_slots")
        fixed_slot = _optional_int(raw, "fixed_slot", where, default=None, minimum=1)
        if fixed_slot is not None and fixed_slot > n_slots:
            raise ProblemFormatError(f"'fixed_slot' must be ≤ {n_slots}", where=where)
        meetings.append(
            Meeting(
                mid,
                tuple(people),
                (
                    frozenset(_slot_list(raw, "allowed_slots", where, n_slots))
                    if allowed is not None
                    else None
                ),
                fixed_slot,
                tuple(_int_list(raw, "after", where)),
                _optional_int(raw, "priority", where, default=1, minimum=1) or 1,
            )
        )
    for i, m in enumerate(meetings):
        if not set(m.after) <= meeting_ids or m.id in m.after:
            raise ProblemFormatError(
                f"meeting {m.id}: 'after' must name other meetings of the problem",
                where=f"$.meetings[{i}]",
            )
    sessions_raw = data.get("sessions", [])
    if not isinstance(sessions_raw, list):
        raise ProblemFormatError("'sessions' must be a list", where="$")
    sessions = []
    for i, item in enumerate(sessions_raw):
        where = f"$.sessions[{i}]"
        raw = _object(item, where)
        if not isinstance(raw.get("name"), str):
            raise ProblemFormatError("'name' must be a string", where=where)
        if "slots" not in raw:
            raise ProblemFormatError("missing 'slots'", where=where)
        sessions.append(Session(raw["name"], tuple(_slot_list(raw, "slots", where, n_slots))))
    return SchedulingProblem(
        name=str(data.get("name", "problem")),
        n_slots=n_slots,
        tables=tables,
        participants=tuple(participants),
        meetings=tuple(meetings),
        sessions=tuple(sessions),
        keep_table_per_session=_optional_bool(data, "keep_table_per_session", "$"),
    )


def read_json(path: str | Path) -> SchedulingProblem:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemFormatError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ProblemFormatError(f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        raise ProblemFormatError("invalid JSON: nested too deeply") from None
    return problem_from_dict(data)


def problem_to_dict(problem: SchedulingProblem) -> dict[str, Any]:
    return {
        "format": "escp4i-b2b",
        "version": 1,
        "name": problem.name,
        "slots": problem.n_slots,
        "tables": problem.tables,
        "keep_table_per_session": problem.keep_table_per_session,
        "sessions": [{"name": s.name, "slots": list(s.slots)} for s in problem.sessions],
        "participants": [
            {
                "id": p.id,
                "name": p.name,
                "forbidden": sorted(p.forbidden),
                "max_meetings": p.max_meetings,
                "is_host": p.is_host,
            }
            for p in problem.participants
        ],
        "meetings": [
            {
                "id": m.id,
                "participants": list(m.participants),
                "allowed_slots": sorted(m.allowed_slots) if m.allowed_slots is not None else None,
                "fixed_slot": m.fixed_slot,
                "after": list(m.after),
                "priority": m.priority,
            }
            for m in problem.meetings
        ],
    }


def write_json(problem: SchedulingProblem, path: str | Path) -> None:
    Path(path).write_text(json.dumps(problem_to_dict(problem), indent=1), encoding="utf-8")


def read_problem(path: str | Path) -> SchedulingProblem:
    """Read ``.dzn`` or JSON by file extension."""
    if str(path).endswith(".dzn"):
        return read_dzn(path)
    return read_json(path)
