"""Click SHOP-API, the side Click calls: Prepare and Complete, answered to the letter of GATEWAYS.md.

Guarantees:
- Each form field is used exactly as received: the MD5 ``sign_string`` covers the raw strings (an
  amount sent as ``1000`` is hashed as ``1000``), compared in constant time; ``click_trans_id`` stays
  a string (it may pass 2^53).
- Checks run in Click's order: -8 → -1 → -3 → -5 → -6 (Complete) → Click's own ``error`` < 0 →
  -4 → -2 → -9 → 0; every answer is one flat object with Click's exact ``error_note``.
- Money moves only through the settlement use cases: a Complete credits the wallet exactly once;
  a repeat, concurrent or later, answers -4 and credits nothing; a cancelled or expired payment or
  attempt answers -9 and credits nothing.
- UzCard and Humo are card rails of Click: Click's pay link preselects the card network and these
  same webhooks confirm the payment. Their attempts carry the payment's own gateway name
  (``uzcard``/``humo``), so each rail keeps its own limits and commission and its money lands in
  its own clearing account.
- Each call runs in one writing unit of work that first locks the payment: the call's line in the
  payment's log, the attempt it opens, completes or cancels, and the money commit together. A
  refusal leaves the unit as an answer, not as an error, so what the call wrote before it (its log
  line, a cancelled attempt, an expiry found on the way) is kept; any failure of ours rolls all of
  it back, and Click, answered -7, may send the call again. Nothing in the unit calls out.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, Mapping
from uuid import UUID

from adapters.gateways.click.fiscal import ClickFiscal, ClickReceipts
from adapters.gateways.click.merchant_api import api_url
from adapters.gateways.click.wire import (
    AMOUNT_TOLERANCE,
    CARD_RAILS,
    COMPLETE,
    PREPARE,
    ClickCall,
    ClickCredentials,
    ClickError,
    Refused,
    Step,
    answer,
    attempt_number,
    sign_string,
)
from application.hamyon import Hamyon
from domain.errors import InvalidTransition, PaymentExpired
from domain.money import Currency
from domain.payments import Attempt, AttemptStatus, Payment, PaymentStatus
from ports.gateways import FiscalRegistrar
from ports.storage import Conflict, UnitOfWork

Handle = Callable[[UnitOfWork, ClickCall], Awaitable[int]]


class ClickShopApi:
    """The Prepare and Complete endpoints' logic, for the HTTP handler to call with the form."""

    name = "click"

    def __init__(self, hamyon: Hamyon, credentials: ClickCredentials,
                 receipts: FiscalRegistrar | None = None) -> None:
        self._hamyon = hamyon
        self._credentials = credentials
        self._receipts = receipts or ClickReceipts(ClickFiscal(credentials))

    @classmethod
    def from_env(cls, hamyon: Hamyon, env: Mapping[str, str]) -> ClickShopApi | None:
        """With ``HAMYON_CLICK_API_URL``, the Merchant API's fiscal calls go there (tests)."""
        credentials = ClickCredentials.from_env(env)
        if credentials is None:
            return None
        fiscal = ClickFiscal(credentials, api_url=api_url(env))
        return cls(hamyon, credentials, ClickReceipts(fiscal))

    async def submit_receipts(self) -> int:
        """The fiscal job: each due receipt of a Click, UzCard or Humo payment one step further."""
        return await self._hamyon.fiscal.submit_due(dict.fromkeys(CARD_RAILS, self._receipts))

    async def prepare(self, form: Mapping[str, str]) -> dict[str, object]:
        """Click holds the payment: open an attempt (external id = ``click_trans_id``) and answer
        its ``merchant_prepare_id``. A repeated Prepare answers the same id."""
        return await self._answer(form, PREPARE, self._prepare)

    async def complete(self, form: Mapping[str, str]) -> dict[str, object]:
        """Click took the money (``error`` 0: credit the wallet once) or gave up (``error`` < 0:
        an open attempt is cancelled and the payment is payable again)."""
        return await self._answer(form, COMPLETE, self._complete)

    async def _answer(self, form: Mapping[str, str], step: Step, handle: Handle) -> dict[str, object]:
        try:
            our_id = await self._in_one_unit(self._authentic(ClickCall.read(form, step)), handle)
        except Refused as refusal:
            return answer(form, step, refusal.code)
        return answer(form, step, ClickError.SUCCESS, our_id)

    def _authentic(self, call: ClickCall) -> ClickCall:
        expected = sign_string(self._credentials.secret_key, call.raw, call.step)
        signed = hmac.compare_digest(expected.encode(), call.raw["sign_string"].lower().encode())
        if not signed or call.raw["service_id"] != self._credentials.service_id:
            raise Refused(ClickError.SIGN_CHECK_FAILED)
        if call.raw["action"] != call.step.action:
            raise Refused(ClickError.ACTION_NOT_FOUND)
        return call

    async def _in_one_unit(self, call: ClickCall, handle: Handle) -> int:
        """``handle`` in one writing unit; the settlement use cases it calls join that unit. A
        refusal commits what was written before it; an expiry found by a use case is written
        down and kept, then answered -9."""
        async def body(uow: UnitOfWork) -> int | Refused:
            try:
                return await handle(uow, call)
            except Refused as refusal:
                return refusal

        try:
            outcome = await self._write(body)
        except PaymentExpired:  # raised by the unit once it committed the expiry a use case found
            raise Refused(ClickError.TRANSACTION_CANCELLED) from None
        if isinstance(outcome, Refused):
            raise outcome
        return outcome

    async def _write(self, body: Callable[[UnitOfWork], Awaitable[int | Refused]]) -> int | Refused:
        try:
            return await self._hamyon.units.write(body)
        except Conflict:  # a concurrent Prepare took Click's id for another order: answer from it
            return await self._hamyon.units.write(body)

    async def _prepare(self, uow: UnitOfWork, call: ClickCall) -> int:
        payment = await self._payment(uow, call)
        if call.click_error < 0:  # Click gave up: an attempt it had prepared is cancelled (GATEWAYS.md)
            attempt = await uow.payments.attempt(payment.gateway, call.click_trans_id)
            if attempt is not None and attempt.payment_id == payment.id \
                    and attempt.status is AttemptStatus.OPEN:
                await self._hamyon.settlement.cancel_attempt(payment.gateway, attempt.external_id,
                                                              reason=call.click_error)
            raise Refused(ClickError.TRANSACTION_CANCELLED)
        _ensure_payable(payment, call)
        try:
            settled = await self._hamyon.settlement.open_attempt(payment.gateway, payment.id,
                                                                 call.click_trans_id)
        except InvalidTransition:  # the payment can no longer take an attempt
            raise await self._closed(uow, payment) from None
        if settled.attempt.payment_id != payment.id:  # Click reused its id for another order
            raise Refused(ClickError.BAD_REQUEST)
        if settled.attempt.status is not AttemptStatus.OPEN:
            raise await self._closed(uow, payment)
        return attempt_number(settled.attempt)

    async def _complete(self, uow: UnitOfWork, call: ClickCall) -> int:
        payment = await self._payment(uow, call)
        attempt = await self._attempt(uow, payment, call)
        if call.click_error < 0:
            if attempt.status is AttemptStatus.OPEN:  # a completed one stays: reversals come elsewhere
                await self._hamyon.settlement.cancel_attempt(payment.gateway, attempt.external_id,
                                                  reason=call.click_error)
            raise Refused(ClickError.TRANSACTION_CANCELLED)
        if attempt.status is AttemptStatus.COMPLETED:
            raise Refused(ClickError.ALREADY_PAID)
        _ensure_payable(payment, call)
        if attempt.status is not AttemptStatus.OPEN:
            raise await self._closed(uow, payment)
        try:
            settled = await self._hamyon.settlement.complete_attempt(payment.gateway, attempt.external_id)
        except InvalidTransition:  # paid through another attempt, or no longer open
            raise await self._closed(uow, payment) from None
        if not settled.credited:  # a duplicate Complete got there first: it answered 0, this one -4
            raise Refused(ClickError.ALREADY_PAID)
        # Its fiscal receipt is asked for later, by a job (Click's payment id is click_paydoc_id).
        await self._hamyon.fiscal.request_receipt(settled.payment, call.raw["click_paydoc_id"])
        return attempt_number(settled.attempt)

    async def _closed(self, uow: UnitOfWork, payment: Payment) -> Refused:
        """The refusal for an attempt that can no longer complete, told from the payment as the
        unit sees it now: -4 if paid, else -9."""
        current = await uow.payments.get(payment.id)
        paid = current is not None and current.status is PaymentStatus.COMPLETED
        return Refused(ClickError.ALREADY_PAID if paid else ClickError.TRANSACTION_CANCELLED)

    async def _payment(self, uow: UnitOfWork, call: ClickCall) -> Payment:
        """-5 unless ``merchant_trans_id`` is the id of a so'm payment of Click or its card rails.
        The payment is then locked for the unit, and the call written down in its log."""
        payment_id = _our_id(call.raw["merchant_trans_id"])
        payment = await uow.payments.lock(payment_id) if payment_id is not None else None
        if payment is None or payment.gateway not in CARD_RAILS or payment.currency is not Currency.UZS:
            raise Refused(ClickError.USER_DOES_NOT_EXIST)
        await self._hamyon.settlement.log_step(
            payment.id, "callback", f"click {call.step.name}: click_trans_id {call.click_trans_id}, "
            f"click error {call.click_error}", payload=json.dumps(_unsigned(call.raw), sort_keys=True))
        return payment

    async def _attempt(self, uow: UnitOfWork, payment: Payment, call: ClickCall) -> Attempt:
        """-6 unless ``click_trans_id`` names a prepared attempt of this payment and
        ``merchant_prepare_id`` is the number we answered for it."""
        attempt = await uow.payments.attempt(payment.gateway, call.click_trans_id)
        if attempt is None or attempt.payment_id != payment.id \
                or attempt_number(attempt) != int(call.raw["merchant_prepare_id"]):
            raise Refused(ClickError.TRANSACTION_DOES_NOT_EXIST)
        return attempt


def _our_id(text: str) -> UUID | None:
    """Our payment id named by ``merchant_trans_id``, in its canonical form only."""
    try:
        payment_id = UUID(text)
    except ValueError:
        return None
    return payment_id if str(payment_id) == text else None


def _ensure_payable(payment: Payment, call: ClickCall) -> None:
    """-4 paid, -2 amount off by more than 0.01 so'm (Decimal, never float), -9 closed."""
    if payment.status is PaymentStatus.COMPLETED:
        raise Refused(ClickError.ALREADY_PAID)
    if abs(call.amount - payment.total_amount.amount) > AMOUNT_TOLERANCE:
        raise Refused(ClickError.INCORRECT_AMOUNT)
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.PROCESSING):
        raise Refused(ClickError.TRANSACTION_CANCELLED)


def _unsigned(raw: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in raw.items() if name != "sign_string"}
