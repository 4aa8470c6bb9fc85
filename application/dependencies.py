"""What every group of use cases shares: dependencies, the clock, units of work, settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from uuid import UUID

from attrs import field, frozen

from application.config import ServiceConfig
from application.units import Units
from domain.billing import BillingSettings
from domain.errors import GatewayNotFound
from domain.journal import AuditEntry
from domain.money import Currency
from domain.payments import GatewayConfig, PaymentLog
from ports.doctors import DoctorDirectory
from ports.gateways import GatewayRegistry
from ports.services import Clock, EventLog, IdGenerator, RetryPolicy
from ports.storage import UnitOfWork, UnitOfWorkFactory


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


class UseCases:
    """Base of the use-case groups that ``Hamyon`` combines."""

    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps
        self._units = Units(deps.unit_of_work, deps.retry, deps.events)

    @property
    def config(self) -> ServiceConfig:
        return self._deps.config

    @property
    def units(self) -> Units:
        """Run a body in a unit of work (joining the caller's, if any): for use cases written
        outside this class, such as the gateways' inbound protocols."""
        return self._units

    @property
    def clock(self) -> Clock:
        return self._deps.clock

    @property
    def events(self) -> EventLog:
        return self._deps.events

    def _now(self) -> datetime:
        return self._deps.clock.now()

    def _local_date(self, moment: datetime) -> date:
        """The platform's calendar day (Asia/Tashkent by default) of a moment."""
        return moment.astimezone(self._deps.config.zone).date()

    def _currency(self, raw: object | None) -> Currency:
        return self.config.default_currency if raw in (None, "") else Currency.parse(raw)

    async def _settings(self, uow: UnitOfWork) -> BillingSettings:
        stored = await uow.billing.settings()
        return stored if stored is not None else BillingSettings(currency=self.config.default_currency)

    async def _active_gateway(self, uow: UnitOfWork, name: object) -> GatewayConfig:
        config = await uow.gateways.get(name) if isinstance(name, str) else None
        if config is None or not config.is_active:
            raise GatewayNotFound(field="gateway")
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
