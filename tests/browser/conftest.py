"""Playwright against the live server, with the shipped data; Debian Chromium, headless."""

from __future__ import annotations

import os

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
