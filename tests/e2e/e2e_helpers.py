"""Helpers of the browser tests: a uvicorn server in a thread, waiting for a page,
screenshots. Screenshots go to ``tests/e2e/artifacts/`` (``$PANTAU_SCREENSHOTS`` for
another folder, e.g. ``docs/screenshots`` to refresh the README's)."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

CHROMIUM = os.environ.get("PANTAU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("PANTAU_SCREENSHOTS") or Path(__file__).parent / "artifacts")


class Server:
    """uvicorn serving an app on a free loopback port, in a thread."""

    def __init__(self, app) -> None:
        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def wait_ready(page) -> None:
    """Wait until the current page has fetched and drawn its data."""
    page.wait_for_selector("#page[data-ready='1']", timeout=20_000)


def screenshot(target, name: str) -> Path:
    """Save a screenshot of a page or an element as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    target.screenshot(path=str(path))
    return path
