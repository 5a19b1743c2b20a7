"""A real LRS for the tests: Ralph (PyPI ralph-malph, its LRS extra, the file-system backend) in its OWN
virtualenv, installed on first use under .cache/ralph (or ADVSIM_RALPH_DIR), started on a free port with
one Basic-auth account. ``start`` raises RalphUnavailable with the reason when the install is impossible
(no network, no registry)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import venv
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
# requests: imported by ralph.api.auth.oidc but missing from the [lrs] extra of ralph-malph 5.x
REQUIREMENTS = ["ralph-malph[lrs]", "requests"]
USERNAME, PASSWORD = "advsim", "lrs-test-secret"


class RalphUnavailable(Exception):
    pass


def home() -> Path:
    return Path(os.environ.get("ADVSIM_RALPH_DIR", ROOT / ".cache" / "ralph"))


def _python(env_dir: Path) -> Path:
    return env_dir / "bin" / "python"


def installed(env_dir: Path) -> bool:
    return _python(env_dir).exists() and subprocess.run(
        [str(_python(env_dir)), "-c", "import ralph.api, uvicorn, bcrypt, requests"], capture_output=True,
        env={**os.environ, "RALPH_RUNSERVER_BACKEND": "fs"}).returncode == 0


def install(env_dir: Path) -> None:
    if installed(env_dir):
        return
    env_dir.parent.mkdir(parents=True, exist_ok=True)
    if not _python(env_dir).exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    result = subprocess.run([str(_python(env_dir)), "-m", "pip", "install", "-q", *REQUIREMENTS],
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0 or not installed(env_dir):
        raise RalphUnavailable("pip install ralph-malph[lrs] impossible : " + (result.stderr or result.stdout)[-800:])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(workdir: Path):
    """Ralph serving on 127.0.0.1:<free port>; yields its xAPI endpoint (…/xAPI/)."""
    env_dir = home() / "venv"
    install(env_dir)
    workdir.mkdir(parents=True, exist_ok=True)
    auth = subprocess.run([str(_python(env_dir)), "-c", (
        "import bcrypt, json, sys; print(json.dumps([{'username': sys.argv[1], 'hash': "
        "bcrypt.hashpw(sys.argv[2].encode(), bcrypt.gensalt()).decode(), 'scopes': ['all'], "
        "'agent': {'mbox': 'mailto:advsim-tests@example.org'}}]))"), USERNAME, PASSWORD],
        capture_output=True, text=True, check=True).stdout
    (workdir / "auth.json").write_text(auth)
    (workdir / "data").mkdir(exist_ok=True)
    port = free_port()
    env = {**os.environ, "RALPH_AUTH_FILE": str(workdir / "auth.json"), "RALPH_RUNSERVER_BACKEND": "fs",
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(workdir / "data"),
           "RALPH_APP_DIR": str(workdir / "app")}
    log = open(workdir / "ralph.log", "w")
    process = subprocess.Popen([str(env_dir / "bin" / "uvicorn"), "ralph.api:app", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                               cwd=str(workdir))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RalphUnavailable("Ralph s'est arrêté : " + (workdir / "ralph.log").read_text()[-800:])
            try:
                if httpx.get(url + "/__heartbeat__", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RalphUnavailable("Ralph n'a pas démarré en 60 s")
            time.sleep(0.3)
        yield url + "/xAPI/"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


if __name__ == "__main__":  # python -m tests.evaluation.ralph: install only
    install(home() / "venv")
    print(json.dumps({"venv": str(home() / "venv")}), file=sys.stdout)
