"""Putting rows into a test's database the way the CLI will read them (same settings, same
storage options, hence the same encryption), with a clock of the test's choosing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from adapters.clock import ManualClock, SystemClock
from adapters.gateways.sandbox import SandboxGateway
from application.hamyon import Hamyon
from entrypoints.bootstrap import bootstrap, open_storage
from entrypoints.runtime import storage_options
from entrypoints.settings import load_settings

T = TypeVar("T")


def seed(env: dict[str, str], body: Callable[[Hamyon], Awaitable[T]], *,
         at: datetime | None = None) -> T:
    """Run ``body`` on a facade over the database ``env`` names (migrated), then close it."""
    settings = load_settings(env, dotenv=Path("/nonexistent/.env"))

    async def run() -> T:
        options = storage_options(settings, migrate=True)  # sealed as the composition root seals
        storage = await open_storage(settings.database_url, **options)
        hamyon = await bootstrap(settings.database_url, storage=storage,
                                 clock=ManualClock(at) if at else SystemClock(),
                                 gateways=[SandboxGateway(settings.base_url)], active_gateways={"sandbox"},
                                 config=settings.service_config())
        try:
            return await body(hamyon)
        finally:
            await hamyon.close()

    return asyncio.run(run())
