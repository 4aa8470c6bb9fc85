"""Reconciliation: a payment left ``processing`` past ``reconcile_after_seconds`` is checked with
its gateway and settled by the same rules as a callback (``redirect.settle``): only a confirmed
payment is completed; an answer that is not paid leaves it processing, for its expiry to end.

Which question a gateway is asked:
- an adapter that is a ``Reconciler`` (one whose gateway offers a status call) is asked about
  the payment;
- a ``RedirectGateway`` verifies the payment's logged callbacks again, the way it would have when
  each came (one whose verification failed, say the gateway was down): the distinct ones newest
  first, at most ``MAX_CALLBACKS``, until one is confirmed. Callbacks are not authenticated, so
  a bogus one logged after the genuine one must not hide it;
- any other gateway, or a redirect payment whose payer never came back, is left alone (expiry
  ends it). A gateway that cannot be asked leaves the payment for the next run.
Every step goes into the payment's log (SPEC §8).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from uuid import UUID

from application.gateways.redirect import UNCHANGED, settle
from application.hamyon import Hamyon
from domain.errors import DomainError, Forbidden, GatewayError
from domain.gateways import Verification
from domain.payments import AttemptStatus, Payment, PaymentStatus
from ports.gateways import GatewayRegistry, PaymentGateway, Reconciler, RedirectGateway

SKIPPED, UNRESOLVED = "skipped", "unresolved"
MAX_CALLBACKS = 10  # a flood of bogus callbacks costs at most this many questions per run
Question = Callable[[], Awaitable[Verification | None]]


async def reconcile_all(hamyon: Hamyon, limit: int = 100) -> int:
    """One pass of the job (``entrypoints.jobs`` runs it): how many payments it settled."""
    results = await Reconciliation(hamyon).run(limit)
    return sum(count for result, count in results.items() if result not in (SKIPPED, UNRESOLVED))


class Reconciliation:
    def __init__(self, hamyon: Hamyon, gateways: GatewayRegistry | None = None) -> None:
        self._hamyon = hamyon
        self._gateways = gateways or hamyon.gateways.registry

    async def run(self, limit: int = 100) -> Counter[str]:
        """Check up to ``limit`` stale processing payments; how many ended each way
        (credited, already_credited, cancelled, unresolved, skipped)."""
        results: Counter[str] = Counter()
        for payment_id in await self._hamyon.settlement.stale_processing(limit):
            results[await self.reconcile(payment_id)] += 1
        return results

    async def reconcile(self, payment_id: UUID) -> str:
        payment = await self._hamyon.admin.payment(payment_id)
        if payment.status is not PaymentStatus.PROCESSING:
            return SKIPPED
        questions = await self._questions(self._gateways.get(payment.gateway), payment)
        if not questions:
            return SKIPPED
        for question in questions:
            verification = await self._ask(payment, question)
            if verification is not None:
                result = await self._settle(payment, verification)
                if result != UNCHANGED:
                    return result
        return UNRESOLVED

    async def _questions(self, adapter: PaymentGateway | None, payment: Payment) -> list[Question]:
        """What to ask the gateway, in order; none when it cannot be asked about this payment (a
        redirect payment whose payer has not come back has nothing to verify yet)."""
        if isinstance(adapter, Reconciler):
            reconciler = adapter
            return [lambda: reconciler.reconcile(payment)]
        if isinstance(adapter, RedirectGateway):
            return [partial(adapter.verify, payment, callback)
                    for callback in await self._callbacks(payment)]
        return []

    async def _settle(self, payment: Payment, verification: Verification) -> str:
        try:
            outcome = await settle(self._hamyon, payment, verification,
                                   await self._attempt_id(payment))
        except DomainError as error:  # expired meanwhile, no open attempt, a race lost
            await self._step(payment, "error", f"reconciliation could not settle: {error.message}")
            return UNRESOLVED
        return outcome.result

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

    async def _callbacks(self, payment: Payment) -> list[Mapping[str, str]]:
        """The distinct callbacks in the payment's log, newest first, at most ``MAX_CALLBACKS``."""
        found: dict[tuple[tuple[str, str], ...], Mapping[str, str]] = {}
        for log in reversed(await self._hamyon.admin.payment_logs(payment.id)):
            fields = _callback_fields(log.payload) if log.type == "callback" else None
            if fields is not None:
                found.setdefault(tuple(sorted(fields.items())), fields)
                if len(found) == MAX_CALLBACKS:
                    break
        return list(found.values())

    async def _attempt_id(self, payment: Payment) -> str:
        """The attempt a confirmation completes: the redirect session, else the newest open one."""
        if payment.external_id:
            return payment.external_id
        open_attempts = [a for a in await self._hamyon.settlement.attempts(payment.id)
                         if a.status is AttemptStatus.OPEN and a.gateway == payment.gateway]
        return max(open_attempts, key=lambda a: a.created_at).external_id if open_attempts else ""

    async def _step(self, payment: Payment, type: str, message: str, payload: str = "") -> None:
        await self._hamyon.settlement.log_step(payment.id, type, message, payload=payload)


def _callback_fields(payload: str) -> dict[str, str] | None:
    try:
        fields = json.loads(payload)
    except ValueError:
        return None
    return {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else None
