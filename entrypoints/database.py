"""The database a command names: which of the shipped migrations it lacks, applying them, and
each failure to open or prepare it as one ``CommandError`` line that names the database and what
to do (an unreachable Postgres; a database missing, not migrated, not SQLite or not openable),
never the driver's traceback.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from adapters.migrations import Migration, load_migrations
from adapters.storage_url import Backend, backend_of, existing_sqlite_file, shown, sqlite_path
from entrypoints.command_error import CommandError
from ports.storage import StorageError


async def migrate_storage(database_url: str) -> list[Migration]:
    """Apply the migrations the database lacks (creating a SQLite file if missing); those applied."""
    shipped = _shipped(database_url)
    if not shipped:
        return []
    if backend_of(database_url) is Backend.SQLITE:
        from adapters.sqlite.migrate import migrate_sqlite

        versions = await migrate_sqlite(sqlite_path(database_url))
    else:
        from adapters.postgres.migrate import migrate_postgres

        versions = await migrate_postgres(database_url)
    return [migration for migration in shipped if migration.version in versions]


async def ensure_migrated(database_url: str) -> None:
    """Refuse (``CommandError``) a database that is missing or lacks a shipped migration."""
    pending = await pending_migrations(database_url)
    if pending:
        raise CommandError(f"the database {shown(database_url)} is not migrated ({len(pending)} "
                           f"migrations pending, from {label(pending[0])}): run `hamyon migrate`")


async def pending_migrations(database_url: str) -> list[Migration]:
    """The shipped migrations the database has not applied, ascending (none for memory://)."""
    shipped = _shipped(database_url)
    if not shipped:
        return []
    applied = await _sqlite_applied(_existing(database_url)) \
        if backend_of(database_url) is Backend.SQLITE else await _postgres_applied(database_url)
    return [migration for migration in shipped if migration.version not in applied]


def _shipped(database_url: str) -> list[Migration]:
    """The migrations the database's adapter ships (none for memory://)."""
    backend = backend_of(database_url)
    if backend is Backend.SQLITE:
        from adapters.sqlite.migrate import MIGRATIONS
    elif backend is Backend.POSTGRES:
        from adapters.postgres.migrate import MIGRATIONS
    else:
        return []
    return list(load_migrations(MIGRATIONS))


def label(migration: Migration) -> str:
    """How a migration is named to a person: its file's name, ``0001_initial``."""
    return f"{migration.version:04d}_{migration.name}"


def _existing(database_url: str) -> str:
    try:
        return existing_sqlite_file(database_url)
    except FileNotFoundError:
        raise CommandError(f"no database at {sqlite_path(database_url)}: check HAMYON_DATABASE_URL, "
                           "or run `hamyon migrate` to create it") from None


async def _sqlite_applied(path: str) -> set[int]:
    from adapters.sqlite.connections import connect, read_only
    from adapters.sqlite.migrate import applied_versions

    connection = await connect(read_only(path))
    try:
        return await applied_versions(connection)
    finally:
        await connection.close()


async def _postgres_applied(dsn: str) -> set[int]:
    # The versions the adapter's migrations record (``adapters.postgres.migrate``), read only.
    from adapters.postgres.migrate import connect

    connection = await connect(dsn)
    try:
        if await connection.fetchval("SELECT to_regclass('schema_migrations')") is None:
            return set()
        return {row[0] for row in await connection.fetch("SELECT version FROM schema_migrations")}
    finally:
        await connection.close()


@contextlib.contextmanager
def storage_problems(database_url: str) -> Iterator[None]:
    """The driver's or the storage's error while opening or preparing the database, raised as a
    ``CommandError`` that names the database and the cause in one line."""
    try:
        yield
    except _opening_errors(database_url) as error:
        raise CommandError(_cannot_open(database_url, error)) from None


def _opening_errors(database_url: str) -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (StorageError, OSError, sqlite3.Error)
    if backend_of(database_url) is Backend.POSTGRES:
        import asyncpg  # named only for Postgres, as the composition root opens it only then

        errors += (asyncpg.PostgresError, asyncpg.InterfaceError)
    return errors


def _cannot_open(database_url: str, error: BaseException) -> str:
    detail = " ".join(str(error).split()) or type(error).__name__
    if backend_of(database_url) is Backend.POSTGRES:
        unreachable = isinstance(error, (StorageError, OSError))
        advice = "is the server up and reachable?" if unreachable else "check HAMYON_DATABASE_URL"
        return f"cannot use Postgres at {shown(database_url)}: {detail} ({advice})"
    path = sqlite_path(database_url)
    return f"cannot open the SQLite database {path}: {_sqlite_reason(Path(path), detail)}"


def _sqlite_reason(path: Path, detail: str) -> str:
    if path.is_dir():
        return "it is a directory, not a database file"
    if not path.parent.is_dir():
        return f"its directory {path.parent} does not exist"
    if detail == "file is not a database":
        return "the file is not a SQLite database"
    if path.exists() and not os.access(path, os.R_OK):
        return "no permission to read it"
    return detail
