"""Storage benchmark: paid charges per second through the application layer, next to a baseline
that issues the same statements by hand on the bare driver, and memory over a long run.

    python bench/storage.py [--charges N] [--postgres-url URL] [--quick]

Each figure is the best of ``--repeat`` runs, each on a fresh database prepared alike (migrated,
seeded, wallets funded); the ledger is verified after every run. Postgres is measured when a URL is
given (``--postgres-url``, else ``HAMYON_TEST_POSTGRES_URL``). Not a test: nothing here asserts a
speed; the target (the application keeps at least 50 % of the baseline's rate) is printed beside.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import baseline
import workload
from attrs import frozen
from report import MemoryRun, Row, Timing, print_memory, print_rates

TARGET = 0.5


@frozen
class Case:
    backend: str  # sqlite | postgres
    synchronous: str  # SQLite's pragma; "" on Postgres
    tasks: int

    @property
    def label(self) -> str:
        return f"SQLite {self.synchronous}" if self.backend == "sqlite" else "Postgres"


@contextlib.asynccontextmanager
async def fresh_database(case: Case, args: argparse.Namespace) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    if case.backend == "sqlite":
        directory = tempfile.mkdtemp(prefix="hamyon-bench-", dir=args.dir)
        try:
            yield f"sqlite:///{directory}/bench.db", {"synchronous": case.synchronous}
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    try:
        yield args.postgres_url, {"schema": schema, "max_size": max(case.tasks, 2)}
    finally:
        connection = await asyncpg.connect(args.postgres_url)
        try:
            await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            await connection.close()


async def one_run(case: Case, args: argparse.Namespace, *, by_hand: bool) -> tuple[Timing, bool]:
    people = workload.users(max(16, case.tasks))
    charges = args.charges // case.tasks * case.tasks  # whole rounds of the tasks, on both sides
    warmup = max(case.tasks, min(100, charges // 10)) // case.tasks * case.tasks
    async with fresh_database(case, args) as (url, options):
        await workload.prepare(url, options, people, warmup + charges)
        if not by_hand:
            timing = await workload.app_rate(url, options, people, charges, case.tasks, warmup)
        elif case.backend == "sqlite":
            path = url.removeprefix("sqlite:///")
            timing = baseline.sqlite_rate(path, case.synchronous, people, charges, warmup)
        else:
            timing = await baseline.postgres_rate(url, options["schema"], people, charges, case.tasks, warmup)
        return timing, await workload.ledger_ok(url, options, len(people) + warmup + charges)


async def measure(case: Case, args: argparse.Namespace) -> Row:
    """Best of ``repeat`` for each side, the two sides alternating so that a busy machine slows both."""
    by_hand: list[Timing] = []
    app: list[Timing] = []
    verified = True
    for _ in range(args.repeat):
        for side, timings in ((True, by_hand), (False, app)):
            timing, ok = await one_run(case, args, by_hand=side)
            timings.append(timing)
            verified = verified and ok
    best = lambda timings: max(timings, key=lambda timing: timing.rate)  # noqa: E731
    return Row(case.label, case.tasks, _baseline_label(case), best(by_hand), best(app), verified)


def _baseline_label(case: Case) -> str:
    if case.backend == "sqlite":
        return "sqlite3, 1 connection"  # SQLite has one writer at a time: a plain loop is its best
    return f"asyncpg, {case.tasks} connection{'s' if case.tasks > 1 else ''}"


async def statement_counts(args: argparse.Namespace) -> dict[str, tuple[list[str], list[str]]]:
    """What one charge sends to each database, read off the drivers, through the application and
    by hand (the same statements, or the baseline is not fair)."""
    found = {}
    for case in [Case("sqlite", "FULL", 1)] + ([Case("postgres", "", 1)] if args.postgres_url else []):
        async with fresh_database(case, args) as (url, options):
            people = workload.users(1)
            await workload.prepare(url, options, people, 4)
            app = await workload.statements_of_one_charge(url, options, people)
            if case.backend == "sqlite":
                by_hand = baseline.sqlite_statements(url.removeprefix("sqlite:///"), people[0])
            else:
                by_hand = await baseline.postgres_statements(url, options["schema"], people[0])
            found[case.label] = (app, by_hand)
    return found


def cases(args: argparse.Namespace) -> list[Case]:
    found = [Case("sqlite", mode, tasks) for mode in ("FULL", "NORMAL") for tasks in (1, args.tasks)]
    if args.postgres_url:
        found += [Case("postgres", "", tasks) for tasks in (1, args.tasks)]
    return found


async def memory_runs(args: argparse.Namespace) -> list[MemoryRun]:
    """Both long runs at once, each in its own process (so each peak is its own)."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "memory.py")
    directory = tempfile.mkdtemp(prefix="hamyon-bench-", dir=args.dir)
    try:
        children = [await asyncio.create_subprocess_exec(
            sys.executable, script, backend, str(args.memory_charges), str(args.every), directory,
            stdout=asyncio.subprocess.PIPE) for backend in ("memory", "sqlite")]
        outputs = await asyncio.gather(*(child.communicate() for child in children))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return [MemoryRun.parse(label, out.decode())
            for label, (out, _) in zip(("memory adapter", "SQLite NORMAL"), outputs, strict=True)]


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--charges", type=int, default=2000, help="charges per timed run (default 2000)")
    parser.add_argument("--tasks", type=int, default=16, help="concurrent tasks (default 16)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure, best kept (default 3)")
    parser.add_argument("--postgres-url", default=os.environ.get("HAMYON_TEST_POSTGRES_URL", ""))
    parser.add_argument("--memory-charges", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000, help="memory report interval")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--dir", default=None, help="where SQLite files go (default: the temp dir)")
    parser.add_argument("--quick", action="store_true", help="300 charges, 1 run, 10,000 for memory")
    args = parser.parse_args()
    if args.quick:
        args.charges, args.repeat, args.memory_charges, args.every = 300, 1, 10_000, 1_000
    return args


async def main() -> None:
    args = options()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Hamyon storage benchmark: paid '{workload.SERVICE}' charges ({workload.PRICE:,} UZS); "
          f"{args.charges} per run, best of {args.repeat}; load average {load} on {os.cpu_count()} CPUs")
    for backend, (app, by_hand) in (await statement_counts(args)).items():
        for side, statements in (("application", app), ("baseline", by_hand)):
            print(f"  one charge on {backend}, {side}: {len(statements)} statements: " + " | ".join(
                statement.split(" (")[0][:28] for statement in statements))
    print_rates([await measure(case, args) for case in cases(args)], TARGET)
    if not args.postgres_url:
        print("Postgres skipped: give --postgres-url (or set HAMYON_TEST_POSTGRES_URL)")
    if not args.skip_memory:
        print_memory(await memory_runs(args), args.memory_charges)


if __name__ == "__main__":
    asyncio.run(main())
