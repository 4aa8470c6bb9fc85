"""The redirect-gateway callback flow, one for every redirect gateway: verify before crediting.

A redirect gateway (the CrazyMiner seed's, the sandbox; later Uzum Bank, ATMOS, Multicard, Octo)
sends the payer back to us with its session id. The steps never change order:

1. the session id must name a payment we know, else ``PaymentNotFound`` (404) and the gateway is
   not asked anything;
2. the callback is written into the payment's log;
3. the gateway verifies it (a verification call, or a signature check). ``GatewayError`` (it could
   not be asked) leaves the payment as it was, for reconciliation to retry; ``Forbidden`` (the
   callback is not authentic) changes nothing. Both are logged and re-raised;
4. the wallet is credited only when the gateway says paid **and** its amount is the payment's
   total **and** its order id is the payment's id; a repeat credits nothing and answers the same;
5. a cancel the gateway itself authenticated (``Verification.cancelled``) cancels the payment;
   any other answer (not paid, paid for another amount or order) is logged and changes nothing.
   A callback is unauthenticated: anyone who guesses a session id can send one before the payer
   has paid, so what it provokes must never close the payment the genuine callback will complete.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from attrs import field, frozen

from application.hamyon import Hamyon
from domain.errors import Forbidden, GatewayError, PaymentNotFound
from domain.gateways import Verification
from domain.payments import Payment
from ports.gateways import RedirectGateway

CREDITED, ALREADY_CREDITED, CANCELLED, UNCHANGED = (
    "credited", "already_credited", "cancelled", "unchanged")


@frozen
class RedirectCallback:
    """What a redirect gateway sent back with the payer: its session id, every field as received,
    and the tracking code if any. Nothing in it is believed: only the gateway's verification can
    say the payer paid or cancelled."""

    external_id: str
    fields: Mapping[str, str] = field(factory=dict)
    tracking_code: str = ""


@frozen
class CallbackOutcome:
    """``verified`` is True when the payment is paid (now or before); ``result`` says what this
    callback did: credited, already_credited, cancelled or unchanged."""

    payment: Payment
    verified: bool
    result: str
    message: str = ""


def mismatch(payment: Payment, verification: Verification) -> str | None:
    """Why a verification does not confirm the payment, or None when it does."""
    if not verification.paid:
        return verification.message or "the gateway did not confirm the payment"
    if verification.amount != payment.total_amount:
        shown = verification.amount if verification.amount is not None else "no amount"
        return f"the gateway confirmed {shown}, not the total {payment.total_amount}"
    if verification.order_id != str(payment.id):
        return f"the gateway confirmed order {verification.order_id!r}, not this payment"
    return None


async def settle(hamyon: Hamyon, payment: Payment, verification: Verification,
                 external_id: str) -> CallbackOutcome:
    """Act on a gateway's verification of the attempt ``external_id`` (callbacks and
    reconciliation share this): credit once, or cancel on the gateway's authenticated word;
    anything else leaves the payment as it was, with the reason in its log."""
    reason = mismatch(payment, verification)
    if reason is None:
        settled = await hamyon.settlement.complete_attempt(payment.gateway, external_id)
        return CallbackOutcome(settled.payment, True, CREDITED if settled.credited else ALREADY_CREDITED)
    if verification.cancelled and not verification.paid and not payment.status.is_final:
        return CallbackOutcome(await hamyon.payments.cancel(payment.user_id, payment.id), False,
                               CANCELLED, reason)
    await hamyon.settlement.log_step(payment.id, "error", f"not confirmed ({reason}); "
                                  f"the payment stays {payment.status.value}")
    return CallbackOutcome(payment, False, UNCHANGED, reason)


class RedirectFlow:
    """The inbound side of one redirect gateway, built with the facade and the gateway's adapter."""

    def __init__(self, hamyon: Hamyon, gateway: RedirectGateway) -> None:
        self._hamyon = hamyon
        self.gateway = gateway
        self.name = gateway.name

    async def callback(self, callback: RedirectCallback) -> CallbackOutcome:
        payment = await self._hamyon.settlement.by_gateway_id(self.name, callback.external_id)
        if payment is None:
            raise PaymentNotFound("No payment has this gateway id")
        await self._step(payment, "callback", "callback received", _fields(callback.fields))
        verification = await self._verify(payment, callback)
        outcome = await settle(self._hamyon, payment, verification, payment.external_id)
        if outcome.verified and callback.tracking_code:
            kept = await self._hamyon.settlement.keep_tracking_code(payment.id, callback.tracking_code)
            outcome = CallbackOutcome(kept, outcome.verified, outcome.result, outcome.message)
        return outcome

    async def _verify(self, payment: Payment, callback: RedirectCallback) -> Verification:
        await self._step(payment, "request", f"verification asked of {self.name}", "")
        try:
            verification = await self.gateway.verify(payment, callback.fields)
        except GatewayError as error:
            await self._step(payment, "error", f"verification failed: {error.message}",
                             _fields({k: str(v) for k, v in error.details.items()}))
            raise
        except Forbidden as error:
            await self._step(payment, "error", f"callback refused: {error.message}", "")
            raise
        said = "paid" if verification.paid else "not paid"
        await self._step(payment, "verification", f"{self.name} says {said}: {verification.message}",
                         verification.raw)
        return verification

    async def _step(self, payment: Payment, type: str, message: str, payload: str) -> None:
        await self._hamyon.settlement.log_step(payment.id, type, message, payload=payload)


def _fields(fields: Mapping[str, str]) -> str:
    return json.dumps(dict(fields), sort_keys=True, ensure_ascii=False)
