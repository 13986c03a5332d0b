"""Shared fixtures: the shipped registry data, users with each role, API and browser options."""

from __future__ import annotations

import pytest

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant

PASSWORD = "correct-horse-battery-staple"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-browser",
        action="store_true",
        default=False,
        help="run Playwright browser tests (needs /usr/bin/chromium)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-browser"):
        return
    skip = pytest.mark.skip(reason="browser tests need --run-browser")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_postgres_sessions(request):
    """Threads of the concurrency, live-server and Celery-worker tests may leave a connection to
    the PostgreSQL test database open; end them before pytest-django drops that database."""
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        yield
        return
    request.getfixturevalue("django_db_setup")
    yield
    from django.db import connection

    django_db_blocker = request.getfixturevalue("django_db_blocker")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling and rate-limit counters live in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield


_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_serialized_rollback"}


def _ensure_reference_data(django_db_blocker) -> None:
    from escp4i.registry.models import Country, Region, Sector
    from escp4i.registry.reference import reference_data_sync

    with django_db_blocker.unblock():
        if not Country.objects.exists() or not Sector.objects.exists():
            reference_data_sync(country_model=Country, region_model=Region, sector_model=Sector)


@pytest.fixture(autouse=True)
def _reference_data_present(request, django_db_blocker):
    """Countries, regions and sectors come from a data migration. A transactional test's flush
    deletes them: make sure they are there before every database test and after every
    transactional one."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or bool(_DB_FIXTURES & set(request.fixturenames))
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_db:
        request.getfixturevalue("django_db_setup")
        _ensure_reference_data(django_db_blocker)
    yield
    if transactional:
        _ensure_reference_data(django_db_blocker)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures (core.cache) must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def registry_data(db, django_db_blocker):
    """The shipped, real ESCP-4i registry data, loaded through the real loader."""
    from escp4i.registry.services import registry_load_shipped

    # Also reached through request.getfixturevalue() from tests that declare no database use.
    _ensure_reference_data(django_db_blocker)

    return registry_load_shipped()


def _user(username: str, **extra) -> User:
    return User.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **extra
    )


@pytest.fixture
def user(db) -> User:
    return _user("plain")


@pytest.fixture
def officer(db) -> User:
    u = _user("officer")
    role_grant(user=u, role=Role.PROGRAMME_OFFICER)
    return u


@pytest.fixture
def coordinator(registry_data) -> User:
    """Coordinator of the shipped ECCA partnership, acting for its coordinating organisation."""
    from escp4i.registry.models import Partnership

    partnership = Partnership.objects.get(acronym="ECCA", generation__code="2016")
    coordinating = partnership.memberships.filter(role="coordinator").first()
    u = _user("coordinator", organisation=coordinating.organisation if coordinating else None)
    role_grant(user=u, role=Role.PARTNERSHIP_COORDINATOR, partnership=partnership)
    return u


@pytest.fixture
def cluster_manager(registry_data) -> User:
    """Manager of one shipped cluster organisation (Packbridge, SE)."""
    from escp4i.registry.models import ClusterOrganisation

    organisation = ClusterOrganisation.objects.get(name="Packbridge", country_id="SE")
    u = _user("manager", organisation=organisation)
    role_grant(user=u, role=Role.CLUSTER_MANAGER)
    return u


@pytest.fixture
def participant(db) -> User:
    u = _user("participant")
    role_grant(user=u, role=Role.PARTICIPANT)
    return u


@pytest.fixture
def organiser(db) -> User:
    u = _user("organiser")
    role_grant(user=u, role=Role.EVENT_ORGANISER)
    return u
