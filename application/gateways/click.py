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
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from uuid import UUID

from attrs import field, frozen

from application.hamyon import Hamyon
from application.settlement import Settlement
from domain.errors import InvalidTransition, PaymentNotFound
from domain.money import Currency
from domain.payments import Attempt, AttemptStatus, Payment, PaymentStatus
from ports.storage import Conflict

CARD_RAILS = frozenset({"click", "uzcard", "humo"})  # the gateways whose payments Click confirms
AMOUNT_TOLERANCE = Decimal("0.01")
MAX_FIELD = 128


class ClickError(enum.IntEnum):
    SUCCESS = 0
    SIGN_CHECK_FAILED = -1
    INCORRECT_AMOUNT = -2
    ACTION_NOT_FOUND = -3
    ALREADY_PAID = -4
    USER_DOES_NOT_EXIST = -5
    TRANSACTION_DOES_NOT_EXIST = -6
    FAILED_TO_UPDATE_USER = -7
    BAD_REQUEST = -8
    TRANSACTION_CANCELLED = -9


NOTES = {
    ClickError.SUCCESS: "Success",
    ClickError.SIGN_CHECK_FAILED: "SIGN CHECK FAILED!",
    ClickError.INCORRECT_AMOUNT: "Incorrect parameter amount",
    ClickError.ACTION_NOT_FOUND: "Action not found",
    ClickError.ALREADY_PAID: "Already paid",
    ClickError.USER_DOES_NOT_EXIST: "User does not exist",
    ClickError.TRANSACTION_DOES_NOT_EXIST: "Transaction does not exist",
    ClickError.FAILED_TO_UPDATE_USER: "Failed to update user",
    ClickError.BAD_REQUEST: "Error in request from click",
    ClickError.TRANSACTION_CANCELLED: "Transaction cancelled",
}


@frozen
class Step:
    """Prepare or Complete: its action, the fields signed after the secret, the id we answer."""

    name: str
    action: str
    signed: tuple[str, ...]
    our_id: str

    @property
    def required(self) -> tuple[str, ...]:
        return ("click_trans_id", "service_id", "click_paydoc_id", "error", "sign_string",
                *self.signed)


PREPARE = Step("prepare", "0", ("merchant_trans_id", "amount", "action", "sign_time"),
               "merchant_prepare_id")
COMPLETE = Step("complete", "1",
                ("merchant_trans_id", "merchant_prepare_id", "amount", "action", "sign_time"),
                "merchant_confirm_id")
STEPS = {step.name: step for step in (PREPARE, COMPLETE)}

_DIGITS = re.compile(r"[0-9]{1,32}")
FORMATS = {"click_trans_id": _DIGITS, "service_id": _DIGITS, "click_paydoc_id": _DIGITS,
           "merchant_prepare_id": _DIGITS, "error": re.compile(r"-?[0-9]{1,9}"),
           "amount": re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,20})?")}


@frozen
class ClickCredentials:
    """What Click issued us. ``merchant_user_id`` is needed only for the Merchant API."""

    service_id: str
    merchant_id: str
    secret_key: str = field(repr=False)
    merchant_user_id: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ClickCredentials | None:
        """From ``HAMYON_CLICK_*``; None (Click inactive) unless service id, merchant id and
        secret key are all set."""
        service, merchant, secret = (env.get(f"HAMYON_CLICK_{name}", "").strip()
                                     for name in ("SERVICE_ID", "MERCHANT_ID", "SECRET_KEY"))
        if not (service and merchant and secret):
            return None
        return cls(service, merchant, secret, env.get("HAMYON_CLICK_MERCHANT_USER_ID", "").strip())


def sign_string(secret_key: str, form: Mapping[str, str], step: Step) -> str:
    """md5(click_trans_id + service_id + SECRET_KEY + the step's signed fields), each as received."""
    text = form["click_trans_id"] + form["service_id"] + secret_key + "".join(
        form[name] for name in step.signed)
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def attempt_number(attempt: Attempt) -> int:
    """Our ``merchant_prepare_id`` (and ``merchant_confirm_id``): a positive 31-bit number derived
    from the attempt's id, so Complete can prove it names the attempt of its ``click_trans_id``."""
    return attempt.id.int % 2_147_483_647 + 1


def answer(form: Mapping[str, str], step: Step, code: ClickError, our_id: int | None = None,
           note: str | None = None) -> dict[str, object]:
    """Click's flat answer; the ids Click sent are echoed as the strings received."""
    return {"click_trans_id": form.get("click_trans_id"), "merchant_trans_id": form.get("merchant_trans_id"),
            step.our_id: our_id, "error": int(code), "error_note": note or NOTES[code]}


class Refused(Exception):
    def __init__(self, code: ClickError) -> None:
        self.code = code
        super().__init__(NOTES[code])


@frozen
class ClickCall:
    """One Prepare or Complete that passed the format checks (-8)."""

    step: Step
    raw: Mapping[str, str]
    amount: Decimal
    click_error: int

    @classmethod
    def read(cls, form: Mapping[str, str], step: Step) -> ClickCall:
        raw = {name: form.get(name, "") for name in step.required}
        for name, value in raw.items():
            pattern = FORMATS.get(name)
            if not value or len(value) > MAX_FIELD or (pattern and not pattern.fullmatch(value)):
                raise Refused(ClickError.BAD_REQUEST)
        return cls(step, raw, Decimal(raw["amount"]), int(raw["error"]))

    @property
    def click_trans_id(self) -> str:
        return self.raw["click_trans_id"]


class ClickShopApi:
    """The Prepare and Complete endpoints' logic, for the HTTP handler to call with the form."""

    name = "click"

    def __init__(self, hamyon: Hamyon, credentials: ClickCredentials) -> None:
        self._hamyon = hamyon
        self._credentials = credentials

    @classmethod
    def from_env(cls, hamyon: Hamyon, env: Mapping[str, str]) -> ClickShopApi | None:
        credentials = ClickCredentials.from_env(env)
        return cls(hamyon, credentials) if credentials is not None else None

    async def prepare(self, form: Mapping[str, str]) -> dict[str, object]:
        """Click holds the payment: open an attempt (external id = ``click_trans_id``) and answer
        its ``merchant_prepare_id``. A repeated Prepare answers the same id."""
        return await self._answer(form, PREPARE, self._prepare)

    async def complete(self, form: Mapping[str, str]) -> dict[str, object]:
        """Click took the money (``error`` 0: credit the wallet once) or gave up (``error`` < 0:
        an open attempt is cancelled and the payment is payable again)."""
        return await self._answer(form, COMPLETE, self._complete)

    async def _answer(self, form: Mapping[str, str], step: Step,
                      handle: Callable[[ClickCall], Awaitable[int]]) -> dict[str, object]:
        try:
            our_id = await handle(self._authentic(ClickCall.read(form, step)))
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

    async def _prepare(self, call: ClickCall) -> int:
        payment = await self._payment(call)
        if call.click_error < 0:
            raise Refused(ClickError.TRANSACTION_CANCELLED)  # Click gave up before we held anything
        _ensure_payable(payment, call)
        try:
            settled = await self._hold(payment, call.click_trans_id)
        except InvalidTransition:  # expired (or closed) between our read and the attempt
            raise Refused(ClickError.TRANSACTION_CANCELLED) from None
        if settled.attempt.payment_id != payment.id:  # Click reused its id for another order
            raise Refused(ClickError.BAD_REQUEST)
        if settled.attempt.status is not AttemptStatus.OPEN:
            raise Refused(ClickError.TRANSACTION_CANCELLED)
        return attempt_number(settled.attempt)

    async def _hold(self, payment: Payment, click_trans_id: str) -> Settlement:
        try:
            return await self._hamyon.open_attempt(payment.gateway, payment.id, click_trans_id)
        except Conflict:  # a concurrent duplicate Prepare opened it first: answer with that one
            return await self._hamyon.open_attempt(payment.gateway, payment.id, click_trans_id)

    async def _complete(self, call: ClickCall) -> int:
        payment = await self._payment(call)
        attempt = await self._attempt(payment, call)
        if call.click_error < 0:
            if attempt.status is AttemptStatus.OPEN:  # a completed one stays: reversals come elsewhere
                await self._hamyon.cancel_attempt(payment.gateway, attempt.external_id,
                                                  reason=call.click_error)
            raise Refused(ClickError.TRANSACTION_CANCELLED)
        if attempt.status is AttemptStatus.COMPLETED:
            raise Refused(ClickError.ALREADY_PAID)
        _ensure_payable(payment, call)
        if attempt.status is not AttemptStatus.OPEN:
            raise await self._closed(payment)
        try:
            settled = await self._hamyon.complete_attempt(payment.gateway, attempt.external_id)
        except InvalidTransition:  # paid through another attempt, or expired, since our read
            raise await self._closed(payment) from None
        if not settled.credited:  # a concurrent duplicate won: it answered 0, this one -4
            raise Refused(ClickError.ALREADY_PAID)
        return attempt_number(settled.attempt)

    async def _closed(self, payment: Payment) -> Refused:
        """The refusal for an attempt that can no longer complete, told from the payment as it is
        now (our first read may predate a concurrent Complete): -4 if paid, else -9."""
        current = await self._hamyon.admin_payment(payment.id)
        return Refused(ClickError.ALREADY_PAID if current.status is PaymentStatus.COMPLETED
                       else ClickError.TRANSACTION_CANCELLED)

    async def _payment(self, call: ClickCall) -> Payment:
        """-5 unless ``merchant_trans_id`` is the id of a so'm payment of Click or its card rails.
        The call is then written down in the payment's log."""
        try:
            payment_id = UUID(call.raw["merchant_trans_id"])
            if str(payment_id) != call.raw["merchant_trans_id"]:
                raise ValueError("not the canonical form of our ids")
            payment = await self._hamyon.admin_payment(payment_id)
        except (ValueError, PaymentNotFound):
            raise Refused(ClickError.USER_DOES_NOT_EXIST) from None
        if payment.gateway not in CARD_RAILS or payment.currency is not Currency.UZS:
            raise Refused(ClickError.USER_DOES_NOT_EXIST)
        await self._hamyon.log_gateway_step(
            payment.id, "callback", f"click {call.step.name}: click_trans_id {call.click_trans_id}, "
            f"click error {call.click_error}", payload=json.dumps(_unsigned(call.raw), sort_keys=True))
        return payment

    async def _attempt(self, payment: Payment, call: ClickCall) -> Attempt:
        """-6 unless ``click_trans_id`` names a prepared attempt of this payment and
        ``merchant_prepare_id`` is the number we answered for it."""
        attempt = await self._hamyon.gateway_attempt(payment.gateway, call.click_trans_id)
        if attempt is None or attempt.payment_id != payment.id \
                or attempt_number(attempt) != int(call.raw["merchant_prepare_id"]):
            raise Refused(ClickError.TRANSACTION_DOES_NOT_EXIST)
        return attempt


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
