"""The storage port: a unit of work holding the repositories the use cases lock, check and save
through (``ports.repositories``) and the reports they read (``ports.reports``).

Rules every adapter guarantees (the contract suite in ``tests/contract`` proves them):
- A unit of work commits only on an explicit ``commit()``; leaving the block without it rolls back.
- Inside a *writing* unit of work, ``lock`` methods hold the row until the end of the unit: two
  units that lock the same wallet or payment run one after the other, never interleaved (a unit
  its caller retries may be checked at commit instead: ``UnitOfWorkFactory``).
- Money moves only as a ``Posting`` recorded whole (``LedgerRepository.record``): a stored wallet
  balance is always the sum of its entries.
- Unique keys (gateway + external id of an attempt, idempotency key) are enforced; breaking one
  raises ``Conflict``. ``TransientStorageError`` means the whole unit may be retried.
- What is only read for display or checking (summaries, searches, listings, the sums ``verify``
  compares) is asked of ``uow.reports`` (``ports.reports``), never of these repositories.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from ports.reports import Reports
from ports.repositories import (
    ApiKeyRepository,
    AuditRepository,
    BillingRepository,
    ConsoleLinkRepository,
    DeliveryRepository,
    DoctorRepository,
    EventRepository,
    FiscalRepository,
    GatewayConfigRepository,
    HoldRepository,
    IdempotencyStore,
    LedgerRepository,
    PaymentLogRepository,
    PaymentRepository,
    SecretRepository,
    UsageRepository,
    WalletRepository,
    WebhookRepository,
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


class CommitOutcomeUnknown(StorageError):
    """The commit was sent, and the connection was lost before its answer came: the unit's changes
    may or may not be stored. Never run again by the caller (it could do them twice); a client
    repeating the request with its Idempotency-Key gets the stored answer if they were."""

    def __init__(self) -> None:
        super().__init__("the connection was lost while the change was being committed: it may or "
                         "may not have been made")


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
    events: EventRepository
    webhooks: WebhookRepository
    deliveries: DeliveryRepository
    holds: HoldRepository
    fiscal: FiscalRepository
    api_keys: ApiKeyRepository
    console_links: ConsoleLinkRepository
    reports: Reports

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = True, retried: bool = False) -> UnitOfWork:
        """A new unit of work; ``write=False`` for read-only work that takes no locks.
        ``retried=True`` is the caller's promise that it runs the whole unit again, from the start,
        whenever the unit raises ``TransientStorageError``. A storage may then check the unit's
        wallet locks at commit instead of holding them (``WalletRepository.lock``); when, is its
        own affair."""
        ...


class Storage(Protocol):
    """An opened storage backend: hands out units of work and is closed at shutdown."""

    @property
    def unit_of_work(self) -> UnitOfWorkFactory: ...

    async def close(self) -> None: ...
