"""The ``hamyon`` command: serve, demo, worker, migrate, token, verify, logs, rotate-keys.

Each subcommand reads the settings from the environment (and ``.env``), so ``HAMYON_DATABASE_URL``
and friends apply to all of them; a ``HAMYON_*`` variable no setting reads is warned about. Answers
go to stdout; warnings, progress and logs of long work go to stderr.

Exit code 2, with one line on stderr for each problem and never a traceback: a usage error (a bare
``hamyon`` shows the help), the bad settings (all of them at once), and a command that cannot do
its work (``CommandError``: a busy port, a database that cannot serve, a key that opens nothing).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NoReturn

from attrs import frozen

from domain.text import is_single_line_text
from entrypoints.settings import (
    Settings,
    SettingsError,
    load_settings,
    misspelt_names,
    read_environment,
    storage_warnings,
)

EPILOG = """Settings come from HAMYON_* environment variables or a .env file in the working
directory (HAMYON_DATABASE_URL, HAMYON_SECRET_KEY, HAMYON_JWT_SECRET, HAMYON_ENV, ...).
Run 'hamyon COMMAND --help' for a command's options."""


class _Parser(argparse.ArgumentParser):
    """A usage error ends in one line on stderr, pointing to the command's help, and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (0 would mean "any free port", and larger numbers wrap around)."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"must be a port from 1 to 65535, got {text!r}")
    return int(text)


def positive(text: str) -> int:
    """A whole number of at least 1."""
    if not (text.isascii() and text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return int(text)


def admin_name(text: str) -> str:
    """The name an admin's writes are audited under: 1 to 128 characters on one line."""
    name = text.strip()
    if not name or len(name) > 128 or not is_single_line_text(name):
        raise argparse.ArgumentTypeError(f"must be 1 to 128 characters on one line, got {text!r}")
    return name


def package_version() -> str:
    try:
        return version("hamyon")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


@frozen
class Command:
    """One ``hamyon`` subcommand: its one-line help, its ``--help`` description, its options and,
    for one with actions of its own (``api-key``), what adds them."""

    name: str
    help: str
    description: str
    options: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = ()
    actions: Callable[[argparse.ArgumentParser], None] | None = None


def option(*flags: str, **settings: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    """An ``add_argument`` call, as data."""
    return flags, settings


def _api_key_actions(keys: argparse.ArgumentParser) -> None:
    actions = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="make a key and print it once")
    create.add_argument("--name", required=True, help="what the key is for")
    create.add_argument("--scopes", required=True, help="comma-separated: charges,holds,refunds,read")
    actions.add_parser("list", help="the keys, revoked ones too (never the keys themselves)")
    revoke = actions.add_parser("revoke", help="refuse a key at once")
    revoke.add_argument("key_id", help="the key's id (from create or list)")


LISTEN = (option("--host", help="address to listen on (HAMYON_HOST, default 127.0.0.1)"),
          option("--port", type=port_number,
                 help="port to listen on, 1 to 65535 (HAMYON_PORT, default 8000)"))

COMMANDS = (
    Command("serve", "run the HTTP API server (and the background jobs)",
            "Run the HTTP API (SQLite ./hamyon.db by default, migrated at start when "
            "HAMYON_AUTO_MIGRATE is on) with the background jobs: payment expiry, Payme's 12-hour "
            "sweep, reconciliation, idempotency-key cleanup, ledger verification.",
            (*LISTEN,
             option("--workers", type=positive, default=1,
                    help="server processes sharing the port (use Postgres when > 1; metrics are "
                         "summed over them)"),
             option("--no-jobs", action="store_true",
                    help="serve HTTP only; run the jobs elsewhere with 'hamyon worker'"))),
    Command("demo", "try Hamyon: a server on SQLite with the sandbox gateway",
            "Start the server on ./hamyon-demo.db with the sandbox gateway, open a sandbox top-up "
            "for the user 'demo', and print a token and curl commands that top up, charge a doctor "
            "view and read the wallet.",
            (*LISTEN, option("--database", default="hamyon-demo.db", help="the SQLite file to use"))),
    Command("worker", "run the background jobs without HTTP",
            "Run the periodic jobs (expiry sweeper, Payme's 12-hour sweep, reconciliation, "
            "idempotency-key cleanup, ledger verification) until stopped. On Postgres each job "
            "takes an advisory lock, so any number of workers and servers run each job one at a "
            "time.",
            (option("--once", action="store_true",
                    help="run every job once, print each outcome and exit (1 if one failed)"),
             option("--metrics-port", type=port_number, help="expose /metrics on this port"))),
    Command("migrate", "apply the database migrations",
            "Apply every numbered migration not yet applied to the database named by "
            "HAMYON_DATABASE_URL (a SQLite file is created if missing), and print the ones "
            "applied, or that none was pending."),
    Command("token", "issue a development JWT", "Print a JWT signed with HAMYON_JWT_SECRET.",
            (option("--user", required=True, help="the user id (the token's sub)"),
             option("--admin", action="store_true", help="add role: admin"),
             option("--ttl", type=positive, default=24 * 3600,
                    help="lifetime in seconds (default: one day)"))),
    Command("verify", "check the ledger's invariants",
            "Recompute every balance from the ledger entries: each currency sums to zero, each "
            "wallet's stored balance equals its entries, no wallet is negative, every transfer is "
            "balanced. Prints what it checked; exits 0 when every invariant holds, 1 listing each "
            "violation. Opens the database read-only; it must exist and be migrated."),
    Command("logs", "print a payment's log, decrypted",
            "Print every recorded step of a payment (request, callback, verification, error, "
            "state_change), oldest first, with its payload decrypted. Opens the database "
            "read-only; it must exist and be migrated.",
            (option("payment_id", help="the payment's id (a UUID)"),
             option("--json", action="store_true", help="one JSON object per line"))),
    Command("admin-link", "print a one-time sign-in URL for the admin console",
            "Print a URL that signs its opener in to /admin/ once, within ten minutes "
            "(HAMYON_PUBLIC_URL names the host).",
            (option("--admin", default="admin", type=admin_name,
                    help="the name the audit log gives its writes"),)),
    Command("api-key", "make, list or revoke platform keys",
            "Platform keys let the platform's backend act for its users within scopes (see "
            "README, Platform access).", actions=_api_key_actions),
    Command("rotate-keys", "re-encrypt stored secrets with the current key",
            "Re-encrypt every encrypted column (payment log payloads, tracking codes, card masks, "
            "phone numbers, gateway keys) with HAMYON_SECRET_KEY. Old rows must still open with it "
            "or with a key in HAMYON_SECRET_KEY_FALLBACKS; drop a fallback only after this "
            "finished."),
)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hamyon", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Hamyon: wallet, payments and pay-per-use billing on a double-entry ledger.")
    parser.add_argument("--version", action="version", version=f"hamyon {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help, description=command.description)
        for flags, settings in command.options:
            sub.add_argument(*flags, **settings)
        if command.actions is not None:
            command.actions(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``hamyon`` command and return its exit code (the module docstring lists them)."""
    parser = _parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:  # a usage error like any other: argparse's exit code 2, with the whole help
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(arguments)
    env = read_environment()
    _warn(misspelt_names(env))
    try:
        settings = load_settings(env)
    except SettingsError as error:
        for problem in error.problems:
            print(f"hamyon: configuration error: {problem}", file=sys.stderr)
        return 2
    return _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from entrypoints import commands
    from entrypoints.command_error import CommandError

    handler = {"serve": _serve, "demo": _demo, "worker": _worker, "migrate": commands.migrate,
               "token": commands.token, "verify": commands.verify, "logs": commands.logs,
               "rotate-keys": commands.rotate_keys, "api-key": commands.api_key,
               "admin-link": commands.admin_link}
    try:
        return handler[args.command](settings, args)
    except CommandError as error:
        print(f"hamyon {args.command}: {error}", file=sys.stderr)
        return 2


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"hamyon: warning: {warning}", file=sys.stderr)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.server import serve

    _warn(storage_warnings(settings))
    serve(settings, host=args.host, port=args.port, workers=args.workers, jobs=not args.no_jobs)
    return 0


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.demo import demo

    return demo(settings, host=args.host, port=args.port, database=args.database)


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.server import work

    _warn(storage_warnings(settings))
    return work(settings, once=args.once, metrics_port=args.metrics_port)


if __name__ == "__main__":
    sys.exit(main())
