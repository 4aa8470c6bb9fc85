"""Configuration through the real ``hamyon serve``: production refuses to start without its
secrets (naming the setting), and a ``.env`` file in the working directory is read."""

from __future__ import annotations

from pathlib import Path

import jwt

from tests.ops.harness import ServerProcess, call, clean_env, free_port, run_cli

STRONG = "x" * 48


def production(tmp_path: Path, **extra: str) -> dict[str, str]:
    return clean_env(tmp_path, HAMYON_ENV="production", HAMYON_PORT=str(free_port()), **extra)


def test_production_without_a_secret_key_refuses_to_serve_naming_it(tmp_path: Path) -> None:
    done = run_cli("serve", env=production(tmp_path, HAMYON_JWT_SECRET=STRONG, HAMYON_SANDBOX="0"),
                   cwd=tmp_path, timeout=30)
    assert done.returncode != 0
    assert "HAMYON_SECRET_KEY" in done.stderr


def test_production_with_a_weak_jwt_secret_refuses_to_serve_naming_it(tmp_path: Path) -> None:
    env = production(tmp_path, HAMYON_SECRET_KEY=STRONG, HAMYON_JWT_SECRET="secret",
                     HAMYON_SANDBOX="0")
    done = run_cli("serve", env=env, cwd=tmp_path, timeout=30)
    assert done.returncode != 0
    assert "HAMYON_JWT_SECRET" in done.stderr


def test_production_refuses_the_sandbox_gateway(tmp_path: Path) -> None:
    env = production(tmp_path, HAMYON_SECRET_KEY=STRONG, HAMYON_JWT_SECRET=STRONG, HAMYON_SANDBOX="1")
    done = run_cli("serve", env=env, cwd=tmp_path, timeout=30)
    assert done.returncode != 0
    assert "HAMYON_SANDBOX" in done.stderr


def test_a_bad_value_is_named(tmp_path: Path) -> None:
    done = run_cli("serve", env=clean_env(tmp_path, HAMYON_TIMEZONE="Mars/Olympus"), cwd=tmp_path,
                   timeout=30)
    assert done.returncode != 0
    assert "HAMYON_TIMEZONE" in done.stderr


def test_a_dotenv_file_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("# production settings\nHAMYON_ENV=production\n")
    done = run_cli("serve", env=clean_env(tmp_path), cwd=tmp_path, timeout=30)
    assert done.returncode != 0
    assert "HAMYON_SECRET_KEY" in done.stderr


def test_dotenv_settings_configure_the_server_and_real_variables_win(tmp_path: Path) -> None:
    port, secret = free_port(), "jwt-secret-from-the-dotenv-file-0123456789"
    (tmp_path / ".env").write_text(f"export HAMYON_JWT_SECRET='{secret}'\nHAMYON_PORT=1\n")
    env = clean_env(tmp_path, HAMYON_PORT=str(port))  # the environment beats .env's HAMYON_PORT=1
    claims = {"sub": "dora", "exp": 4_000_000_000}
    with ServerProcess("serve", "--no-jobs", env=env, cwd=tmp_path) as server:
        url = f"http://127.0.0.1:{port}/api/payments/wallet/balance/"
        server.wait_ready(url.removesuffix("/api/payments/wallet/balance/"))
        signed = call(url, token=jwt.encode(claims, secret, algorithm="HS256"))
        forged = call(url, token=jwt.encode(claims, "another-secret-" * 3, algorithm="HS256"))
    assert (signed[0], forged[0]) == (200, 401)
