"""Payme's Basic auth: which keys open the Merchant API now, and ChangePassword's replacement keys.

The environment gives the production key (``HAMYON_PAYME_KEY``) and, optionally, the sandbox key
(``HAMYON_PAYME_TEST_KEY``); both are accepted. ChangePassword replaces the key that authenticated
it; the replacement is kept encrypted in storage and wins over the environment from then on, so
the old key stops working at once on every server process.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from typing import Protocol

from attrs import field, frozen

from application.hamyon import Hamyon
from application.units import Units
from ports.services import Cipher, Clock
from ports.storage import UnitOfWork

LOGIN = "Paycom"
PRODUCTION, SANDBOX = "payme_key", "payme_test_key"  # secret names, one per configured key
SLOTS = (PRODUCTION, SANDBOX)
PURPOSE = "gateway_secret"


@frozen
class PaymeCredentials:
    merchant_id: str
    key: str = field(repr=False)
    test_key: str = field(default="", repr=False)

    def configured(self) -> dict[str, str]:
        keys = {PRODUCTION: self.key, SANDBOX: self.test_key}
        return {slot: key for slot, key in keys.items() if key}


class PaymeKeyStore(Protocol):
    """Where keys set by ChangePassword live, by slot (``payme_key``, ``payme_test_key``)."""

    async def replacements(self) -> Mapping[str, str]: ...

    async def replace(self, slot: str, key: str) -> None: ...


class MemoryKeyStore:
    """Replacement keys in this process only (tests, embedding without storage of secrets)."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    async def replacements(self) -> Mapping[str, str]:
        return dict(self._keys)

    async def replace(self, slot: str, key: str) -> None:
        self._keys[slot] = key


class StoredKeyStore:
    """Replacement keys encrypted (``Cipher``, purpose ``gateway_secret``) in the storage's
    secrets, so that every process sees a ChangePassword at once."""

    def __init__(self, units: Units, cipher: Cipher, clock: Clock) -> None:
        self._units, self._cipher, self._clock = units, cipher, clock

    @classmethod
    def of(cls, hamyon: Hamyon, cipher: Cipher) -> StoredKeyStore:
        """On the facade's own storage and clock."""
        return cls(hamyon.units, cipher, hamyon.clock)

    async def replacements(self) -> Mapping[str, str]:
        async def body(uow: UnitOfWork) -> dict[str, str | None]:
            return {slot: await uow.secrets.get(slot) for slot in SLOTS}

        stored = await self._units.read(body)
        return {slot: self._cipher.decrypt(PURPOSE, token) for slot, token in stored.items() if token}

    async def replace(self, slot: str, key: str) -> None:
        token = self._cipher.encrypt(PURPOSE, key)

        async def body(uow: UnitOfWork) -> None:
            await uow.secrets.save(slot, token, self._clock.now())

        await self._units.write(body)


class Keyring:
    def __init__(self, credentials: PaymeCredentials, store: PaymeKeyStore) -> None:
        self._credentials, self._store = credentials, store

    async def authenticate(self, authorization: str | None) -> str | None:
        """The slot whose key the ``Authorization`` header carries, or None. Every candidate is
        compared in constant time, and all of them are compared."""
        offered = _basic_credentials(authorization)
        if offered is None:
            return None
        matched = None
        for slot, key in (await self._keys()).items():
            if hmac.compare_digest(offered, f"{LOGIN}:{key}".encode()):
                matched = slot
        return matched

    async def change(self, slot: str, key: str) -> None:
        await self._store.replace(slot, key)

    async def _keys(self) -> dict[str, str]:
        configured = self._credentials.configured()
        replaced = await self._store.replacements()
        return {slot: replaced.get(slot) or key for slot, key in configured.items()}


def _basic_credentials(authorization: str | None) -> bytes | None:
    scheme, _, encoded = (authorization or "").strip().partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        return base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
