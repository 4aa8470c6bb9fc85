"""The Postgres adapter (asyncpg): storage for any number of server processes on one database."""

from adapters.postgres.migrate import migrate_postgres
from adapters.postgres.storage import PostgresStorage, PostgresUnitOfWork, open_postgres

__all__ = ["PostgresStorage", "PostgresUnitOfWork", "migrate_postgres", "open_postgres"]
