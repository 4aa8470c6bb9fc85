"""The storage port: a unit of work and the repositories the use cases need.

Rules every adapter guarantees (the contract suite in ``tests/contract`` proves them):
- A unit of work commits only on an explicit ``commit()``; leaving the block without it rolls back.
- Inside a *writing* unit of work, ``lock`` methods hold the row until the end of the unit: two
  units that lock the same wallet or payment run one after the other, never interleaved.
- Unique keys (gateway + external id of an attempt, idempotency key) are enforced; breaking one
  raises ``Conflict``. ``TransientStorageError`` means the whole unit may be retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from domain.billing import EVERY_COUNT, BillingRule, BillingSettings, Usage, UsageCount, UsageSnapshot
from domain.doctors import Doctor
from domain.ledger import Account, Entry, Transfer, Wallet
from domain.money import Currency
from domain.payments import Attempt, GatewayConfig, Payment, PaymentLog, PaymentStatus
from domain.records import (
    AuditEntry,
    DailyUsage,
    IdempotencyRecord,
    Page,
    PageRequest,
    PaymentSummary,
    ServiceSummary,
    WalletTotals,
    WalletTransaction,
)


class StorageError(Exception):
    """Base of the storage port's own errors (adapters translate driver errors into these)."""


class Conflict(StorageError):
    """A unique key was already taken (``constraint`` names which)."""

    def __init__(self, constraint: str) -> None:
        self.constraint = constraint
        super().__init__(f"unique constraint {constraint} violated")


class TransientStorageError(StorageError):
    """Serialization failure, deadlock, lost connection, busy database: retry the whole unit."""


class WalletRepository(Protocol):
    async def get(self, user_id: str, currency: Currency) -> Wallet | None: ...

    async def lock(self, user_id: str, currency: Currency, now: datetime) -> Wallet:
        """The wallet, created at zero if it does not exist, locked until the unit ends: no other
        unit's change to it commits between this read and this unit's end. In an optimistic unit
        the lock may be a promise instead of a wait: the unit's ``commit`` raises
        ``TransientStorageError`` (and keeps nothing) if another unit changed the wallet meanwhile."""
        ...

    async def save(self, wallet: Wallet) -> None: ...

    async def for_user(self, user_id: str) -> list[Wallet]: ...

    async def balances(self) -> dict[Account, int]:
        """Every wallet's stored balance (for ``verify``)."""
        ...


class LedgerRepository(Protocol):
    async def append(self, transfer: Transfer, entries: Sequence[Entry]) -> None: ...

    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        """The wallet side of its transfers, newest first."""
        ...

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals: ...

    async def transfers_for(self, reference: str) -> list[Transfer]: ...

    async def entry_sums(self) -> dict[Account, int]:
        """The sum of every account's entries (for ``verify``)."""
        ...

    async def transfer_count(self) -> int: ...

    async def unbalanced_transfers(self) -> int:
        """How many transfers do not have exactly two entries summing to zero."""
        ...


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> None: ...

    async def get(self, payment_id: UUID) -> Payment | None: ...

    async def lock(self, payment_id: UUID) -> Payment | None:
        """The payment, locked until the unit ends (None if unknown)."""
        ...

    async def save(self, payment: Payment) -> None: ...

    async def by_external_id(self, gateway: str, external_id: str) -> Payment | None: ...

    async def for_user(
        self, user_id: str, page: PageRequest, *, gateway: str | None = None
    ) -> Page[Payment]:
        """Newest first."""
        ...

    async def search(
        self, page: PageRequest, *, status: PaymentStatus | None = None,
        gateway: str | None = None, user_id: str | None = None,
    ) -> Page[Payment]: ...

    async def due_for_expiry(self, now: datetime, limit: int) -> list[UUID]: ...

    async def stale_processing(self, older_than: datetime, limit: int) -> list[UUID]: ...

    async def summary(self, user_id: str, since: datetime) -> PaymentSummary: ...

    async def add_attempt(self, attempt: Attempt) -> None:
        """Raises Conflict('attempt_external_id') when gateway + external_id is taken."""
        ...

    async def save_attempt(self, attempt: Attempt) -> None: ...

    async def attempt(self, gateway: str, external_id: str) -> Attempt | None: ...

    async def attempts(self, payment_id: UUID) -> list[Attempt]: ...

    async def attempts_between(self, gateway: str, start_ms: int, end_ms: int) -> list[Attempt]:
        """Attempts whose ``external_time`` lies in [start_ms, end_ms], ascending."""
        ...

    async def open_attempts_before(self, gateway: str, created_before: datetime) -> list[Attempt]:
        ...


class GatewayConfigRepository(Protocol):
    async def get(self, name: str) -> GatewayConfig | None: ...

    async def all(self) -> list[GatewayConfig]: ...

    async def save(self, config: GatewayConfig) -> None: ...


class BillingRepository(Protocol):
    async def rules(self) -> list[BillingRule]: ...

    async def rule(self, service_type: str) -> BillingRule | None: ...

    async def save_rule(self, rule: BillingRule) -> None: ...

    async def delete_rule(self, service_type: str) -> bool: ...

    async def settings(self) -> BillingSettings | None: ...

    async def save_settings(self, settings: BillingSettings) -> None: ...


class UsageRepository(Protocol):
    async def add(self, usage: Usage) -> None: ...

    async def snapshot(
        self, user_id: str, service_type: str, related_object_id: str, *,
        currency: Currency, local_date: date, hour_ago: datetime,
        counts: frozenset[UsageCount] = EVERY_COUNT,
    ) -> UsageSnapshot:
        """Counts for the charge decision: repeat today, distinct doctors today, views ever
        (repeats excepted), paid charges since ``hour_ago`` (any currency) and minor units of
        ``currency`` spent on ``local_date``. Only ``counts`` need be counted (the others may be
        left at zero); an empty ``counts`` need not read anything."""
        ...

    async def daily(self, user_id: str, local_date: date) -> DailyUsage: ...

    async def summary(self, user_id: str, since: datetime) -> ServiceSummary: ...


class IdempotencyStore(Protocol):
    async def get(self, user_id: str, key: str, method: str, path: str) -> IdempotencyRecord | None:
        """The stored record; in a writing unit, a concurrent unit with the same key waits."""
        ...

    async def save(self, record: IdempotencyRecord) -> None:
        """Raises Conflict('idempotency_key') when the key is already stored."""
        ...

    async def purge_before(self, created_before: datetime) -> int: ...


class PaymentLogRepository(Protocol):
    async def add(self, log: PaymentLog) -> None: ...

    async def for_payment(self, payment_id: UUID) -> list[PaymentLog]:
        """Oldest first."""
        ...


class AuditRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...

    async def recent(self, limit: int) -> list[AuditEntry]: ...


class DoctorRepository(Protocol):
    """The doctor-directory table (seeded through the admin API or CLI)."""

    async def get(self, doctor_id: str) -> Doctor | None: ...

    async def list(self, page: PageRequest) -> Page[Doctor]:
        """Ordered by id."""
        ...

    async def save(self, doctor: Doctor) -> None: ...

    async def delete(self, doctor_id: str) -> bool: ...


class SecretRepository(Protocol):
    """Named secrets stored encrypted (e.g. a Payme key set by ChangePassword). The caller
    encrypts; the repository only keeps ciphertext."""

    async def get(self, name: str) -> str | None: ...

    async def save(self, name: str, ciphertext: str, updated_at: datetime) -> None: ...

    async def all(self) -> dict[str, str]:
        """Every name → ciphertext (for key rotation)."""
        ...


class UnitOfWork(Protocol):
    wallets: WalletRepository
    ledger: LedgerRepository
    payments: PaymentRepository
    gateways: GatewayConfigRepository
    billing: BillingRepository
    usage: UsageRepository
    idempotency: IdempotencyStore
    payment_logs: PaymentLogRepository
    audit: AuditRepository
    doctors: DoctorRepository
    secrets: SecretRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = True, optimistic: bool = False) -> UnitOfWork:
        """A new unit of work; ``write=False`` for read-only work that takes no locks.
        ``optimistic=True`` lets a writing unit check its wallet locks at commit instead of holding
        them (see ``WalletRepository.lock``): cheaper when units seldom touch the same wallet at
        once, for a caller that retries on ``TransientStorageError``. A storage whose locks cost
        little may ignore it."""
        ...


class Storage(Protocol):
    """An opened storage backend: hands out units of work and is closed at shutdown."""

    @property
    def unit_of_work(self) -> UnitOfWorkFactory: ...

    async def close(self) -> None: ...
