"""What a start meets outside the code ends in one line on stderr and exit code 2, never a
traceback: a busy port, Postgres down or refusing, a database that is missing, not migrated, not
openable or not SQLite, a key that does not open the payment log. Each through the real ``hamyon``."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest

from application.hamyon import Hamyon
from application.payments import CreatePayment
from tests.backends.postgres import fresh_schema, postgres_url
from tests.cli.seeding import seed
from tests.ops.harness import clean_env, free_port, run_cli

SECRET_KEY = "a-secret-key-for-the-error-tests-" + secrets.token_hex(8)


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed start leaves on stderr (exit code 2, no traceback)."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def sqlite_env(tmp_path: Path, path: Path | str, **extra: str) -> dict[str, str]:
    return clean_env(tmp_path, HAMYON_DATABASE_URL=f"sqlite:///{path}", **extra)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


def test_serve_on_a_port_in_use_names_the_address(tmp_path: Path, busy_port: int) -> None:
    done = run_cli("serve", "--port", str(busy_port), env=clean_env(tmp_path), cwd=tmp_path)
    line = one_line_error(done)
    assert line.startswith(f"hamyon serve: cannot listen on 127.0.0.1:{busy_port}: ")
    assert "--port" in line


def test_worker_metrics_on_a_port_in_use_names_it(tmp_path: Path, busy_port: int) -> None:
    done = run_cli("worker", "--metrics-port", str(busy_port), env=clean_env(tmp_path), cwd=tmp_path)
    assert f"cannot serve metrics on 127.0.0.1:{busy_port}" in one_line_error(done)


@pytest.mark.parametrize("command", ["serve", "migrate", "verify"])
def test_postgres_down_names_the_server_without_the_password(tmp_path: Path, command: str) -> None:
    port = free_port()  # nothing listens there
    env = clean_env(tmp_path, HAMYON_DATABASE_URL=f"postgresql://hamyon:pw-hidden@127.0.0.1:{port}/hamyon",
                    HAMYON_PORT=str(free_port()))
    line = one_line_error(run_cli(command, env=env, cwd=tmp_path))
    assert line.startswith(f"hamyon {command}: cannot use Postgres at 127.0.0.1:{port}/hamyon: ")
    assert "pw-hidden" not in line


@pytest.mark.postgres
def test_a_missing_postgres_database_is_named(tmp_path: Path) -> None:
    url = postgres_url().rsplit("/", 1)[0] + f"/hamyon_missing_{secrets.token_hex(4)}"
    line = one_line_error(run_cli("verify", env=clean_env(tmp_path, HAMYON_DATABASE_URL=url),
                                  cwd=tmp_path))
    assert "does not exist" in line and "HAMYON_DATABASE_URL" in line


@pytest.fixture
def empty_schema_url() -> Iterator[str]:
    """A URL whose ``search_path`` is a new, empty schema (asyncpg takes it from the query)."""
    url, schema = postgres_url(), fresh_schema()
    asyncio.run(_execute(url, f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}?search_path={schema}"
    finally:
        asyncio.run(_execute(url, f'DROP SCHEMA "{schema}" CASCADE'))


async def _execute(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.mark.postgres
def test_an_unmigrated_postgres_database_asks_for_hamyon_migrate(tmp_path: Path,
                                                                 empty_schema_url: str) -> None:
    env = clean_env(tmp_path, HAMYON_DATABASE_URL=empty_schema_url, HAMYON_PORT=str(free_port()))
    for command in ("serve", "verify"):
        line = one_line_error(run_cli(command, env=env, cwd=tmp_path))
        assert line.startswith(f"hamyon {command}: the database ") and "not migrated" in line
        assert line.endswith("run `hamyon migrate`")
    migrated = run_cli("migrate", env=env, cwd=tmp_path)
    assert migrated.returncode == 0 and "applied 0001_initial" in migrated.stdout
    assert run_cli("verify", env=env, cwd=tmp_path).returncode == 0


def test_a_missing_sqlite_file_is_refused_when_nothing_migrates_it(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path, tmp_path / "absent.db", HAMYON_AUTO_MIGRATE="0",
                     HAMYON_PORT=str(free_port()))
    for command in ("serve", "worker", "rotate-keys"):
        line = one_line_error(run_cli(command, env=env, cwd=tmp_path))
        assert line.startswith(f"hamyon {command}: no database at {tmp_path / 'absent.db'}")
    assert not (tmp_path / "absent.db").exists()


def test_an_unmigrated_sqlite_file_asks_for_hamyon_migrate(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()  # an empty file is an empty SQLite database
    env = sqlite_env(tmp_path, tmp_path / "empty.db", HAMYON_AUTO_MIGRATE="0",
                     HAMYON_PORT=str(free_port()))
    for command in ("serve", "verify", "logs"):
        arguments = (command, str(UUID(int=1))) if command == "logs" else (command,)
        line = one_line_error(run_cli(*arguments, env=env, cwd=tmp_path))
        assert "is not migrated" in line and line.endswith("run `hamyon migrate`")


@pytest.mark.parametrize("command", ["serve", "migrate", "verify"])
def test_a_directory_as_the_sqlite_path_is_named(tmp_path: Path, command: str) -> None:
    (tmp_path / "data").mkdir()
    env = sqlite_env(tmp_path, tmp_path / "data", HAMYON_PORT=str(free_port()))
    line = one_line_error(run_cli(command, env=env, cwd=tmp_path))
    assert line == (f"hamyon {command}: cannot open the SQLite database {tmp_path / 'data'}: "
                    "it is a directory, not a database file")


def test_a_sqlite_path_in_a_missing_directory_is_named(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path, tmp_path / "nowhere" / "hamyon.db", HAMYON_PORT=str(free_port()))
    line = one_line_error(run_cli("serve", env=env, cwd=tmp_path))
    assert line.endswith(f"its directory {tmp_path / 'nowhere'} does not exist")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_sqlite_file_is_named(tmp_path: Path) -> None:
    migrated = sqlite_env(tmp_path, tmp_path / "locked.db")
    assert run_cli("migrate", env=migrated, cwd=tmp_path).returncode == 0
    (tmp_path / "locked.db").chmod(0)
    line = one_line_error(run_cli("verify", env=migrated, cwd=tmp_path))
    assert "cannot open the SQLite database" in line and "permission" in line


@pytest.mark.parametrize("command", ["serve", "migrate", "verify"])
def test_a_file_that_is_not_sqlite_is_named(tmp_path: Path, command: str) -> None:
    (tmp_path / "notes.db").write_text("these are my notes, not a database\n" * 20)
    env = sqlite_env(tmp_path, tmp_path / "notes.db", HAMYON_PORT=str(free_port()))
    line = one_line_error(run_cli(command, env=env, cwd=tmp_path))
    assert line == (f"hamyon {command}: cannot open the SQLite database {tmp_path / 'notes.db'}: "
                    "the file is not a SQLite database")
    assert (tmp_path / "notes.db").read_text().startswith("these are my notes")


async def _logged_payment(hamyon: Hamyon) -> UUID:
    created = await hamyon.payments.create(CreatePayment(user_id="dana", gateway="sandbox",
                                                        amount=Decimal(20_000)))
    await hamyon.settlement.log_step(created.payment.id, "callback", "sandbox page posted",
                                  payload='{"note": "sealed with the first key"}', http_status=200)
    return created.payment.id


def test_logs_with_a_key_that_does_not_decrypt_says_so(tmp_path: Path) -> None:
    env = clean_env(tmp_path, HAMYON_SECRET_KEY=SECRET_KEY)
    payment_id = seed(env, _logged_payment)
    assert run_cli("logs", str(payment_id), env=env, cwd=tmp_path).returncode == 0
    other = {**env, "HAMYON_SECRET_KEY": "another-key-entirely-" + secrets.token_hex(12)}
    line = one_line_error(run_cli("logs", str(payment_id), env=other, cwd=tmp_path))
    assert line.startswith(f"hamyon logs: cannot decrypt the log of payment {payment_id}")
    assert "HAMYON_SECRET_KEY_FALLBACKS" in line
