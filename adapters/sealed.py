"""What the SQL storages keep encrypted at rest (SPEC §7), and how a stored value is read back.

A *sealed* column holds Fernet ciphertext, one key per purpose (``adapters.crypto``): payment log
payloads, payments' tracking codes (the gateway's receipt of a card payment), the extra fields of
a doctor's card (contact details such as phone numbers live there), the platform's webhook
secrets, and gateway secrets (those the caller seals itself: the storage only keeps, and on
rotation re-seals, the ciphertext).

A storage opened with a cipher seals on write and opens on read; one opened without a cipher keeps
plain text (tests and tools only: the composition root always passes a cipher). Rows written
before encryption was switched on are plain text: they are read as they are, and ``rotate-keys``
seals them. Fernet ciphertext always begins with the version byte 0x80, "gAAAAA" in base64.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from ports.services import Cipher

PAYMENT_LOG = "payment_log"
TRACKING_CODE = "tracking_code"
DOCTOR_EXTRA = "doctor_extra"
GATEWAY_SECRET = "gateway_secret"  # what adapters.gateways.payme.keys seals with
WEBHOOK_SECRET = "webhook_secret"
_FERNET_PREFIX = "gAAAAA"
ROTATION_BATCH = 500

Progress = Callable[[int, int], object]


@frozen
class SealedColumn:
    table: str
    key: str  # a unique column to walk the table in batches
    column: str
    purpose: str


SEALED_COLUMNS = (
    SealedColumn("payment_logs", "seq", "payload", PAYMENT_LOG),
    SealedColumn("payments", "id", "tracking_code", TRACKING_CODE),
    SealedColumn("doctors", "id", "extra", DOCTOR_EXTRA),
    SealedColumn("secrets", "name", "ciphertext", GATEWAY_SECRET),
    SealedColumn("webhook_endpoints", "id", "secret", WEBHOOK_SECRET),
    SealedColumn("webhook_endpoints", "id", "previous_secret", WEBHOOK_SECRET),
)


def is_sealed(stored: str) -> bool:
    return stored.startswith(_FERNET_PREFIX)


def seal(cipher: Cipher | None, purpose: str, plaintext: str) -> str:
    """The text to store: ciphertext with a cipher (an empty value stays empty: nothing to hide)."""
    return cipher.encrypt(purpose, plaintext) if cipher is not None and plaintext else plaintext


def unseal(cipher: Cipher | None, purpose: str, stored: str) -> str:
    """The plain text of a stored value; a value written before encryption was on comes back as is.
    Ciphertext no configured key opens raises ``adapters.crypto.DecryptionError``."""
    if cipher is None or not is_sealed(stored):
        return stored
    return cipher.decrypt(purpose, stored)


def reseal(cipher: Cipher, purpose: str, stored: str) -> str:
    """The same value sealed with the cipher's current key (plain text is sealed for the first time)."""
    return cipher.encrypt(purpose, unseal(cipher, purpose, stored))
