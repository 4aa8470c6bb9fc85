"""Worker processes for the proofs: the same Python, the repository on the path, one JSON order.

``run_together`` starts the workers, waits until each has its facade open (it prints ``ready``),
then tells them all to go at once (a line on stdin), so that their work overlaps, and collects the
JSON answer each prints last. ``start_worker`` starts one without the starting line (the crash proof).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from tests.proofs.databases import Database

REPOSITORY = Path(__file__).resolve().parents[2]
READY = b"ready\n"
TIME_LIMIT = 25.0  # a worker that has not finished by then is hung: the proof fails, never waits on


async def start_worker(order: dict[str, Any]) -> asyncio.subprocess.Process:
    path = os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")]))
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.proofs.worker", json.dumps(order), cwd=REPOSITORY,
        env={**os.environ, "PYTHONPATH": path}, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def until_ready(worker: asyncio.subprocess.Process) -> None:
    assert worker.stdout is not None and worker.stderr is not None
    line = await asyncio.wait_for(worker.stdout.readline(), TIME_LIMIT)
    if line != READY:
        await worker.wait()
        raise AssertionError(f"worker did not start: {line!r}\n{(await worker.stderr.read()).decode()}")


async def answer_of(worker: asyncio.subprocess.Process) -> Any:
    """The worker's last line, parsed (after the starting line was sent)."""
    out, err = await asyncio.wait_for(worker.communicate(b"go\n"), TIME_LIMIT)
    if worker.returncode != 0:
        raise AssertionError(f"worker failed ({worker.returncode}):\n{err.decode()}")
    return json.loads(out.decode().strip().splitlines()[-1])


async def run_together(orders: list[dict[str, Any]]) -> list[Any]:
    """Run one worker per order, all released at the same moment; their answers in order."""
    workers = [await start_worker(order) for order in orders]
    try:
        for worker in workers:
            await until_ready(worker)
        return list(await asyncio.gather(*(answer_of(worker) for worker in workers)))
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()


async def run_alike(database: Database, processes: int, **order: Any) -> list[Any]:
    """The same order on the database, run by ``processes`` workers at once; their answers, none of
    which may report an error."""
    answers = await run_together([{**order, "database": database.as_json()} for _ in range(processes)])
    errors = [answer["errors"] for answer in answers]
    assert errors == [[]] * processes, errors
    return answers
