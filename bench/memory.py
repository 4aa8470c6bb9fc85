"""Memory over a long run of charges through the application layer, in a process of its own (so
that its peak is its own): ``python bench/memory.py memory|sqlite CHARGES EVERY [DIR]``.

Prints one JSON line per ``EVERY`` charges: resident memory now and at peak (MB), live Python
objects, and seconds so far. 1,000 users in turn, so that no one user's history grows long.
"""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import sys
import time
from decimal import Decimal

from workload import PRICE, SERVICE, users

from application.billing import ChargeRequest
from entrypoints.bootstrap import bootstrap

PEOPLE = users(1000)


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from Linux's /proc (VmRSS now, VmHWM its peak)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def resident_mb() -> float:
    return _status_mb("VmRSS") or peak_mb()


def peak_mb() -> float:
    """The peak resident memory. VmHWM where there is one: ``ru_maxrss`` would carry the parent's
    peak over the fork."""
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(backend: str, charges: int, every: int, directory: str) -> None:
    url = "memory://" if backend == "memory" else f"sqlite:///{directory}/memory-run.db"
    options = {} if backend == "memory" else {"synchronous": "NORMAL"}
    hamyon = await bootstrap(url, storage_options=options)
    try:
        each = Decimal(PRICE * (charges // len(PEOPLE) + 1))
        for user in PEOPLE:
            await hamyon.wallets.adjust(user, each, "UZS", "benchmark funding", actor="bench")
        started = time.perf_counter()
        report(0, started)
        for n in range(1, charges + 1):
            await hamyon.billing.charge(ChargeRequest(PEOPLE[n % len(PEOPLE)], SERVICE))
            if n % every == 0:
                report(n, started)
    finally:
        await hamyon.close()


def report(done: int, started: float) -> None:
    gc.collect()
    print(json.dumps({"charges": done, "rss_mb": round(resident_mb(), 1), "peak_mb": round(peak_mb(), 1),
                      "objects": len(gc.get_objects()),
                      "seconds": round(time.perf_counter() - started, 1)}), flush=True)


if __name__ == "__main__":
    backend, charges, every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    asyncio.run(main(backend, charges, every, sys.argv[4] if len(sys.argv) > 4 else "."))
