"""The repositories a writing use case locks, checks and saves through (``ports.storage`` holds
them in a unit of work, and states the rules every one of them keeps). Reads for display and
checking are not here: they are ``ports.reports``."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.api_keys import ApiKey
from domain.billing import BillingRule, BillingSettings
from domain.console import ConsoleLink
from domain.doctors import Doctor
from domain.events import Delivery, Event, WebhookEndpoint
from domain.fiscal import FiscalReceipt, FiscalSubmission
from domain.holds import Hold
from domain.journal import AuditEntry, IdempotencyRecord
from domain.ledger import Posting, Wallet
from domain.money import Currency
from domain.payments import Attempt, GatewayConfig, Payment, PaymentLog
from domain.usage import Usage, UsageQuery, UsageSnapshot


class WalletRepository(Protocol):
    async def get(self, user_id: str, currency: Currency) -> Wallet | None: ...

    async def lock(self, user_id: str, currency: Currency, now: datetime) -> Wallet:
        """The wallet, created at zero if it does not exist, locked until the unit ends: no other
        unit's change to it commits between this read and this unit's end. In a unit its caller
        retries the lock may be a promise instead of a wait: the unit's ``commit`` (or a statement
        before it) raises ``TransientStorageError``, and keeps nothing, if another unit changed or
        locked the wallet meanwhile."""
        ...

    async def save(self, wallet: Wallet) -> None:
        """Store a locked wallet as it is (balance and blocking). Use cases move a balance only by
        recording a posting, which saves its wallets itself."""
        ...

    async def for_user(self, user_id: str) -> list[Wallet]:
        """Every wallet of the user, oldest first (then by currency)."""
        ...


class LedgerRepository(Protocol):
    async def record(self, posting: Posting) -> None:
        """Write the posting's transfer, its entries and the new balance of every wallet it moved,
        all with the unit (nothing of it is kept if the unit is not). Its wallets were locked in
        this unit; transfers are never updated or deleted."""
        ...


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> None: ...

    async def get(self, payment_id: UUID) -> Payment | None: ...

    async def lock(self, payment_id: UUID) -> Payment | None:
        """The payment, locked until the unit ends (None if unknown)."""
        ...

    async def save(self, payment: Payment) -> None: ...

    async def by_external_id(self, gateway: str, external_id: str) -> Payment | None: ...

    async def due_for_expiry(self, now: datetime, limit: int) -> list[UUID]: ...

    async def stale_processing(self, older_than: datetime, limit: int) -> list[UUID]: ...

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

    async def snapshot(self, query: UsageQuery) -> UsageSnapshot:
        """The answer to what a charge decision asks (``domain.usage``), read in this unit: each
        count of ``query.counts`` over the user's usage (the others left at zero; no count asked,
        nothing read). A repeat is a view of ``related_object_id`` (never empty) of the service
        today; doctors today count the service's distinct named doctors and, apart, its accesses
        that named none; views ever leave repeats out; charges of the last hour are of any
        service and currency; spending is of ``currency`` on ``local_date``."""
        ...


class IdempotencyStore(Protocol):
    async def get(self, user_id: str, key: str, method: str, path: str) -> IdempotencyRecord | None:
        """The stored record; in a writing unit, a concurrent unit with the same key waits."""
        ...

    async def save(self, record: IdempotencyRecord) -> None:
        """Raises Conflict('idempotency_key') when the key is already stored."""
        ...

    async def purge_before(self, created_before: datetime) -> int: ...


class PaymentLogRepository(Protocol):
    async def add(self, log: PaymentLog) -> None:
        """Keep one step of a payment (SPEC §8); its payload is sealed at rest."""
        ...


class AuditRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...


class DoctorRepository(Protocol):
    """The doctor-directory table (seeded through the admin API or CLI)."""

    async def get(self, doctor_id: str) -> Doctor | None: ...

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


class EventRepository(Protocol):
    """The outbox (SPEC §12): an event is kept exactly when the unit that adds it commits."""

    async def add(self, event: Event) -> None: ...

    async def get(self, event_id: str) -> Event | None: ...

    async def undispatched(self, limit: int) -> list[Event]:
        """The oldest events not yet queued for the endpoints, locked for this unit: a unit in
        another process running alongside gets the others (or waits, on SQLite)."""
        ...

    async def mark_dispatched(self, event_ids: list[str]) -> None: ...


class WebhookRepository(Protocol):
    """The platform's webhook endpoints; ``secret`` and the replaced secrets still signing
    (``previous``) are sealed at rest."""

    async def add(self, endpoint: WebhookEndpoint) -> None: ...

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None: ...

    async def save(self, endpoint: WebhookEndpoint) -> None: ...

    async def delete(self, endpoint_id: UUID) -> bool:
        """Remove the endpoint and its deliveries."""
        ...

    async def all(self) -> list[WebhookEndpoint]:
        """Every endpoint, oldest first."""
        ...


class DeliveryRepository(Protocol):
    async def add(self, delivery: Delivery) -> bool:
        """Store a new delivery; a pending one is not added (False) while another delivery of the
        same event to the same endpoint is pending (due, leased to a sender, or waiting to be
        retried): at most one is, so that an endpoint never gets one event twice at once."""
        ...

    async def due(self, now: datetime, limit: int, endpoint_id: UUID) -> list[Delivery]:
        """One endpoint's pending deliveries whose ``next_attempt_at`` has come, oldest first,
        locked for this unit (a unit alongside, in any process, skips them or waits)."""
        ...

    async def save(self, delivery: Delivery) -> None: ...


class HoldRepository(Protocol):
    """Holds (SPEC §13). Their money is in the ledger; this is their state."""

    async def add(self, hold: Hold) -> None: ...

    async def lock(self, hold_id: UUID) -> Hold | None:
        """The hold, locked until the unit ends (None if unknown)."""
        ...

    async def save(self, hold: Hold) -> None: ...

    async def due_for_expiry(self, now: datetime, limit: int, user_id: str | None = None) -> list[UUID]:
        """Active holds whose ``expires_at`` has come, oldest first (only ``user_id``'s if given)."""
        ...

    async def held(self, user_id: str, currency: Currency) -> int:
        """The sum of the user's active holds in the currency (minor units)."""
        ...


class FiscalRepository(Protocol):
    """Fiscal receipts (SPEC §14) and the receipts still to be asked for."""

    async def add_receipt(self, receipt: FiscalReceipt) -> bool:
        """Keep a receipt; False (and nothing changed) when the payment has one of that type."""
        ...

    async def receipts(self, payment_id: UUID) -> list[FiscalReceipt]:
        """The payment's receipts, sale first."""
        ...

    async def add_submission(self, submission: FiscalSubmission) -> None:
        """Keep a submission; nothing changes when the payment has one already."""
        ...

    async def lock_submission(self, payment_id: UUID) -> FiscalSubmission | None:
        """The payment's submission, locked until the unit ends (None if there is none)."""
        ...

    async def save_submission(self, submission: FiscalSubmission) -> None: ...

    async def due_submissions(self, now: datetime, limit: int) -> list[UUID]:
        """Payments whose submission is pending or submitted and due by ``now``, oldest first."""
        ...


class ApiKeyRepository(Protocol):
    """Platform keys (SPEC §15), found by the hash of the key."""

    async def add(self, key: ApiKey) -> None: ...

    async def by_hash(self, key_hash: str) -> ApiKey | None: ...

    async def all(self) -> list[ApiKey]:
        """Every key, revoked ones too, oldest first."""
        ...

    async def save(self, key: ApiKey) -> None:
        """Its ``last_used_at`` and ``revoked_at``."""
        ...

    async def get(self, key_id: UUID) -> ApiKey | None: ...


class ConsoleLinkRepository(Protocol):
    """The console's one-time sign-in links (SPEC §16), found by the hash of their token, and the
    sessions signed out before they expired, by the hash of their id."""

    async def add(self, link: ConsoleLink) -> None:
        """Keep a new link (and forget links that expired a day or more before it was made)."""
        ...

    async def redeem(self, token_hash: str, now: datetime) -> ConsoleLink | None:
        """Mark the link used and return it, if it exists, is unused and has not expired at
        ``now``; else None. Of two units redeeming one link, in any processes, one gets it."""
        ...

    async def sign_out(self, session_hash: str, expires_at: datetime, now: datetime) -> None:
        """Remember that the session of this hash was signed out, until ``expires_at`` (when its
        cookie stops opening pages anyway); a second sign-out of it changes nothing. Sessions
        whose time ended before ``now`` are forgotten."""
        ...

    async def signed_out(self, session_hash: str) -> bool:
        """Whether the session of this hash was signed out (seen by every process)."""
        ...
