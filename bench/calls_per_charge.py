"""Python function calls per paid charge, the server's own, next to the bare Tornado handler's:
a measure of how much Python a charge runs that does not drift with the machine's speed, as the
HTTP benchmark's ratios do (issue 17: less Python per charge).

    python bench/calls_per_charge.py [--requests 3200] [--top 25] [--postgres-url URL] [--memory]

The servers of ``bench/http_charges.py`` (the bare handler, then ``hamyon serve --no-jobs`` on a
fresh SQLite file and a fresh Postgres database), each under ``cProfile``, switched on only while
the measured requests run (after the warm-up, by a signal), on the same load generator. Prints
each server's calls per request, and the functions whose calls per request a backend adds most
to the bare handler's. ``cProfile`` counts each resumption of a coroutine as a call; its times
are inflated by the profiler and not shown. Not a test.
"""

from __future__ import annotations

import argparse
import os
import pstats
import runpy
import shutil
import signal
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import http_charges  # noqa: E402  (this folder's sibling, not a package)


def run_profiled(output: str, command: list[str]) -> None:
    """Run ``command`` (``-m module …`` or ``script …``) as ``python`` would, profiled between
    SIGUSR1 and SIGUSR2; at SIGUSR2 the stats are written beside ``output`` and then renamed to
    it, so that the file, once there, is whole."""
    import cProfile

    profile = cProfile.Profile()
    signal.signal(signal.SIGUSR1, lambda *_: profile.enable())

    def written(*_: Any) -> None:
        profile.disable()
        profile.dump_stats(f"{output}.part")
        os.replace(f"{output}.part", output)

    signal.signal(signal.SIGUSR2, written)
    sys.argv = command[1:] if command[0] == "-m" else command
    if command[0] == "-m":
        sys.argv[0] = command[1]
        runpy.run_module(command[1], run_name="__main__", alter_sys=True)
    else:
        runpy.run_path(command[0], run_name="__main__")


def per_request(path: str, requests: int) -> dict[str, float]:
    """Calls per request of each function in a stats file, by ``file:line(name)``."""
    stats: Any = pstats.Stats(path)
    calls = {}
    for (file, line, name), (_, count, *_rest) in stats.stats.items():
        short = file.split("site-packages/")[-1].removeprefix(http_charges.ROOT + os.sep)
        calls[f"{short}:{line}({name})"] = count / requests
    return calls


def measured(target: http_charges.Target, args: argparse.Namespace, output: str) -> dict[str, float]:
    """Warm ``target`` up, then profile ``--requests`` charges; the calls per request found."""
    warm = argparse.Namespace(**{**vars(args), "requests": args.concurrency * 20})
    http_charges.load(target.server, target.port, target.tokens, warm)
    target.server.send_signal(signal.SIGUSR1)
    time.sleep(0.2)
    figures = http_charges.load(target.server, target.port, target.tokens,
                                argparse.Namespace(**{**vars(args), "warmup": 0}))
    target.server.send_signal(signal.SIGUSR2)
    deadline = time.monotonic() + 30
    while not os.path.exists(output) and time.monotonic() < deadline:
        time.sleep(0.1)
    return per_request(output, figures["requests"])


def main() -> None:
    if sys.argv[1:2] == ["--profiled"]:
        run_profiled(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3200, help="profiled requests per server")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--top", type=int, default=25, help="functions listed per backend")
    parser.add_argument("--memory", action="store_true", help="also the memory backend")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "HAMYON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
                        help="a Postgres server to create a scratch database on (skipped when unreachable)")
    args = parser.parse_args()
    args.warmup, args.max_seconds, args.rounds, args.holds = 5, 300, 1, False
    sys.path.insert(0, http_charges.ROOT)
    scratch = tempfile.mkdtemp(prefix="hamyon-bench-calls-")
    def output(label: str) -> str:
        return os.path.join(scratch, f"{label}.prof")

    def wrap(label: str) -> tuple[str, ...]:
        return os.path.abspath(__file__), "--profiled", output(label)

    try:
        backends = [("memory", http_charges.fresh_memory)] if args.memory else []
        backends.append(("SQLite", lambda: http_charges.fresh_sqlite(scratch)))
        if args.postgres_url and not http_charges.postgres_unreachable(args.postgres_url):
            backends.append(("Postgres", lambda: http_charges.fresh_postgres(args.postgres_url)))
        results: dict[str, dict[str, float]] = {}
        with http_charges.started_baseline(args, scratch, wrap("baseline")) as target:
            results["baseline"] = measured(target, args, output("baseline"))
        for label, fresh in backends:
            with http_charges.started_hamyon(label, fresh, args, scratch, wrap=wrap(label)) as target:
                results[label] = measured(target, args, output(label))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report(results, args.top)


def report(results: dict[str, dict[str, float]], top: int) -> None:
    bare = results["baseline"]
    print("\nPython function calls per paid charge (cProfile; a coroutine's resumption counts as a call)")
    for label, calls in results.items():
        added = sum(calls.values()) - sum(bare.values())
        print(f"{label:<10} {sum(calls.values()):>8,.0f} calls per request"
              + ("" if label == "baseline" else f"  ({added:+,.0f} on the bare handler's)"))
    for label, calls in results.items():
        if label == "baseline" or not top:
            continue
        rows = sorted(((count - bare.get(name, 0.0), name) for name, count in calls.items()), reverse=True)
        print(f"\n{label}: the functions adding most calls per request")
        for count, name in rows[:top]:
            print(f"{count:8.1f}  {name[:120]}")


if __name__ == "__main__":
    main()
