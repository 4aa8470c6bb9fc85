"""One unit of work's connection: every statement passes through here, so that driver errors reach
the application as the storage port's own errors.

The connection is taken from the pool and the transaction begun on the first statement; a unit that
never touches the database costs nothing. After ``commit`` or ``rollback`` the next statement
begins a new transaction. A writing unit holds back the writes nobody reads (``adapters.postgres.
pending``) and sends them together before its next statement or COMMIT; a unit whose only statements
are held writes sends them as one statement, atomic by itself, with no BEGIN or COMMIT at all.

A writing unit its caller retries (``PostgresStorage.unit_of_work``) is optimistic and goes
further: until it needs a transaction, its plain reads run on their own (``run_alone``) and the
wallets it locks are only watched (``watch``: their version noted), but for those units of this
process just fought over (``adapters.postgres.contention``), which it locks for real. If all it
then has to write are held writes, its commit is that one statement, which writes only if every
watched wallet still has the version read (and raises the versions): no BEGIN, no COMMIT, no row
lock held across round trips. If another unit changed a watched wallet meanwhile, nothing is
written and ``WalletChanged`` (transient: the unit is run again) is raised. (A unit that watched
two wallets or more commits in a transaction instead, each wallet locked at the version read
first: one statement would save the balances of the unchanged ones without the rest.) The first
statement that does need the transaction begins it and then locks the watched wallets, checking
their versions the same way, so from there on the unit is an ordinary one.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import asyncpg

from adapters.postgres.contention import Contention, WalletKey
from adapters.postgres.pending import LOCK_WATCHED, PendingWrites, Table, Watched
from adapters.postgres.pool import ConnectionPool
from domain.ledger import Wallet
from ports.storage import CommitOutcomeUnknown, Conflict, TransientStorageError

# A retry of the whole unit may succeed where these failed.
_TRANSIENT = (
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.PostgresConnectionError,  # class 08, ConnectionDoesNotExistError among them
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.LockNotAvailableError,
    OSError,  # a refused or dropped socket; TimeoutError is one too
    # The driver lost track of the exchange, as when the server ends a session mid-statement.
    asyncpg.InternalClientError,
)
# Lost with the connection while a statement was on its way: the server may have run it or not.
_LOST = (
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.InternalClientError,
    OSError,
)
# After these the transaction is over but the connection is sound: roll back and reuse it.
_CONNECTION_SOUND = (asyncpg.TransactionRollbackError, asyncpg.LockNotAvailableError)


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Translate driver errors: a unique key → ``Conflict(name)``, a lost connection or a
    serialization failure → ``TransientStorageError``."""
    try:
        yield
    except asyncpg.UniqueViolationError as error:
        raise Conflict(error.constraint_name or "unique") from error
    except _TRANSIENT as error:
        raise TransientStorageError(str(error) or type(error).__name__) from error
    except asyncpg.InterfaceError as error:
        if "closed" in str(error) or "released" in str(error):
            raise TransientStorageError(str(error)) from error
        raise


Connection = asyncpg.Connection


class WalletChanged(TransientStorageError):
    """Another unit changed a wallet this optimistic unit watched: nothing of it was written."""

    def __init__(self) -> None:
        super().__init__("a wallet this unit read changed before it committed; nothing was written")


class Session:
    """A lazily opened connection + transaction of one unit of work."""

    def __init__(self, pool: ConnectionPool, *, write: bool, optimistic: bool = False,
                 contention: Contention | None = None) -> None:
        self._pool = pool
        self.write = write
        self._optimistic = write and optimistic
        self._contention = contention or Contention()
        self._connection: Connection | None = None
        self._transaction: asyncpg.transaction.Transaction | None = None
        self._broken = False
        self._pending = PendingWrites()
        self._watched: dict[WalletKey, Watched] = {}
        self._known: dict[WalletKey, Wallet] = {}

    def known(self, key: WalletKey) -> Wallet | None:
        """A wallet this unit locked or watched already, as the unit last left it. Locking it again
        costs no round trip: the row is the unit's until it ends, or watched at a version that the
        commit checks (a batch of charges of one wallet thus reads it once: ``application.lanes``)."""
        wallet = self._known.get(key)
        return wallet.copy() if wallet is not None else None

    def remember(self, key: WalletKey, wallet: Wallet) -> None:
        """Note a wallet this unit has just locked or watched (``known``)."""
        self._known[key] = wallet.copy()

    @property
    def watching(self) -> bool:
        """True while wallets are to be watched rather than locked: an optimistic unit that has
        not begun its transaction and holds no writes (they would begin it with the next
        statement, and a wallet read then must be locked)."""
        return self._optimistic and self._transaction is None and not self._pending

    def watches(self, key: WalletKey) -> bool:
        """Whether a lock of this wallet is to be a watch: while ``watching``, unless units just
        fought over it."""
        return self.watching and not self._contention.is_hot(key)

    def watch(self, key: WalletKey, seen: Watched) -> None:
        """Note a wallet read without a lock; read again at another version, it has changed."""
        known = self._watched.setdefault(key, seen)
        if known.version != seen.version:
            raise self._changed([key])

    def _changed(self, wallets: Sequence[WalletKey]) -> WalletChanged:
        self._contention.lost(wallets)
        return WalletChanged()

    async def run_alone(self, method: str, sql: str, *args: Any) -> Any:
        """A statement that needs no transaction around it (a plain read; the idempotent insert of
        a wallet's first appearance). While ``watching`` it runs on its own, seeing what is
        committed; otherwise it runs in the unit's transaction like any other."""
        if self.watching:
            with self._guarded():
                return await getattr(await self._acquired(), method)(sql, *args)
        return await self._run(method, sql, args)

    async def hold(self, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert ``rows`` into ``table`` with the unit's next statement."""
        self._pending.add(table, rows)
        await self._sent_if_reading()

    async def hold_wallet(self, row: tuple[Any, ...], wallet: Wallet) -> None:
        """Upsert a wallet (``row``: user_id, currency, balance, is_blocked, created_at) likewise."""
        self._pending.save_wallet(row)
        key = (wallet.user_id, wallet.currency.value)
        if key in self._known:
            self._known[key] = wallet.copy()
        await self._sent_if_reading()

    async def _sent_if_reading(self) -> None:
        if not self.write:  # sent at once, to be refused there as any write in a read-only unit
            with self._guarded():
                await self._begun()

    async def _acquired(self) -> Connection:
        if self._connection is None:
            self._connection = await self._pool.acquire()
        return self._connection

    async def _begun(self) -> Connection:
        connection = await self._acquired()
        if self._transaction is None:
            # Read units see one snapshot across their queries (verify compares two of them).
            transaction = self._connection.transaction(
                isolation="read_committed" if self.write else "repeatable_read",
                readonly=not self.write,
            )
            try:
                await transaction.start()
            except BaseException:
                # Cancelled or failed while BEGIN was on its way: asyncpg has already marked the
                # connection's transaction as begun, and the next unit lent the connection would
                # run in it (its "commit" a savepoint's release, nothing stored). Discarded instead.
                self._broken = True
                raise
            self._transaction = transaction
            if self._watched:
                await self._lock_watched(connection)
        if self._pending:
            await self._flush(connection)
        return connection

    async def _lock_watched(self, connection: Connection) -> None:
        """Lock the watched wallets now that the transaction has begun, each at the version read."""
        watched, self._watched = self._watched, {}
        for (user_id, currency), seen in watched.items():
            if await connection.fetchval(LOCK_WATCHED, user_id, currency, seen.version) is None:
                raise self._changed([(user_id, currency)])

    async def _flush(self, connection: Connection) -> None:
        sql, args = self._pending.take()
        await connection.execute(sql, *args)

    async def _flush_watched(self, connection: Connection) -> None:
        """The held writes, written only if no watched wallet changed (versions raised)."""
        watched, self._watched = self._watched, {}
        sql, args = self._pending.take(watched)
        if not await connection.fetchval(sql, *args):
            raise self._changed(list(watched))

    async def execute(self, sql: str, *args: Any) -> str:
        return await self._run("execute", sql, args)

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self._run("fetch", sql, args)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self._run("fetchrow", sql, args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await self._run("fetchval", sql, args)

    async def _run(self, method: str, sql: str, args: Sequence[Any]) -> Any:
        with self._guarded():
            return await getattr(await self._begun(), method)(sql, *args)

    @contextlib.contextmanager
    def _guarded(self) -> Iterator[None]:
        try:
            with storage_errors():
                yield
        except TransientStorageError as error:
            # Only a driver's error can leave the connection unsound (``WalletChanged`` cannot).
            cause = error.__cause__
            self._broken = self._broken or (cause is not None and not isinstance(cause, _CONNECTION_SOUND))
            raise

    async def commit(self) -> None:
        with self._guarded():
            if self._transaction is None and self._watched:
                if not self._pending:  # it only read: nothing to write, nothing to check
                    self._watched, self._known = {}, {}
                    return
                if len(self._watched) == 1:  # one statement: the check and the writes together
                    connection = await self._acquired()
                    async with self._committing():
                        await self._flush_watched(connection)
                    self._watched, self._known = {}, {}
                    return
                # Two wallets or more: one statement would raise the version and save the balance
                # of those unchanged even when another had changed. The transaction locks each at
                # the version read first (any change: ``WalletChanged``), then writes.
                await self._begun()
            if self._pending:
                connection = await self._acquired()
                # Alone, the held writes are one statement: atomic without a transaction around
                # it, and itself the commit.
                async with self._committing() if self._transaction is None else contextlib.nullcontext():
                    await self._flush(connection)
            transaction, self._transaction = self._transaction, None
            self._known = {}
            if transaction is not None:
                async with self._committing():
                    await transaction.commit()

    @contextlib.asynccontextmanager
    async def _committing(self) -> AsyncIterator[None]:
        """Around the statement that commits: a connection lost while it was on its way may have
        been lost after the server committed, so that is ``CommitOutcomeUnknown``, not a
        transient error that the unit's caller would answer by running the unit again."""
        try:
            yield
        except _LOST as error:
            self._broken = True
            raise CommitOutcomeUnknown() from error

    async def rollback(self) -> None:
        self._pending, self._watched, self._known = PendingWrites(), {}, {}
        transaction, self._transaction = self._transaction, None
        if transaction is not None:
            with self._guarded():
                await transaction.rollback()

    async def close(self) -> None:
        """Roll back what was not committed and give the connection back; a connection that failed
        under us (or is somehow still in a transaction) is closed instead, so that the pool opens a
        sound one for the next unit."""
        self._pending, self._watched, self._known = PendingWrites(), {}, {}
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if not self._broken:
                with contextlib.suppress(TransientStorageError, asyncpg.InterfaceError):
                    await self.rollback()
        finally:
            self._transaction = None
            if self._broken or connection.is_closed() or connection.is_in_transaction():
                self._pool.discard(connection)
            else:
                self._pool.release(connection)
