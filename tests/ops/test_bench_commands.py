"""The benchmarks the README tells a reader to run still start: each command-line script under
``bench/`` answers ``--help`` (its imports resolve against today's code; the benchmarks import
storage internals, which move as the code is reshaped)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
COMMANDS = sorted(path.name for path in BENCH.glob("*.py") if "argparse.ArgumentParser" in path.read_text())


def test_the_benchmarks_with_a_command_line_are_found():
    assert {"http_charges.py", "calls_per_charge.py", "console_dashboard.py", "storage.py"} <= set(COMMANDS)


@pytest.mark.parametrize("script", COMMANDS)
def test_a_benchmark_answers_help(script: str) -> None:
    done = subprocess.run([sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True,
                          timeout=60, cwd=BENCH.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")
