"""The README's embedding story: the example script runs as a plain asyncio program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_embedded_example_tops_up_charges_and_verifies():
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "embedded.py")],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "consultation charged: 50000.00 UZS",
        "doctor view charged: False (daily_quota)",
        "balance: 50000.00 UZS",
        "ledger ok: True (2 transfers)",
    ]
