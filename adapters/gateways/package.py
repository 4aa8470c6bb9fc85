"""What a gateway package tells the composition root: one ``GatewayPackage`` per package under
``adapters/gateways/`` (``click``, ``payme``, ``medogram``, ``sandbox``).

A package keeps in one place its outgoing calls, its wire format and its inbound protocol. Its
descriptor names the gateway rows it seeds, builds its outgoing adapters and its inbound protocol
from the settings (neither exists when the gateway is not configured), and lists the periodic
jobs that protocol needs. The composition root (``entrypoints.http.gateways``) lists the
descriptors, one line each, with the gateway's HTTP routes: the handlers live in ``entrypoints``,
since an adapter cannot import the HTTP edge.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from attrs import frozen

from application.gateways.redirect import RedirectFlow
from application.hamyon import Hamyon
from domain.money import Currency, Money
from domain.payments import CommissionType, GatewayConfig
from ports.gateways import PaymentGateway, RedirectGateway

P = TypeVar("P")


class GatewaySettings(Protocol):
    """What a package reads from the service's settings (``entrypoints.settings.Settings``)."""

    @property
    def gateway_env(self) -> Mapping[str, str]: ...  # the gateways' credentials, by variable name

    @property
    def base_url(self) -> str: ...

    @property
    def sandbox(self) -> bool: ...

    @property
    def secret_key(self) -> str: ...

    @property
    def secret_key_fallbacks(self) -> Sequence[str]: ...

    @property
    def merchant_name(self) -> str: ...  # whom the sandbox checkout says the payer pays


@frozen
class GatewaySeed:
    """A gateway row as a first start creates it; the admin may change it afterwards, and an
    existing row is never seeded again."""

    name: str
    display_name: str
    currency: Currency
    min_amount: Decimal
    max_amount: Decimal
    commission_percentage: Decimal = Decimal(0)

    def row(self, *, active: bool) -> GatewayConfig:
        return GatewayConfig(
            name=self.name, display_name=self.display_name, is_active=active,
            min_amount=Money.of(self.min_amount, self.currency),
            max_amount=Money.of(self.max_amount, self.currency),
            commission_type=CommissionType.PERCENTAGE, commission_percentage=self.commission_percentage)


@frozen
class GatewayJob(Generic[P]):
    """Periodic work of an inbound protocol (Payme's 12-hour sweep): scheduled only when that
    protocol is configured, every ``every`` seconds; ``run`` is given the protocol."""

    name: str
    every: float
    run: Callable[[P], Awaitable[object]]


@frozen
class GatewayPackage(Generic[P]):
    """One gateway package. ``name`` is its inbound protocol's name (the key the HTTP handlers
    find it by); ``seeds`` are its rows (Click's are click, uzcard and humo: one package, three
    card rails). ``outgoing`` gives no adapter and ``inbound`` None without credentials, and the
    seeded rows of such a gateway start inactive."""

    name: str
    seeds: tuple[GatewaySeed, ...]
    outgoing: Callable[[GatewaySettings], Sequence[PaymentGateway]]
    inbound: Callable[[GatewaySettings, Hamyon], P | None]
    jobs: tuple[GatewayJob[P], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The gateway names (rows and adapters) this package answers for."""
        return tuple(seed.name for seed in self.seeds)

    def rows(self, active: Collection[str]) -> list[GatewayConfig]:
        """The rows to seed; those named in ``active`` (configured credentials) start active."""
        return [seed.row(active=seed.name in active) for seed in self.seeds]


Build = Callable[[GatewaySettings], RedirectGateway | None]


def redirect_package(seed: GatewaySeed, build: Build) -> GatewayPackage[RedirectFlow]:
    """The package of a redirect gateway: one adapter, ``build`` from the settings (None when
    not configured), whose callbacks and presses go through the gateway-neutral redirect flow."""
    def outgoing(settings: GatewaySettings) -> list[PaymentGateway]:
        gateway = build(settings)
        return [gateway] if gateway is not None else []

    def inbound(settings: GatewaySettings, hamyon: Hamyon) -> RedirectFlow | None:
        gateway = build(settings)
        return RedirectFlow(hamyon, gateway) if gateway is not None else None

    return GatewayPackage(name=seed.name, seeds=(seed,), outgoing=outgoing, inbound=inbound)

