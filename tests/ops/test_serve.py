"""``hamyon serve --workers N``: forked workers share the port, and stopping the parent alone
stops them too (no orphaned workers left serving)."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.ops.harness import DEADLINE, ServerProcess, clean_env, free_port


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the guard is Linux's")
def test_workers_stop_when_their_parent_is_killed(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(tmp_path, HAMYON_PORT=str(port))
    with ServerProcess("serve", "--workers", "2", "--no-jobs", env=env, cwd=tmp_path) as server:
        server.wait_ready(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + DEADLINE
        while len(workers := children(server.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) == 2
        os.kill(server.process.pid, signal.SIGTERM)  # the parent only, not its group
        server.process.wait(timeout=DEADLINE)
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers)
