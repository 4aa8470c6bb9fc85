"""The ``hamyon`` command: serve, demo, worker, migrate, token, verify, logs, rotate-keys.

Each subcommand reads the settings from the environment (and ``.env``), so ``HAMYON_DATABASE_URL``
and friends apply to all of them. A bad setting stops the command with exit code 2 and a message
naming it. Answers go to stdout; progress and logs of long work go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from entrypoints.settings import Settings, SettingsError, load_settings

EPILOG = """Settings come from HAMYON_* environment variables or a .env file in the working
directory (HAMYON_DATABASE_URL, HAMYON_SECRET_KEY, HAMYON_JWT_SECRET, HAMYON_ENV, ...).
Run 'hamyon COMMAND --help' for a command's options."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamyon", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Hamyon: wallet, payments and pay-per-use billing on a double-entry ledger.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP API server (and the background jobs)",
                                description="Run the HTTP API (SQLite ./hamyon.db by default, "
                                            "migrated at start when HAMYON_AUTO_MIGRATE is on) with "
                                            "the background jobs: payment expiry, Payme's 12-hour "
                                            "sweep, reconciliation, idempotency-key cleanup, ledger "
                                            "verification.")
    _listen_options(serve)
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes sharing the port (use Postgres when > 1; metrics "
                            "are summed over them)")
    serve.add_argument("--no-jobs", action="store_true",
                       help="serve HTTP only; run the jobs elsewhere with 'hamyon worker'")

    demo = commands.add_parser("demo", help="try Hamyon: a server on SQLite with the sandbox gateway",
                               description="Start the server on ./hamyon-demo.db with the sandbox "
                                           "gateway, open a sandbox top-up for the user 'demo', and "
                                           "print a token and curl commands that top up, charge a "
                                           "doctor view and read the wallet.")
    _listen_options(demo)
    demo.add_argument("--database", default="hamyon-demo.db", help="the SQLite file to use")

    worker = commands.add_parser("worker", help="run the background jobs without HTTP",
                                 description="Run the periodic jobs (expiry sweeper, Payme's 12-hour "
                                             "sweep, reconciliation, idempotency-key cleanup, ledger "
                                             "verification) until stopped. On Postgres each job "
                                             "takes an advisory lock, so any number of workers and "
                                             "servers run each job one at a time.")
    worker.add_argument("--once", action="store_true",
                        help="run every job once, print each outcome and exit (1 if one failed)")
    worker.add_argument("--metrics-port", type=int, help="expose /metrics on this port")

    commands.add_parser("migrate", help="apply the database migrations",
                        description="Apply every numbered migration not yet applied to the "
                                    "database named by HAMYON_DATABASE_URL.")

    token = commands.add_parser("token", help="issue a development JWT",
                                description="Print a JWT signed with HAMYON_JWT_SECRET.")
    token.add_argument("--user", required=True, help="the user id (the token's sub)")
    token.add_argument("--admin", action="store_true", help="add role: admin")
    token.add_argument("--ttl", type=int, default=24 * 3600, help="lifetime in seconds")

    commands.add_parser("verify", help="check the ledger's invariants",
                        description="Recompute every balance from the ledger entries: each "
                                    "currency sums to zero, each wallet's stored balance equals "
                                    "its entries, no wallet is negative, every transfer is "
                                    "balanced. Prints what it checked; exits 0 when every "
                                    "invariant holds, 1 listing each violation.")

    logs = commands.add_parser("logs", help="print a payment's log, decrypted",
                               description="Print every recorded step of a payment (request, "
                                           "callback, verification, error, state_change), oldest "
                                           "first, with its payload decrypted.")
    logs.add_argument("payment_id", help="the payment's id (a UUID)")
    logs.add_argument("--json", action="store_true", help="one JSON object per line")

    commands.add_parser("rotate-keys", help="re-encrypt stored secrets with the current key",
                        description="Re-encrypt every encrypted column (payment log payloads, "
                                    "tracking codes, card masks, phone numbers, gateway keys) "
                                    "with HAMYON_SECRET_KEY. Old rows must still open with it or "
                                    "with a key in HAMYON_SECRET_KEY_FALLBACKS; drop a fallback "
                                    "only after this finished.")
    return parser


def _listen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (HAMYON_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (HAMYON_PORT, default 8000)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"hamyon: configuration error: {error}", file=sys.stderr)
        return 2
    from entrypoints import commands

    handler = {"serve": _serve, "demo": _demo, "worker": _worker, "migrate": commands.migrate,
               "token": commands.token, "verify": commands.verify, "logs": commands.logs,
               "rotate-keys": commands.rotate_keys}
    return handler[args.command](settings, args)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.server import serve

    serve(settings, host=args.host, port=args.port, workers=args.workers, jobs=not args.no_jobs)
    return 0


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.demo import demo

    return demo(settings, host=args.host, port=args.port, database=args.database)


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.server import work

    return work(settings, once=args.once, metrics_port=args.metrics_port)


if __name__ == "__main__":
    sys.exit(main())
