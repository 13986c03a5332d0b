"""Bad input to the scheduler's readers: random and half-valid ``.dzn`` text and JSON.

Property: the reader either returns a problem the scheduler can work on (every reference
resolves, the FCFS baseline runs and its schedule validates) or raises ``ProblemFormatError``
(a ``ValueError``) whose message names the field, the line or the JSON path; never an
IndexError, KeyError, TypeError, RecursionError or a hang. The CLI turns the error into one line
on stderr and exit status 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escp4i.scheduler import ProblemFormatError, fcfs, validate
from escp4i.scheduler.cli import main
from escp4i.scheduler.io import MAX_SLOTS, parse_dzn, problem_from_dict, problem_to_dict, read_json
from escp4i.scheduler.problem import SchedulingProblem

from .conftest import make_problem
from .test_io_cli import DZN

ROOT = Path(__file__).resolve().parents[2]
FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

DZN_FIELDS = [
    "nBusiness",
    "nMeetings",
    "nTables",
    "nTotalSlots",
    "nMorningSlots",
    "requested",
    "forbidden",
    "fixed",
    "precedences",
]
JSON_WORDS = [
    "slots",
    "tables",
    "participants",
    "meetings",
    "sessions",
    "top level",
    "JSON",
    "cannot read",
]


def assert_usable(problem: SchedulingProblem) -> None:
    """What "a valid problem" means for the scheduler: references resolve, slots are in range,
    and a baseline produces a schedule the validator accepts."""
    assert 1 <= problem.n_slots <= MAX_SLOTS and problem.tables >= 1
    ids = {p.id for p in problem.participants}
    meeting_ids = {m.id for m in problem.meetings}
    assert len(ids) == len(problem.participants)
    assert len(meeting_ids) == len(problem.meetings)
    for meeting in problem.meetings:
        assert len(set(meeting.participants)) == len(meeting.participants) >= 2
        assert set(meeting.participants) <= ids
        assert set(meeting.after) <= meeting_ids - {meeting.id}
        assert meeting.fixed_slot is None or 1 <= meeting.fixed_slot <= problem.n_slots
    schedule = fcfs(problem)
    assert validate(problem, schedule) == []


def assert_clear(exc: ProblemFormatError, words: list[str]) -> None:
    message = str(exc)
    assert message.strip() and "\n" not in message
    assert exc.line is not None or exc.where or any(w in message for w in words), message


def check_dzn(text: str) -> None:
    try:
        problem = parse_dzn(text)
    except ProblemFormatError as exc:
        assert_clear(exc, [*DZN_FIELDS, "meeting", "sizes"])
    else:
        assert_usable(problem)


def check_dict(data: object) -> None:
    try:
        problem = problem_from_dict(data)
    except ProblemFormatError as exc:
        assert_clear(exc, JSON_WORDS)
    else:
        assert_usable(problem)


# --- .dzn ----------------------------------------------------------------------------------

_numbers = st.one_of(
    st.integers(-3, 12).map(str),
    st.sampled_from(["0", "-1", "99999999999", "1e3", "x", "", " 3 ", "2.5", "1..3"]),
)
_set = st.one_of(
    st.lists(_numbers, max_size=4).map(lambda xs: "{" + ",".join(xs) + "}"),
    st.tuples(st.integers(-2, 8), st.integers(-2, 8)).map(lambda t: f"{t[0]}..{t[1]}"),
    st.sampled_from(["{1..2..3}", "{", "}", "{0}", "1..999999999", "{1,,2}"]),
)
_array_of_sets = st.lists(_set, max_size=5).map(lambda xs: "[" + ",".join(xs) + "]")
_requested = st.lists(
    st.lists(_numbers, min_size=0, max_size=4).map(lambda xs: ", ".join(xs)), max_size=6
).map(lambda rows: "[|" + "\n|".join(rows) + "\n|]")
_value = st.one_of(
    _numbers,
    _array_of_sets,
    _requested,
    st.lists(_numbers, max_size=5).map(lambda xs: "[" + ",".join(xs) + "]"),
    st.text(max_size=20),
)
_assignment = st.tuples(st.sampled_from([*DZN_FIELDS, "other"]), _value).map(
    lambda kv: f"{kv[0]} = {kv[1]};"
)


@FAST
@given(st.text(max_size=300))
def test_random_text_is_a_problem_or_a_clear_error(text):
    check_dzn(text)


@FAST
@given(st.lists(_assignment, max_size=12), st.booleans())
def test_random_assignments_are_a_problem_or_a_clear_error(assignments, with_base):
    prefix = DZN if with_base else ""  # later assignments override the valid base instance
    check_dzn(prefix + "\n".join(assignments))


@FAST
@given(st.lists(st.tuples(st.sampled_from(DZN_FIELDS), _value), min_size=1, max_size=2))
def test_fields_of_a_valid_instance_replaced_are_a_problem_or_a_clear_error(replacements):
    # a later assignment of the same name overrides the valid one
    check_dzn(DZN + "\n".join(f"{name} = {value};" for name, value in replacements))


@FAST
@given(st.integers(0, len(DZN)), st.integers(0, 40), st.text(max_size=8))
def test_corrupted_valid_instances_are_a_problem_or_a_clear_error(at, cut, junk):
    check_dzn(DZN[:at] + junk + DZN[at + cut :])


@pytest.mark.parametrize(
    "text",
    [
        "nBusiness = 2; nTables = 1; nTotalSlots = 1000000000; requested = [|1,2,1|];",
        "nBusiness = 2; nTables = 1; nTotalSlots = 4; requested = [|1,2,1|];"
        " forbidden = [1..999999999, {}];",
    ],
)
def test_huge_sizes_are_refused_quickly(text):
    with pytest.raises(ProblemFormatError, match="too"):
        parse_dzn(text)


# --- JSON ----------------------------------------------------------------------------------

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 20)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)
_BASE = problem_to_dict(
    make_problem(4, 2, [(1, 2), (2, 3), (1, 3)], forbidden={1: {4}}, max_meetings={2: 2})
)
_PATHS = [
    ("slots",),
    ("tables",),
    ("name",),
    ("sessions",),
    ("keep_table_per_session",),
    ("participants",),
    ("participants", 0),
    ("participants", 0, "id"),
    ("participants", 1, "forbidden"),
    ("participants", 1, "max_meetings"),
    ("participants", 2, "is_host"),
    ("meetings",),
    ("meetings", 0),
    ("meetings", 0, "id"),
    ("meetings", 0, "participants"),
    ("meetings", 1, "allowed_slots"),
    ("meetings", 1, "fixed_slot"),
    ("meetings", 2, "after"),
    ("meetings", 2, "priority"),
]


def _replace(data: dict, path: tuple, value: object) -> dict:
    copy = json.loads(json.dumps(data))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


@FAST
@given(_json)
def test_random_json_values_are_a_problem_or_a_clear_error(data):
    check_dict(data)


@FAST
@given(st.lists(st.tuples(st.sampled_from(_PATHS), _json), min_size=1, max_size=3))
def test_half_valid_json_is_a_problem_or_a_clear_error(replacements):
    data = _BASE
    for path, value in replacements:
        try:
            data = _replace(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed the container: nothing to replace
    check_dict(data)


@FAST
@given(st.binary(max_size=200))
def test_random_bytes_in_a_json_file_are_a_clear_error(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("json") / "p.json"
    path.write_bytes(raw)
    try:
        problem = read_json(path)
    except ProblemFormatError as exc:
        assert_clear(exc, JSON_WORDS)
    else:
        assert_usable(problem)


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProblemFormatError, match="nested too deeply"):
        read_json(path)


def test_valid_base_is_accepted():
    check_dict(_BASE)
    assert problem_from_dict(_BASE) == problem_from_dict(json.loads(json.dumps(_BASE)))


# --- the command line ----------------------------------------------------------------------


@FAST
@given(st.text(max_size=200), st.sampled_from([".dzn", ".json"]))
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path_factory, capsys, text, suffix):
    path = tmp_path_factory.mktemp("cli") / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        (parse_dzn(text) if suffix == ".dzn" else read_json(path))
    except ProblemFormatError:
        pass
    else:
        return  # a valid instance: solving it is tested elsewhere
    capsys.readouterr()
    assert main([str(path), "--baseline", "fcfs"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


def test_console_script_reports_bad_input_without_traceback(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"slots": 3, "tables": 1, "participants": [{"id": "x"}], "meetings": []}')
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "escp4i.cli", "schedule", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: $.participants[0]: 'id' must be an integer"
    ]


def test_cli_missing_file_and_unwritable_output(tmp_path, capsys):
    assert main([str(tmp_path / "nope.dzn")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    instance = tmp_path / "tiny.dzn"
    instance.write_text(DZN)
    assert main([str(instance), "--baseline", "fcfs", "--out", str(tmp_path)]) == 2
    assert "cannot write" in capsys.readouterr().err
