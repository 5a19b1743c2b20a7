"""What the HTTP benchmarks share: a free port, a real uvicorn server of the
app started and waited for, and the percentile they report."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*, workers: int = 1, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """uvicorn serving ``sim.web.app:app`` (``workers`` processes), once it answers: (process, base URL)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "sim.web.app:app", "--port", str(port),
                               "--workers", str(workers), "--log-level", "warning"],
                              env={**os.environ, **(env or {})}, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
