"""The README's curl walkthrough, run exactly as printed against a real ``hamyon serve``."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- walkthrough:start -->\s*```bash\n(.*?)```\s*<!-- walkthrough:end -->",
                      readme, re.S)
    assert block, "the README lost its walkthrough block"
    return block.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read() if server.stdout else "server exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not start")


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_readme_walkthrough_works_as_printed(tmp_path: Path) -> None:
    port = free_port()
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "HAMYON_PORT": str(port), "HAMYON_DATABASE_URL": f"sqlite:///{tmp_path}/h.db",
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "HAMYON_ENV": "development"}
    env.pop("HAMYON_SANDBOX", None)
    server = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "serve"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(port, server)
        script = walkthrough().replace("http://127.0.0.1:8000", f"http://127.0.0.1:{port}")
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env={
            **env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    lines = result.stdout.splitlines()
    assert "303" in lines
    status, balance, charge, view, wallet, transactions, daily = answers[1:]
    assert status["payment"]["status"] == "completed"
    assert balance["balance"] == 50000.0
    assert charge["charged"] is True and charge["balance_after"] == 0.0
    assert view["charged"] is False
    assert wallet["wallet"]["balance"] == 0.0
    assert [t["type"] for t in transactions["transactions"]] == ["debit"]
    assert daily["daily_usage"]["free_views_used"] == 1
