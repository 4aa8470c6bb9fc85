"""Building the service from settings: the storage (migrated, or checked to be), gateways, and
the Hamyon facade.

Opening the storage is where a start meets the world outside the code: an unreachable Postgres, a
database that is missing, not migrated, not SQLite or not openable. Each ends in ``CommandError``,
one line naming the database and what to do, never in the driver's traceback.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from adapters.migrations import Migration, load_migrations
from adapters.storage_url import Backend, backend_of, existing_sqlite_file, shown, sqlite_path
from adapters.webhooks.sender import TornadoSender
from adapters.webhooks.urls import ResolvingUrlPolicy
from application.hamyon import Hamyon
from entrypoints.bootstrap import bootstrap, open_storage, storage_cipher
from entrypoints.http.gateways import GATEWAYS, Gateway
from entrypoints.settings import Settings
from entrypoints.webhook_delivery import Deliverer
from ports.gateways import PaymentGateway
from ports.storage import Storage, StorageError


class CommandError(Exception):
    """A command cannot do its work for a reason outside the code (a busy port; a database that is
    unreachable, missing, not migrated or not SQLite; a key that does not open the data). The
    message is one line saying which and what to do; ``hamyon`` prints it and exits 2."""


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


async def migrate_storage(database_url: str) -> list[Migration]:
    """Apply the migrations the database lacks (creating a SQLite file if missing); those applied."""
    shipped = _shipped(database_url)
    if not shipped:
        return []
    if backend_of(database_url) is Backend.SQLITE:
        from adapters.sqlite.migrate import migrate_sqlite

        versions = await migrate_sqlite(sqlite_path(database_url))
    else:
        from adapters.postgres.migrate import migrate_postgres

        versions = await migrate_postgres(database_url)
    return [migration for migration in shipped if migration.version in versions]


async def ensure_migrated(database_url: str) -> None:
    """Refuse (``CommandError``) a database that is missing or lacks a shipped migration."""
    pending = await pending_migrations(database_url)
    if pending:
        raise CommandError(f"the database {shown(database_url)} is not migrated ({len(pending)} "
                           f"migrations pending, from {label(pending[0])}): run `hamyon migrate`")


async def pending_migrations(database_url: str) -> list[Migration]:
    """The shipped migrations the database has not applied, ascending (none for memory://)."""
    shipped = _shipped(database_url)
    if not shipped:
        return []
    applied = await _sqlite_applied(_existing(database_url)) \
        if backend_of(database_url) is Backend.SQLITE else await _postgres_applied(database_url)
    return [migration for migration in shipped if migration.version not in applied]


def _shipped(database_url: str) -> list[Migration]:
    """The migrations the database's adapter ships (none for memory://)."""
    backend = backend_of(database_url)
    if backend is Backend.SQLITE:
        from adapters.sqlite.migrate import MIGRATIONS
    elif backend is Backend.POSTGRES:
        from adapters.postgres.migrate import MIGRATIONS
    else:
        return []
    return list(load_migrations(MIGRATIONS))


def label(migration: Migration) -> str:
    """How a migration is named to a person: its file's name, ``0001_initial``."""
    return f"{migration.version:04d}_{migration.name}"


def _existing(database_url: str) -> str:
    try:
        return existing_sqlite_file(database_url)
    except FileNotFoundError:
        raise CommandError(f"no database at {sqlite_path(database_url)}: check HAMYON_DATABASE_URL, "
                           "or run `hamyon migrate` to create it") from None


async def _sqlite_applied(path: str) -> set[int]:
    from adapters.sqlite.connections import connect, read_only
    from adapters.sqlite.migrate import applied_versions

    connection = await connect(read_only(path))
    try:
        return await applied_versions(connection)
    finally:
        await connection.close()


async def _postgres_applied(dsn: str) -> set[int]:
    # The versions the adapter's migrations record (``adapters.postgres.migrate``), read only.
    from adapters.postgres.migrate import connect

    connection = await connect(dsn)
    try:
        if await connection.fetchval("SELECT to_regclass('schema_migrations')") is None:
            return set()
        return {row[0] for row in await connection.fetch("SELECT version FROM schema_migrations")}
    finally:
        await connection.close()


@contextlib.contextmanager
def storage_problems(database_url: str) -> Iterator[None]:
    """The driver's or the storage's error while opening or preparing the database, raised as a
    ``CommandError`` that names the database and the cause in one line."""
    try:
        yield
    except _opening_errors(database_url) as error:
        raise CommandError(_cannot_open(database_url, error)) from None


def _opening_errors(database_url: str) -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (StorageError, OSError, sqlite3.Error)
    if backend_of(database_url) is Backend.POSTGRES:
        import asyncpg  # named only for Postgres, as the composition root opens it only then

        errors += (asyncpg.PostgresError, asyncpg.InterfaceError)
    return errors


def _cannot_open(database_url: str, error: BaseException) -> str:
    detail = " ".join(str(error).split()) or type(error).__name__
    if backend_of(database_url) is Backend.POSTGRES:
        unreachable = isinstance(error, (StorageError, OSError))
        advice = "is the server up and reachable?" if unreachable else "check HAMYON_DATABASE_URL"
        return f"cannot use Postgres at {shown(database_url)}: {detail} ({advice})"
    path = sqlite_path(database_url)
    return f"cannot open the SQLite database {path}: {_sqlite_reason(Path(path), detail)}"


def _sqlite_reason(path: Path, detail: str) -> str:
    if path.is_dir():
        return "it is a directory, not a database file"
    if not path.parent.is_dir():
        return f"its directory {path.parent} does not exist"
    if detail == "file is not a database":
        return "the file is not a SQLite database"
    if path.exists() and not os.access(path, os.R_OK):
        return "no permission to read it"
    return detail
