"""Running the real ``hamyon`` entry point as a subprocess, in a scratch directory.

Each test gets its own working directory (so ``.env`` and ``./hamyon.db`` are its own), an
environment without the developer's ``HAMYON_*`` variables, and a free port. Waits poll with a
deadline only to avoid hanging; what tests assert is output and state, never a duration.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

DEADLINE = 30.0
COMMAND = [sys.executable, "-m", "entrypoints.cli"]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HAMYON_", "PAYMENT_", "PROMETHEUS_"))}
    env.update({"HAMYON_DATABASE_URL": f"sqlite:///{tmp_path / 'hamyon.db'}", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], cwd: Path,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """``hamyon <args>`` in the background, its stdout and stderr kept in files."""

    def __init__(self, *args: str, env: dict[str, str], cwd: Path) -> None:
        self.stdout_path, self.stderr_path = cwd / "server.out", cwd / "server.err"
        with open(self.stdout_path, "w") as out, open(self.stderr_path, "w") as err:
            self.process = subprocess.Popen([*COMMAND, *args], env=env, cwd=cwd, stdout=out,
                                            stderr=err, start_new_session=True)

    def wait_for(self, text: str) -> str:
        """The stdout once it contains ``text``."""
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            output = self.output()
            if text in output:
                return output
            if self.process.poll() is not None:
                raise AssertionError(f"exited {self.process.returncode}: {output}{self.errors()}")
            time.sleep(0.05)
        raise AssertionError(f"never printed {text!r}: {self.output()}{self.errors()}")

    def wait_ready(self, url: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"exited {self.process.returncode}: {self.output()}{self.errors()}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        raise AssertionError(f"server never answered: {self.output()}{self.errors()}")

    def stop(self) -> int:
        """SIGTERM to the whole session (forked workers too, even when the parent is gone)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        return self.process.returncode

    def output(self) -> str:
        return self.stdout_path.read_text()

    def errors(self) -> str:
        return self.stderr_path.read_text()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def call(url: str, *, method: str = "GET", token: str | None = None, body: Any = None,
         headers: dict[str, str] | None = None) -> tuple[int, str]:
    sent = dict(headers or {})
    data = None
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]
