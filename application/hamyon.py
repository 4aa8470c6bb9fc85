"""``Hamyon``: every use case behind one object, for HTTP handlers, the CLI and embedding apps.

The facade holds one object per group of use cases, all built on one ``Shared`` (dependencies,
units of work, the billing catalogue): ``hamyon.payments.create(...)``, ``hamyon.billing.charge(...)``.
Built by the composition root (``entrypoints.bootstrap``) or by hand from a ``Dependencies``;
it takes and returns plain attrs objects and holds no global state.
"""

from __future__ import annotations

import time

from application.admin import AdminUseCases
from application.api_keys import ApiKeyUseCases
from application.billing import BillingUseCases
from application.catalog import Monotonic
from application.charge_refunds import ChargeRefundUseCases
from application.config import ServiceConfig
from application.console import ConsoleUseCases
from application.dependencies import Dependencies, Shared
from application.doctors import DoctorUseCases
from application.fiscal import FiscalUseCases
from application.gateways.catalog import GatewayUseCases
from application.holds import HoldUseCases
from application.idempotency import IdempotencyUseCases
from application.payments import PaymentUseCases
from application.settlement import SettlementUseCases
from application.units import Units
from application.wallets import WalletUseCases
from application.webhooks import WebhookUseCases
from ports.services import Clock, EventLog


class Hamyon:
    """The groups of use cases, each its own object:

    - ``payments``: top-ups as the payer sees them (estimate, create, get, cancel, history);
    - ``settlement``: what gateways do to payments (open, complete, cancel attempts; refund;
      the expiry sweep; the lookups inbound protocols need);
    - ``billing``: pay-per-use (rules, check_access, charge, summary, daily_usage);
    - ``holds``: reserve a price, then capture or release it (SPEC §13);
    - ``charge_refunds``: give back all or part of a charge (admin);
    - ``fiscal``: receipts' items, the receipts gateways register, Click's submissions (SPEC §14);
    - ``api_keys``: the platform's keys, made, listed, revoked and checked (SPEC §15);
    - ``console``: the admin console's sign-in links and dashboard figures (SPEC §16);
    - ``wallets``: wallets as their owner sees them, and the admin's block and adjust;
    - ``doctors``: the doctor directory and the charged doctor view;
    - ``admin``: the first start's rows (seed_defaults), gateway rows, billing rules and
      settings, payment search, the ledger check;
    - ``idempotency``: idempotent requests (run, purge);
    - ``gateways``: the public gateway catalogue and the outgoing adapters;
    - ``webhooks``: the platform's webhook endpoints, the events, and their delivery.
    """

    def __init__(self, deps: Dependencies, *, monotonic: Monotonic = time.monotonic) -> None:
        self._shared = shared = Shared(deps, monotonic=monotonic)
        self.payments = PaymentUseCases(shared)
        self.settlement = SettlementUseCases(shared)
        self.billing = BillingUseCases(shared)
        self.holds = HoldUseCases(shared)
        shared.expire_holds = lambda user_id: self.holds.expire_due(user_id=user_id)
        self.charge_refunds = ChargeRefundUseCases(shared)
        self.fiscal = FiscalUseCases(shared)
        self.api_keys = ApiKeyUseCases(shared)
        self.console = ConsoleUseCases(shared)
        self.wallets = WalletUseCases(shared)
        self.doctors = DoctorUseCases(shared, self.billing)
        self.admin = AdminUseCases(shared)
        self.idempotency = IdempotencyUseCases(shared)
        self.gateways = GatewayUseCases(shared)
        self.webhooks = WebhookUseCases(shared)

    @property
    def config(self) -> ServiceConfig:
        return self._shared.deps.config

    @property
    def units(self) -> Units:
        """Run a body in a unit of work (joining the caller's, if any): for use cases written
        outside the groups, such as the gateways' inbound protocols."""
        return self._shared.units

    @property
    def clock(self) -> Clock:
        return self._shared.deps.clock

    @property
    def events(self) -> EventLog:
        return self._shared.deps.events

    async def close(self) -> None:
        """Release what the composition root opened (database pools, files)."""
        if self._shared.deps.on_close is not None:
            await self._shared.deps.on_close()
