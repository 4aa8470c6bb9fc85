"""Gateway configs, billing rules and the one set of billing settings: plain get and save."""

from __future__ import annotations

import attrs

from adapters.memory.session import Repository
from domain.billing import BillingRule, BillingSettings
from domain.payments import GatewayConfig

_SETTINGS = "settings"


def _rule_copy(rule: BillingRule) -> BillingRule:
    return attrs.evolve(rule, service_names=dict(rule.service_names))


class MemoryGatewayConfigRepository(Repository):
    async def get(self, name: str) -> GatewayConfig | None:
        config = (await self._tables()).table("gateways").get(name)
        return attrs.evolve(config) if config is not None else None

    async def all(self) -> list[GatewayConfig]:
        """Every gateway, by name."""
        configs = (await self._tables()).table("gateways")
        return [attrs.evolve(configs[name]) for name in sorted(configs)]

    async def save(self, config: GatewayConfig) -> None:
        (await self._tables()).writable("gateways")[config.name] = attrs.evolve(config)


class MemoryBillingRepository(Repository):
    async def rules(self) -> list[BillingRule]:
        """Every rule, by service type."""
        rules = (await self._tables()).table("rules")
        return [_rule_copy(rules[service_type]) for service_type in sorted(rules)]

    async def rule(self, service_type: str) -> BillingRule | None:
        rule = (await self._tables()).table("rules").get(service_type)
        return _rule_copy(rule) if rule is not None else None

    async def save_rule(self, rule: BillingRule) -> None:
        (await self._tables()).writable("rules")[rule.service_type] = _rule_copy(rule)

    async def delete_rule(self, service_type: str) -> bool:
        """Whether the rule existed."""
        return (await self._tables()).delete("rules", service_type)

    async def settings(self) -> BillingSettings | None:
        """None until settings were first saved."""
        settings = (await self._tables()).table("settings").get(_SETTINGS)
        return attrs.evolve(settings) if settings is not None else None

    async def save_settings(self, settings: BillingSettings) -> None:
        (await self._tables()).writable("settings")[_SETTINGS] = attrs.evolve(settings)
