"""The memory storage: the whole storage contract in plain Python objects, safe across asyncio tasks.

A writing unit takes the storage's one writer lock at its first repository call and holds it until
commit or rollback, like SQLite's ``BEGIN IMMEDIATE``: writers run one after the other, so ``lock``
holds a wallet or payment (and much more) until the unit ends. Its changes stay private until
``commit()`` publishes them at once; rollback, an exception or leaving without commit forgets them.
A reading unit takes no lock and sees one committed moment, from its first call to its end.
Everything returned is a copy: changing it changes nothing stored until ``save``.
"""

from __future__ import annotations

from adapters.memory.api_keys import MemoryApiKeyRepository
from adapters.memory.billing import MemoryBillingRepository, MemoryGatewayConfigRepository
from adapters.memory.console import MemoryConsoleLinkRepository
from adapters.memory.doctors import MemoryDoctorRepository, MemorySecretRepository
from adapters.memory.events import MemoryDeliveryRepository, MemoryEventRepository, MemoryWebhookRepository
from adapters.memory.fiscal import MemoryFiscalRepository
from adapters.memory.holds import MemoryHoldRepository
from adapters.memory.journal import MemoryAuditRepository, MemoryIdempotencyStore, MemoryPaymentLogRepository
from adapters.memory.ledger import MemoryLedgerRepository
from adapters.memory.payments import MemoryPaymentRepository
from adapters.memory.reports import MemoryReports
from adapters.memory.session import Session
from adapters.memory.state import Store
from adapters.memory.usage import MemoryUsageRepository
from adapters.memory.wallets import MemoryWalletRepository
from adapters.unit_of_work import SessionUnitOfWork


class MemoryUnitOfWork(SessionUnitOfWork):
    def __init__(self, store: Store, *, write: bool) -> None:
        super().__init__(session := Session(store, write=write))
        self.wallets = MemoryWalletRepository(session)
        self.ledger = MemoryLedgerRepository(session)
        self.payments = MemoryPaymentRepository(session)
        self.gateways = MemoryGatewayConfigRepository(session)
        self.billing = MemoryBillingRepository(session)
        self.usage = MemoryUsageRepository(session)
        self.idempotency = MemoryIdempotencyStore(session)
        self.payment_logs = MemoryPaymentLogRepository(session)
        self.audit = MemoryAuditRepository(session)
        self.doctors = MemoryDoctorRepository(session)
        self.secrets = MemorySecretRepository(session)
        self.events = MemoryEventRepository(session)
        self.webhooks = MemoryWebhookRepository(session)
        self.deliveries = MemoryDeliveryRepository(session)
        self.holds = MemoryHoldRepository(session)
        self.fiscal = MemoryFiscalRepository(session)
        self.api_keys = MemoryApiKeyRepository(session)
        self.console_links = MemoryConsoleLinkRepository(session)
        self.reports = MemoryReports(session)


class MemoryStorage:
    """Hands out units of work over state kept in this process; nothing survives ``close()``."""

    def __init__(self) -> None:
        self._store = Store()

    def unit_of_work(self, *, write: bool = True, retried: bool = False) -> MemoryUnitOfWork:
        """A unit's locks are held whether or not it is ``retried``: a lock is taken in memory,
        without a wait worth saving."""
        return MemoryUnitOfWork(self._store, write=write)

    async def rotate_keys(self, cipher: object = None, progress: object = None) -> int:
        """Nothing to re-encrypt: the memory storage keeps objects, never ciphertext at rest."""
        return 0

    async def close(self) -> None:
        self._store.closed = True
