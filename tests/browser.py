"""Headless Chromium for tests: Debian's own browser driven through Playwright.

Playwright's bundled browsers are a download; the distribution package is what CI
installs. Without CI a missing browser skips the test; in CI it fails it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The installed Chromium, or None."""
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require_chromium() -> str:
    """The browser path; outside CI a missing browser skips the calling test."""
    path = chromium_path()
    if path is not None:
        return path
    message = "chromium is not installed — run `apt-get install -y chromium`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def launch_chromium() -> Iterator[object]:
    """A headless Playwright ``Browser`` on Debian's Chromium, closed afterwards."""
    executable = require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
