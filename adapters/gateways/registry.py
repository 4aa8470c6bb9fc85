"""The gateway registry: name → adapter, built by the composition root."""

from __future__ import annotations

from collections.abc import Iterable

from ports.gateways import PaymentGateway


class GatewayRegistry:
    def __init__(self, adapters: Iterable[PaymentGateway] = ()) -> None:
        self._adapters = {adapter.name: adapter for adapter in adapters}

    def get(self, name: str) -> PaymentGateway | None:
        return self._adapters.get(name)

    def add(self, adapter: PaymentGateway) -> None:
        self._adapters[adapter.name] = adapter

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._adapters)
