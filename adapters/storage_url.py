"""Which storage a database URL names: the one place its schemes are read.

``memory://`` (nothing kept past the process), ``sqlite:///path/to/file.db`` (``sqlite:`` alone
is ``hamyon.db`` here) and ``postgresql://...`` (or ``postgres://``). The composition root opens
the backend named; settings, the job locks and the tests ask this module which one a URL is.
"""

from __future__ import annotations

import enum
import os

ACCEPTED = "sqlite:///, postgresql:// or memory://"
DEFAULT_SQLITE_PATH = "hamyon.db"


class Backend(enum.Enum):
    MEMORY = "memory"
    SQLITE = "sqlite"
    POSTGRES = "postgres"

    @property
    def is_sql(self) -> bool:
        """A SQL storage keeps its sensitive columns sealed (``adapters.sealed``)."""
        return self is not Backend.MEMORY


_SCHEMES = (("memory:", Backend.MEMORY), ("sqlite:", Backend.SQLITE),
            ("postgresql:", Backend.POSTGRES), ("postgres:", Backend.POSTGRES))


def backend_of(database_url: str) -> Backend:
    """The backend a URL names; an unknown scheme raises ``ValueError`` naming the accepted ones."""
    for scheme, backend in _SCHEMES:
        if database_url.startswith(scheme):
            return backend
    raise ValueError(f"database URL must start with {ACCEPTED}")


def sqlite_path(database_url: str) -> str:
    """The file a ``sqlite:`` URL names."""
    path = database_url.removeprefix("sqlite:").removeprefix("///").removeprefix("//")
    return path or DEFAULT_SQLITE_PATH


def existing_sqlite_file(database_url: str) -> str:
    """The file a ``sqlite:`` URL names, which must exist: ``FileNotFoundError`` otherwise (a
    command that only reads never creates a database, nor one that is not to migrate it)."""
    path = sqlite_path(database_url)
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    return path


def shown(database_url: str) -> str:
    """The database a URL names, fit for a message or a log line: a SQLite file's path, a Postgres
    server's ``host:port/database`` without user or password."""
    backend = backend_of(database_url)
    if backend is Backend.SQLITE:
        return sqlite_path(database_url)
    if backend is Backend.POSTGRES:
        return database_url.split("@")[-1].split("?")[0]
    return database_url
