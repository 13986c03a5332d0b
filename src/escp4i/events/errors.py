"""Events-specific domain errors (subclasses of the core hierarchy)."""

from __future__ import annotations

from escp4i.core.errors import Conflict


class RequestNotPossible(Conflict):
    """A meeting request cannot be sent or accepted; ``message`` says exactly why."""

    code = "request_not_possible"


class BookingFailed(Conflict):
    """No common free slot with a free table was found at acceptance."""

    code = "booking_failed"
