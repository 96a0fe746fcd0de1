"""Fixtures for browser tests in Debian's chromium (headless, driven by pytest-playwright), for one test at
a time. Import them into a test module: ``from tests.browser import *  # noqa: F403``.

Playwright runs for one test only (pytest-playwright keeps it for the whole session): while its sync API
is up, an asyncio loop runs in this thread and Django hands out other database connection objects, which
would leave the tests after this one without their restored data (see the ``playwright`` fixture)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

__all__ = ["browser", "browser_type", "browser_type_launch_args", "insecure_cookies_on_localhost", "launch_browser",
           "playwright"]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's chromium, headless, nothing reaching out to the network."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: scripts/test.sh installs Debian's chromium")
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (scripts/test.sh installs it)")
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def playwright(_pw_api_request_contexts, browser_type_launch_args):
    """pytest-playwright's fixture, for one test instead of the session; ORM calls from this thread are
    allowed while it runs, and the connections opened meanwhile are closed on the way out."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    driver = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(driver)
    try:
        yield driver
    finally:
        connections.close_all()
        driver.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture
def launch_browser(browser_type_launch_args, browser_type):
    return lambda **kwargs: browser_type.launch(**{**browser_type_launch_args, **kwargs})


@pytest.fixture
def browser(launch_browser):
    launched = launch_browser()
    yield launched
    launched.close()


@pytest.fixture
def insecure_cookies_on_localhost(settings):
    # The live server speaks plain HTTP; production keeps its secure cookies.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
