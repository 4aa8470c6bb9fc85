"""Hamyon embedded in a plain asyncio program: no HTTP server, no Tornado.

Run it with ``python examples/embedded.py`` (memory storage), or pass a database URL:
``python examples/embedded.py sqlite:///demo.db``.
"""

from __future__ import annotations

import asyncio
import sys
from decimal import Decimal

from adapters.gateways.sandbox import SandboxGateway
from application.billing import ChargeRequest
from application.payments import CreatePayment
from entrypoints.bootstrap import bootstrap


async def main(database_url: str) -> None:
    hamyon = await bootstrap(database_url, gateways=[SandboxGateway()], active_gateways={"sandbox"})
    try:
        # A user tops up 100,000.00 UZS through the sandbox gateway, which confirms the payment.
        created = await hamyon.payments.create(CreatePayment("42", "sandbox", Decimal("100000")))
        await hamyon.settlement.complete_attempt("sandbox", created.payment.external_id)

        # The platform charges a consultation; the first doctor views of the day are free.
        charge = await hamyon.billing.charge(ChargeRequest("42", "consultation", quantity=1))
        view = await hamyon.billing.charge(ChargeRequest("42", "doctor_view", related_object_id="123"))

        wallet = await hamyon.wallets.get("42")
        print(f"consultation charged: {charge.amount_charged}")
        print(f"doctor view charged: {view.charged} ({view.free_reason.value if view.free_reason else ''})")
        print(f"balance: {wallet.balance}")
        report = await hamyon.admin.verify_ledger()
        print(f"ledger ok: {report.ok} ({report.transfers} transfers)")
    finally:
        await hamyon.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "memory://"))
