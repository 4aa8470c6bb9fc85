"""The databases the proofs run on, named so that a child process can open the same one.

A ``Database`` is a URL plus the storage options a facade is opened with; it travels to worker
processes as JSON. Each test gets a fresh one: a new SQLite file (``synchronous=FULL``, the
durable default), or a new Postgres schema that is dropped afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from attrs import define, field

from adapters.gateways.sandbox import SandboxGateway
from application.hamyon import Hamyon
from entrypoints.bootstrap import bootstrap, open_storage
from ports.storage import Storage
from tests.backends.postgres import postgres_url, schema_on


@define
class Database:
    url: str
    options: dict[str, Any] = field(factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "options": self.options}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Database:
        return cls(raw["url"], dict(raw["options"]))


@contextlib.contextmanager
def sqlite_database(directory: Path, synchronous: str = "FULL") -> Iterator[Database]:
    yield Database(f"sqlite:///{directory / 'hamyon.db'}", {"synchronous": synchronous})


@contextlib.asynccontextmanager
async def postgres_database() -> AsyncIterator[Database]:
    """A fresh schema on the test server (skipped without one, failed in CI), dropped on leaving."""
    url = postgres_url()
    async with schema_on(url) as schema:
        yield Database(url, {"schema": schema, "max_size": 8})


@contextlib.asynccontextmanager
async def facade(database: Database, *, first: bool = False) -> AsyncIterator[tuple[Hamyon, Storage]]:
    """A ``Hamyon`` on the database, with the sandbox gateway active, and its storage (for the
    proofs' read units). ``first``: this opening migrates the database and seeds its default rows;
    the others find them there, as a second server process would."""
    options = dict(database.options)
    if "schema" in options:
        options["migrate"] = first
    storage = await open_storage(database.url, **options)
    try:
        hamyon = await bootstrap(storage=storage, gateways=[SandboxGateway()],
                                 active_gateways={"sandbox"}, seed=first)
    except BaseException:
        await storage.close()
        raise
    try:
        yield hamyon, storage
    finally:
        await hamyon.close()
