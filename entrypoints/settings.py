"""Settings from the environment (SPEC §10), validated at start with messages that name the
setting. A ``.env`` file in the working directory is read first; real variables win over it."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import field, frozen

from adapters.storage_url import ACCEPTED, Backend, backend_of, shown
from application.config import ServiceConfig
from domain.money import Currency

WEAK_SECRET_LENGTH = 32
DEV_JWT_SECRET = "hamyon-development-jwt-secret-change-me-0123456789"
DEV_SECRET_KEY = "hamyon-development-secret-key-change-me-0123456789"
# Published in this file, so anyone can sign admin tokens or open sealed values with them.
DEVELOPMENT_SECRETS = frozenset({DEV_JWT_SECRET, DEV_SECRET_KEY})
MIN_DISTINCT_CHARACTERS = 8  # "aaaa…" and "abababab…" are long but guessable
# Words a hand-typed or copied-from-the-docs secret has and a random one almost never does.
# Words of six letters or more: a random value of 32+ characters holds one by chance about
# never (a four-letter "test" would refuse one random token in ~17,000).
PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "secret", "password", "example",
                     "development", "default", "sample", "placeholder", "testing")


# Every variable the settings read, and the gateways' own (their packages read them from
# ``Settings.gateway_env``). A HAMYON_* variable not named here is a misspelling: it is warned about.
SETTING_NAMES = (
    "HAMYON_ENV", "HAMYON_DATABASE_URL", "HAMYON_HOST", "HAMYON_PORT", "HAMYON_PUBLIC_URL",
    "HAMYON_SECRET_KEY", "HAMYON_SECRET_KEY_FALLBACKS", "HAMYON_JWT_SECRET", "HAMYON_JWT_PUBLIC_KEY",
    "HAMYON_JWT_AUDIENCE", "HAMYON_JWT_ISSUER", "HAMYON_JWT_JWKS_URL", "HAMYON_CORS_ORIGINS",
    "HAMYON_DEFAULT_CURRENCY", "HAMYON_PAYMENT_TTL", "HAMYON_TIMEZONE", "HAMYON_SANDBOX",
    "HAMYON_AUTO_MIGRATE", "HAMYON_SQLITE_SYNCHRONOUS", "HAMYON_CATALOG_TTL",
    "HAMYON_DOCTOR_API_URL", "HAMYON_WEBHOOK_ALLOW_PRIVATE",
    "HAMYON_MERCHANT_NAME",
)
GATEWAY_SETTING_NAMES = (
    "HAMYON_CLICK_SERVICE_ID", "HAMYON_CLICK_MERCHANT_ID", "HAMYON_CLICK_SECRET_KEY",
    "HAMYON_CLICK_MERCHANT_USER_ID", "HAMYON_CLICK_API_URL",
    "HAMYON_PAYME_MERCHANT_ID", "HAMYON_PAYME_KEY", "HAMYON_PAYME_TEST_KEY", "HAMYON_PAYME_CHECKOUT_URL",
)
# Read by the test suite, never by a command; a developer may have them exported.
TEST_SUITE_NAMES = ("HAMYON_TEST_POSTGRES_URL", "HAMYON_APP_TEST_DB")
KNOWN_NAMES = SETTING_NAMES + GATEWAY_SETTING_NAMES + TEST_SUITE_NAMES
PREFIX = "HAMYON_"
T = TypeVar("T")


class SettingsError(ValueError):
    """One or more settings are missing or wrong: ``problems`` holds one message for each, and
    each message names its setting."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@frozen
class Settings:
    env: str = "development"
    database_url: str = "sqlite:///hamyon.db"
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""
    secret_key: str = field(default=DEV_SECRET_KEY, repr=False)
    secret_key_fallbacks: tuple[str, ...] = field(default=(), repr=False)
    jwt_secret: str = field(default=DEV_JWT_SECRET, repr=False)
    jwt_public_key: str = ""
    default_currency: Currency = Currency.UZS
    payment_ttl: int = 1800
    timezone: str = "Asia/Tashkent"
    sandbox: bool = True
    merchant_name: str = "Hamyon"  # the payee the sandbox checkout names
    auto_migrate: bool = True
    # FULL: a committed payment survives power loss. NORMAL (WAL): faster; after a power loss the
    # last commits before it may be rolled back (the file itself stays consistent).
    sqlite_synchronous: str = "FULL"
    catalog_ttl: int = 2  # seconds other processes may take to see an admin's rule/settings change
    gateway_env: Mapping[str, str] = field(factory=dict, repr=False)
    doctor_api_url: str = ""  # the platform's doctor API; empty: the doctor table
    webhook_allow_private: bool = False  # production may post webhooks to private addresses
    # Platform access (SPEC §15): required JWT claims when set, an identity provider's keys, and
    # the browser origins allowed to call the API.
    jwt_audience: str = ""
    jwt_issuer: str = ""
    jwt_jwks_url: str = ""
    cors_origins: tuple[str, ...] = ()

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    def service_config(self) -> ServiceConfig:
        return ServiceConfig(default_currency=self.default_currency,
                             payment_ttl_seconds=self.payment_ttl, timezone=self.timezone,
                             catalog_ttl_seconds=float(self.catalog_ttl))


def read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        values[name.strip()] = value.strip().strip("'\"")
    return values


def read_environment(environ: Mapping[str, str] | None = None, *,
                     dotenv: Path | None = None) -> dict[str, str]:
    """The variables the settings are read from: the ``.env`` file's, and the real environment's
    (``environ``, by default ``os.environ``) over them."""
    return {**read_dotenv(dotenv or Path(".env")), **(os.environ if environ is None else environ)}


def misspelt_names(env: Mapping[str, str]) -> list[str]:
    """A warning for each ``HAMYON_*`` variable that nothing reads (a misspelt setting would
    otherwise be ignored without a word), naming the closest known name when one is close."""
    return [_unknown(name) for name in sorted(env)
            if name.startswith(PREFIX) and name not in KNOWN_NAMES]


def _unknown(name: str) -> str:
    # Compared without the prefix every name shares, so that a close match means something.
    close = difflib.get_close_matches(name.removeprefix(PREFIX),
                                      [known.removeprefix(PREFIX) for known in KNOWN_NAMES], n=1)
    hint = f"; did you mean {PREFIX}{close[0]}?" if close else ""
    return f"{name} is not a Hamyon setting and is ignored{hint}"


def storage_warnings(settings: Settings) -> list[str]:
    """Production on a storage that allows it but is not made for it: SQLite (one process on one
    machine) or memory:// (nothing kept)."""
    if not settings.is_production:
        return []
    backend = backend_of(settings.database_url)
    if backend is Backend.SQLITE:
        return [f"HAMYON_ENV=production on SQLite ({shown(settings.database_url)}): one process on "
                "one machine only (no --workers, no second host); use Postgres for more"]
    if backend is Backend.MEMORY:
        return ["HAMYON_ENV=production on memory://: nothing is kept once the process stops"]
    return []


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv: Path | None = None) -> Settings:
    """Build and validate the settings; raise SettingsError listing every bad one, not only the
    first (each setting is read on its own; a bad one is reported and the others still read)."""
    read = _Reader(read_environment(environ, dotenv=dotenv))
    settings = _read_settings(read)
    problems = [*read.problems, *_production_problems(settings)]
    if problems:
        raise SettingsError(*problems)
    return settings


class _Reader:
    """Runs one setting's reader on the environment. A reader that refuses its value leaves its
    message in ``problems`` and no value (``load_settings`` then raises, returning nothing)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env, self.problems = env, list[str]()

    def __call__(self, reader: Callable[..., T], *args: Any) -> T:
        try:
            return reader(self.env, *args)
        except SettingsError as error:
            self.problems.extend(error.problems)
            return cast(T, None)


def _read_settings(read: _Reader) -> Settings:
    env, mode = read.env, read(_mode)
    production, database_url = mode == "production", read(_database_url)
    return Settings(
        env=mode, database_url=database_url, host=env.get("HAMYON_HOST", "127.0.0.1"),
        port=read(_integer, "HAMYON_PORT", 8000, 1, 65535),
        public_url=env.get("HAMYON_PUBLIC_URL", "").rstrip("/"),
        secret_key=read(_secret, "HAMYON_SECRET_KEY", DEV_SECRET_KEY, production),
        secret_key_fallbacks=read(_fallbacks, production),
        jwt_secret=read(_jwt_secret, production),
        jwt_public_key=env.get("HAMYON_JWT_PUBLIC_KEY", ""),
        default_currency=read(_currency),
        payment_ttl=read(_integer, "HAMYON_PAYMENT_TTL", 1800, 60, 7 * 24 * 3600),
        timezone=read(_timezone),
        sandbox=read(_flag, "HAMYON_SANDBOX", not production),
        merchant_name=env.get("HAMYON_MERCHANT_NAME", "").strip() or "Hamyon",
        auto_migrate=read(_flag, "HAMYON_AUTO_MIGRATE",
                          _on_sqlite(database_url) and not production),
        gateway_env=read(_gateway_env),
        doctor_api_url=read(_http_url, "HAMYON_DOCTOR_API_URL"),
        sqlite_synchronous=read(_choice, "HAMYON_SQLITE_SYNCHRONOUS", ("FULL", "NORMAL"), "FULL"),
        catalog_ttl=read(_integer, "HAMYON_CATALOG_TTL", 2, 0, 300),
        webhook_allow_private=read(_flag, "HAMYON_WEBHOOK_ALLOW_PRIVATE", False),
        jwt_audience=env.get("HAMYON_JWT_AUDIENCE", "").strip(),
        jwt_issuer=env.get("HAMYON_JWT_ISSUER", "").strip(),
        jwt_jwks_url=read(_http_url, "HAMYON_JWT_JWKS_URL"),
        cors_origins=read(_origins),
    )


def _mode(env: Mapping[str, str]) -> str:
    mode = env.get("HAMYON_ENV", "development")
    if mode not in ("development", "production"):
        raise SettingsError("HAMYON_ENV must be development or production")
    return mode


def _database_url(env: Mapping[str, str]) -> str:
    database_url = env.get("HAMYON_DATABASE_URL", "sqlite:///hamyon.db")
    try:
        backend_of(database_url)
    except ValueError:
        raise SettingsError(f"HAMYON_DATABASE_URL must start with {ACCEPTED}") from None
    return database_url


def _on_sqlite(database_url: str | None) -> bool:
    """Whether the URL names SQLite (False for a URL already refused, which reads as None)."""
    try:
        return backend_of(database_url or "") is Backend.SQLITE
    except ValueError:
        return False


def _production_problems(settings: Settings) -> list[str]:
    """What production refuses beyond each setting's own rules: one secret serving two
    purposes, and the sandbox gateway."""
    if not settings.is_production:
        return []
    problems = _one_purpose_each(settings)
    if settings.sandbox:
        problems.append("HAMYON_SANDBOX must be off in production (the sandbox gateway "
                        "simulates payments)")
    return problems


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = env.get(name, "").strip().upper() or default
    if raw not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def _integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0 (true/false), got {raw!r}")


def _secret(env: Mapping[str, str], name: str, development: str, production: bool) -> str:
    value = env.get(name, "")
    if production:
        ensure_strong_secret(name, value)
    return value or development


def _jwt_secret(env: Mapping[str, str], production: bool) -> str:
    """Required (and strong, in production) unless the identity provider's public key or JWKS
    verifies the tokens."""
    if env.get("HAMYON_JWT_PUBLIC_KEY") or env.get("HAMYON_JWT_JWKS_URL"):
        value = env.get("HAMYON_JWT_SECRET", "")
        if production and value:  # HS256 tokens are still accepted with it
            ensure_strong_secret("HAMYON_JWT_SECRET", value)
        return value
    return _secret(env, "HAMYON_JWT_SECRET", DEV_JWT_SECRET, production)


def _fallbacks(env: Mapping[str, str], production: bool) -> tuple[str, ...]:
    keys = tuple(k for k in env.get("HAMYON_SECRET_KEY_FALLBACKS", "").split(",") if k)
    if production:
        for key in keys:
            ensure_strong_secret("HAMYON_SECRET_KEY_FALLBACKS", key)
    return keys


def ensure_strong_secret(name: str, value: str) -> None:
    """Refuse, in production, a secret an attacker could know or guess: a development default
    (of either setting), fewer than 32 characters or 8 distinct ones, a placeholder word. The
    message names the setting and never shows the value."""
    advice = f"set {name} to at least {WEAK_SECRET_LENGTH} random characters in production"
    if value in DEVELOPMENT_SECRETS:
        raise SettingsError(f"{name} is a published development default; {advice}")
    if len(value) < WEAK_SECRET_LENGTH:
        raise SettingsError(f"{name} must be set to at least {WEAK_SECRET_LENGTH} random "
                            "characters in production")
    if len(set(value)) < MIN_DISTINCT_CHARACTERS:
        raise SettingsError(f"{name} has fewer than {MIN_DISTINCT_CHARACTERS} distinct "
                            f"characters; {advice}")
    word = next((word for word in PLACEHOLDER_WORDS if word in value.lower()), None)
    if word is not None:
        raise SettingsError(f"{name} contains the placeholder {word!r}; {advice}")


def _one_purpose_each(settings: Settings) -> list[str]:
    """The encryption key must not also sign tokens: leaking one would give away both."""
    problems = []
    if settings.jwt_secret and settings.jwt_secret == settings.secret_key:
        problems.append("HAMYON_SECRET_KEY must differ from HAMYON_JWT_SECRET (one secret must not "
                        "serve two purposes)")
    if settings.jwt_secret and settings.jwt_secret in (settings.secret_key_fallbacks or ()):
        problems.append("HAMYON_SECRET_KEY_FALLBACKS must not contain HAMYON_JWT_SECRET (one "
                        "secret must not serve two purposes)")
    return problems


def _currency(env: Mapping[str, str]) -> Currency:
    raw = env.get("HAMYON_DEFAULT_CURRENCY", "UZS")
    try:
        return Currency(raw.upper())
    except ValueError:
        raise SettingsError(f"HAMYON_DEFAULT_CURRENCY must be one of "
                            f"{', '.join(c.value for c in Currency)}, got {raw!r}") from None


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    """``HAMYON_CORS_ORIGINS``: exact origins (``scheme://host[:port]``), comma-separated."""
    origins = tuple(part.strip().rstrip("/") for part in env.get("HAMYON_CORS_ORIGINS", "").split(",")
                    if part.strip())
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        if scheme not in ("http", "https") or not rest or "/" in rest or "*" in rest:
            raise SettingsError(f"HAMYON_CORS_ORIGINS must list exact origins like "
                                f"https://app.example.com, got {origin!r}")
    return origins


def _gateway_env(env: Mapping[str, str]) -> dict[str, str]:
    """The gateways' own settings, as given; ``HAMYON_CLICK_API_URL`` checked here, at start."""
    _http_url(env, "HAMYON_CLICK_API_URL")
    return {k: v for k, v in env.items() if k.startswith(("HAMYON_CLICK_", "HAMYON_PAYME_", "PAYMENT_"))}


def _http_url(env: Mapping[str, str], name: str) -> str:
    raw = env.get(name, "").strip()
    if raw and not raw.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must be an http:// or https:// URL, got {raw!r}")
    return raw.rstrip("/")


def _timezone(env: Mapping[str, str]) -> str:
    raw = env.get("HAMYON_TIMEZONE", "Asia/Tashkent")
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"HAMYON_TIMEZONE is not a known time zone: {raw!r}") from None
    return raw
