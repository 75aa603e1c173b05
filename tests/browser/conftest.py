"""Fixtures for the browser tests: a site rendered into a temp folder, a local server, Chromium.

Nothing in notebooks/ or data/ is modified: the site is rendered from the committed outputs
(``--no-execute``) into a temporary folder.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILD_TIMEOUT = 300


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site rendered from the committed notebooks into a temporary folder.

    With the environment variable SITE_DIR set, test that already-built site instead
    (e.g. ``SITE_DIR=_site`` after ``make site``).
    """
    if os.environ.get("SITE_DIR"):
        built = Path(os.environ["SITE_DIR"]).resolve()
        assert (built / "index.html").is_file(), f"SITE_DIR={built} has no index.html"
        return built
    out = tmp_path_factory.mktemp("site") / "_site"
    cmd = [sys.executable, str(ROOT / "scripts/build_site.py"), "--no-execute", "--out", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
    assert proc.returncode == 0, f"site build failed:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stderr == "", f"site build wrote to stderr:\n{proc.stderr}"
    return out


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """Serve the site on a free localhost port for the duration of the session."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; missing it fails under CI (env CI set) and skips locally."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
