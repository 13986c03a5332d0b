"""Bearer-token authentication for API writes (``Authorization: Bearer <token>``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from escp4i.accounts.models import User
from escp4i.accounts.services import api_token_authenticate
from escp4i.api.ratelimit import token_failure_record, token_failures_check


class ApiTokenAuth(HttpBearer):
    """Resolves a token to its user; unknown, revoked or inactive-user tokens give 401, and an
    address with too many such failures gets 429 (api/ratelimit.py)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token_failures_check(request)
        user = api_token_authenticate(secret=token.strip())
        if user is None:
            token_failure_record(request)
            return None
        request.user = user
        return user


token_auth = ApiTokenAuth()


def actor(request: HttpRequest) -> User:
    """The authenticated user of a token-protected operation."""
    user = request.auth  # type: ignore[attr-defined]  # set by ninja after authentication
    assert isinstance(user, User)  # noqa: S101  # ninja only calls the operation when auth passed
    return user
