"""The SQLite storage: one database file, a small pool of connections, units of work over it.

A writing unit holds SQLite's write lock (``BEGIN IMMEDIATE``) from its first statement to its end,
so ``lock`` serializes units across tasks and processes alike; a reading unit sees one moment and
never waits for the writer (WAL). Nothing is written until ``commit()``.
"""

from __future__ import annotations

from adapters.sealed import ROTATION_BATCH, Progress
from adapters.sql.rotation import rotate_keys
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.sqlite.billing import SqliteBillingRepository, SqliteGatewayConfigRepository
from adapters.sqlite.connections import BUSY_TIMEOUT_SECONDS, checked_path, checked_synchronous
from adapters.sqlite.events import SqliteEventRepository
from adapters.sqlite.journal import SqliteAuditRepository, SqliteIdempotencyStore, SqlitePaymentLogRepository
from adapters.sqlite.ledger import SqliteLedgerRepository
from adapters.sqlite.migrate import migrate_sqlite
from adapters.sqlite.pool import MAX_READERS, ConnectionPool
from adapters.sqlite.queries import SQLITE, SqliteQueries
from adapters.sqlite.reports import REPORT_SQL
from adapters.sqlite.rotation import SqliteSealedTables
from adapters.sqlite.session import session_for
from adapters.sqlite.usage import SqliteUsageRepository
from adapters.sqlite.wallets import SqliteWalletRepository
from adapters.unit_of_work import repository
from ports.services import Cipher

DEFAULT_PATH = "hamyon.db"


class SqliteUnitOfWork(SqlUnitOfWork):
    dialect = SQLITE
    report_sql = REPORT_SQL
    queries = repository(lambda unit: SqliteQueries(unit.session))
    reads = repository(lambda unit: unit.queries)

    wallets = repository(lambda unit: SqliteWalletRepository(unit.session))
    ledger = repository(lambda unit: SqliteLedgerRepository(unit.session))
    gateways = repository(lambda unit: SqliteGatewayConfigRepository(unit.session))
    billing = repository(lambda unit: SqliteBillingRepository(unit.session))
    usage = repository(lambda unit: SqliteUsageRepository(unit.session))
    idempotency = repository(lambda unit: SqliteIdempotencyStore(unit.session))
    payment_logs = repository(lambda unit: SqlitePaymentLogRepository(unit.session, unit.cipher))
    audit = repository(lambda unit: SqliteAuditRepository(unit.session))
    events = repository(lambda unit: SqliteEventRepository(unit.session))

    def __init__(self, pool: ConnectionPool, *, write: bool, cipher: Cipher | None) -> None:
        super().__init__(session_for(pool, write=write), cipher)


class SqliteStorage:
    """Hands out units of work over one database file; ``close()`` closes every connection."""

    def __init__(self, pool: ConnectionPool, *, path: str, cipher: Cipher | None = None) -> None:
        self._pool = pool
        self._cipher = cipher
        self.path = path

    def unit_of_work(self, *, write: bool = True, retried: bool = False) -> SqliteUnitOfWork:
        """A unit's locks are held whether or not it is ``retried``: writers take turns on one
        connection anyway, so a check at commit would save no wait."""
        return SqliteUnitOfWork(self._pool, write=write, cipher=self._cipher)

    async def rotate_keys(self, cipher: Cipher | None = None, progress: Progress | None = None, *,
                          batch: int = ROTATION_BATCH) -> int:
        """Re-seal every sealed value with ``cipher`` (by default this storage's own), ``batch``
        values per unit (``adapters.sql.rotation``); returns how many were re-encrypted."""
        return await rotate_keys(SqliteSealedTables(self._pool), cipher or self._cipher, progress,
                                 batch=batch)

    async def close(self) -> None:
        await self._pool.close()


async def open_sqlite(
    path: str = DEFAULT_PATH, *, synchronous: str = "FULL", migrate: bool = True,
    cipher: Cipher | None = None, busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    max_readers: int = MAX_READERS,
) -> SqliteStorage:
    """Open the database file at ``path`` (created if missing). ``synchronous`` is FULL (the
    default: a commit survives a power cut), NORMAL or EXTRA. With ``migrate``, pending migrations
    are applied first. With ``cipher``, the sealed columns (``adapters.sealed``: payment log payloads,
    tracking codes, doctors' extra fields) are stored encrypted."""
    mode = checked_synchronous(synchronous)
    checked_path(path)
    if migrate:
        await migrate_sqlite(path)
    pool = ConnectionPool(path, mode, busy_timeout=busy_timeout, max_readers=max_readers)
    await pool.open()
    return SqliteStorage(pool, path=path, cipher=cipher)
