"""The billing catalogue (rules and settings) kept in the process for a short while.

Every charge reads its rule and the billing settings; both change only when an admin edits them,
so the charge path reads them from here instead of from storage, for ``catalog_ttl_seconds``
(``ServiceConfig``; 0 reads storage every time). Guarantees:

- An admin write in this process (rules, settings, the first-start seeding) applies to the next
  charge at once: the catalogue keeps nothing while the write is under way (so nothing read before
  its commit is kept) and forgets what it kept when it starts and ends; reads inside the writing
  unit go to storage (the unit sees its own writes). A write joined to an outer unit ends before
  that unit commits: a charge running alongside may keep the old values until the TTL is over.
- A change made by another process applies here within the TTL.
- A read that raced an admin write is used once but never kept (a version number tells).
"""

from __future__ import annotations

import contextlib
import time
import weakref
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

from domain.billing import BillingRule, BillingSettings
from ports.storage import UnitOfWork

T = TypeVar("T")
Monotonic = Callable[[], float]
_SETTINGS = "\0settings"  # never a service_type (those are letters, digits and _)
MAX_KEPT = 1024  # rules kept at once: far more than a platform has


class Catalog:
    """Rules by service_type and the stored settings, each kept for ``ttl`` seconds of ``monotonic``."""

    def __init__(self, ttl: float, monotonic: Monotonic = time.monotonic) -> None:
        self._ttl = ttl
        self._monotonic = monotonic
        self._kept: dict[str, tuple[float, object]] = {}
        self._version = 0
        self._writers: weakref.WeakSet[UnitOfWork] = weakref.WeakSet()
        self._writes_under_way = 0

    async def rule(self, uow: UnitOfWork, service_type: str) -> BillingRule | None:
        """The rule, or None: an unknown service_type is not kept (the caller chose the name)."""
        return await self._read(uow, service_type, lambda: uow.billing.rule(service_type))

    async def settings(self, uow: UnitOfWork) -> BillingSettings | None:
        """The stored settings (None until an admin saved them)."""
        return await self._read(uow, _SETTINGS, uow.billing.settings)

    def writing(self, uow: UnitOfWork) -> None:
        """``uow`` writes rules or settings: it reads storage from now on."""
        self._writers.add(uow)
        self.forget()

    @contextlib.contextmanager
    def write_under_way(self) -> Iterator[None]:
        """Keep nothing while inside, and forget what was kept on the way in and out."""
        self._writes_under_way += 1
        self.forget()
        try:
            yield
        finally:
            self._writes_under_way -= 1
            self.forget()

    def forget(self) -> None:
        self._kept.clear()
        self._version += 1

    async def _read(self, uow: UnitOfWork, key: str, load: Callable[[], Awaitable[T]]) -> T:
        if self._ttl <= 0 or uow in self._writers:
            return await load()
        now = self._monotonic()
        kept = self._kept.get(key)
        if kept is not None and now - kept[0] < self._ttl:
            return kept[1]  # type: ignore[return-value]  # stored under this key by this method
        version = self._version
        value = await load()
        unchanged = version == self._version and not self._writes_under_way
        if unchanged and (value is not None or key == _SETTINGS):
            if len(self._kept) >= MAX_KEPT:
                self._kept.clear()
            self._kept[key] = (now, value)
        return value
