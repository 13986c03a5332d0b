"""Scheduler tests use no database and no Django settings."""

from __future__ import annotations

from hypothesis import strategies as st

from escp4i.scheduler import Meeting, Participant, SchedulingProblem, Session


def make_problem(
    n_slots: int,
    tables: int,
    pairs: list[tuple[int, ...]],
    *,
    forbidden: dict[int, set[int]] | None = None,
    max_meetings: dict[int, int] | None = None,
    meeting_kwargs: dict[int, dict] | None = None,
    sessions: tuple[Session, ...] = (),
    hosts: set[int] = frozenset(),
    keep_tables: bool = False,
) -> SchedulingProblem:
    people = sorted({p for pair in pairs for p in pair} | set((forbidden or {}).keys()))
    participants = tuple(
        Participant(
            p,
            forbidden=frozenset((forbidden or {}).get(p, set())),
            max_meetings=(max_meetings or {}).get(p),
            is_host=p in hosts,
        )
        for p in people
    )
    meetings = tuple(
        Meeting(i, tuple(pair), **(meeting_kwargs or {}).get(i, {}))
        for i, pair in enumerate(pairs, start=1)
    )
    return SchedulingProblem("test", n_slots, tables, participants, meetings, sessions, keep_tables)


def meeting_pairs(n_people: int, *, min_size: int, max_size: int) -> st.SearchStrategy:
    """Hypothesis: distinct unordered pairs of participants 1..n_people (the meetings)."""
    return st.lists(
        st.tuples(st.integers(1, n_people), st.integers(1, n_people)).filter(
            lambda p: p[0] != p[1]
        ),
        min_size=min_size,
        max_size=max_size,
        unique_by=lambda p: tuple(sorted(p)),
    )
