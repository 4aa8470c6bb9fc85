"""Click's fiscal receipts (docs.click.uz/en/fiscalization), on the Merchant API: ``submit_items``
registers a paid payment's items with the tax authority (OFD), and the receipt read gives the QR
URL of the receipt registered.

Neither call raises: each gives a ``FiscalCall`` for the payment log, which says whether it
succeeded and, if not, whether trying again later may help. The rules:

- a connection error, a timeout or a 5xx is retried within the call (``OutgoingRetry``); if every
  try fails, the call is ``retryable``; so is a 2xx answer that cannot be read;
- any other answer that is not 2xx (401, 404 …) and any non-zero ``error_code`` is final: Click
  documents no temporary error code;
- what cannot be sent (no merchant user id, ids that are not Click's integers, no items, a TIN
  that is neither 9 nor 14 digits) is final and nothing is sent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from attrs import evolve, frozen

from adapters.gateways.click.merchant_api import API_URL, ClickGateway
from adapters.gateways.click.wire import ClickCredentials
from adapters.gateways.outgoing import GatewayHttp, GatewayUnreachable, OutgoingRetry
from domain.fiscal import FiscalStep, FiscalSubmission, ReceiptLine

ANSWER_LIMIT = 2000  # characters of an answer the log keeps
PINFL_LENGTH = 14  # a TIN has 9 digits, a PINFL 14
MAX_LONG = 2**63 - 1  # Click's payment_id is a ``long``
Request = dict[str, Any]


@frozen
class FiscalCall:
    """One call to Click's fiscal API, as the payment log keeps it (never a secret in it)."""

    ok: bool  # error_code 0
    retryable: bool  # a connection error, a timeout, a 5xx or an unreadable answer: try again later
    error_code: int | None
    note: str  # error_note, or what went wrong
    request: Request  # what was sent (method, path, body): no Auth header in it
    answer: str  # the answer's text, cut to ANSWER_LIMIT characters
    qr_code_url: str = ""  # from the receipt read


class ClickFiscal:
    """Click's fiscal API for our service. ``api_url``, the retry policy, the timeout and the
    Unix-time clock of the ``Auth`` header are injectable (tests use a fake Click on loopback)."""

    def __init__(self, credentials: ClickCredentials, *, api_url: str = API_URL,
                 retry: OutgoingRetry | None = None, timeout: float = 10.0,
                 unix_time: Callable[[], float] = time.time) -> None:
        self._credentials = credentials
        self._api_url = api_url.rstrip("/")
        self._http = GatewayHttp("click", timeout=timeout, retry=retry or OutgoingRetry())
        self._signer = ClickGateway(credentials, unix_time=unix_time)  # its Auth header, reused

    def submit_body(self, payment_id: str, lines: Sequence[ReceiptLine], tin: str) -> dict[str, Any]:
        """Click's ``submit_items`` body: ``service_id`` and ``payment_id`` (Click's payment id) as
        JSON integers, amounts in tiyin, all of it paid by card (``received_card`` is the sum of the
        lines). The ids must be ASCII digits: ``submit_items`` checks them before it calls this."""
        return {"service_id": int(self._credentials.service_id), "payment_id": int(payment_id),
                "items": [_item(line, tin) for line in lines],
                "received_ecash": 0, "received_cash": 0,
                "received_card": sum(line.total for line in lines)}

    async def submit_items(self, payment_id: str, lines: Sequence[ReceiptLine], tin: str) -> FiscalCall:
        """Register the payment's items; ok when Click answers ``error_code`` 0."""
        problem = self._unsendable(payment_id) or _unsendable_items(lines, tin)
        if problem:
            return _not_sent(problem)
        return await self._call("POST", f"{self._api_url}/payment/ofd_data/submit_items",
                                self.submit_body(payment_id, lines, tin), _submitted)

    async def receipt(self, payment_id: str) -> FiscalCall:
        """Read the receipt Click registered for the payment; ok with its QR URL."""
        problem = self._unsendable(payment_id)
        if problem:
            return _not_sent(problem)
        url = f"{self._api_url}/payment/ofd_data/{self._credentials.service_id}/{payment_id}"
        return await self._call("GET", url, None, _receipt_read)

    def _unsendable(self, payment_id: str) -> str:
        """Why no call can carry these ids ('' when one can)."""
        if not self._credentials.merchant_user_id:
            return "Click's Merchant API needs HAMYON_CLICK_MERCHANT_USER_ID"
        if not _is_long(self._credentials.service_id):
            return "Click's service id is not a number"
        if not _is_long(payment_id):
            return f"{payment_id!r} is not a Click payment id (digits)"
        return ""

    async def _call(self, method: str, url: str, body: dict[str, Any] | None,
                    judge: Callable[[ClickAnswer, Request], FiscalCall]) -> FiscalCall:
        request = {"method": method, "path": urlsplit(url).path, "body": body}
        payload = None if body is None else json.dumps(body)
        try:
            status, text = await self._http.retry(lambda: self._once(method, url, payload))
        except GatewayUnreachable as error:
            return FiscalCall(False, True, None, f"no usable answer from Click: {error}", request, "")
        return judge(ClickAnswer.read(status, text), request)

    async def _once(self, method: str, url: str, payload: str | None) -> tuple[int, str]:
        """One request with the Merchant API's headers; connection errors, timeouts and 5xx raise
        GatewayUnreachable, for the retry policy."""
        answer = await self._http.once(url, method, payload, headers={"Auth": self._signer.auth_header()})
        return answer.status, answer.text


@frozen
class ClickAnswer:
    """Click's answer below 500: its status, its text and, when it is one, its JSON object."""

    status: int
    text: str
    body: dict[str, Any] | None

    @classmethod
    def read(cls, status: int, text: str) -> ClickAnswer:
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        return cls(status, text, body if isinstance(body, dict) else None)

    @property
    def error_code(self) -> int | None:
        code = (self.body or {}).get("error_code")
        return code if isinstance(code, int) and not isinstance(code, bool) else None

    @property
    def qr_code_url(self) -> str:
        """Click's docs name it ``qrCodeURL``; ``qr_code_url`` is read too."""
        body = self.body or {}
        url = body.get("qrCodeURL") or body.get("qr_code_url")
        return url if isinstance(url, str) else ""

    def call(self, request: Request, ok: bool, retryable: bool, why: str) -> FiscalCall:
        """The log's record: the note is Click's ``error_note`` after what went wrong."""
        note = str((self.body or {}).get("error_note") or "")
        if not ok:
            note = f"{why}: {note}" if note else why
        return FiscalCall(ok, retryable, self.error_code, note or why, request, self.text[:ANSWER_LIMIT])


def _judged(answer: ClickAnswer, request: Request, *, code_required: bool) -> FiscalCall:
    """A status that is not 2xx is final; an answer that is not a JSON object, or whose
    ``error_code`` is there but not a whole number (or missing when required), may be retried;
    a non-zero ``error_code`` is final; 0 is success."""
    if not 200 <= answer.status < 300:
        return answer.call(request, False, False, f"Click refused the call (HTTP {answer.status})")
    code, body = answer.error_code, answer.body
    if body is None or (code is None and (code_required or "error_code" in body)):
        return answer.call(request, False, True, "Click's answer is unreadable")
    if code:
        return answer.call(request, False, False, f"Click refused it (error_code {code})")
    return answer.call(request, True, False, "Success")


def _submitted(answer: ClickAnswer, request: Request) -> FiscalCall:
    return _judged(answer, request, code_required=True)


def _receipt_read(answer: ClickAnswer, request: Request) -> FiscalCall:
    """Click documents the receipt as ``{paymentId, qrCodeURL}``, so a missing ``error_code`` is
    no error; a success without a QR URL means the OFD has not registered it yet: try later."""
    call = _judged(answer, request, code_required=False)
    if call.ok and not answer.qr_code_url:
        return evolve(call, ok=False, retryable=True, note="Click has no receipt yet")
    return evolve(call, qr_code_url=answer.qr_code_url) if call.ok else call


def _item(line: ReceiptLine, tin: str) -> dict[str, Any]:
    """One of Click's items: ``GoodPrice`` per unit, ``Price`` and ``VAT`` of the whole line."""
    return {"Name": line.title, "SPIC": line.code, "PackageCode": line.package_code,
            "GoodPrice": line.price, "Price": line.total, "Amount": line.count,
            "VAT": line.vat, "VATPercent": line.vat_percent,
            "CommissionInfo": {"PINFL" if len(tin) == PINFL_LENGTH else "TIN": tin}}


def _unsendable_items(lines: Sequence[ReceiptLine], tin: str) -> str:
    """Click wants at least one item, and a TIN (9 digits) or a PINFL (14) in each."""
    if not lines:
        return "a receipt needs at least one item"
    if not (tin.isascii() and tin.isdigit() and len(tin) in (9, PINFL_LENGTH)):
        return "the TIN must have 9 digits or the PINFL 14"
    return ""


def _is_long(text: str) -> bool:
    """ASCII digits that fit Click's ``long``."""
    return text.isascii() and text.isdigit() and int(text) <= MAX_LONG


def _not_sent(problem: str) -> FiscalCall:
    return FiscalCall(False, False, None, problem, {}, "")


class ClickReceipts:
    """The ``FiscalRegistrar`` port on Click: a submission's items sent, then its receipt read,
    each call and its answer kept for the payment log as JSON."""

    name = "click"

    def __init__(self, fiscal: ClickFiscal) -> None:
        self._fiscal = fiscal

    async def submit(self, submission: FiscalSubmission, lines: tuple[ReceiptLine, ...],
                     tin: str) -> FiscalStep:
        return _step(await self._fiscal.submit_items(submission.external_ref, lines, tin))

    async def fetch_receipt(self, submission: FiscalSubmission) -> FiscalStep:
        return _step(await self._fiscal.receipt(submission.external_ref))


def _step(call: FiscalCall) -> FiscalStep:
    payload = json.dumps({"request": call.request, "answer": call.answer}, ensure_ascii=False)
    return FiscalStep(call.ok, call.retryable, call.note, payload, call.qr_code_url)
