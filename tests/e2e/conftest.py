"""Browser tests of the dashboard: Playwright driving Debian's Chromium, headless.

No browser is downloaded: Playwright launches ``/usr/bin/chromium`` (``$PANTAU_CHROMIUM``
to use another). The tests skip when Playwright or that browser is missing.
Helpers (the test server, screenshots) are in ``e2e_helpers.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from e2e_helpers import CHROMIUM

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not shutil.which(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
