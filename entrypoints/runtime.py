"""Building the service from settings: the storage (migrated, or checked to be), gateways, and
the Hamyon facade.

Opening the storage is where a start meets the world outside the code: each problem ends in
``CommandError``, one line naming the database and what to do (``entrypoints.database``).
"""

from __future__ import annotations

from typing import Any

from adapters.migrations import Migration
from adapters.storage_url import Backend, backend_of, sqlite_path
from adapters.webhooks.sender import TornadoSender
from adapters.webhooks.urls import ResolvingUrlPolicy
from application.hamyon import Hamyon
from entrypoints.bootstrap import bootstrap, open_storage, storage_cipher
from entrypoints.database import ensure_migrated, migrate_storage, storage_problems
from entrypoints.http.gateways import GATEWAYS, Gateway
from entrypoints.settings import Settings
from entrypoints.webhook_delivery import Deliverer
from ports.gateways import PaymentGateway
from ports.storage import Storage


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
    backend = backend_of(settings.database_url)
    if not backend.is_sql:
        return {}
    options: dict[str, Any] = {
        "migrate": migrate, "cipher": storage_cipher(settings.secret_key, settings.secret_key_fallbacks)}
    if backend is Backend.SQLITE:
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


async def build_hamyon(settings: Settings, *, migrate: bool | None = None, events: Any = None,
                       read_only: bool = False) -> Hamyon:
    """The facade for a server, worker or CLI command. ``migrate`` defaults to the
    ``HAMYON_AUTO_MIGRATE`` setting; without it the database must exist and be migrated already.
    ``read_only`` (commands that only read): no migration, no default rows seeded, and a SQLite
    file opened read-only. A storage that cannot serve raises ``CommandError``."""
    storage = await open_checked_storage(
        settings, migrate=settings.auto_migrate if migrate is None else migrate, read_only=read_only)
    try:
        with storage_problems(settings.database_url):
            return await _facade(settings, storage, events=events, seed=not read_only)
    except BaseException:
        await storage.close()
        raise


async def _facade(settings: Settings, storage: Storage, *, events: Any, seed: bool) -> Hamyon:
    adapters = gateway_adapters(settings)
    return await bootstrap(
        settings.database_url, config=settings.service_config(), gateways=adapters,
        active_gateways={adapter.name for adapter in adapters}, events=events, storage=storage,
        seed=seed, secret_key=settings.secret_key, secret_key_fallbacks=settings.secret_key_fallbacks,
        doctor_api_url=settings.doctor_api_url or None,
        webhook_urls=webhook_url_policy(settings),
    )


async def migrate_and_seed(settings: Settings) -> list[Migration]:
    """Apply the pending migrations and seed the default rows; the migrations applied now (none
    when the database was up to date)."""
    with storage_problems(settings.database_url):
        applied = await migrate_storage(settings.database_url)
    hamyon = await build_hamyon(settings, migrate=False)
    await hamyon.close()
    return applied


async def open_checked_storage(settings: Settings, *, migrate: bool, read_only: bool = False) -> Storage:
    """The settings' storage, migrated first with ``migrate``; otherwise the database must exist
    (a SQLite file is never created) with every shipped migration applied. ``read_only`` opens a
    SQLite file read-only. Raises ``CommandError`` naming the database and the cause."""
    url = settings.database_url
    with storage_problems(url):
        if migrate and not read_only:
            await migrate_storage(url)
        else:
            await ensure_migrated(url)
        options = storage_options(settings, migrate=False)
        if read_only and backend_of(url) is Backend.SQLITE:
            from adapters.sqlite import open_sqlite
            from adapters.sqlite.connections import read_only as read_only_path

            return await open_sqlite(read_only_path(sqlite_path(url)), **options)
        return await open_storage(url, **options)
