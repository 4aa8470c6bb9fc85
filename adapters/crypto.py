"""Encryption at rest (SPEC §7): Fernet keys derived per purpose from ``HAMYON_SECRET_KEY``.

Each purpose ("payment_log", "tracking_code", "gateway_secret", …) gets its own key, derived with
HKDF-SHA256 from the secret key, a fixed salt and the purpose as ``info`` — never a plain hash.
Older secret keys (``HAMYON_SECRET_KEY_FALLBACKS``) still decrypt through MultiFernet; new
ciphertext always uses the current key, and ``rotate`` re-encrypts old ciphertext with it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SALT = b"hamyon/encryption-at-rest/v1"


class DecryptionError(ValueError):
    """Ciphertext that no known key opens (wrong key, or tampered data)."""


def derive_key(secret: str, purpose: str) -> bytes:
    """A Fernet key for one purpose: HKDF-SHA256(secret, salt, info=purpose)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT,
               info=f"hamyon:{purpose}".encode()).derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


class FernetCipher:
    """The ``ports.services.Cipher`` adapter."""

    def __init__(self, secret_key: str, fallbacks: Sequence[str] = ()) -> None:
        if not secret_key:
            raise ValueError("FernetCipher needs a secret key")
        self._secrets = (secret_key, *[f for f in fallbacks if f])

    @cache  # noqa: B019 - one cipher per purpose, kept for the cipher's (process-long) life
    def _fernet(self, purpose: str) -> MultiFernet:
        return MultiFernet([Fernet(derive_key(secret, purpose)) for secret in self._secrets])

    def encrypt(self, purpose: str, plaintext: str) -> str:
        return self._fernet(purpose).encrypt(plaintext.encode()).decode()

    def decrypt(self, purpose: str, token: str) -> str:
        with _unopened(f"decrypt a {purpose} value"):
            return self._fernet(purpose).decrypt(token.encode()).decode()

    def rotate(self, purpose: str, token: str) -> str:
        """The same plaintext, encrypted with the current key."""
        with _unopened(f"rotate a {purpose} value"):
            return self._fernet(purpose).rotate(token.encode()).decode()


@contextmanager
def _unopened(doing: str) -> Iterator[None]:
    """Ciphertext no configured key opens, raised as ``DecryptionError`` (never the token)."""
    try:
        yield
    except InvalidToken:
        raise DecryptionError(f"cannot {doing} with the configured keys") from None
