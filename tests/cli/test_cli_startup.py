"""Starting ``hamyon`` as a user does, through the real entry point: ports checked, read-only
commands that never create a database, misspelt settings and production problems said at once,
``--version``, a bare ``hamyon``, and ``migrate`` naming what it applied."""

from __future__ import annotations

import hashlib
import re
import secrets
from importlib.metadata import version
from pathlib import Path
from uuid import UUID

import pytest

from adapters.migrations import load_migrations
from adapters.sqlite.migrate import MIGRATIONS
from entrypoints.settings import KNOWN_NAMES
from tests.cli.test_cli_errors import one_line_error
from tests.ops.harness import ServerProcess, clean_env, free_port, run_cli

STRONG, OTHER_STRONG = secrets.token_hex(32), secrets.token_hex(32)


# --- ports -------------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["0", "65536", "99999", "-1", "http"])
def test_serve_refuses_a_port_outside_1_to_65535(tmp_path: Path, port: str) -> None:
    line = one_line_error(run_cli("serve", "--port", port, env=clean_env(tmp_path), cwd=tmp_path))
    assert line.startswith("hamyon serve: argument --port: must be a port from 1 to 65535")
    assert not (tmp_path / "hamyon.db").exists()  # refused before anything started


@pytest.mark.parametrize("port", ["0", "99999"])
def test_hamyon_port_outside_1_to_65535_is_refused(tmp_path: Path, port: str) -> None:
    line = one_line_error(run_cli("serve", env=clean_env(tmp_path, HAMYON_PORT=port), cwd=tmp_path))
    assert line == "hamyon: configuration error: HAMYON_PORT must be between 1 and 65535"


def test_serve_listens_on_the_port_given_and_logs_it(tmp_path: Path) -> None:
    port = free_port()
    with ServerProcess("serve", "--no-jobs", "--port", str(port), env=clean_env(tmp_path),
                       cwd=tmp_path) as server:
        server.wait_ready(f"http://127.0.0.1:{port}")
        assert f'"url": "http://127.0.0.1:{port}"' in server.wait_for('"event": "listening"')


# --- commands that only read -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["verify", "logs"])
def test_a_reading_command_refuses_a_misspelt_sqlite_path_and_creates_nothing(
        tmp_path: Path, command: str) -> None:
    misspelt = tmp_path / "hamyn.db"
    env = clean_env(tmp_path, HAMYON_DATABASE_URL=f"sqlite:///{misspelt}")
    arguments = (command, str(UUID(int=7))) if command == "logs" else (command,)
    line = one_line_error(run_cli(*arguments, env=env, cwd=tmp_path))
    assert line.startswith(f"hamyon {command}: no database at {misspelt}")
    assert "ledger ok" not in line
    assert sorted(tmp_path.iterdir()) == []


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_verify_and_logs_leave_the_database_file_as_it_was(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    before = _digest(tmp_path / "hamyon.db")
    verified = run_cli("verify", env=env, cwd=tmp_path)
    logged = run_cli("logs", str(UUID(int=7)), env=env, cwd=tmp_path)
    assert (verified.returncode, logged.returncode) == (0, 1), verified.stderr + logged.stderr
    assert "ledger ok" in verified.stdout
    assert _digest(tmp_path / "hamyon.db") == before


# --- migrate ----------------------------------------------------------------------------------


def test_migrate_names_the_migrations_it_applied_then_that_none_was_pending(tmp_path: Path) -> None:
    env, shipped = clean_env(tmp_path), load_migrations(MIGRATIONS)
    first = run_cli("migrate", env=env, cwd=tmp_path)
    names = ", ".join(f"{migration.version:04d}_{migration.name}" for migration in shipped)
    assert first.stdout.strip() == f"migrated {tmp_path / 'hamyon.db'}: applied {names}"
    again = run_cli("migrate", env=env, cwd=tmp_path)
    assert again.stdout.strip() == f"{tmp_path / 'hamyon.db'} is up to date: no migration was pending"
    assert (first.returncode, again.returncode) == (0, 0)


# --- settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("token", "--user", "42"), ("migrate",), ("worker", "--once")])
def test_a_misspelt_setting_is_warned_about_naming_the_closest(tmp_path: Path,
                                                               command: tuple[str, ...]) -> None:
    env = clean_env(tmp_path, HAMYON_JWT_SECRT="typed-in-a-hurry", HAMYON_QQQQ="1")
    done = run_cli(*command, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("hamyon: warning:")]
    assert warnings == [
        "hamyon: warning: HAMYON_JWT_SECRT is not a Hamyon setting and is ignored; "
        "did you mean HAMYON_JWT_SECRET?",
        "hamyon: warning: HAMYON_QQQQ is not a Hamyon setting and is ignored"]


def test_a_misspelt_setting_in_dotenv_is_warned_about_too(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HAMYON_DATABASE_UR=sqlite:///elsewhere.db\n")
    done = run_cli("token", "--user", "42", env=clean_env(tmp_path), cwd=tmp_path)
    assert "HAMYON_DATABASE_UR is not a Hamyon setting" in done.stderr
    assert "did you mean HAMYON_DATABASE_URL?" in done.stderr


def test_every_hamyon_variable_the_code_reads_is_a_known_name() -> None:
    root = Path(__file__).resolve().parents[2]
    named = {name for layer in ("entrypoints", "adapters", "application")
             for source in (root / layer).rglob("*.py")
             for name in re.findall(r"HAMYON_[A-Z0-9_]+", source.read_text())
             if not name.endswith("_")}  # a prefix, like HAMYON_CLICK_*
    assert named - set(KNOWN_NAMES) == set()


def test_production_reports_every_bad_setting_at_once(tmp_path: Path) -> None:
    env = clean_env(tmp_path, HAMYON_ENV="production", HAMYON_JWT_SECRET="secret",
                    HAMYON_SANDBOX="1", HAMYON_PORT="eighty", HAMYON_TIMEZONE="Mars/Olympus")
    done = run_cli("serve", env=env, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert all(line.startswith("hamyon: configuration error: ") for line in lines)
    named = [line.removeprefix("hamyon: configuration error: ").split()[0] for line in lines]
    assert sorted(named) == sorted(["HAMYON_PORT", "HAMYON_SECRET_KEY", "HAMYON_JWT_SECRET",
                                    "HAMYON_TIMEZONE", "HAMYON_SANDBOX"])


def test_production_on_sqlite_starts_with_a_warning(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(tmp_path, HAMYON_ENV="production", HAMYON_SECRET_KEY=STRONG,
                    HAMYON_JWT_SECRET=OTHER_STRONG, HAMYON_SANDBOX="0", HAMYON_AUTO_MIGRATE="1",
                    HAMYON_PORT=str(port))
    with ServerProcess("serve", "--no-jobs", env=env, cwd=tmp_path) as server:
        server.wait_ready(f"http://127.0.0.1:{port}")
    assert (f"hamyon: warning: HAMYON_ENV=production on SQLite ({tmp_path / 'hamyon.db'}): one "
            "process on one machine only") in server.errors()


# --- the command line itself ------------------------------------------------------------------


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    done = run_cli("--version", env=clean_env(tmp_path), cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, f"hamyon {version('hamyon')}")


def test_a_bare_hamyon_shows_the_help_as_a_usage_error(tmp_path: Path) -> None:
    done = run_cli(env=clean_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("usage: hamyon")
    for command in ("serve", "migrate", "verify", "logs", "rotate-keys"):
        assert command in done.stderr


@pytest.mark.parametrize("ttl", ["0", "-60", "soon"])
def test_token_refuses_a_lifetime_that_is_not_positive(tmp_path: Path, ttl: str) -> None:
    done = run_cli("token", "--user", "42", "--ttl", ttl, env=clean_env(tmp_path), cwd=tmp_path)
    line = one_line_error(done)
    assert line.startswith("hamyon token: argument --ttl: must be a whole number of at least 1")
    assert done.stdout == ""


def test_serve_refuses_no_workers(tmp_path: Path) -> None:
    line = one_line_error(run_cli("serve", "--workers", "0", env=clean_env(tmp_path), cwd=tmp_path))
    assert line.startswith("hamyon serve: argument --workers: must be a whole number of at least 1")
