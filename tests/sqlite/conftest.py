"""Fixtures for the SQLite-only tests: a fresh database file per test."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from adapters.sqlite import SqliteStorage
from tests.backends.sqlite import storage_factory


@pytest.fixture
def open_storage(tmp_path: Path) -> Callable[[], AbstractAsyncContextManager[SqliteStorage]]:
    return storage_factory(tmp_path)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "hamyon.db")
