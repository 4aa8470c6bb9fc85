"""The one-shot ``hamyon`` commands: migrate, token, verify, logs, api-key, rotate-keys.

Each takes the validated settings and the parsed arguments and returns the exit code: 0 done,
1 when the answer is "something is wrong" (a ledger violation, an unknown payment). A command
that cannot do its work (the database cannot serve, the key does not open the data) raises
``CommandError``: one line on stderr, exit code 2. ``verify`` and ``logs`` only read: they open
the database read-only and never create, migrate or seed one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import Any
from uuid import UUID

from adapters.storage_url import shown
from domain.errors import DomainError
from domain.ledger import VerifyReport
from domain.payments import Payment, PaymentLog
from entrypoints.command_error import CommandError
from entrypoints.database import label
from entrypoints.progress import Progress, ticking
from entrypoints.runtime import build_hamyon, migrate_and_seed, open_checked_storage
from entrypoints.settings import Settings


def migrate(settings: Settings, args: argparse.Namespace) -> int:
    """Apply the pending migrations and say which, by file name, or that none was pending."""
    applied = asyncio.run(migrate_and_seed(settings))
    where = shown(settings.database_url)
    if applied:
        print(f"migrated {where}: applied {', '.join(label(migration) for migration in applied)}")
    else:
        print(f"{where} is up to date: no migration was pending")
    return 0


def token(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.http.auth import TokenIssuer

    print(TokenIssuer(settings.jwt_secret).issue(args.user, admin=args.admin, ttl_seconds=args.ttl))
    return 0


def verify(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> VerifyReport:
        hamyon = await build_hamyon(settings, read_only=True)
        progress = Progress("verifying ledger")
        try:
            async with ticking(progress):
                report = await hamyon.admin.verify_ledger()
        finally:
            await hamyon.close()
        progress.finish("ok" if report.ok else "violations found")
        return report

    report = asyncio.run(run())
    print(f"checked {report.transfers} transfers, {report.wallets} wallets, "
          f"{report.currencies} currencies")
    for violation in report.violations:
        print(f"VIOLATION {violation.kind} {violation.subject}: {violation.detail}")
    print("ledger ok" if report.ok else f"{len(report.violations)} violations")
    _publish(report)
    return 0 if report.ok else 1


def _publish(report: VerifyReport) -> None:
    """With shared (multi-process) metrics configured, servers' /metrics show this result too."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from entrypoints.http.metrics import Metrics

        Metrics().ledger_verified(report.ok, len(report.violations), time.time())


def logs(settings: Settings, args: argparse.Namespace) -> int:
    """Print a payment's log, decrypted, oldest first; 1 when there is no such payment."""
    try:
        payment_id = UUID(args.payment_id)
    except ValueError:
        print(f"hamyon logs: {args.payment_id!r} is not a payment id (a UUID)", file=sys.stderr)
        return 2
    found = asyncio.run(_payment_log(settings, payment_id))
    if found is None:
        print(f"hamyon logs: no payment {payment_id}", file=sys.stderr)
        return 1
    payment, rows = found
    if not args.json:
        print(f"payment {payment.id} {payment.gateway} {payment.amount} {payment.status.value} "
              f"(user {payment.user_id}): {len(rows)} log entries")
    for row in rows:
        _print_log_entry(row, as_json=args.json)
    return 0


async def _payment_log(settings: Settings, payment_id: UUID) -> tuple[Payment, list[PaymentLog]] | None:
    """The payment and its log, read only; None when there is no such payment. A log the
    configured keys do not open raises ``CommandError``."""
    from adapters.crypto import DecryptionError

    hamyon = await build_hamyon(settings, read_only=True)
    try:
        return await hamyon.admin.payment(payment_id), await hamyon.admin.payment_logs(payment_id)
    except DomainError:
        return None
    except DecryptionError:
        raise CommandError(f"cannot decrypt the log of payment {payment_id} with HAMYON_SECRET_KEY "
                           "or HAMYON_SECRET_KEY_FALLBACKS: set the key that sealed it") from None
    finally:
        await hamyon.close()


def _print_log_entry(row: PaymentLog, *, as_json: bool) -> None:
    fields = {"created_at": row.created_at.isoformat(), "type": row.type,
              "http_status": row.http_status, "message": row.message, "payload": row.payload}
    print(json.dumps(fields, ensure_ascii=False) if as_json else
          f"{fields['created_at']}  {row.type:<12} {row.http_status or '-':>3}  {row.message}"
          + (f"\n    {row.payload}" if row.payload else ""))


def api_key(settings: Settings, args: argparse.Namespace) -> int:
    """``create`` prints the new key once (only its hash is kept), ``list`` the keys, ``revoke``
    refuses a key at once; exit 1 for an unknown key id."""
    async def run() -> int:
        hamyon = await build_hamyon(settings, read_only=args.action == "list")
        try:
            return await _api_key_action(hamyon, args)
        finally:
            await hamyon.close()

    return asyncio.run(run())


async def _api_key_action(hamyon: Any, args: argparse.Namespace) -> int:
    if args.action == "create":
        try:
            created = await hamyon.api_keys.create(args.name, args.scopes, actor="cli")
        except DomainError as refusal:  # a bad name or scope: one line, exit 2, nothing made
            raise CommandError(refusal.message) from None
        print(created.plaintext)
        print(f"{created.key.id}  {created.key.name}  scopes: {','.join(sorted(created.key.scopes))}"
              "  (the key above is shown only now)", file=sys.stderr)
        return 0
    if args.action == "list":
        for key in await hamyon.api_keys.list():
            state = f"revoked {key.revoked_at.isoformat()}" if key.revoked_at else "active"
            print(f"{key.id}  {key.name}  {','.join(sorted(key.scopes))}  {state}  "
                  f"last used {key.last_used_at.isoformat() if key.last_used_at else 'never'}")
        return 0
    try:
        revoked = await hamyon.api_keys.revoke(UUID(args.key_id), actor="cli")
    except (ValueError, DomainError):
        print(f"no API key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {revoked.id} ({revoked.name})")
    return 0


def admin_link(settings: Settings, args: argparse.Namespace) -> int:
    """Print a one-time sign-in URL for the admin console (ten minutes, single use)."""
    from entrypoints.console.link import admin_link as make_link

    async def run() -> None:
        hamyon = await build_hamyon(settings)
        try:
            await make_link(hamyon, settings.base_url, admin_id=args.admin)
        finally:
            await hamyon.close()

    asyncio.run(run())
    return 0


def rotate_keys(settings: Settings, args: argparse.Namespace) -> int:
    """Re-seal every encrypted value with HAMYON_SECRET_KEY; old values open with it or with a
    key of HAMYON_SECRET_KEY_FALLBACKS."""
    from adapters.crypto import DecryptionError, FernetCipher

    cipher = FernetCipher(settings.secret_key, settings.secret_key_fallbacks)

    async def run() -> int:
        storage = await open_checked_storage(settings, migrate=False)
        try:
            rotate = getattr(storage, "rotate_keys", None)
            if rotate is None:
                print("hamyon rotate-keys: this storage adapter cannot re-encrypt (no rotate_keys "
                      "operation); nothing was changed", file=sys.stderr)
                return 1
            progress = Progress("re-encrypting")
            try:
                count = await rotate(cipher=cipher, progress=progress.update)
            except DecryptionError as error:
                progress.finish("stopped")
                print(f"hamyon rotate-keys: {error}. Put the key that sealed them in "
                      "HAMYON_SECRET_KEY_FALLBACKS and run again.", file=sys.stderr)
                return 1
            progress.finish(f"{count} values re-encrypted")
            print(f"re-encrypted {count} values with the current HAMYON_SECRET_KEY")
            return 0
        finally:
            await storage.close()

    return asyncio.run(run())
