"""Building the service from settings: storage options, gateways, and the Hamyon facade."""

from __future__ import annotations

from typing import Any

from adapters.webhooks.sender import TornadoSender
from adapters.webhooks.urls import ResolvingUrlPolicy
from application.hamyon import Hamyon
from entrypoints.bootstrap import bootstrap, storage_cipher
from entrypoints.http.gateways import GATEWAYS, Gateway
from entrypoints.settings import Settings
from entrypoints.webhook_delivery import Deliverer
from ports.gateways import PaymentGateway


def gateway_adapters(settings: Settings, gateways: tuple[Gateway, ...] = GATEWAYS) -> list[PaymentGateway]:
    """The outgoing gateway adapters the settings enable (a gateway without credentials has none)."""
    return [adapter for gateway in gateways for adapter in gateway.package.outgoing(settings)]


def inbound_protocols(settings: Settings, hamyon: Hamyon,
                      gateways: tuple[Gateway, ...] = GATEWAYS) -> dict[str, Any]:
    """The gateways' inbound protocols (webhooks and callbacks) the settings enable, by the name
    their HTTP handlers find them by."""
    protocols = {}
    for gateway in gateways:
        built = gateway.package.inbound(settings, hamyon)
        if built is not None:
            protocols[gateway.package.name] = built
    return protocols


def storage_options(settings: Settings, *, migrate: bool) -> dict[str, Any]:
    """How to open the settings' storage; a SQL one always seals its sensitive columns with the
    settings' secret key (older keys in HAMYON_SECRET_KEY_FALLBACKS still decrypt)."""
    if settings.database_url.startswith("memory:"):
        return {}
    options: dict[str, Any] = {
        "migrate": migrate, "cipher": storage_cipher(settings.secret_key, settings.secret_key_fallbacks)}
    if settings.database_url.startswith("sqlite:"):
        options["synchronous"] = settings.sqlite_synchronous
    return options


def webhook_url_policy(settings: Settings) -> ResolvingUrlPolicy:
    """SPEC §12: in production https only, and public addresses only unless
    ``HAMYON_WEBHOOK_ALLOW_PRIVATE=1``."""
    return ResolvingUrlPolicy(https_only=settings.is_production,
                              allow_private=settings.webhook_allow_private or not settings.is_production)


def webhook_deliverer(settings: Settings, hamyon: Hamyon, metrics: Any = None) -> Deliverer:
    """The deliverer of events to the webhook endpoints; it checks each URL again before each
    delivery (what a name resolves to may change)."""
    return Deliverer(hamyon, TornadoSender(webhook_url_policy(settings)), metrics)


async def build_hamyon(settings: Settings, *, migrate: bool | None = None, events: Any = None) -> Hamyon:
    """The facade for a server, worker or CLI command. ``migrate`` defaults to the
    ``HAMYON_AUTO_MIGRATE`` setting."""
    adapters = gateway_adapters(settings)
    return await bootstrap(
        settings.database_url, config=settings.service_config(), gateways=adapters,
        active_gateways={adapter.name for adapter in adapters}, events=events,
        storage_options=storage_options(settings, migrate=settings.auto_migrate if migrate is None
                                        else migrate),
        secret_key=settings.secret_key, secret_key_fallbacks=settings.secret_key_fallbacks,
        doctor_api_url=settings.doctor_api_url or None,
        webhook_urls=webhook_url_policy(settings),
    )
