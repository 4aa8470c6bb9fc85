"""What every group of use cases shares: the dependencies, one ``Units`` and one billing
``Catalog`` per facade (``Shared``), and the steps several groups take (the clock, settings,
payment logs, the audit log, locking a payment and writing down its expiry)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

from attrs import field, frozen

from application.catalog import Catalog, Monotonic
from application.config import ServiceConfig
from application.events import EventViews, IdViews, SchemeOnly, UrlPolicy
from application.units import Units
from domain.billing import BillingRule, BillingSettings
from domain.errors import DomainError, GatewayInactive, GatewayNotFound, PaymentNotFound, ValidationError
from domain.events import Event, crossed_below, event_id
from domain.fiscal import FiscalReceipt
from domain.journal import AuditEntry
from domain.ledger import Wallet
from domain.money import Currency
from domain.payments import AttemptStatus, GatewayConfig, Payment, PaymentLog
from ports.doctors import DoctorDirectory
from ports.gateways import GatewayRegistry
from ports.services import Clock, EventLog, IdGenerator, RetryPolicy
from ports.storage import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")


class SilentEvents:
    def emit(self, event: str, **fields: object) -> None:
        return None


@frozen
class Dependencies:
    unit_of_work: UnitOfWorkFactory
    clock: Clock
    ids: IdGenerator
    gateways: GatewayRegistry
    config: ServiceConfig = field(factory=ServiceConfig)
    retry: RetryPolicy | None = None
    events: EventLog = field(factory=SilentEvents)
    on_close: Callable[[], Awaitable[None]] | None = None
    # Where the doctor view finds doctors; None reads the storage's own doctor table.
    doctors: DoctorDirectory | None = None
    # How an event shows the object it reports (the HTTP answers; by id alone without one).
    event_views: EventViews = field(factory=IdViews)
    # Which webhook URLs may be posted to (production: https, public addresses only).
    webhook_urls: UrlPolicy = field(factory=SchemeOnly)
    # Whether one wallet's concurrent charges in this process are batched (``application.lanes``).
    wallet_lanes: bool = False


def ensure_creatable(existing: object, *, create: bool, missing: type[DomainError], taken: str,
                     field: str) -> None:
    """An admin's create refuses a taken key (400 naming ``field``); a change refuses one that
    does not exist (``missing``)."""
    if existing is None and not create:
        raise missing()
    if existing is not None and create:
        raise ValidationError(taken, field=field)


class Shared:
    """What the groups of one facade share: its dependencies, one ``Units`` (retries, events)
    and one billing ``Catalog`` (so an admin write is seen by the next charge at once)."""

    def __init__(self, deps: Dependencies, *, monotonic: Monotonic = time.monotonic) -> None:
        self.deps = deps
        self.units = Units(deps.unit_of_work, deps.retry, deps.events, lanes=deps.wallet_lanes)
        self.catalog = Catalog(deps.config.catalog_ttl_seconds, monotonic)
        # What applies until an admin saves settings (shared like kept settings: never changed,
        # only replaced through attrs.evolve).
        self.default_settings = BillingSettings(currency=deps.config.default_currency)
        # Expires a user's holds past their time, money back; how many (``HoldUseCases``, set by
        # ``Hamyon``): the wallet and billing groups call it where an overdue hold would show.
        self.expire_holds: Callable[[str], Awaitable[int]] | None = None


class UseCases:
    """The base of each group of use cases; ``Hamyon`` holds one of each, built on one ``Shared``."""

    def __init__(self, shared: Shared) -> None:
        self._shared = shared
        self._deps = shared.deps
        self._units = shared.units
        self._catalog = shared.catalog

    @property
    def config(self) -> ServiceConfig:
        return self._deps.config

    async def _expire_holds_of(self, user_id: str) -> int:
        """Write down the expiry of the user's holds past their time (SPEC §13: on every read), so
        that a wallet's balance and held balance, and a charge's decision, leave them out; how
        many. Inside an open unit nothing is expired (its writes would share that unit's fate)."""
        expire = self._shared.expire_holds
        return await expire(user_id) if expire is not None and not self._units.in_unit() else 0

    def _now(self) -> datetime:
        return self._deps.clock.now()

    def _local_date(self, moment: datetime) -> date:
        """The platform's calendar day (Asia/Tashkent by default) of a moment."""
        return moment.astimezone(self._deps.config.zone).date()

    def _currency(self, raw: object | None) -> Currency:
        return self.config.default_currency if raw in (None, "") else Currency.parse(raw)

    async def _settings(self, uow: UnitOfWork) -> BillingSettings:
        stored = await self._catalog.settings(uow)
        return stored if stored is not None else self._shared.default_settings

    async def _rule(self, uow: UnitOfWork, service_type: str) -> BillingRule | None:
        return await self._catalog.rule(uow, service_type)

    async def _write_catalog(self, body: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run an admin body that writes rules or settings, keeping nothing until it is over."""
        async def marked(uow: UnitOfWork) -> T:
            self._catalog.writing(uow)
            return await body(uow)

        with self._catalog.write_under_way():
            return await self._units.write(marked)

    async def _active_gateway(self, uow: UnitOfWork, name: object) -> GatewayConfig:
        config = await uow.gateways.get(name) if isinstance(name, str) else None
        if config is None:
            raise GatewayNotFound(field="gateway")
        if not config.is_active:
            raise GatewayInactive(field="gateway", gateway=config.name)
        return config

    async def _log(self, uow: UnitOfWork, payment_id: UUID, type: str, message: str, *,
                   payload: str = "", http_status: int | None = None) -> None:
        """Record one step of a payment (SPEC §8); the storage adapter encrypts the payload."""
        await uow.payment_logs.add(PaymentLog(
            self._deps.ids.new_id(), payment_id, type, self._now(), message, http_status, payload,
        ))

    async def _audit(self, uow: UnitOfWork, actor: str, action: str, target: str,
                     details: str) -> None:
        await uow.audit.add(AuditEntry(self._deps.ids.new_id(), actor, action, target, details,
                                       self._now()))
        self._units.emit("admin_write", actor=actor, action=action, target=target)

    @property
    def _views(self) -> EventViews:
        return self._deps.event_views

    async def _event(self, uow: UnitOfWork, type: str, user_id: str, data: str,
                     now: datetime | None = None) -> None:
        """Write down an event for the platform with this unit (the outbox): kept exactly when
        the change it reports is. ``now``: the moment of the change, when its use case has one."""
        await uow.events.add(Event(event_id(self._deps.ids.ordered_id()), type, now or self._now(),
                                   user_id, data))

    async def _register_receipt(self, uow: UnitOfWork, receipt: FiscalReceipt, user_id: str) -> bool:
        """Keep a receipt a gateway registered (SPEC §14), with its payment-log row and its
        ``fiscal.receipt_ready`` event; a second of the same type changes nothing (False)."""
        if not await uow.fiscal.add_receipt(receipt):
            return False
        await self._log(uow, receipt.payment_id, "fiscal", f"{receipt.type.value} receipt registered by "
                        f"{receipt.gateway}: {receipt.qr_code_url}", payload=self._views.receipt(receipt))
        await self._event(uow, "fiscal.receipt_ready", user_id, self._views.receipt(receipt))
        return True

    async def _payment_event(self, uow: UnitOfWork, type: str, payment: Payment) -> None:
        await self._event(uow, f"payment.{type}", payment.user_id, self._views.payment(payment))

    async def _wallet_event(self, uow: UnitOfWork, type: str, wallet: Wallet) -> None:
        await self._event(uow, f"wallet.{type}", wallet.user_id, self._views.wallet(wallet))

    async def _debited(self, uow: UnitOfWork, wallet: Wallet, before: int) -> None:
        """After a debit from ``before`` (minor units): ``wallet.low_balance`` when the wallet
        just fell below the billing setting ``low_balance_threshold`` (once per crossing)."""
        settings = await self._settings(uow)
        threshold = settings.low_balance_threshold if settings.binds(wallet.currency) else None
        if crossed_below(before, wallet.balance.minor, threshold.minor if threshold else None):
            await self._wallet_event(uow, "low_balance", wallet)

    async def _locked_payment(self, uow: UnitOfWork, payment_id: UUID, *,
                              owner: str | None = None) -> Payment:
        """The payment, locked for this unit; unknown, or not ``owner``'s, is not found (a user
        never learns that someone else's payment id exists)."""
        payment = await uow.payments.lock(payment_id)
        if payment is None or (owner is not None and payment.user_id != owner):
            raise PaymentNotFound()
        return payment

    async def _write_down_expiry(self, uow: UnitOfWork, payment: Payment) -> bool:
        """The one way expiry is recorded, whichever path finds it: the payment becomes
        ``expired`` and its open attempts are cancelled with reason 4 (timeout)."""
        if not payment.expire_if_due(self._now()):
            return False
        await uow.payments.save(payment)
        await self._cancel_open_attempts(uow, payment.id, reason=4)
        await self._log(uow, payment.id, "state_change", "expired")
        await self._payment_event(uow, "expired", payment)
        self._units.emit("payment_expired", payment_id=str(payment.id), gateway=payment.gateway)
        return True

    async def _expire_due_payments(self, limit: int = 500) -> int:
        """Write down the expiry of every payment past its time (up to ``limit``); how many."""
        now = self._now()
        due = await self._units.read(lambda uow: uow.payments.due_for_expiry(now, limit))
        expired = 0
        for payment_id in due:
            async def body(uow: UnitOfWork, payment_id: UUID = payment_id) -> bool:
                payment = await self._locked_payment(uow, payment_id)
                return await self._write_down_expiry(uow, payment)

            expired += await self._units.write(body)
        return expired

    async def _cancel_open_attempts(self, uow: UnitOfWork, payment_id: UUID,
                                    reason: int | None = None) -> None:
        now = self._now()
        for attempt in await uow.payments.attempts(payment_id):
            if attempt.status is AttemptStatus.OPEN:
                attempt.cancel(now, reason)
                await uow.payments.save_attempt(attempt)
