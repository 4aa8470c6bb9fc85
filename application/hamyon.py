"""``Hamyon``: every use case behind one object, for HTTP handlers, the CLI and embedding apps.

Built by the composition root (``entrypoints.bootstrap``) or by hand from a ``Dependencies``;
it takes and returns plain attrs objects and holds no global state.
"""

from __future__ import annotations

from application.admin import AdminUseCases
from application.billing import BillingUseCases
from application.defaults import default_gateways
from application.doctors import DoctorUseCases
from application.gateways.steps import GatewayStepUseCases
from application.idempotency import IdempotencyUseCases
from domain.billing import default_rules
from domain.gateways import Probe
from domain.payments import GatewayConfig
from ports.storage import UnitOfWork


class Hamyon(AdminUseCases, DoctorUseCases, BillingUseCases, IdempotencyUseCases, GatewayStepUseCases):
    async def close(self) -> None:
        """Release what the composition root opened (database pools, files)."""
        if self._deps.on_close is not None:
            await self._deps.on_close()

    async def seed_defaults(self, active_gateways: frozenset[str] = frozenset()) -> None:
        """Create the gateway rows and billing rules that do not exist yet (first start).
        Existing rows are left as the admin set them."""
        async def body(uow: UnitOfWork) -> None:
            for config in default_gateways(active_gateways):
                if await uow.gateways.get(config.name) is None:
                    await uow.gateways.save(config)
            for rule in default_rules():
                if await uow.billing.rule(rule.service_type) is None:
                    await uow.billing.save_rule(rule)

        await self._write_catalog(body)

    async def gateways(self) -> list[GatewayConfig]:
        """The active gateways, as the public catalogue shows them."""
        return [config for config in await self.all_gateways() if config.is_active]

    async def gateway_statuses(self) -> list[tuple[GatewayConfig, Probe]]:
        """Each active gateway with a fresh probe; one without an adapter is reported unavailable."""
        results = []
        for config in await self.gateways():
            adapter = self._deps.gateways.get(config.name)
            probe = await adapter.probe() if adapter is not None else Probe(
                False, "Gateway is not supported yet", 0.0)
            results.append((config, probe))
        return results
