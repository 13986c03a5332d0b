from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from escp4i.scheduler import ProblemFormatError, read_json, solve, validate, write_json
from escp4i.scheduler.cli import main, result_dict
from escp4i.scheduler.io import parse_dzn
from escp4i.scheduler.twosided import schedule_large

from .conftest import make_problem

ROOT = Path(__file__).resolve().parents[2]

DZN = """
nBusiness = 4;
nMeetings = 3;
nTables = 1;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2,1,
|1, 3,3,
|3, 4,2,
|];
forbidden = [{0},{3},{},{1}];
fixed = [0,0,4];
precedences = [{},{1},{}];
"""


def test_parse_dzn_reads_every_field():
    problem = parse_dzn(DZN, name="tiny")
    assert (problem.n_slots, problem.tables, len(problem.participants)) == (4, 1, 4)
    m1, m2, m3 = problem.meetings
    assert m1.participants == (1, 2) and m1.allowed_slots == frozenset({1, 2})
    assert m2.allowed_slots is None and m2.after == (1,)
    assert m3.allowed_slots == frozenset({3, 4}) and m3.fixed_slot == 4
    assert problem.participant_map()[2].forbidden == frozenset({3})
    assert problem.participant_map()[1].forbidden == frozenset()
    schedule = solve(problem, time_limit_s=5, workers=1)
    assert validate(problem, schedule, fairness=2, require_all=True) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("nBusiness = 2;", "missing field"),
        (DZN.replace("nMeetings = 3", "nMeetings = 5"), "nMeetings"),
        (DZN.replace("|3, 4,2,", "|3, 4,9,"), "session"),
        (DZN.replace("|3, 4,2,", "|3, 7,2,"), "bad participants"),
        (DZN.replace("nTables = 1", "nTables = x"), "integer"),
        (DZN.replace("fixed = [0,0,4]", "fixed = [0,0]"), "fixed"),
    ],
)
def test_bad_dzn_raises_a_clear_error(text, fragment):
    with pytest.raises(ProblemFormatError, match=fragment):
        parse_dzn(text)


def test_json_round_trip(tmp_path):
    problem = make_problem(4, 2, [(1, 2), (2, 3)], forbidden={1: {4}}, max_meetings={2: 3})
    path = tmp_path / "p.json"
    write_json(problem, path)
    assert read_json(path) == problem


def test_bad_json_is_reported_with_location(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        '{"slots": 3, "tables": 1, "participants": [{"id": 1}], "meetings": '
        '[{"participants": [1, 9]}]}'
    )
    with pytest.raises(ProblemFormatError, match=r"\$\.meetings\[0\]"):
        read_json(path)


def test_cli_writes_the_documented_json(tmp_path, capsys):
    instance = tmp_path / "tiny.dzn"
    instance.write_text(DZN)
    out = tmp_path / "result.json"
    assert main([str(instance), "--time-limit", "5", "--workers", "1", "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert set(result) >= {
        "instance",
        "status",
        "meetings",
        "scheduled",
        "breaks",
        "lower_bound",
        "seconds",
        "assignments",
    }
    assert result["meetings"] == 3 and result["scheduled"] == 3
    assert result["fairness"] == 2 and result["relaxed"] == []  # the default bound, met
    assert isinstance(result["notes"], list)
    assert {a["meeting"] for a in result["assignments"]} == {1, 2, 3}
    assert all(a["slot"] >= 1 and a["table"] >= 1 for a in result["assignments"])
    assert "tiny" in capsys.readouterr().err


def test_cli_baseline_and_bad_input(tmp_path, capsys):
    instance = tmp_path / "tiny.dzn"
    instance.write_text(DZN)
    assert main([str(instance), "--baseline", "fcfs"]) == 0
    baseline = json.loads(capsys.readouterr().out)
    assert baseline["status"] == "feasible" and baseline["fairness"] is None  # no bound applied
    broken = tmp_path / "broken.dzn"
    broken.write_text("nBusiness = 2;")
    assert main([str(broken)]) == 2
    assert "missing field" in capsys.readouterr().err


def test_importing_the_scheduler_loads_no_django():
    code = (
        "import sys, escp4i.scheduler, escp4i.scheduler.cpsat; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"


def _jair_dir() -> Path | None:
    candidate = Path(
        os.environ.get("ESCP4I_B2B_JAIR_DIR", ROOT.parent / "shared" / "benchmarks" / "b2b-jair")
    )
    return candidate if (candidate / "tic-12.dzn").exists() else None


@pytest.mark.skipif(_jair_dir() is None, reason="the JAIR 2022 instances are not available here")
def test_real_instance_tic_12_reaches_the_published_optimum():
    from escp4i.scheduler import read_dzn

    problem = read_dzn(_jair_dir() / "tic-12.dzn")
    assert (len(problem.participants), len(problem.meetings)) == (42, 125)
    schedule = solve(problem, time_limit_s=30, workers=2)
    assert validate(problem, schedule, fairness=2, require_all=True) == []
    assert schedule.breaks == 0  # published optimum (JAIR 2022, Table 3)


def test_the_maxsat_worker_process_does_not_load_or_tools():
    # Two worker processes start per exact solve; OR-Tools (with pandas) would cost each of them
    # about a second of CPU before its first SAT call.
    code = (
        "import sys, escp4i.scheduler._maxsat_worker; "
        "print(sorted(m for m in ('ortools', 'pandas', 'pysat') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "['pysat']"


def test_cli_result_names_a_relaxed_fairness_bound():
    problem = make_problem(3, 2, [(1, 2), (1, 3), (4, 5)], forbidden={1: {2}})
    unfair = schedule_large(problem, anneal_steps=200, fairness=0, workers=1)
    result = result_dict(problem.name, 3, unfair, 0.1, fairness=0)
    assert (result["status"], result["relaxed"], result["fairness"]) == (
        "unknown",
        ["fairness"],
        0,
    )
    assert result["scheduled"] == 3 and len(result["assignments"]) == 3
    assert any("not met" in note for note in result["notes"])


def test_cli_reports_a_proven_impossible_fairness_bound_with_the_best_schedule(tmp_path, capsys):
    # Participant 1 must have a break, 4 has none: fairness 0 is impossible, proven; the JSON
    # says so (status infeasible, relaxed) and still carries the schedule without the bound.
    problem = make_problem(3, 2, [(1, 2), (1, 3), (4, 5)], forbidden={1: {2}})
    instance = tmp_path / "unfair.json"
    write_json(problem, instance)
    out = tmp_path / "result.json"
    args = [str(instance), "--time-limit", "5", "--workers", "1", "--fairness", "0"]
    assert main([*args, "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert (result["status"], result["relaxed"], result["fairness"]) == (
        "infeasible",
        ["fairness"],
        0,
    )
    assert result["scheduled"] == 3 and result["breaks"] == 1
    assert "not met: fairness" in capsys.readouterr().err
