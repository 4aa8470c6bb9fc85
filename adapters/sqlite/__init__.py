"""SQLite storage (aiosqlite): one WAL database file, numbered SQL migrations, writers in turn."""

from adapters.sqlite.migrate import migrate_sqlite
from adapters.sqlite.storage import SqliteStorage, SqliteUnitOfWork, open_sqlite

__all__ = ["SqliteStorage", "SqliteUnitOfWork", "migrate_sqlite", "open_sqlite"]
