"""``hamyon rotate-keys``: values sealed with an old key are re-sealed with the current one,
with progress on stderr; without the old key among the fallbacks it stops and says so."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.crypto import DecryptionError, FernetCipher
from application.hamyon import Hamyon
from application.payments import CreatePayment
from tests.cli.seeding import seed
from tests.ops.harness import clean_env, run_cli

OLD, NEW = "the-old-secret-key-0123456789-0123456789", "the-new-secret-key-0123456789-0123456789"
PAYLOAD = '{"phone": "+998901112233", "card": "8600 **** **** 4321"}'


async def _logged(hamyon: Hamyon) -> None:
    for amount in (20_000, 30_000, 40_000):
        created = await hamyon.payments.create(CreatePayment("ivan", "sandbox", Decimal(amount)))
        await hamyon.settlement.log_step(created.payment.id, "callback", "posted", payload=PAYLOAD)


def _stored_payloads(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "hamyon.db") as db:
        return [row[0] for row in db.execute("SELECT payload FROM payment_logs WHERE payload <> ''")]


def test_rotation_reseals_every_value_with_the_current_key(tmp_path: Path) -> None:
    seed(clean_env(tmp_path, HAMYON_SECRET_KEY=OLD), _logged)
    before = _stored_payloads(tmp_path)
    assert len(before) == 3 and not any("+998" in value for value in before)
    env = clean_env(tmp_path, HAMYON_SECRET_KEY=NEW, HAMYON_SECRET_KEY_FALLBACKS=OLD)
    done = run_cli("rotate-keys", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "re-encrypted" in done.stdout and "re-encrypting:" in done.stderr
    after = _stored_payloads(tmp_path)
    only_new = FernetCipher(NEW)
    assert [only_new.decrypt("payment_log", value) for value in after] == [PAYLOAD] * 3
    with pytest.raises(DecryptionError):  # sealed with the new key only
        FernetCipher(OLD).decrypt("payment_log", after[0])


def test_rotation_without_the_old_key_stops_and_says_how_to_fix_it(tmp_path: Path) -> None:
    seed(clean_env(tmp_path, HAMYON_SECRET_KEY=OLD), _logged)
    before = _stored_payloads(tmp_path)
    done = run_cli("rotate-keys", env=clean_env(tmp_path, HAMYON_SECRET_KEY=NEW), cwd=tmp_path)
    assert done.returncode == 1
    assert "HAMYON_SECRET_KEY_FALLBACKS" in done.stderr
    assert _stored_payloads(tmp_path) == before
