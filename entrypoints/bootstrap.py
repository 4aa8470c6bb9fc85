"""The composition root: the one place that knows every adapter.

``await bootstrap(database_url=...)`` opens the storage named by the URL (``memory://``,
``sqlite:///path/to/file.db``, ``postgresql://...``), builds the use cases with the system clock,
random ids, the tenacity retry policy and the gateways, seeds the default rows, and returns the
``Hamyon`` facade. Every default can be overridden (tests pass a manual clock, say).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from adapters.clock import SystemClock
from adapters.gateways.registry import GatewayRegistry
from adapters.ids import RandomIds
from adapters.retry import TransientRetry
from application.base import Dependencies
from application.config import ServiceConfig
from application.hamyon import Hamyon
from ports.gateways import PaymentGateway
from ports.services import Clock, EventLog, IdGenerator, RetryPolicy
from ports.storage import Storage


async def open_storage(database_url: str, **options: Any) -> Storage:
    """Open the storage a URL names; unknown schemes are refused with the accepted ones."""
    if database_url.startswith("memory:"):
        from adapters.memory import MemoryStorage

        return MemoryStorage()
    if database_url.startswith("sqlite:"):
        from adapters.sqlite import open_sqlite

        path = database_url.removeprefix("sqlite:").removeprefix("///").removeprefix("//")
        return await open_sqlite(path or "hamyon.db", **options)
    if database_url.startswith(("postgresql:", "postgres:")):
        from adapters.postgres import open_postgres

        return await open_postgres(database_url, **options)
    raise ValueError("database URL must start with memory://, sqlite:/// or postgresql://")


async def bootstrap(
    database_url: str = "memory://",
    *,
    config: ServiceConfig | None = None,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    gateways: Iterable[PaymentGateway] = (),
    active_gateways: Iterable[str] = (),
    retry: RetryPolicy | None = None,
    events: EventLog | None = None,
    storage: Storage | None = None,
    storage_options: dict[str, Any] | None = None,
    seed: bool = True,
) -> Hamyon:
    """Build a ready ``Hamyon``. ``gateways`` are the adapters to register; ``active_gateways``
    names the rows that start active on first seeding (those with configured credentials)."""
    opened = storage or await open_storage(database_url, **(storage_options or {}))
    registry = GatewayRegistry(gateways)
    deps = Dependencies(
        unit_of_work=opened.unit_of_work, clock=clock or SystemClock(), ids=ids or RandomIds(),
        gateways=registry, config=config or ServiceConfig(), retry=retry or TransientRetry(),
        on_close=opened.close, **({"events": events} if events is not None else {}),
    )
    hamyon = Hamyon(deps)
    if seed:
        await hamyon.seed_defaults(frozenset(active_gateways))
    return hamyon
