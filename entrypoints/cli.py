"""The ``hamyon`` command: serve, migrate, token, verify.

Each subcommand reads the settings from the environment (and ``.env``), so ``HAMYON_DATABASE_URL``
and friends apply to all of them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from entrypoints.settings import Settings, SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamyon", description="Hamyon: wallet, payments and pay-per-use billing on a "
                                   "double-entry ledger.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP API server",
                                description="Run the HTTP API (SQLite ./hamyon.db by default, "
                                            "migrated at start when HAMYON_AUTO_MIGRATE is on).")
    serve.add_argument("--host", help="address to listen on (HAMYON_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (HAMYON_PORT, default 8000)")
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes sharing the port (use Postgres when > 1)")

    commands.add_parser("migrate", help="apply the database migrations",
                        description="Apply every numbered migration not yet applied to the "
                                    "database named by HAMYON_DATABASE_URL.")

    token = commands.add_parser("token", help="issue a development JWT",
                                description="Print a JWT signed with HAMYON_JWT_SECRET.")
    token.add_argument("--user", required=True, help="the user id (the token's sub)")
    token.add_argument("--admin", action="store_true", help="add role: admin")
    token.add_argument("--ttl", type=int, default=24 * 3600, help="lifetime in seconds")

    commands.add_parser("verify", help="check the ledger's invariants",
                        description="Recompute every balance from the ledger entries. Exits 0 "
                                    "when every invariant holds, 1 listing each violation.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"hamyon: configuration error: {error}", file=sys.stderr)
        return 2
    handler = {"serve": _serve, "migrate": _migrate, "token": _token, "verify": _verify}
    return handler[args.command](settings, args)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.server import serve

    serve(settings, host=args.host, port=args.port, workers=args.workers)
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.runtime import build_hamyon

    async def run() -> None:
        hamyon = await build_hamyon(settings, migrate=True)
        await hamyon.close()

    asyncio.run(run())
    print(f"migrated {settings.database_url.split('@')[-1]}")
    return 0


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.http.auth import TokenIssuer

    issuer = TokenIssuer(settings.jwt_secret)
    print(issuer.issue(args.user, admin=args.admin, ttl_seconds=args.ttl))
    return 0


def _verify(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.runtime import build_hamyon

    async def run() -> int:
        hamyon = await build_hamyon(settings)
        try:
            report = await hamyon.verify_ledger()
        finally:
            await hamyon.close()
        print(f"checked {report.transfers} transfers, {report.wallets} wallets, "
              f"{report.currencies} currencies")
        for violation in report.violations:
            print(f"VIOLATION {violation.kind} {violation.subject}: {violation.detail}")
        print("ledger ok" if report.ok else f"{len(report.violations)} violations")
        return 0 if report.ok else 1

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
