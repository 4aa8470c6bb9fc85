"""The Postgres storage: a pool of asyncpg connections (``adapters.postgres.pool``) handing out
units of work.

A writing unit runs in one READ COMMITTED transaction in which ``lock`` takes row locks
(``UPDATE`` of the wallet's version, ``SELECT ... FOR UPDATE`` of a payment) held until commit or
rollback (an optimistic unit watches its wallets instead, until it needs that transaction:
``adapters.postgres.session``); a reading unit runs in one read-only
REPEATABLE READ transaction, so all its queries see the same moment. Nothing is written until
``commit()``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from adapters.postgres.billing import PgBillingRepository, PgGatewayConfigRepository
from adapters.postgres.doctors import PgDoctorRepository, PgSecretRepository
from adapters.postgres.ledger import PgLedgerRepository
from adapters.postgres.migrate import checked_schema, connect, migrate_postgres
from adapters.postgres.payments import PgPaymentRepository
from adapters.postgres.pool import ConnectionPool
from adapters.postgres.records import PgAuditRepository, PgIdempotencyStore, PgPaymentLogRepository
from adapters.postgres.rotation import rotate_keys
from adapters.postgres.session import Session, storage_errors
from adapters.postgres.usage import PgUsageRepository
from adapters.postgres.wallets import PgWalletRepository
from adapters.sealed import ROTATION_BATCH, Progress
from ports.services import Cipher


class PostgresUnitOfWork:
    def __init__(self, pool: ConnectionPool, *, write: bool, cipher: Cipher | None,
                 optimistic: bool = False) -> None:
        self._session = session = Session(pool, write=write, optimistic=optimistic)
        self.wallets = PgWalletRepository(session)
        self.ledger = PgLedgerRepository(session)
        self.payments = PgPaymentRepository(session, cipher)
        self.gateways = PgGatewayConfigRepository(session)
        self.billing = PgBillingRepository(session)
        self.usage = PgUsageRepository(session)
        self.idempotency = PgIdempotencyStore(session)
        self.payment_logs = PgPaymentLogRepository(session, cipher)
        self.audit = PgAuditRepository(session)
        self.doctors = PgDoctorRepository(session, cipher)
        self.secrets = PgSecretRepository(session)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()

    async def rollback(self) -> None:
        await self._session.rollback()


class PostgresStorage:
    """Hands out units of work over one pool; ``close()`` waits for the units in flight."""

    def __init__(self, pool: ConnectionPool, *, cipher: Cipher | None = None,
                 schema: str | None = None) -> None:
        self._pool = pool
        self._cipher = cipher
        self.schema = schema

    def unit_of_work(self, *, write: bool = True, optimistic: bool = False) -> PostgresUnitOfWork:
        return PostgresUnitOfWork(self._pool, write=write, cipher=self._cipher, optimistic=optimistic)

    async def rotate_keys(self, cipher: Cipher | None = None, progress: Progress | None = None, *,
                          batch: int = ROTATION_BATCH) -> int:
        """Re-encrypt every sealed value (``adapters.sealed``) with ``cipher``'s current key (by
        default this storage's own cipher), ``batch`` values per transaction, calling
        ``progress(done, total)`` after each batch; returns how many values were re-encrypted.
        Old values must open with one of the cipher's keys."""
        rotating = cipher or self._cipher
        if rotating is None:
            raise ValueError("rotate_keys needs a cipher: this storage was opened without one")
        return await rotate_keys(self._pool, rotating, progress, batch=batch)

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
