"""The Postgres storage: a pool of asyncpg connections (``adapters.postgres.pool``) handing out
units of work.

A writing unit runs in one READ COMMITTED transaction in which ``lock`` takes row locks
(``UPDATE`` of the wallet's version, ``SELECT ... FOR UPDATE`` of a payment) held until commit or
rollback (a unit its caller retries watches its wallets instead, until it needs that
transaction: ``adapters.postgres.session``); a reading unit runs in one read-only
REPEATABLE READ transaction, so all its queries see the same moment. Nothing is written until
``commit()``.
"""

from __future__ import annotations

from adapters.postgres.billing import PgBillingRepository, PgGatewayConfigRepository
from adapters.postgres.contention import Contention
from adapters.postgres.events import PgEventRepository
from adapters.postgres.journal import PgAuditRepository, PgIdempotencyStore, PgPaymentLogRepository
from adapters.postgres.ledger import PgLedgerRepository
from adapters.postgres.migrate import checked_schema, connect, migrate_postgres
from adapters.postgres.pool import ConnectionPool
from adapters.postgres.queries import POSTGRES, Alone
from adapters.postgres.reports import REPORT_SQL
from adapters.postgres.rotation import PgSealedTables
from adapters.postgres.session import Session, storage_errors
from adapters.postgres.usage import PgUsageRepository
from adapters.postgres.wallets import PgWalletRepository
from adapters.sealed import ROTATION_BATCH, Progress
from adapters.sql.rotation import rotate_keys
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.unit_of_work import repository
from ports.services import Cipher


class PostgresUnitOfWork(SqlUnitOfWork):
    dialect = POSTGRES
    report_sql = REPORT_SQL
    queries = repository(lambda unit: unit.session)
    reads = repository(lambda unit: Alone(unit.session))

    wallets = repository(lambda unit: PgWalletRepository(unit.session))
    ledger = repository(lambda unit: PgLedgerRepository(unit.session))
    gateways = repository(lambda unit: PgGatewayConfigRepository(unit.session))
    billing = repository(lambda unit: PgBillingRepository(unit.session))
    usage = repository(lambda unit: PgUsageRepository(unit.session))
    idempotency = repository(lambda unit: PgIdempotencyStore(unit.session))
    payment_logs = repository(lambda unit: PgPaymentLogRepository(unit.session, unit.cipher))
    audit = repository(lambda unit: PgAuditRepository(unit.session))
    events = repository(lambda unit: PgEventRepository(unit.session))

    def __init__(self, session: Session, *, cipher: Cipher | None) -> None:
        super().__init__(session, cipher)


class PostgresStorage:
    """Hands out units of work over one pool; ``close()`` waits for the units in flight."""

    # One wallet's concurrent charges from this process should take turns before they get here:
    # racing the optimistic wallet check, every loser pays a failed write and a retry.
    wallet_lanes = True

    def __init__(self, pool: ConnectionPool, *, cipher: Cipher | None = None,
                 schema: str | None = None) -> None:
        self._pool = pool
        self._cipher = cipher
        self.schema = schema
        self._contention = Contention()

    def unit_of_work(self, *, write: bool = True, retried: bool = False) -> PostgresUnitOfWork:
        """A writing unit its caller retries is optimistic (``adapters.postgres.session``): it
        watches the wallets it locks, but those units of this process just fought over."""
        session = Session(self._pool, write=write, optimistic=retried, contention=self._contention)
        return PostgresUnitOfWork(session, cipher=self._cipher)

    async def rotate_keys(self, cipher: Cipher | None = None, progress: Progress | None = None, *,
                          batch: int = ROTATION_BATCH) -> int:
        """Re-seal every sealed value with ``cipher`` (by default this storage's own), ``batch``
        values per transaction (``adapters.sql.rotation``); returns how many were re-encrypted."""
        return await rotate_keys(PgSealedTables(self._pool), cipher or self._cipher, progress,
                                 batch=batch)

    async def close(self) -> None:
        await self._pool.close()


async def open_postgres(
    dsn: str, *, schema: str | None = None, migrate: bool = False, min_size: int = 1,
    max_size: int = 10, cipher: Cipher | None = None,
) -> PostgresStorage:
    """Open a pool on ``dsn``. With ``schema``, every connection works in that schema (created if
    missing). With ``migrate``, pending migrations are applied first. With ``cipher``, the sealed
    columns (``adapters.sealed``: payment log payloads, tracking codes, doctors' extra fields) are
    stored encrypted."""
    if migrate:
        await migrate_postgres(dsn, schema)
    elif schema:
        await (await connect(dsn, schema)).close()
    settings = {"search_path": checked_schema(schema)} if schema else None
    with storage_errors():
        pool = await ConnectionPool.open(dsn, min_size=min_size, max_size=max_size,
                                         server_settings=settings)
    return PostgresStorage(pool, cipher=cipher, schema=schema)
