"""The lines a developer reads: ``hamyon serve`` with its stdout a terminal (a pseudo-terminal),
as when run by hand. A request's line leads with method, route, status and duration; the business
events read as text, not as a Python repr; a 405 names its route (in JSON lines too)."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import signal
import subprocess
import threading
import time
import urllib.error
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from application.hamyon import Hamyon
from entrypoints.http.auth import TokenIssuer
from tests.cli.seeding import seed
from tests.ops.harness import COMMAND, DEADLINE, ServerProcess, call, clean_env, free_port, json_lines

JWT_SECRET = "jwt-secret-for-the-terminal-log-test-0123456789"
_STYLE = re.compile(r"\x1b\[[0-9;]*m")
# After the time and the level: method, route, status and duration.
_REQUEST = re.compile(r"^\S+ \[info\s*\] (?P<method>[A-Z]+) (?P<route>\S+) (?P<status>\d{3}) "
                      r"(?P<duration>\d+(\.\d+)?)ms\s")


class TerminalServer:
    """``hamyon serve`` writing to a pseudo-terminal; what it wrote, styles removed, in ``lines``."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self._terminal, screen = pty.openpty()
        self.process = subprocess.Popen([*COMMAND, "serve", "--no-jobs"], env=env, cwd=cwd,
                                        stdout=screen, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        os.close(screen)
        self._written = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):  # EIO once the server's side is closed
            while chunk := os.read(self._terminal, 65536):
                self._written += chunk

    def lines(self) -> list[str]:
        return _STYLE.sub("", self._written.decode(errors="replace")).replace("\r", "").splitlines()

    def request_lines(self) -> list[str]:
        """The request lines, but for the start's readiness probe."""
        return [line for line in self.lines() if _REQUEST.match(line) and " /healthz " not in line]

    def wait_ready(self, url: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while not _answers(f"{url}/healthz"):
            assert self.process.poll() is None and time.monotonic() < deadline, self.lines()
            time.sleep(0.05)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=DEADLINE)
        self._reader.join(timeout=DEADLINE)
        os.close(self._terminal)


def _answers(url: str) -> bool:
    try:
        return call(url)[0] == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path, HAMYON_PORT=str(free_port()), HAMYON_JWT_SECRET=JWT_SECRET)


@pytest.fixture
def terminal(server_env: dict[str, str], tmp_path: Path) -> Iterator[TerminalServer]:
    seed(server_env, _fund)
    server = TerminalServer(server_env, tmp_path)
    try:
        server.wait_ready(_url(server_env))
        yield server
    finally:
        server.stop()


def _url(env: dict[str, str]) -> str:
    return f"http://127.0.0.1:{env['HAMYON_PORT']}"


async def _fund(hamyon: Hamyon) -> None:
    await hamyon.wallets.adjust("erin", Decimal(90_000), "UZS", "funding", actor="root")


def _logged(server: TerminalServer, count: int) -> list[str]:
    """The last ``count`` request lines, once they are written."""
    deadline = time.monotonic() + DEADLINE
    while len(server.request_lines()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.request_lines()[-count:]


def test_a_request_line_leads_with_method_route_status_and_duration(
        terminal: TerminalServer, server_env: dict[str, str]) -> None:
    url, user = _url(server_env), TokenIssuer(JWT_SECRET).issue("erin")
    assert call(f"{url}/api/payments/wallet/", token=user)[0] == 200
    assert call(f"{url}/api/payments/wallet/", token=user[:-4] + "AAAA")[0] == 401
    read, refused = _logged(terminal, 2)
    heads = [_REQUEST.match(line) for line in (read, refused)]
    assert [(head["method"], head["route"], head["status"]) for head in heads if head] == [
        ("GET", "/api/payments/wallet/", "200"), ("GET", "/api/payments/wallet/", "401")]
    assert "user_id=erin" in read and "user_id" not in refused  # nothing for a field with no value
    assert "request_id=" in read


def test_the_events_of_a_request_read_as_text(terminal: TerminalServer,
                                              server_env: dict[str, str]) -> None:
    url, user = _url(server_env), TokenIssuer(JWT_SECRET).issue("erin")
    charged = call(f"{url}/api/payments/billing/charge/", method="POST", token=user,
                   body={"service_type": "doctor_view", "related_object_id": "7"})
    assert charged[0] == 200, charged
    [line] = _logged(terminal, 1)
    assert _REQUEST.match(line) and " POST /api/payments/billing/charge/ 200 " in line
    event = re.search(r"events='?(service_(charged|free))\((?P<fields>[^)]*)\)", line)
    assert event is not None, line
    assert "service_type=doctor_view" in event["fields"] and "user_id=erin" in event["fields"]
    for python_repr in ("{'", "[{", "'event':", "None"):
        assert python_repr not in line


def test_a_405_is_logged_with_its_route_on_a_terminal(terminal: TerminalServer,
                                                      server_env: dict[str, str]) -> None:
    url = _url(server_env)
    assert call(f"{url}/api/payments/wallet/", method="DELETE")[0] == 405
    [line] = _logged(terminal, 1)
    head = _REQUEST.match(line)
    assert head is not None and (head["method"], head["route"], head["status"]) == (
        "DELETE", "/api/payments/wallet/", "405")


def test_a_405_is_logged_with_its_route_in_json(tmp_path: Path, server_env: dict[str, str]) -> None:
    url = _url(server_env)
    with ServerProcess("serve", "--no-jobs", env=server_env, cwd=tmp_path) as server:
        server.wait_ready(url)
        assert call(f"{url}/api/payments/wallet/", method="PUT", body={})[0] == 405
        server.wait_for('"status": 405')
    [line] = [line for line in json_lines(server.output()) if line.get("status") == 405]
    assert (line["event"], line["method"], line["route"]) == ("request", "PUT", "/api/payments/wallet/")
