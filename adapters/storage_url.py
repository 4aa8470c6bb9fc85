"""Which storage a database URL names: the one place its schemes are read.

``memory://`` (nothing kept past the process), ``sqlite:///path/to/file.db`` (``sqlite:`` alone
is ``hamyon.db`` here) and ``postgresql://...`` (or ``postgres://``). The composition root opens
the backend named; settings, the job locks and the tests ask this module which one a URL is.
"""

from __future__ import annotations

import enum

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
