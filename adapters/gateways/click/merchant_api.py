"""Click, the side we call: the pay link, an availability probe, and the Merchant API's
``status_by_mti`` for reconciliation.

UzCard and Humo are card rails of Click: the same adapter under the name ``uzcard`` or ``humo``
adds ``card_type`` to the pay link, and Click's Prepare/Complete webhooks confirm the payment.
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from adapters.gateways.click.wire import ClickCredentials
from adapters.gateways.outgoing import GatewayHttp, GatewayUnreachable, OutgoingRetry, return_to
from adapters.gateways.probes import PROBE_TIMEOUT, PROBE_TTL, ProbeCache, probe_url
from domain.errors import GatewayError
from domain.gateways import CheckoutSession, Probe, Verification
from domain.money import Currency
from domain.payments import Payment

PAY_URL = "https://my.click.uz/services/pay"
API_URL = "https://api.click.uz/v2/merchant"
CARD_TYPES = {"click": "", "uzcard": "uzcard", "humo": "humo"}  # adapter name → card_type
PAID = 2  # Click's payment_status of a successful payment


class ClickGateway:
    """One of Click's rails (``click``, ``uzcard`` or ``humo``). ``api_url`` and ``pay_url`` are
    injectable (tests point them at a fake server on loopback); so are the retry policy, the
    Unix-time clock of the ``Auth`` header and the zone of Click's payment dates."""

    def __init__(self, credentials: ClickCredentials, name: str = "click", *,
                 pay_url: str = PAY_URL, api_url: str = API_URL,
                 retry: OutgoingRetry | None = None, timeout: float = 10.0,
                 probe_timeout: float = PROBE_TIMEOUT, probe_ttl: float = PROBE_TTL,
                 unix_time: Callable[[], float] = time.time, zone: str = "Asia/Tashkent",
                 return_base: str = "") -> None:
        if name not in CARD_TYPES:
            raise ValueError(f"Click has no rail named {name!r}")
        self.name = name
        self._credentials = credentials
        self._return_base = return_base.rstrip("/")
        self._pay_url, self._api_url = pay_url, api_url.rstrip("/")
        self._http = GatewayHttp(name, timeout=timeout, retry=retry or OutgoingRetry())
        self._probe = ProbeCache(lambda: probe_url(self._http, f"{self._api_url}/", probe_timeout),
                                 probe_ttl)
        self._unix_time = unix_time
        self._zone = ZoneInfo(zone)

    async def checkout(self, payment: Payment) -> CheckoutSession:
        """Only a link: Click calls Prepare and Complete when the payer pays."""
        if payment.currency is not Currency.UZS:
            raise GatewayError("Click takes payments in so'm only", gateway=self.name)
        return CheckoutSession(self.payment_url(payment))

    def payment_url(self, payment: Payment) -> str:
        """Click's pay page for the payment's total (``N.NN`` so'm), naming it by its id."""
        query = {"service_id": self._credentials.service_id,
                 "merchant_id": self._credentials.merchant_id,
                 "amount": format(payment.total_amount.amount, "f"),
                 "transaction_param": str(payment.id)}
        back = return_to(payment, self._return_base)
        if back:
            query["return_url"] = back
        if CARD_TYPES[self.name]:
            query["card_type"] = CARD_TYPES[self.name]
        return f"{self._pay_url}?{urlencode(query)}"

    def rail(self, name: str) -> ClickGateway:
        """The same Click under a card rail's name (``uzcard``, ``humo``); one probe serves all."""
        if name not in CARD_TYPES:
            raise ValueError(f"Click has no rail named {name!r}")
        sibling = copy.copy(self)
        sibling.name = name
        return sibling

    async def probe(self) -> Probe:
        """One GET to Click's API host with a short timeout, its result reused for a few seconds
        (the status endpoint cannot flood Click); never raises."""
        return await self._probe()

    async def reconcile(self, payment: Payment) -> Verification | None:
        """The ``Reconciler`` port: Click's word on a payment left processing. Only a paid answer
        is acted on; a payment Click has not finished (or does not know) is left to its expiry,
        since a new attempt may still succeed."""
        verification = await self.status_by_mti(payment)
        return verification if verification.paid else None

    async def status_by_mti(self, payment: Payment) -> Verification:
        """Ask Click's Merchant API whether it took the money for this payment. Click files a
        payment under the Tashkent day it was created; a payment that may have crossed midnight
        before its expiry is looked up on both days. Raises GatewayError when Click cannot be
        asked (no merchant user id, no answer after the retries, or a refusal such as 401)."""
        if not self._credentials.merchant_user_id:
            raise GatewayError("Click's Merchant API needs HAMYON_CLICK_MERCHANT_USER_ID",
                               gateway=self.name)
        verification = Verification(False)
        for day in self._payment_days(payment):
            verification = await self._status_on(payment, day)
            if verification.paid:
                break
        return verification

    def auth_header(self) -> str:
        """``merchant_user_id:sha1(timestamp + secret_key):timestamp`` (Unix seconds)."""
        timestamp = str(int(self._unix_time()))
        digest = hashlib.sha1((timestamp + self._credentials.secret_key).encode(),
                              usedforsecurity=False).hexdigest()
        return f"{self._credentials.merchant_user_id}:{digest}:{timestamp}"

    def _payment_days(self, payment: Payment) -> list[date]:
        first, last = (moment.astimezone(self._zone).date()
                       for moment in (payment.created_at, payment.expires_at))
        return [first] if first == last else [first, last]

    async def _status_on(self, payment: Payment, day: date) -> Verification:
        url = (f"{self._api_url}/payment/status_by_mti/{quote(self._credentials.service_id, safe='')}"
               f"/{payment.id}/{day.isoformat()}")
        try:
            status, text = await self._http.retry(lambda: self._get(url))
        except GatewayUnreachable as error:
            raise GatewayError("Click did not answer", gateway=self.name, reason=str(error)) from error
        if status == 404:
            return Verification(False, order_id=str(payment.id), message="Click knows no such payment",
                                raw=text)
        if status >= 300:
            raise GatewayError(f"Click refused the status request (HTTP {status})", gateway=self.name)
        return _verification(payment, text)

    async def _get(self, url: str) -> tuple[int, str]:
        """One GET with the Merchant API's headers; connection errors and 5xx may be retried."""
        answer = await self._http.once(url, "GET", headers={"Auth": self.auth_header()})
        return answer.status, answer.text


def _verification(payment: Payment, text: str) -> Verification:
    """Paid only when Click says ``error_code`` 0 and ``payment_status`` 2 for this very order.
    Click's answer names no amount; a paid one carries the payment's total, because Click can only
    have finished a payment whose amount our Prepare accepted."""
    try:
        body: Any = json.loads(text)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise GatewayError("Click's status answer is not a JSON object", gateway="click")
    order_id = str(body.get("merchant_trans_id", payment.id))
    paid = _integer(body.get("error_code")) == 0 and _integer(body.get("payment_status")) == PAID \
        and order_id == str(payment.id)
    return Verification(paid, amount=payment.total_amount if paid else None, order_id=order_id,
                        message=str(body.get("error_note", "")), raw=text)


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def api_url(env: Mapping[str, str]) -> str:
    """The Merchant API's base URL: ``HAMYON_CLICK_API_URL`` (a fake Click in tests), else Click's."""
    url = env.get("HAMYON_CLICK_API_URL", "").strip() or API_URL
    if not url.startswith(("https://", "http://")):
        raise ValueError("HAMYON_CLICK_API_URL must be an http(s) URL")
    return url


def click_gateways(env: Mapping[str, str], **options: Any) -> list[ClickGateway]:
    """Click and its card rails UzCard and Humo, when ``HAMYON_CLICK_*`` credentials are set;
    none of them otherwise (their rows then stay inactive)."""
    credentials = ClickCredentials.from_env(env)
    if credentials is None:
        return []
    click = ClickGateway(credentials, **{"api_url": api_url(env), **options})
    return [click, click.rail("uzcard"), click.rail("humo")]

