"""The one error hierarchy that services raise and the API/web layers translate."""

from __future__ import annotations


class DomainError(Exception):
    """A business-rule failure with a machine-readable code and an HTTP status."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(DomainError):
    """Missing, or not visible to the actor: the two are indistinguishable on purpose."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409


class ImportRejected(DomainError):
    """An import file had errors; nothing was written. ``extra['errors']`` lists every bad row."""

    code = "import_rejected"
    status = 422


class RateLimited(DomainError):
    """Too many requests or attempts; ``retry_after`` is in seconds (the Retry-After header)."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int, **extra: object) -> None:
        super().__init__(message, retry_after=retry_after, **extra)
        self.retry_after = retry_after
