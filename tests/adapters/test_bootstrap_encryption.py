"""The composition root always seals a SQL storage's sensitive columns, and rotates its keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.crypto import DecryptionError
from entrypoints.bootstrap import bootstrap, rotate_keys
from entrypoints.runtime import storage_options
from entrypoints.settings import load_settings

KEY_A = "first-secret-key-of-at-least-thirty-two-chars"
KEY_B = "second-secret-key-of-at-least-thirty-two-chars"
PHONE = "+998901234567"


async def _add_doctor(url: str, **keys) -> None:
    hamyon = await bootstrap(url, **keys)
    try:
        await hamyon.doctors.save("1", {"first_name": "John", "last_name": "Doe", "phone": PHONE},
                                 actor="root", create=True)
    finally:
        await hamyon.close()


async def _phone(url: str, **keys) -> str:
    hamyon = await bootstrap(url, **keys)
    try:
        return (await hamyon.doctors.find("1")).extra["phone"]
    finally:
        await hamyon.close()


def _on_disk(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


async def test_bootstrap_seals_with_the_given_key_and_only_that_key_opens_it(tmp_path, io_loop):
    path = tmp_path / "keyed.db"
    await _add_doctor(f"sqlite:///{path}", secret_key=KEY_A)
    assert PHONE.encode() not in _on_disk(path)
    assert await _phone(f"sqlite:///{path}", secret_key=KEY_A) == PHONE
    with pytest.raises(DecryptionError):
        await _phone(f"sqlite:///{path}", secret_key=KEY_B)


async def test_without_a_key_bootstrap_seals_with_the_development_key_the_cli_uses(tmp_path, io_loop):
    path = tmp_path / "embedded.db"
    await _add_doctor(f"sqlite:///{path}")
    settings = load_settings({"HAMYON_DATABASE_URL": f"sqlite:///{path}"}, dotenv=tmp_path / "none")
    assert PHONE.encode() not in _on_disk(path)
    assert await _phone(settings.database_url, secret_key=settings.secret_key) == PHONE


async def test_rotate_keys_moves_a_database_to_the_new_key(tmp_path, io_loop):
    url = f"sqlite:///{tmp_path / 'rotated.db'}"
    await _add_doctor(url, secret_key=KEY_A)
    seen = []
    assert await rotate_keys(url, secret_key=KEY_B, secret_key_fallbacks=[KEY_A],
                             progress=lambda *step: seen.append(step)) == 1
    assert seen == [(1, 1)]
    assert await _phone(url, secret_key=KEY_B) == PHONE
    with pytest.raises(DecryptionError):
        await _phone(url, secret_key=KEY_A)
    assert await rotate_keys("memory://", secret_key=KEY_B) == 0


def test_the_settings_storage_options_carry_the_cipher_of_the_settings_keys(tmp_path):
    env = {"HAMYON_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "HAMYON_SECRET_KEY": KEY_B,
           "HAMYON_SECRET_KEY_FALLBACKS": KEY_A}
    cipher = storage_options(load_settings(env, dotenv=tmp_path / "none"), migrate=True)["cipher"]
    old = storage_options(load_settings({**env, "HAMYON_SECRET_KEY": KEY_A,
                                         "HAMYON_SECRET_KEY_FALLBACKS": ""}, dotenv=tmp_path / "none"),
                          migrate=True)["cipher"]
    assert cipher.decrypt("tracking_code", old.encrypt("tracking_code", "TRK-1")) == "TRK-1"
    assert storage_options(load_settings({"HAMYON_DATABASE_URL": "memory://"},
                                         dotenv=tmp_path / "none"), migrate=True) == {}
