"""Click SHOP-API on the wire: the error table, the two steps and their signed fields, the form's
formats, the MD5 ``sign_string`` over the raw strings, and the flat answer."""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal

from attrs import field, frozen

from domain.payments import Attempt
from domain.text import is_single_line_text

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
            if not value or len(value) > MAX_FIELD or not is_single_line_text(value) \
                    or (pattern and not pattern.fullmatch(value)):
                raise Refused(ClickError.BAD_REQUEST)
        return cls(step, raw, Decimal(raw["amount"]), int(raw["error"]))

    @property
    def click_trans_id(self) -> str:
        return self.raw["click_trans_id"]
