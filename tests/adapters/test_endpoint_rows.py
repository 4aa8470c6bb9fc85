"""A webhook endpoint's replaced secrets in its SQL row: each with its own time, sealed as one
text; a row written before (one replaced secret, its time in ``previous_until``) reads as it did."""

from __future__ import annotations

from datetime import timedelta

from adapters.crypto import FernetCipher
from adapters.sql.event_rows import ENDPOINT_COLUMNS, endpoint_from, endpoint_row
from adapters.sql.values import NATIVE
from tests.contract.builders import NOW, webhook

CIPHER = FernetCipher("a-test-secret-key-of-enough-length-for-hkdf")


def row_of(values: tuple) -> dict:
    return dict(zip(ENDPOINT_COLUMNS.split(", "), values, strict=True))


def test_two_replaced_secrets_come_back_each_with_its_time_and_sealed():
    hook = webhook(secret="whsec_a").rotated("whsec_b", NOW).rotated("whsec_c", NOW + timedelta(hours=1))
    stored = row_of(endpoint_row(hook, CIPHER, NATIVE))
    assert "whsec_a" not in stored["previous_secret"] and "whsec_b" not in stored["previous_secret"]
    assert stored["previous_until"] == NOW + timedelta(hours=25)
    assert endpoint_from(stored, CIPHER, NATIVE) == hook
    assert hook.signing_secrets(NOW + timedelta(hours=24, minutes=30)) == ("whsec_c", "whsec_b")


def test_a_row_with_one_replaced_secret_written_before_reads_as_it_did():
    hook = webhook(secret="whsec_new")
    stored = row_of(endpoint_row(hook, CIPHER, NATIVE))
    stored["previous_secret"] = CIPHER.encrypt("webhook_secret", "whsec_old")
    stored["previous_until"] = NOW + timedelta(hours=24)
    found = endpoint_from(stored, CIPHER, NATIVE)
    assert found.previous == (("whsec_old", NOW + timedelta(hours=24)),)
    assert found.signing_secrets(NOW) == ("whsec_new", "whsec_old")
