"""Transitional: the gateway rows of SPEC §3 as a first start seeds them.

Each row now belongs to its gateway package's descriptor (``GatewayPackage.seeds`` in
``adapters.gateways.<name>``; all of them: ``entrypoints.http.gateways.gateway_rows``). This copy
stays only while ``Hamyon.seed_defaults`` reads it instead of taking the rows from the composition
root; ``tests/gateways/test_packages.py`` proves the two say the same, and the module goes then."""

from __future__ import annotations

from decimal import Decimal

from domain.money import Currency, Money
from domain.payments import CommissionType, GatewayConfig

_UZS_CARD = (Decimal(1_000), Decimal(10_000_000), Decimal("2.5"))
GATEWAYS: tuple[tuple[str, str, Currency, Decimal, Decimal, Decimal], ...] = (
    ("click", "Click", Currency.UZS, *_UZS_CARD),
    ("payme", "Payme", Currency.UZS, *_UZS_CARD),
    ("uzcard", "UzCard", Currency.UZS, *_UZS_CARD),
    ("humo", "Humo", Currency.UZS, *_UZS_CARD),
    ("medogram", "Medogram", Currency.IRR, Decimal(10_000), Decimal(1_000_000_000), Decimal(0)),
    ("sandbox", "Sandbox", Currency.UZS, Decimal(1_000), Decimal(10_000_000), Decimal(0)),
)


def default_gateways(active: frozenset[str]) -> list[GatewayConfig]:
    """The seeded gateway rows; those named in ``active`` (configured credentials) start active."""
    return [
        GatewayConfig(
            name=name, display_name=display, is_active=name in active,
            min_amount=Money.of(low, currency), max_amount=Money.of(high, currency),
            commission_type=CommissionType.PERCENTAGE, commission_percentage=pct,
        )
        for name, display, currency, low, high, pct in GATEWAYS
    ]
