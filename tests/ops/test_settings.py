"""Configuration through the real ``hamyon serve``: production refuses to start without its
secrets (naming the setting), and a ``.env`` file in the working directory is read."""

from __future__ import annotations

import secrets
from pathlib import Path

import jwt
import pytest

from entrypoints.settings import DEV_JWT_SECRET, DEV_SECRET_KEY, SettingsError, load_settings
from tests.ops.harness import ServerProcess, call, clean_env, free_port, run_cli

# Hex never spells a placeholder word, and 64 of them always have 8 distinct characters.
STRONG, OTHER_STRONG = secrets.token_hex(32), secrets.token_hex(32)


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
    env = production(tmp_path, HAMYON_SECRET_KEY=STRONG, HAMYON_JWT_SECRET=OTHER_STRONG,
                     HAMYON_SANDBOX="1")
    done = run_cli("serve", env=env, cwd=tmp_path, timeout=30)
    assert done.returncode != 0
    assert "HAMYON_SANDBOX" in done.stderr


def test_a_bad_value_is_named(tmp_path: Path) -> None:
    done = run_cli("serve", env=clean_env(tmp_path, HAMYON_TIMEZONE="Mars/Olympus"), cwd=tmp_path,
                   timeout=30)
    assert done.returncode != 0
    assert "HAMYON_TIMEZONE" in done.stderr


def test_a_click_api_url_that_is_not_http_is_named_at_start(tmp_path: Path) -> None:
    none = tmp_path / "no.env"
    with pytest.raises(SettingsError, match="HAMYON_CLICK_API_URL"):
        load_settings({"HAMYON_CLICK_API_URL": "ftp://click.example/v2/merchant"}, dotenv=none)
    given = load_settings({"HAMYON_CLICK_API_URL": "http://127.0.0.1:9/v2/merchant"}, dotenv=none)
    assert given.gateway_env["HAMYON_CLICK_API_URL"] == "http://127.0.0.1:9/v2/merchant"


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


def production_settings(tmp_path: Path, **changes: str) -> None:
    environ = {"HAMYON_ENV": "production", "HAMYON_SANDBOX": "0", "HAMYON_SECRET_KEY": STRONG,
               "HAMYON_JWT_SECRET": OTHER_STRONG, **changes}
    load_settings(environ, dotenv=tmp_path / "none")


WEAK_SECRETS = {
    "the development jwt secret": DEV_JWT_SECRET,
    "the development secret key": DEV_SECRET_KEY,
    "shorter than 32 characters": "Zq4v9Tn2Lw8Rk3Hx",
    "one character repeated": "a" * 64,
    "two characters alternating": "ab" * 32,
    "seven distinct characters": "abcdefg" * 8,
    "changeme": f"{STRONG[:40]}changeme",
    "change-me": f"Change-Me-{STRONG[:40]}",
    "secret": f"my-SECRET-{STRONG[:40]}",
    "password": f"password{STRONG[:40]}",
    "example": f"{STRONG[:20]}example{STRONG[20:40]}",
    "development": f"development-{STRONG[:40]}",
    "testing": f"Testing-{STRONG[:40]}",
}


@pytest.mark.parametrize("name", ["HAMYON_SECRET_KEY", "HAMYON_JWT_SECRET"])
@pytest.mark.parametrize("weak", WEAK_SECRETS.values(), ids=WEAK_SECRETS.keys())
def test_production_refuses_a_weak_or_published_secret_naming_the_setting(
        tmp_path: Path, name: str, weak: str) -> None:
    with pytest.raises(SettingsError) as refused:
        production_settings(tmp_path, **{name: weak})
    assert str(refused.value).startswith(name)
    assert weak not in str(refused.value)  # a refusal never prints the secret


@pytest.mark.parametrize("weak", WEAK_SECRETS.values(), ids=WEAK_SECRETS.keys())
def test_production_refuses_a_weak_fallback_key_naming_the_setting(tmp_path: Path,
                                                                   weak: str) -> None:
    with pytest.raises(SettingsError) as refused:
        production_settings(tmp_path, HAMYON_SECRET_KEY_FALLBACKS=f"{secrets.token_hex(32)},{weak}")
    assert str(refused.value).startswith("HAMYON_SECRET_KEY_FALLBACKS")


def test_production_refuses_a_weak_jwt_secret_beside_a_public_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^HAMYON_JWT_SECRET"):
        production_settings(tmp_path, HAMYON_JWT_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----",
                            HAMYON_JWT_SECRET=DEV_JWT_SECRET)
    production_settings(tmp_path, HAMYON_JWT_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----",
                        HAMYON_JWT_SECRET="")  # asymmetric keys only: no secret is fine


def test_production_refuses_one_secret_for_both_purposes(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^HAMYON_SECRET_KEY must differ from HAMYON_JWT_SECRET"):
        production_settings(tmp_path, HAMYON_SECRET_KEY=STRONG, HAMYON_JWT_SECRET=STRONG)
    with pytest.raises(SettingsError, match=r"^HAMYON_SECRET_KEY_FALLBACKS"):
        production_settings(tmp_path, HAMYON_SECRET_KEY_FALLBACKS=OTHER_STRONG)


def test_production_takes_strong_random_secrets(tmp_path: Path) -> None:
    keys = {"HAMYON_SECRET_KEY": secrets.token_hex(32), "HAMYON_JWT_SECRET": secrets.token_hex(32),
            "HAMYON_SECRET_KEY_FALLBACKS": f"{secrets.token_hex(32)},{secrets.token_hex(24)}"}
    settings = load_settings({"HAMYON_ENV": "production", "HAMYON_SANDBOX": "0", **keys},
                             dotenv=tmp_path / "none")
    assert (settings.secret_key, settings.jwt_secret) == (keys["HAMYON_SECRET_KEY"],
                                                          keys["HAMYON_JWT_SECRET"])
    assert ",".join(settings.secret_key_fallbacks) == keys["HAMYON_SECRET_KEY_FALLBACKS"]


def test_development_keeps_the_development_defaults(tmp_path: Path) -> None:
    settings = load_settings({"HAMYON_SECRET_KEY_FALLBACKS": "a" * 8}, dotenv=tmp_path / "none")
    assert (settings.secret_key, settings.jwt_secret) == (DEV_SECRET_KEY, DEV_JWT_SECRET)
    assert settings.secret_key_fallbacks == ("a" * 8,)


@pytest.mark.parametrize("command", [("serve",), ("token", "--user", "1", "--admin")])
def test_production_with_the_development_jwt_secret_stops_with_one_line_naming_it(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    env = production(tmp_path, HAMYON_SECRET_KEY=STRONG, HAMYON_JWT_SECRET=DEV_JWT_SECRET,
                     HAMYON_SANDBOX="0")
    done = run_cli(*command, env=env, cwd=tmp_path, timeout=30)
    assert done.returncode != 0
    assert done.stdout == ""  # no token minted
    [line] = done.stderr.strip().splitlines()
    assert "HAMYON_JWT_SECRET" in line and "Traceback" not in done.stderr


def test_production_verifying_tokens_with_a_jwks_needs_no_jwt_secret(tmp_path: Path) -> None:
    env = {"HAMYON_ENV": "production", "HAMYON_SECRET_KEY": secrets.token_hex(32),
           "HAMYON_SANDBOX": "0", "HAMYON_DATABASE_URL": f"sqlite:///{tmp_path}/h.db",
           "HAMYON_JWT_JWKS_URL": "https://id.example/.well-known/jwks.json",
           "HAMYON_JWT_AUDIENCE": "hamyon", "HAMYON_JWT_ISSUER": "https://id.example"}
    settings = load_settings(env, dotenv=tmp_path / "no.env")
    assert settings.jwt_jwks_url.endswith("jwks.json") and settings.jwt_secret == ""
    assert (settings.jwt_audience, settings.jwt_issuer) == ("hamyon", "https://id.example")
    with pytest.raises(SettingsError, match="HAMYON_JWT_SECRET"):
        load_settings({k: v for k, v in env.items() if k != "HAMYON_JWT_JWKS_URL"},
                      dotenv=tmp_path / "no.env")
