"""Reconciliation: a payment left ``processing`` past ``reconcile_after_seconds`` is checked with
its gateway, then completed or failed by the same rules as a callback (``redirect.settle``).

Which question a gateway is asked:
- an adapter that is a ``Reconciler`` (Click's ``status_by_mti``) is asked about the payment;
- a ``RedirectGateway`` (medogram) verifies the payment's last callback again, the way it would
  have when the callback came (a callback whose verification failed, say the gateway was down);
- any other gateway, or a redirect payment whose payer never came back, is left alone (expiry
  ends it). A gateway that cannot be asked leaves the payment for the next run.
Every step goes into the payment's log (SPEC §8).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from uuid import UUID

from application.gateways.redirect import settle
from application.hamyon import Hamyon
from domain.errors import DomainError, Forbidden, GatewayError
from domain.gateways import Verification
from domain.payments import AttemptStatus, Payment, PaymentStatus
from ports.gateways import GatewayRegistry, PaymentGateway, Reconciler, RedirectGateway

SKIPPED, UNRESOLVED = "skipped", "unresolved"
Question = Callable[[], Awaitable[Verification | None]]


async def reconcile_all(hamyon: Hamyon, limit: int = 100) -> int:
    """One pass of the job (``entrypoints.jobs`` runs it): how many payments it settled."""
    results = await Reconciliation(hamyon).run(limit)
    return sum(count for result, count in results.items() if result not in (SKIPPED, UNRESOLVED))


class Reconciliation:
    def __init__(self, hamyon: Hamyon, gateways: GatewayRegistry | None = None) -> None:
        self._hamyon = hamyon
        self._gateways = gateways or hamyon.gateway_registry

    async def run(self, limit: int = 100) -> Counter[str]:
        """Check up to ``limit`` stale processing payments; how many ended each way
        (credited, already_credited, refused, unresolved, skipped...)."""
        results: Counter[str] = Counter()
        for payment_id in await self._hamyon.stale_processing_payments(limit):
            results[await self.reconcile(payment_id)] += 1
        return results

    async def reconcile(self, payment_id: UUID) -> str:
        payment = await self._hamyon.admin_payment(payment_id)
        if payment.status is not PaymentStatus.PROCESSING:
            return SKIPPED
        question = await self._question(self._gateways.get(payment.gateway), payment)
        if question is None:
            return SKIPPED
        verification = await self._ask(payment, question)
        if verification is None:
            return UNRESOLVED
        try:
            outcome = await settle(self._hamyon, payment, verification,
                                   await self._attempt_id(payment))
        except DomainError as error:  # expired meanwhile, no open attempt, a race lost
            await self._step(payment, "error", f"reconciliation could not settle: {error.message}")
            return UNRESOLVED
        return outcome.result

    async def _question(self, adapter: PaymentGateway | None, payment: Payment) -> Question | None:
        """What to ask the gateway, or None when it cannot be asked about this payment."""
        if isinstance(adapter, Reconciler):
            reconciler = adapter
            return lambda: reconciler.reconcile(payment)
        if isinstance(adapter, RedirectGateway):
            verifier, callback = adapter, await self._last_callback(payment)
            if callback is not None:  # else the payer has not come back: nothing to verify yet
                return lambda: verifier.verify(payment, callback)
        return None

    async def _ask(self, payment: Payment, question: Question) -> Verification | None:
        await self._step(payment, "request", f"reconciliation asked {payment.gateway}")
        try:
            verification = await question()
        except (GatewayError, Forbidden) as error:
            await self._step(payment, "error", f"reconciliation: {error.message}")
            return None
        if verification is None:
            await self._step(payment, "verification", f"{payment.gateway} cannot tell yet")
            return None
        said = "paid" if verification.paid else "not paid"
        await self._step(payment, "verification", f"reconciliation: {payment.gateway} says {said}: "
                         f"{verification.message}", verification.raw)
        return verification

    async def _last_callback(self, payment: Payment) -> Mapping[str, str] | None:
        callbacks = [log for log in await self._hamyon.payment_logs(payment.id) if log.type == "callback"]
        if not callbacks:
            return None
        try:
            fields = json.loads(callbacks[-1].payload)
        except ValueError:
            return None
        return {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else None

    async def _attempt_id(self, payment: Payment) -> str:
        """The attempt a confirmation completes: the redirect session, else the newest open one."""
        if payment.external_id:
            return payment.external_id
        open_attempts = [a for a in await self._hamyon.payment_attempts(payment.id)
                         if a.status is AttemptStatus.OPEN and a.gateway == payment.gateway]
        return max(open_attempts, key=lambda a: a.created_at).external_id if open_attempts else ""

    async def _step(self, payment: Payment, type: str, message: str, payload: str = "") -> None:
        await self._hamyon.log_gateway_step(payment.id, type, message, payload=payload)
