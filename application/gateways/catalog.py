"""The gateways as payers see them: the active rows, each with its probe, and the outgoing
adapters by name (reconciliation asks them about payments)."""

from __future__ import annotations

import asyncio

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
        """Each active gateway with its probe (the adapter's, which may reuse a recent one), all
        asked at once: a slow gateway costs its own timeout, not the sum of everyone's. One
        without an adapter is reported unavailable."""
        configs = await self.active()
        probes = await asyncio.gather(*(self._probe(config) for config in configs))
        return list(zip(configs, probes, strict=True))

    async def _probe(self, config: GatewayConfig) -> Probe:
        adapter = self._deps.gateways.get(config.name)
        if adapter is None:
            return Probe(False, "Gateway is not supported yet", 0.0)
        return await adapter.probe()
