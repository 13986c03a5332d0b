"""Playwright against the live server, with the shipped data; Debian Chromium, headless."""

from __future__ import annotations

import os
import threading
import time

import pytest

# pytest-playwright runs an event loop in the test thread; Django's ORM calls in fixtures are
# still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def site(live_server):
    """The live server URL, with the shipped ESCP-4i data loaded.

    Tests using it are marked ``django_db(transaction=True, serialized_rollback=True)``: the live
    server needs committed rows, and serialized rollback restores the reference rows (countries,
    sectors, regions) from data migrations, which the flush after each such test removes.
    """
    from escp4i.registry.services import registry_load_shipped

    registry_load_shipped()
    return live_server.url


class _InFlight:
    """Counts requests the live server is still handling (it serves each on its own thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self.count = 0

    def enter(self) -> None:
        with self._lock:
            self.count += 1

    def leave(self) -> None:
        with self._lock:
            self.count -= 1
            if self.count == 0:
                self._idle.notify_all()

    def wait_idle(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while self.count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True


_IN_FLIGHT = _InFlight()


@pytest.fixture(scope="session", autouse=True)
def _count_live_server_requests():
    """Wrap Django's WSGI handler so the teardown below knows when the server is idle."""
    from django.core.handlers.wsgi import WSGIHandler

    original = WSGIHandler.__call__

    def counted(self, environ, start_response):
        _IN_FLIGHT.enter()
        try:
            return original(self, environ, start_response)
        finally:
            _IN_FLIGHT.leave()

    WSGIHandler.__call__ = counted
    yield
    WSGIHandler.__call__ = original


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush():
    """Let the live server finish before pytest-django flushes the database.

    Pages load fragments with ``hx-trigger="load"`` (a partnership's services and
    recommendations) or poll (a scheduling run's status). A test may end while such a request
    is still running on a server thread, which shares the in-memory SQLite connection; the flush
    after a transactional test then fails ("couldn't be flushed"). This fixture is set up after
    the database fixtures and before ``page``, so its teardown runs after the page has closed
    and before the flush.
    """
    yield
    # A request the browser sent just before the page closed may not have reached the handler yet.
    time.sleep(0.05)
    if not _IN_FLIGHT.wait_idle(timeout_s=15):
        pytest.fail(f"the live server was still handling {_IN_FLIGHT.count} request(s) after 15 s")
