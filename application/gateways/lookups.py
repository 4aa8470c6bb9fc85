"""What the gateways' inbound protocols look up and note besides settling (and
``log_gateway_step``): the payment a gateway's own id names, the gateway's tracking code, a
payment's attempts, and the processing payments reconciliation should ask about."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from application.settlement import SettlementUseCases
from domain.payments import Attempt, Payment
from ports.gateways import GatewayRegistry
from ports.storage import UnitOfWork


class GatewayLookupUseCases(SettlementUseCases):
    @property
    def gateway_registry(self) -> GatewayRegistry:
        """The outgoing gateway adapters by name (reconciliation asks them about payments)."""
        return self._deps.gateways

    async def payment_by_gateway_id(self, gateway: str, external_id: str) -> Payment | None:
        """The payment a redirect gateway's session id belongs to (the id it gave at checkout)."""
        if not external_id:
            return None
        return await self._units.read(lambda uow: uow.payments.by_external_id(gateway, external_id))

    async def keep_tracking_code(self, payment_id: UUID, tracking_code: str) -> Payment:
        """Store the gateway's tracking code on the payment (the first one given is kept)."""
        async def body(uow: UnitOfWork) -> Payment:
            payment = await self._locked_payment(uow, payment_id)
            if tracking_code and not payment.tracking_code:
                payment.tracking_code = tracking_code
                await uow.payments.save(payment)
            return payment

        return await self._units.write(body)

    async def payment_attempts(self, payment_id: UUID) -> list[Attempt]:
        return await self._units.read(lambda uow: uow.payments.attempts(payment_id))

    async def stale_processing_payments(self, limit: int = 100) -> list[UUID]:
        """Processing payments untouched for ``reconcile_after_seconds``: their gateway is asked."""
        older_than = self._now() - timedelta(seconds=self.config.reconcile_after_seconds)
        return await self._units.read(lambda uow: uow.payments.stale_processing(older_than, limit))
