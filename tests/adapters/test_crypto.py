"""Encryption at rest: per-purpose keys from HKDF, fallbacks decrypt, rotation re-encrypts."""

from __future__ import annotations

import pytest

from adapters.crypto import DecryptionError, FernetCipher, derive_key


def test_round_trip_and_ciphertext_hides_the_plaintext():
    cipher = FernetCipher("s" * 40)
    token = cipher.encrypt("payment_log", "card 8600 1234 5678 9012")
    assert "8600" not in token
    assert cipher.decrypt("payment_log", token) == "card 8600 1234 5678 9012"


def test_each_purpose_has_its_own_key():
    cipher = FernetCipher("s" * 40)
    assert derive_key("s" * 40, "payment_log") != derive_key("s" * 40, "tracking_code")
    with pytest.raises(DecryptionError):
        cipher.decrypt("tracking_code", cipher.encrypt("payment_log", "x"))


def test_old_keys_still_decrypt_and_rotation_moves_to_the_new_key():
    old = FernetCipher("old-secret-" * 4)
    token = old.encrypt("payment_log", "payload")
    new = FernetCipher("new-secret-" * 4, fallbacks=["old-secret-" * 4])
    assert new.decrypt("payment_log", token) == "payload"
    rotated = new.rotate("payment_log", token)
    assert FernetCipher("new-secret-" * 4).decrypt("payment_log", rotated) == "payload"
    with pytest.raises(DecryptionError):
        FernetCipher("new-secret-" * 4).decrypt("payment_log", token)


def test_tampered_ciphertext_is_refused():
    cipher = FernetCipher("s" * 40)
    token = cipher.encrypt("payment_log", "payload")
    with pytest.raises(DecryptionError):
        cipher.decrypt("payment_log", token[:-4] + "AAAA")
