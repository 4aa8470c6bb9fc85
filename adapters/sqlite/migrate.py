"""Applying the numbered SQL migrations of ``adapters/sqlite/migrations`` to a database file.

Each migration runs in its own ``BEGIN IMMEDIATE`` transaction together with the row that records it
in ``schema_migrations``, so a failed one leaves nothing half applied (SQLite's DDL is
transactional). Processes that migrate at once take turns on the write lock; the version is checked
again inside the transaction, so the later one applies nothing twice.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from datetime import UTC, datetime

import aiosqlite

from adapters.migrations import Migration, load_migrations
from adapters.sqlite.connections import connect, storage_errors
from adapters.sqlite.values import time_text

MIGRATIONS = "adapters.sqlite.migrations"
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    applied_at  TEXT    NOT NULL
)"""


def statements(script: str) -> list[str]:
    """The statements of a script, one by one (``executescript`` would commit our transaction)."""
    found: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if _has_code(pending):
                found.append(pending.strip())
            pending = ""
    if _has_code(pending.removesuffix(";")):
        raise ValueError(f"migration ends inside a statement: {pending.strip()[:80]!r}")
    return found


def _has_code(text: str) -> bool:
    code_lines = (line.split("--", 1)[0] for line in _BLOCK_COMMENT.sub(" ", text).splitlines())
    return any(line.strip(" \t;") for line in code_lines)


async def applied_versions(connection: aiosqlite.Connection) -> set[int]:
    tables = await connection.execute_fetchall(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    )
    if not list(tables):
        return set()
    return {row[0] for row in await connection.execute_fetchall("SELECT version FROM schema_migrations")}


async def apply_migrations(connection: aiosqlite.Connection) -> list[int]:
    """Apply the migrations not yet recorded; return the versions applied now (ascending)."""
    with storage_errors():
        already = await applied_versions(connection)
        done: list[int] = []
        for migration in load_migrations(MIGRATIONS):
            if migration.version not in already and await _apply(connection, migration):
                done.append(migration.version)
        return done


async def _apply(connection: aiosqlite.Connection, migration: Migration) -> bool:
    await connection.execute_fetchall("BEGIN IMMEDIATE")
    try:
        await connection.execute_fetchall(_CREATE_TABLE)
        if migration.version in await applied_versions(connection):
            await connection.execute_fetchall("ROLLBACK")
            return False  # another process applied it while we waited for the lock
        for statement in statements(migration.sql):
            await connection.execute_fetchall(statement)
        await connection.execute_fetchall(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, time_text(datetime.now(UTC))),
        )
        await connection.execute_fetchall("COMMIT")
        return True
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            await connection.execute_fetchall("ROLLBACK")
        raise


async def migrate_sqlite(path: str) -> list[int]:
    """Bring the database file at ``path`` (created if missing) up to date; the versions applied."""
    connection = await connect(path)
    try:
        return await apply_migrations(connection)
    finally:
        await connection.close()
