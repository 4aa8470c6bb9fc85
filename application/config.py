"""The service settings the use cases read (built from the environment by the composition root)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from attrs import field, frozen

from domain.money import Currency


@frozen
class ServiceConfig:
    default_currency: Currency = Currency.UZS
    payment_ttl_seconds: int = 1800
    timezone: str = "Asia/Tashkent"
    idempotency_ttl_seconds: int = 24 * 3600
    reconcile_after_seconds: int = 300
    # How long a process keeps billing rules and settings (application.catalog); 0: not at all.
    catalog_ttl_seconds: float = 2.0
    zone: ZoneInfo = field(init=False)

    @zone.default
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
