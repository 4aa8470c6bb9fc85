"""One storage contract, run against every adapter.

The ``storage`` fixture is parametrized over the backends in ``tests/backends``: each module there
exposes ``storage_factory(tmp_path)``, a callable that opens a fresh, empty storage as an async
context manager. Tests use it as ``async with storage() as s: async with s.unit_of_work() as uow``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from ports.storage import Storage

BACKENDS = ["memory", "sqlite", "postgres"]

StorageFactory = Callable[[], AbstractAsyncContextManager[Storage]]


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> StorageFactory:
    name = request.param
    try:
        module = importlib.import_module(f"tests.backends.{name}")
    except ModuleNotFoundError as error:
        if error.name not in (f"tests.backends.{name}", f"adapters.{name}"):
            raise
        pytest.skip(f"{name} adapter not built yet")
    factory: StorageFactory = module.storage_factory(tmp_path)
    return factory
