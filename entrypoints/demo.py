"""``hamyon demo``: the whole service on one SQLite file with the sandbox gateway, in one command.

It serves the API, opens a 50,000 UZS sandbox top-up for the demo user, and prints the user's
token with a walkthrough (pay the top-up, charge a doctor view, read the wallet, read the payment
log as an admin) whose commands work as printed: every ``export`` and ``curl`` line is meant to
be pasted into a shell as it is (the test suite replays them).
"""

from __future__ import annotations

import asyncio
import shlex
from decimal import Decimal

import attrs

from application.hamyon import Hamyon
from application.payments import CreatedPayment, CreatePayment
from entrypoints.command_error import CommandError
from entrypoints.http.auth import TokenIssuer
from entrypoints.logging import configure_logging
from entrypoints.server import listen, migrate_once, running, until_signalled
from entrypoints.settings import Settings

DEMO_USER = "demo"
DEMO_ADMIN = "demo-admin"
DEMO_DATABASE = "hamyon-demo.db"
TOPUP = Decimal(50_000)
TOKEN_TTL = 7 * 24 * 3600
_WILDCARD_HOSTS = ("", "0.0.0.0", "::")
JSON = '-H "Content-Type: application/json"'
PRESS = "-s -o /dev/null -w '%{http_code} %{redirect_url}\\n'"  # a form post answers 303, not JSON


def demo_settings(settings: Settings, *, host: str | None, port: int | None, database: str) -> Settings:
    """Development mode, the sandbox on, migrations applied, on the demo's own SQLite file."""
    if settings.is_production:
        raise CommandError("it is for trying Hamyon out: unset HAMYON_ENV=production")
    host = settings.host if host is None else host
    port = settings.port if port is None else port
    public = settings.public_url or (f"http://127.0.0.1:{port}" if host in _WILDCARD_HOSTS else "")
    return attrs.evolve(settings, env="development", sandbox=True, auto_migrate=True, host=host,
                        port=port, public_url=public, database_url=f"sqlite:///{database}")


def demo(settings: Settings, *, host: str | None = None, port: int | None = None,
         database: str = DEMO_DATABASE) -> int:
    settings = demo_settings(settings, host=host, port=port, database=database)
    configure_logging(production=False)
    asyncio.run(_run(settings, listen(settings.host, settings.port)))
    return 0


async def _run(settings: Settings, sockets: list[object]) -> None:
    await migrate_once(settings)
    async with running(settings, sockets) as service:
        created = await open_topup(service.hamyon)
        print(walkthrough(settings, TokenIssuer(settings.jwt_secret), created), flush=True)
        await until_signalled()


async def open_topup(hamyon: Hamyon) -> CreatedPayment:
    """A pending sandbox top-up for the demo user, ready to pay in a browser."""
    return await hamyon.payments.create(CreatePayment(
        user_id=DEMO_USER, gateway="sandbox", amount=TOPUP, description="Hamyon demo top-up"))


def walkthrough(settings: Settings, issuer: TokenIssuer, created: CreatedPayment) -> str:
    url, payment = settings.base_url, created.payment.id
    user = issuer.issue(DEMO_USER, ttl_seconds=TOKEN_TTL)
    admin = issuer.issue(DEMO_ADMIN, admin=True, ttl_seconds=TOKEN_TTL)
    auth, admin_auth = '-H "Authorization: Bearer $TOKEN"', '-H "Authorization: Bearer $ADMIN_TOKEN"'
    topup = shlex.quote('{"gateway": "sandbox", "amount": "50000"}')
    charge = shlex.quote('{"service_type": "doctor_view", "related_object_id": "42"}')
    return f"""
Hamyon demo is running at {url}  (SQLite {settings.database_url.removeprefix("sqlite:///")},
sandbox gateway; API docs at {url}/docs). Press Ctrl+C to stop.

The demo user is "{DEMO_USER}". Paste these lines into a shell:

export HAMYON={url}
export TOKEN={user}
export ADMIN_TOKEN={admin}

# 1. Top up the wallet. A 50,000 UZS sandbox top-up is waiting: open its checkout page in a
#    browser and press Pay:
#      {created.payment_url}
#    or press Pay from the shell (303: the page sends the payer on to the done page):
curl {PRESS} -X POST "$HAMYON/sandbox/pay/{payment}" -d action=pay
#    The payment is now completed and the wallet credited:
curl -s -w '\\n' "$HAMYON/api/payments/{payment}/status/" {auth}
#    Start another top-up yourself (open the payment_url of the answer the same way):
curl -s -w '\\n' -X POST "$HAMYON/api/payments/wallet/topup/" {auth} {JSON} -d {topup}

# 2. Charge a doctor view (the first views of a day can be free: see the billing rules)
curl -s -w '\\n' -X POST "$HAMYON/api/payments/billing/charge/" {auth} {JSON} -d {charge}

# 3. Read the wallet: balance, totals and the latest transactions
curl -s -w '\\n' "$HAMYON/api/payments/wallet/" {auth}

# 4. As an admin, read every step the top-up went through (its payment log, decrypted)
curl -s -w '\\n' "$HAMYON/api/admin/payments/{payment}/logs/" {admin_auth}
"""
