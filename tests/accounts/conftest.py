"""Fixtures of other domains, for the privacy tests that need a person active everywhere."""

from tests.calls.conftest import applicant, now, open_call, partner_ids  # noqa: F401
from tests.events.conftest import make_event, make_participant  # noqa: F401
from tests.labels.conftest import charter, today, world  # noqa: F401
