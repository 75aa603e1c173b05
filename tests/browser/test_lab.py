"""JupyterLab starts on this repository and lists the notebooks (the explorer's entry point).

Run: ``.venv/bin/python -m pytest tests/browser/test_lab.py``. Bounded: at most ~60 s to start,
20 s to stop. The server's own log goes to a temporary file, shown only when the test fails.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20


def free_port() -> int:
    """A TCP port that is free on localhost right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get_json(url: str, token: str) -> Any:
    """GET a Jupyter REST endpoint with token authentication."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def wait_for_contents(url: str, token: str, proc: subprocess.Popen[bytes]) -> Any:
    """Poll the contents API until it answers, the server dies, or the time runs out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"jupyter lab exited early with code {proc.returncode}")
        try:
            return get_json(url, token)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"jupyter lab did not answer {url} within {START_TIMEOUT_S} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the server and wait; kill it if it does not stop in time."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT_S)


def test_lab_lists_notebooks(tmp_path: Path) -> None:
    """`jupyter lab` serves the repository and its contents API lists notebooks/*.ipynb."""
    port, token = free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).parent / "jupyter"
    cmd = [
        str(jupyter), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={ROOT}", "--ServerApp.allow_root=True",
        "--ServerApp.port_retries=0",
    ]  # fmt: skip
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        listing = wait_for_contents(f"http://127.0.0.1:{port}/api/contents/notebooks", token, proc)
    except AssertionError as exc:
        stop(proc)
        log.close()
        raise AssertionError(f"{exc}\n--- server log ---\n{(tmp_path / 'lab.log').read_text()}") from None
    finally:
        stop(proc)
        log.close()
    assert listing["type"] == "directory"
    listed = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert listed == on_disk
    assert proc.returncode is not None, "server still running after stop()"
