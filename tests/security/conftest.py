"""The world of tests/security/world.py, built once per module inside a transaction that is
rolled back at the end of the module; each test then runs in its own savepoint (pytest-django's
``db``) and every request of the matrix in a further savepoint, so nothing leaks."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import _ensure_reference_data
from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        _ensure_reference_data(django_db_blocker)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
