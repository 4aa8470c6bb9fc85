"""Applying the numbered SQL migrations of ``adapters/postgres/migrations`` to a database (or schema).

Each migration runs in its own transaction together with the row that records it in
``schema_migrations``, so a failed one leaves nothing half applied. A session advisory lock per schema
makes processes that migrate at once take turns: the second finds everything applied and does nothing.
"""

from __future__ import annotations

import contextlib
import re

import asyncpg

from adapters.migrations import load_migrations
from adapters.postgres.session import storage_errors

MIGRATIONS = "adapters.postgres.migrations"
# First half of every two-key advisory lock Hamyon's migrations take ("HYMG").
MIGRATION_LOCK = 0x48594D47
_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER     NOT NULL PRIMARY KEY,
    name        TEXT        NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
)"""
_SCHEMA_KEY = "hashtext(coalesce(current_schema(), ''))"


def checked_schema(schema: str) -> str:
    """A schema name safe to put in a statement and in ``search_path``."""
    if not _SCHEMA_NAME.fullmatch(schema):
        raise ValueError(f"schema name {schema!r} must be letters, digits and underscores")
    return schema


async def connect(dsn: str, schema: str | None = None) -> asyncpg.Connection:
    """A single connection whose ``search_path`` is ``schema``, creating the schema if missing."""
    settings = {"search_path": checked_schema(schema)} if schema else {}
    with storage_errors():
        connection = await asyncpg.connect(dsn, server_settings=settings)
        if schema:
            await create_schema(connection, schema)
    return connection


async def create_schema(connection: asyncpg.Connection, schema: str) -> None:
    # Two processes creating the same schema at once would collide in the catalog; take turns.
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1, hashtext($2))", MIGRATION_LOCK, schema)
        await connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{checked_schema(schema)}"')


async def apply_migrations(connection: asyncpg.Connection) -> list[int]:
    """Apply the migrations not yet recorded; return the versions applied now (ascending)."""
    with storage_errors():
        await connection.execute(f"SELECT pg_advisory_lock($1, {_SCHEMA_KEY})", MIGRATION_LOCK)
        try:
            return await _apply_pending(connection)
        finally:
            with contextlib.suppress(Exception):  # a lost connection frees the lock by itself
                await connection.execute(f"SELECT pg_advisory_unlock($1, {_SCHEMA_KEY})", MIGRATION_LOCK)


async def _apply_pending(connection: asyncpg.Connection) -> list[int]:
    await connection.execute(_CREATE_TABLE)
    applied = {row["version"] for row in await connection.fetch("SELECT version FROM schema_migrations")}
    done: list[int] = []
    for migration in load_migrations(MIGRATIONS):
        if migration.version in applied:
            continue
        async with connection.transaction():
            await connection.execute(migration.sql)
            await connection.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                migration.version, migration.name,
            )
        done.append(migration.version)
    return done


async def migrate_postgres(dsn: str, schema: str | None = None) -> list[int]:
    """Bring the database (or ``schema`` in it, created if missing) up to date; the versions applied."""
    connection = await connect(dsn, schema)
    try:
        return await apply_migrations(connection)
    finally:
        await connection.close()
