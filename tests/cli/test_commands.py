"""Every ``hamyon`` command through its real entry point (``python -m entrypoints.cli``)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import jwt
import pytest

from application.hamyon import Hamyon
from application.payments import CreatePayment
from entrypoints.cli import main
from tests.cli.seeding import seed
from tests.ops.harness import clean_env, run_cli

COMMANDS = ("serve", "demo", "worker", "migrate", "token", "verify", "logs", "api-key", "admin-link",
            "rotate-keys")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path)


def database(tmp_path: Path) -> Path:
    return tmp_path / "hamyon.db"


def test_help_names_and_explains_every_command(tmp_path: Path, env: dict[str, str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    done = run_cli("--help", env=env, cwd=tmp_path)
    assert done.returncode == 0
    for command in COMMANDS:
        assert command in done.stdout
        with pytest.raises(SystemExit) as exited:  # each command's own page, in-process
            main([command, "--help"])
        assert exited.value.code == 0
        assert "usage: hamyon " + command in capsys.readouterr().out


def test_migrate_creates_the_database(tmp_path: Path, env: dict[str, str]) -> None:
    done = run_cli("migrate", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "migrated" in done.stdout
    with sqlite3.connect(database(tmp_path)) as db:
        assert db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] >= 1


def test_token_is_signed_with_the_configured_secret(tmp_path: Path) -> None:
    secret = "a-jwt-secret-for-this-test-only-0123456789"
    env = clean_env(tmp_path, HAMYON_JWT_SECRET=secret)
    done = run_cli("token", "--user", "42", "--admin", "--ttl", "60", env=env, cwd=tmp_path)
    claims = jwt.decode(done.stdout.strip(), secret, algorithms=["HS256"])
    assert (claims["sub"], claims["role"], claims["exp"] - claims["iat"]) == ("42", "admin", 60)


async def _fund(hamyon: Hamyon) -> None:
    for user in ("alice", "bob"):
        await hamyon.wallets.adjust(user, Decimal(30_000), "UZS", "funding", actor="root")


def test_verify_passes_on_a_sound_ledger(tmp_path: Path, env: dict[str, str]) -> None:
    seed(env, _fund)
    done = run_cli("verify", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "checked 2 transfers, 2 wallets, 1 currencies" in done.stdout
    assert "ledger ok" in done.stdout
    assert "verifying ledger: ok" in done.stderr  # the progress line, off stdout


def _corrupt(path: Path, statement: str) -> None:
    if shutil.which("sqlite3"):  # by hand, as an operator would
        subprocess.run(["sqlite3", str(path), statement], check=True, timeout=30)
    else:
        with sqlite3.connect(path) as db:
            db.execute(statement)


def _violations_after(tmp_path: Path, env: dict[str, str], statement: str) -> list[str]:
    """``hamyon verify``'s violation lines once ``statement`` changed the funded ledger by hand
    (it must exit 1 and not say the ledger is ok)."""
    seed(env, _fund)
    _corrupt(database(tmp_path), statement)
    done = run_cli("verify", env=env, cwd=tmp_path)
    assert done.returncode == 1 and "ledger ok" not in done.stdout
    return [line for line in done.stdout.splitlines() if line.startswith("VIOLATION")]


def test_verify_exits_1_naming_a_wallet_balance_corrupted_by_hand(tmp_path: Path,
                                                                  env: dict[str, str]) -> None:
    violations = _violations_after(tmp_path, env,
                                   "UPDATE wallets SET balance = balance + 500 WHERE user_id = 'alice'")
    assert violations and all("alice" in line for line in violations)


def test_verify_names_a_wallet_whose_money_in_and_out_was_changed_by_hand(tmp_path: Path,
                                                                         env: dict[str, str]) -> None:
    [violation] = _violations_after(tmp_path, env,
                                    "UPDATE wallets SET total_out = total_out + 500 WHERE user_id = 'bob'")
    assert "wallet_flows_mismatch" in violation and "wallet:bob:UZS" in violation


async def _past_topup(hamyon: Hamyon) -> UUID:
    created = await hamyon.payments.create(CreatePayment(user_id="carol", gateway="sandbox",
                                                        amount=Decimal(20_000)))
    await hamyon.settlement.log_step(created.payment.id, "callback", "sandbox page posted",
                                  payload='{"card": "8600 1234 5678 9012", "phone": "+998901234567"}',
                                  http_status=200)
    return created.payment.id


def test_worker_once_runs_every_job_and_expires_a_stale_payment(tmp_path: Path, env: dict[str, str]) -> None:
    payment_id = seed(env, _past_topup, at=datetime.now(UTC) - timedelta(hours=3))
    done = run_cli("worker", "--once", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    outcomes = dict(line.split(": ") for line in done.stdout.splitlines())
    assert {"expire_payments", "purge_idempotency_keys", "verify_ledger"} <= set(outcomes)
    assert set(outcomes.values()) == {"ran"}
    status = seed(env, lambda hamyon: hamyon.admin.payment(payment_id))
    assert status.status.value == "expired"


def test_logs_prints_each_step_of_a_payment_decrypted(tmp_path: Path, env: dict[str, str]) -> None:
    payment_id = seed(env, _past_topup, at=datetime.now(UTC) - timedelta(hours=3))
    run_cli("worker", "--once", env=env, cwd=tmp_path)
    done = run_cli("logs", str(payment_id), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"payment {payment_id} sandbox 20000.00 UZS expired (user carol)" in done.stdout
    assert "8600 1234 5678 9012" in done.stdout  # the admin's own view: decrypted, in full
    rows = [json.loads(line) for line in
            run_cli("logs", str(payment_id), "--json", env=env, cwd=tmp_path).stdout.splitlines()]
    steps = [(row["type"], row["message"]) for row in rows]
    assert steps.index(("callback", "sandbox page posted")) < steps.index(("state_change", "expired"))
    callback = next(row for row in rows if row["type"] == "callback")
    assert (callback["http_status"], json.loads(callback["payload"])["phone"]) == (200, "+998901234567")


def test_logs_of_an_unknown_or_malformed_payment_id(tmp_path: Path, env: dict[str, str]) -> None:
    run_cli("migrate", env=env, cwd=tmp_path)
    unknown = run_cli("logs", str(uuid4()), env=env, cwd=tmp_path)
    assert unknown.returncode == 1 and "no payment" in unknown.stderr
    malformed = run_cli("logs", "not-a-uuid", env=env, cwd=tmp_path)
    assert malformed.returncode == 2 and "not a payment id" in malformed.stderr


def test_a_bad_setting_stops_any_command_naming_it(tmp_path: Path) -> None:
    env = clean_env(tmp_path, HAMYON_PORT="eighty")
    done = run_cli("verify", env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert "HAMYON_PORT" in done.stderr
