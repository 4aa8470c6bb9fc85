"""One storage contract, run against every adapter.

The ``storage`` fixture is parametrized over the backends in ``tests/backends``: each module there
exposes ``storage_factory(tmp_path)``, a callable that opens a fresh, empty storage as an async
context manager. Tests use it as ``async with storage() as s: async with s.unit_of_work() as uow``.
Tests that must see one unit wait for another's lock take ``until_queued`` as well.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from types import ModuleType

import pytest

from ports.storage import Storage, UnitOfWork

BACKENDS = ["memory", "sqlite", "postgres"]

StorageFactory = Callable[[], AbstractAsyncContextManager[Storage]]
UntilQueued = Callable[[Storage, UnitOfWork], Awaitable[None]]


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def storage_backend(request: pytest.FixtureRequest) -> ModuleType:
    name = request.param
    try:
        return importlib.import_module(f"tests.backends.{name}")
    except ModuleNotFoundError as error:
        if error.name not in (f"tests.backends.{name}", f"adapters.{name}"):
            raise
        pytest.skip(f"{name} adapter not built yet")


@pytest.fixture
def storage(storage_backend: ModuleType, tmp_path: Path) -> StorageFactory:
    factory: StorageFactory = storage_backend.storage_factory(tmp_path)
    return factory


@pytest.fixture
def until_queued(storage_backend: ModuleType) -> UntilQueued:
    """``await until_queued(s, holder)`` returns once another unit waits for a lock ``holder`` holds."""
    probe: UntilQueued = storage_backend.until_queued
    return probe
