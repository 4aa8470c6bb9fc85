"""The one-shot ``hamyon`` commands: migrate, token, verify, logs, rotate-keys.

Each takes the validated settings and the parsed arguments and returns the exit code: 0 done,
1 when the answer is "something is wrong" (a ledger violation, an unknown payment).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from uuid import UUID

from domain.errors import DomainError
from domain.ledger import VerifyReport
from entrypoints.progress import Progress, ticking
from entrypoints.runtime import build_hamyon
from entrypoints.settings import Settings


def migrate(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> None:
        hamyon = await build_hamyon(settings, migrate=True)
        await hamyon.close()

    asyncio.run(run())
    print(f"migrated {settings.database_url.split('@')[-1]}")
    return 0


def token(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.http.auth import TokenIssuer

    print(TokenIssuer(settings.jwt_secret).issue(args.user, admin=args.admin, ttl_seconds=args.ttl))
    return 0


def verify(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> VerifyReport:
        hamyon = await build_hamyon(settings)
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
    try:
        payment_id = UUID(args.payment_id)
    except ValueError:
        print(f"hamyon logs: {args.payment_id!r} is not a payment id (a UUID)", file=sys.stderr)
        return 2

    async def run() -> int:
        hamyon = await build_hamyon(settings)
        try:
            payment = await hamyon.admin.payment(payment_id)
            rows = await hamyon.admin.payment_logs(payment_id)
        except DomainError:
            print(f"hamyon logs: no payment {payment_id}", file=sys.stderr)
            return 1
        finally:
            await hamyon.close()
        if not args.json:
            print(f"payment {payment.id} {payment.gateway} {payment.amount} {payment.status.value} "
                  f"(user {payment.user_id}): {len(rows)} log entries")
        for row in rows:
            fields = {"created_at": row.created_at.isoformat(), "type": row.type,
                      "http_status": row.http_status, "message": row.message, "payload": row.payload}
            print(json.dumps(fields, ensure_ascii=False) if args.json else
                  f"{fields['created_at']}  {row.type:<12} {row.http_status or '-':>3}  {row.message}"
                  + (f"\n    {row.payload}" if row.payload else ""))
        return 0

    return asyncio.run(run())


def rotate_keys(settings: Settings, args: argparse.Namespace) -> int:
    """Re-seal every encrypted value with HAMYON_SECRET_KEY; old values open with it or with a
    key of HAMYON_SECRET_KEY_FALLBACKS."""
    from adapters.crypto import DecryptionError, FernetCipher
    from entrypoints.bootstrap import open_storage
    from entrypoints.runtime import storage_options

    cipher = FernetCipher(settings.secret_key, settings.secret_key_fallbacks)

    async def run() -> int:
        storage = await open_storage(settings.database_url, **storage_options(settings, migrate=False))
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
