"""The gateways as payers see them: the active rows, each with a fresh probe, and the outgoing
adapters by name (reconciliation asks them about payments)."""

from __future__ import annotations

from application.dependencies import UseCases
from domain.gateways import Probe
from domain.payments import GatewayConfig
from ports.gateways import GatewayRegistry


class GatewayUseCases(UseCases):
    @property
    def registry(self) -> GatewayRegistry:
        """The outgoing gateway adapters by name."""
        return self._deps.gateways

    async def active(self) -> list[GatewayConfig]:
        """The active gateways, as the public catalogue shows them."""
        rows = await self._units.read(lambda uow: uow.gateways.all())
        return [config for config in rows if config.is_active]

    async def statuses(self) -> list[tuple[GatewayConfig, Probe]]:
        """Each active gateway with a fresh probe; one without an adapter is reported unavailable."""
        results = []
        for config in await self.active():
            adapter = self._deps.gateways.get(config.name)
            probe = await adapter.probe() if adapter is not None else Probe(
                False, "Gateway is not supported yet", 0.0)
            results.append((config, probe))
        return results
