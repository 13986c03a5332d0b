"""Signed unsubscribe tokens: which user, which categories. No login needed to use one.

A token is ``django.core.signing.dumps`` of ``{"u": user id, "c": [categories]}`` with a salt of
its own, so no other signed value of the site can be replayed as an unsubscribe link. It expires
after ``ESCP4I_UNSUBSCRIBE_MAX_AGE_DAYS`` (the page then asks the user to log in instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from escp4i.notifications.models import NotificationCategory

SALT = "escp4i.notifications.unsubscribe"


class TokenInvalid(Exception):
    """The token was tampered with, is malformed or names an unknown category."""


class TokenExpired(TokenInvalid):
    """The signature is right but older than the configured maximum age."""


@dataclass(frozen=True, slots=True)
class UnsubscribeClaim:
    user_id: int
    categories: tuple[NotificationCategory, ...]


def unsubscribe_token(*, user_id: int, categories: Iterable[str]) -> str:
    values = sorted({NotificationCategory(c).value for c in categories})
    return signing.dumps({"u": user_id, "c": values}, salt=SALT, compress=True)


def unsubscribe_token_read(token: str) -> UnsubscribeClaim:
    """Check the signature and age of ``token``. Raises TokenExpired or TokenInvalid."""
    max_age = settings.ESCP4I_UNSUBSCRIBE_MAX_AGE_DAYS * 86400
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenExpired(str(exc)) from exc
    except signing.BadSignature as exc:
        raise TokenInvalid(str(exc)) from exc
    try:
        user_id = int(payload["u"])
        categories = tuple(NotificationCategory(c) for c in payload["c"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid("malformed payload") from exc
    if not categories:
        raise TokenInvalid("no category")
    return UnsubscribeClaim(user_id=user_id, categories=categories)
