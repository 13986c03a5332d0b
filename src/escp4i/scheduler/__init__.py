"""B2B meeting scheduling: problem model, CP-SAT engine, validator, baselines and file formats.

Pure Python plus OR-Tools (imported only by ``cpsat``); never imports Django or another escp4i
app. Entry points: ``solve``, ``validate``, ``fcfs``, ``random_self_schedule``, ``read_dzn``,
``read_json``/``write_json``.
"""

from escp4i.scheduler.baselines import fcfs, random_self_schedule
from escp4i.scheduler.breaks import participant_breaks, total_breaks
from escp4i.scheduler.io import ProblemFormatError, read_dzn, read_json, write_json
from escp4i.scheduler.problem import (
    Assignment,
    Meeting,
    Participant,
    Schedule,
    SchedulingProblem,
    Session,
    SolveStats,
    Unscheduled,
)
from escp4i.scheduler.solve import solve
from escp4i.scheduler.validate import Violation, validate

__all__ = [
    "Assignment",
    "Meeting",
    "Participant",
    "ProblemFormatError",
    "Schedule",
    "SchedulingProblem",
    "Session",
    "SolveStats",
    "Unscheduled",
    "Violation",
    "fcfs",
    "participant_breaks",
    "random_self_schedule",
    "read_dzn",
    "read_json",
    "solve",
    "total_breaks",
    "validate",
    "write_json",
]
