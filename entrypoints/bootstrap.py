"""The composition root: the one place that knows every adapter.

``await bootstrap(database_url=...)`` opens the storage named by the URL (``memory://``,
``sqlite:///path/to/file.db``, ``postgresql://...``), builds the use cases with the system clock,
random ids, the tenacity retry policy, the gateways and the doctor directory, seeds the default
rows, and returns the ``Hamyon`` facade. Every default can be overridden (tests pass a manual
clock, say).

A SQL storage is always opened with a cipher (SPEC §7): ``cipher``, or a ``FernetCipher`` of
``secret_key`` (and ``secret_key_fallbacks``). Without either, the development key of
``entrypoints.settings`` is used, the one ``hamyon`` itself uses in development, so that an
embedding app and the CLI read the same file; production passes ``HAMYON_SECRET_KEY``.
``rotate_keys`` re-encrypts a storage's sealed values with the current key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from adapters.clock import SystemClock
from adapters.crypto import FernetCipher
from adapters.doctors import HttpDoctorDirectory, TableDoctorDirectory
from adapters.gateways.registry import GatewayRegistry
from adapters.ids import RandomIds
from adapters.retry import TransientRetry
from adapters.storage_url import Backend, backend_of, sqlite_path
from application.config import ServiceConfig
from application.dependencies import Dependencies
from application.events import SchemeOnly, UrlPolicy
from application.hamyon import Hamyon
from entrypoints.http.event_views import HttpEventViews
from entrypoints.http.gateways import gateway_rows
from entrypoints.settings import DEV_SECRET_KEY
from ports.doctors import DoctorDirectory
from ports.gateways import PaymentGateway
from ports.services import Cipher, Clock, EventLog, IdGenerator, RetryPolicy
from ports.storage import Storage


class RotatableStorage(Storage, Protocol):
    async def rotate_keys(self, cipher: Cipher | None = None, progress: Any = None) -> int: ...


def storage_cipher(secret_key: str | None = None, secret_key_fallbacks: Sequence[str] = ()) -> Cipher:
    """The cipher of the sealed columns: the given key (older keys still decrypt), or the
    development key."""
    return FernetCipher(secret_key or DEV_SECRET_KEY, secret_key_fallbacks)


def _with_cipher(database_url: str, options: dict[str, Any] | None, cipher: Cipher) -> dict[str, Any]:
    """The storage options, with the cipher for a SQL storage unless the caller set one."""
    chosen = dict(options or {})
    if backend_of(database_url).is_sql:
        chosen.setdefault("cipher", cipher)
    return chosen


async def open_storage(database_url: str, **options: Any) -> Storage:
    """Open the storage a URL names (``adapters.storage_url``); unknown schemes are refused with
    the accepted ones. Each backend is imported only when named."""
    backend = backend_of(database_url)
    if backend is Backend.MEMORY:
        from adapters.memory import MemoryStorage

        return MemoryStorage()
    if backend is Backend.SQLITE:
        from adapters.sqlite import open_sqlite

        return await open_sqlite(sqlite_path(database_url), **options)
    from adapters.postgres import open_postgres

    return await open_postgres(database_url, **options)


async def bootstrap(
    database_url: str = "memory://",
    *,
    config: ServiceConfig | None = None,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    gateways: Iterable[PaymentGateway] = (),
    active_gateways: Iterable[str] = (),
    retry: RetryPolicy | None = None,
    events: EventLog | None = None,
    storage: Storage | None = None,
    storage_options: dict[str, Any] | None = None,
    seed: bool = True,
    secret_key: str | None = None,
    secret_key_fallbacks: Sequence[str] = (),
    cipher: Cipher | None = None,
    doctors: DoctorDirectory | None = None,
    doctor_api_url: str | None = None,
    webhook_urls: UrlPolicy | None = None,
) -> Hamyon:
    """Build a ready ``Hamyon``. ``gateways`` are the adapters to register; ``active_gateways``
    names the rows that start active on first seeding (those with configured credentials).
    A SQL storage is opened with ``cipher`` (default: one of ``secret_key``). The doctor view
    reads ``doctors``, else the platform's doctor API at ``doctor_api_url``, else the storage's
    doctor table. Webhook URLs are checked by ``webhook_urls`` (default: http or https only)."""
    sealing = cipher or storage_cipher(secret_key, secret_key_fallbacks)
    opened = storage or await open_storage(database_url,
                                           **_with_cipher(database_url, storage_options, sealing))
    deps = Dependencies(
        unit_of_work=opened.unit_of_work, clock=clock or SystemClock(), ids=ids or RandomIds(),
        gateways=GatewayRegistry(gateways), config=config or ServiceConfig(),
        retry=retry or TransientRetry(), on_close=opened.close,
        doctors=_doctor_directory(opened, doctors, doctor_api_url), event_views=HttpEventViews(),
        webhook_urls=webhook_urls or SchemeOnly(), wallet_lanes=_keeps_wallet_lanes(opened),
        **({"events": events} if events is not None else {}),
    )
    hamyon = Hamyon(deps)
    if seed:
        await hamyon.admin.seed_defaults(gateway_rows(frozenset(active_gateways)))
    return hamyon


def _doctor_directory(opened: Storage, doctors: DoctorDirectory | None,
                      doctor_api_url: str | None) -> DoctorDirectory:
    """The given directory, else the platform's doctor API, else the storage's doctor table."""
    return doctors or (HttpDoctorDirectory(doctor_api_url) if doctor_api_url
                       else TableDoctorDirectory(opened.unit_of_work))


def _keeps_wallet_lanes(opened: Storage) -> bool:
    """Whether the storage runs each wallet's writes in a lane of its own; one that does not say
    so does not."""
    return bool(getattr(opened, "wallet_lanes", False))


async def rotate_keys(
    database_url: str,
    *,
    secret_key: str | None = None,
    secret_key_fallbacks: Sequence[str] = (),
    cipher: Cipher | None = None,
    progress: Any = None,
    storage_options: dict[str, Any] | None = None,
) -> int:
    """Re-encrypt every sealed value of the storage at ``database_url`` with the current key
    (``cipher``, or one of ``secret_key``; old values must open with it or a fallback), calling
    ``progress(done, total)`` as batches finish; returns how many values were re-encrypted
    (0 for the memory storage, which keeps no ciphertext)."""
    sealing = cipher or storage_cipher(secret_key, secret_key_fallbacks)
    opened: Any = await open_storage(database_url, **_with_cipher(database_url, storage_options, sealing))
    storage: RotatableStorage = opened
    try:
        return await storage.rotate_keys(sealing, progress)
    finally:
        await storage.close()
